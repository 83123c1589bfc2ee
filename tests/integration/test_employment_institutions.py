"""Concentrated employment through the API and the pages: registration, months, the relief check,
the administrator's parameters, the county limits, and the blind-massage indicator."""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from core import identity
from core.extensions import db
from core.models import AuditEvent
from employment import services
from employment.models import InstitutionMonth

YEAR = date.today().year
JAN = f"{YEAR}-01"


def _body(kind="blind_massage", county="330106", serial=1):
    return {
        "kind": kind,
        "name": f"盲人按摩店{serial}",
        "credit_code": identity.make_credit_code(f"91{county}MA{serial:07d}"),
        "county_code": county,
        "registered_on": f"{YEAR}-01-01",
    }


def test_register_record_months_and_check_the_conditions(
    client, api_headers, admin, counselor, other_counselor
):
    headers = api_headers(counselor)
    created = client.post("/api/v1/institutions", json=_body(), headers=headers)
    assert created.status_code == 201, created.json
    again = client.post("/api/v1/institutions", json=_body(), headers=headers)
    assert again.status_code == 409 and "credit_code" in again.json["errors"]
    elsewhere = client.post(
        "/api/v1/institutions", json=_body(county="330212", serial=2), headers=headers
    )
    assert elsewhere.status_code == 403
    url = f"/api/v1/institutions/{created.json['id']}"
    ok = client.put(
        f"{url}/months", json={"month": JAN, "staff": 20, "disabled": 6, "qualifying": 5},
        headers=headers,
    )  # fmt: skip
    assert ok.status_code == 200, ok.json
    month = ok.json["months"][0]
    assert month["met"] is True and month["refund_limit"] is None  # tier and multiple not set
    assert {r["code"] for r in month["reasons"]} == {"conditions", "wage", "multiple"}
    conditions = next(r for r in month["reasons"] if r["code"] == "conditions")
    assert conditions["zh"].startswith("1 名残疾职工不满足") and conditions["en"].startswith(
        "1 disabled employees lack"
    )  # both languages, whatever the request's
    admin_headers = api_headers(admin)
    assert (
        client.put(
            "/api/v1/wage-tiers", json={"county_code": "330106", "tier": 1}, headers=headers
        ).status_code
        == 403
    )
    assert (
        client.put(
            "/api/v1/wage-tiers", json={"county_code": "330106", "tier": 1}, headers=admin_headers
        ).status_code
        == 200
    )
    multiple = {"year": YEAR, "refund_multiple": "4", "source": "财税〔2016〕52号第三条"}
    assert (
        client.put("/api/v1/tax-relief-settings", json=multiple, headers=admin_headers).status_code
        == 200
    )
    short = client.put(
        f"{url}/months", json={"month": f"{YEAR}-02" if date.today().month > 1 else JAN,
                              "staff": 20, "disabled": 4, "qualifying": 4}, headers=headers,
    )  # fmt: skip
    assert short.status_code == 200
    relief = client.get(f"{url}/relief?year={YEAR}", headers=headers).json
    january = relief["months"][0]
    assert january["met"] is True and january["minimum_wage"] is not None
    wage = Decimal(january["minimum_wage"])
    assert Decimal(january["refund_limit"]) == 5 * wage * 4
    if date.today().month > 1:
        assert relief["failed_months"] == [f"{YEAR}-02"]
        assert [r["code"] for r in relief["months"][1]["reasons"]] == ["share", "persons"]
        assert relief["months"][1]["reasons"][0]["zh"].endswith("，低于25%")
    bad = client.put(
        f"{url}/months", json={"month": JAN, "staff": 3, "disabled": 4, "qualifying": 0},
        headers=headers,
    )  # fmt: skip
    assert bad.status_code == 422 and "disabled" in bad.json["errors"]
    future = client.put(
        f"{url}/months", json={"month": f"{YEAR + 1}-01", "staff": 9, "disabled": 5,
                              "qualifying": 5}, headers=headers,
    )  # fmt: skip
    assert future.status_code == 422 and "month" in future.json["errors"]
    far = api_headers(other_counselor)
    assert client.get(f"{url}/relief?year={YEAR}", headers=far).status_code == 404
    assert client.get("/api/v1/institutions", headers=far).json == []
    audited = db.session.scalars(
        select(AuditEvent.table_name).where(AuditEvent.action.in_(("create", "update")))
    ).all()
    assert {"employment_institution", "institution_month", "tax_relief_setting"} <= set(audited)


def test_blind_massage_institutions_feed_the_indicator(client, api_headers, admin):
    headers = api_headers(admin)
    for serial, county in ((1, "330106"), (2, "330212")):
        assert (
            client.post(
                "/api/v1/institutions", json=_body(county=county, serial=serial), headers=headers
            ).status_code
            == 201
        )
    client.post("/api/v1/institutions", json=_body("welfare_enterprise", serial=3), headers=headers)
    figures = {i.code: i for i in services.indicator_report(YEAR, "330000").indicators}
    blind = figures["blind_massage_institutions"]
    assert (blind.value, blind.target, blind.met) == (2, 1000, False)
    last_year = {i.code: i for i in services.indicator_report(YEAR - 1, "330000").indicators}
    assert last_year["blind_massage_institutions"].value == 0  # registered this year


def test_the_pages(client, auth, admin, counselor):
    auth.login(counselor)
    page = client.get("/employment/institutions")
    assert page.status_code == 200 and page.get_data(as_text=True).count("<h1>") == 1
    missing = client.post("/employment/institutions", data={"name": "x"})
    assert missing.status_code == 422
    done = client.post("/employment/institutions", data=_body())
    assert done.status_code == 302
    detail = done.headers["Location"]
    html = client.get(detail).get_data(as_text=True)
    assert "盲人按摩店1" in html and 'scope="col"' in html
    recorded = client.post(
        detail + "/months", data={"month": JAN, "staff": "10", "disabled": "3", "qualifying": "3"}
    )
    assert recorded.status_code == 302
    html = client.get(recorded.headers["Location"] + "&lang=zh").get_data(as_text=True)
    assert "安置 3 人，少于 5 人" in html
    html = client.get(recorded.headers["Location"] + "&lang=en").get_data(as_text=True)
    assert "3 persons placed, fewer than 5" in html
    assert db.session.query(InstitutionMonth).count() == 1
    assert client.get("/employment/relief-settings").status_code == 403
    auth.login(admin)
    assert client.get("/employment/relief-settings").status_code == 200
    saved = client.post(
        "/employment/relief-settings",
        data={
            "what": "multiple",
            "year": str(YEAR),
            "refund_multiple": "4",
            "source": "财税〔2016〕52号",
        },
    )
    assert saved.status_code == 302
    bad = client.post("/employment/relief-settings", data={"what": "tier", "county_code": "330106"})
    assert bad.status_code == 422
