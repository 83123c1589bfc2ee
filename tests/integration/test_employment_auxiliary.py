"""Auxiliary employment through the API and the pages, with the county limit and the indicator."""

from datetime import date

from core.extensions import db
from employment import services
from employment.models import AuxiliaryMonth
from tests import factories

YEAR = date.today().year
CENTRE = {"name": "西湖区阳光家园", "operator": "西湖区残联", "county_code": "330106",
          "opened_on": f"{YEAR - 1}-03-01"}  # fmt: skip


def test_centre_participants_months_subsidy_and_indicator(
    client, api_headers, admin, counselor, other_counselor
):
    intellectual = factories.make_person(category=5, level=3)
    physical = factories.make_person(category=4, level=3)
    far_person = factories.make_person("330212", category=6, level=2)
    headers = api_headers(counselor)
    centre = client.post("/api/v1/auxiliary-centres", json=CENTRE, headers=headers)
    assert centre.status_code == 201, centre.json
    url = f"/api/v1/auxiliary-centres/{centre.json['id']}"
    joined = {"joined_on": f"{YEAR}-01-01"}
    refused = client.post(
        f"{url}/participants?lang=en", json={"person_id": physical.id, **joined}, headers=headers
    )
    assert refused.status_code == 422 and "severe" in refused.json["errors"]["person_id"][0]
    hidden = client.post(
        f"{url}/participants", json={"person_id": far_person.id, **joined}, headers=headers
    )
    assert hidden.status_code == 404  # another county's person
    participant = client.post(
        f"{url}/participants", json={"person_id": intellectual.id, **joined}, headers=headers
    )
    assert participant.status_code == 201
    again = client.post(
        f"{url}/participants", json={"person_id": intellectual.id, **joined}, headers=headers
    )
    assert again.status_code == 409
    months = f"/api/v1/auxiliary-participants/{participant.json['id']}/months"
    body = {"month": f"{YEAR}-01", "hours": "64", "earnings": "820.50"}
    assert client.put(months, json=body, headers=headers).status_code == 200
    corrected = client.put(months, json={**body, "hours": "66"}, headers=headers)
    assert corrected.status_code == 200 and corrected.json["hours"] == "66.00"
    assert db.session.query(AuxiliaryMonth).count() == 1
    assert client.put(months, json={**body, "hours": "-1"}, headers=headers).status_code == 422
    assert (
        client.put(months, json={**body, "month": f"{YEAR - 1}-12"}, headers=headers).status_code
        == 422
    )  # before joining
    year = client.get(f"{url}/year?year={YEAR}", headers=headers).json
    assert (year["participants"], year["earnings"], year["subsidy"]) == (1, "820.50", None)
    subsidy = {"year": YEAR, "amount": "3600", "source": "县残联辅助性就业扶持办法"}
    assert (
        client.put("/api/v1/auxiliary-subsidies", json=subsidy, headers=headers).status_code == 403
    )
    admin_headers = api_headers(admin)
    assert (
        client.put("/api/v1/auxiliary-subsidies", json=subsidy, headers=admin_headers).status_code
        == 200
    )
    assert client.get(f"{url}/year?year={YEAR}", headers=headers).json["subsidy"] == "3600.00"
    far = api_headers(other_counselor)
    assert client.get(f"{url}/year?year={YEAR}", headers=far).status_code == 404
    assert client.put(months, json=body, headers=far).status_code == 404
    figures = {i.code: i for i in services.indicator_report(YEAR, "330100").indicators}
    assert figures["auxiliary_participants"].value == 1
    report = services.indicator_report(YEAR, "330100")
    by_county = {code: {i.code: i for i in ind} for code, ind in report.breakdown}
    assert by_county["330106"]["auxiliary_participants"].value == 1
    assert by_county["330102"]["auxiliary_participants"].value == 0


def test_the_pages(client, auth, counselor):
    person = factories.make_person(category=6, level=3, name="辅助就业学员")
    auth.login(counselor)
    assert client.get("/employment/auxiliary").status_code == 200
    assert client.post("/employment/auxiliary", data={"name": ""}).status_code == 422
    created = client.post("/employment/auxiliary", data=CENTRE)
    assert created.status_code == 302
    page = created.headers["Location"]
    enrolled = client.post(
        page + "/participants", data={"person_id": str(person.id), "joined_on": f"{YEAR}-01-01"}
    )
    assert enrolled.status_code == 302
    html = client.get(page).get_data(as_text=True)
    assert "辅助就业学员" in html and html.count("<h1>") == 1
    participant_id = (
        html.split('name="participant_id"')[1].split('<option value="')[2].split('"')[0]
    )
    recorded = client.post(
        page + "/months",
        data={
            "participant_id": participant_id,
            "month": f"{YEAR}-01",
            "hours": "40",
            "earnings": "300",
        },
    )
    assert recorded.status_code == 302
    html = client.get(page + "?lang=en").get_data(as_text=True)
    assert "300.00" in html
