"""Household members without a registered disability, and the entered income figures: both through
the web and the API, limited to the counselor's county and to administrators."""

from datetime import date

from sqlalchemy import select

from core.extensions import db
from core.models import AuditEvent
from employment import services
from employment.models import HouseholdIncome, HouseholdRelative
from tests import factories

MEMBER = {
    "household_id": "HH-1",
    "relation": "spouse",
    "birth_date": "1985-03-01",
    "sex": "F",
    "able_to_work": True,
    "wish_to_work": True,
    "employed": True,
}


def _household(county="330106", household="HH-1"):
    return factories.make_person(county=county, household_id=household, birth=date(1990, 1, 1))


def _zero(county="330106"):
    return [h.household_id for h in services.zero_employment_households(county)]


def test_a_working_relative_clears_the_household_through_the_api(
    client, api_headers, counselor, other_counselor
):
    _household()
    assert _zero() == ["HH-1"]
    headers = api_headers(counselor)
    created = client.post("/api/v1/household-relatives", json=MEMBER, headers=headers)
    assert created.status_code == 201, created.json
    assert created.json["county_code"] == "330106"
    assert _zero() == []
    listed = client.get("/api/v1/household-relatives?household_id=HH-1", headers=headers)
    assert [r["relation"] for r in listed.json] == ["spouse"]
    relative_id = created.json["id"]
    lost = client.patch(
        f"/api/v1/household-relatives/{relative_id}", json={"employed": False}, headers=headers
    )
    assert lost.status_code == 200 and lost.json["employed"] is False
    assert _zero() == ["HH-1"]
    far = api_headers(other_counselor)
    assert (
        client.get("/api/v1/household-relatives?household_id=HH-1", headers=far).status_code == 404
    )
    assert (
        client.patch(
            f"/api/v1/household-relatives/{relative_id}", json={"employed": True}, headers=far
        ).status_code
        == 404
    )
    assert client.post("/api/v1/household-relatives", json=MEMBER, headers=far).status_code == 404
    gone = client.delete(f"/api/v1/household-relatives/{relative_id}", headers=headers)
    assert gone.status_code == 204
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.table_name == "household_relative")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "update", "delete"]


def test_a_missing_answer_is_an_error_never_a_no(client, api_headers, counselor):
    _household()
    headers = api_headers(counselor)
    body = {k: v for k, v in MEMBER.items() if k != "wish_to_work"}
    response = client.post("/api/v1/household-relatives?lang=en", json=body, headers=headers)
    assert response.status_code == 422 and "wish_to_work" in response.json["errors"]
    response = client.post(
        "/api/v1/household-relatives?lang=en", json={**MEMBER, "employed": "maybe"}, headers=headers
    )
    assert response.json["errors"]["employed"] == ["Choose yes or no."]
    assert db.session.query(HouseholdRelative).count() == 0


def test_the_web_page_records_a_member(client, auth, counselor):
    _household()
    _household("330212", "HH-FAR")
    auth.login(counselor)
    page = client.get("/employment/households/HH-1/relatives")
    assert page.status_code == 200
    html = page.get_data(as_text=True)
    assert html.count("<h1>") == 1 and 'for="field-able_to_work"' in html
    missing = client.post(
        "/employment/households/HH-1/relatives?lang=en",
        data={"relation": "parent", "birth_date": "1960-01-01", "sex": "M"},
    )
    assert missing.status_code == 422
    assert db.session.query(HouseholdRelative).count() == 0
    done = client.post(
        "/employment/households/HH-1/relatives",
        data={
            "relation": "parent",
            "birth_date": "1970-01-01",
            "sex": "M",
            "able_to_work": "yes",
            "wish_to_work": "yes",
            "employed": "no",
        },
    )
    assert done.status_code == 302
    assert _zero() == ["HH-1"]
    households = client.get("/employment/households").get_data(as_text=True)
    assert "/employment/households/HH-1/relatives" in households
    assert client.get("/employment/households/HH-FAR/relatives").status_code == 404


def test_income_is_entered_by_an_administrator_with_its_source(
    client, api_headers, auth, admin, counselor
):
    year = date.today().year
    figure = {
        "year": year,
        "area_code": "330000",
        "amount": "38123.40",
        "source": "省统计局抽样调查",
    }
    refused = client.put("/api/v1/household-income", json=figure, headers=api_headers(counselor))
    assert refused.status_code == 403
    headers = api_headers(admin)
    no_source = client.put(
        "/api/v1/household-income", json={**figure, "source": ""}, headers=headers
    )
    assert no_source.status_code == 422 and "source" in no_source.json["errors"]
    saved = client.put("/api/v1/household-income", json=figure, headers=headers)
    assert saved.status_code == 200 and saved.json["amount"] == "38123.40"
    again = client.put(
        "/api/v1/household-income", json={**figure, "amount": "38200"}, headers=headers
    )
    assert again.status_code == 200
    assert db.session.query(HouseholdIncome).count() == 1
    body = client.get(f"/api/v1/indicators?year={year}", headers=headers).json
    income = next(i for i in body["indicators"] if i["code"] == "household_income")
    assert (income["value"], income["basis"]) == ("38200.00", "entered")
    assert "省统计局抽样调查" in income["takeaway"]
    auth.login(counselor)
    page = client.get("/employment/household-income").get_data(as_text=True)
    main = page.split("<main")[1]
    assert "38,200.00" in page and 'method="post"' not in main  # the filters only, no entry form
    assert client.post("/employment/household-income", data=figure).status_code == 403
    auth.login(admin)
    bad = client.post("/employment/household-income", data={**figure, "area_code": "110000"})
    assert bad.status_code == 422
