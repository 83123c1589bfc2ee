"""Self-employment support through the API and the pages: decisions as conditional updates (409),
follow-ups, the county limit, and the survival indicator."""

from datetime import date

from core.extensions import db
from employment import services
from employment.models import StartupApplication, StartupFollowUp
from tests import factories

APPLICATION = {"business_name": "巧手编织工作室", "business_plan": "开设手工编织网店，招收两名残疾学员。",
               "amount_requested": "20000"}  # fmt: skip


def test_apply_decide_once_and_follow_up(client, api_headers, counselor, other_counselor):
    person = factories.make_person()
    headers = api_headers(counselor)
    created = client.post(
        "/api/v1/startups", json={**APPLICATION, "person_id": person.id}, headers=headers
    )
    assert created.status_code == 201, created.json
    twice = client.post(
        "/api/v1/startups", json={**APPLICATION, "person_id": person.id}, headers=headers
    )
    assert twice.status_code == 409
    url = f"/api/v1/startups/{created.json['id']}/decision"
    far = api_headers(other_counselor)
    assert client.post(url, json={"decision": "approved"}, headers=far).status_code == 404
    missing = client.post(url, json={"decision": "approved"}, headers=headers)
    assert missing.status_code == 422 and "business_started_on" in missing.json["errors"]
    started = date(date.today().year - 1, 1, 15)
    approve = {"decision": "approved", "amount_granted": "15000",
               "business_started_on": started.isoformat()}  # fmt: skip
    decided = client.post(url, json=approve, headers=headers)
    assert decided.status_code == 200 and decided.json["status"] == "approved"
    assert [f["milestone"] for f in decided.json["follow_ups"]] == [12, 36]
    again = client.post(url, json={"decision": "rejected", "reason": "重复"}, headers=headers)
    assert again.status_code == 409 and "status" in again.json["errors"]
    assert db.session.get(StartupApplication, created.json["id"]).status == "approved"
    follow_up = decided.json["follow_ups"][0]
    assert follow_up["due_on"] == date(started.year + 1, 1, 15).isoformat()
    checked = client.put(
        f"/api/v1/startup-follow-ups/{follow_up['id']}",
        json={"checked_on": date.today().isoformat(), "operating": "yes"},
        headers=headers,
    )
    assert checked.status_code == 200 and checked.json["operating"] is True
    no_answer = client.put(
        f"/api/v1/startup-follow-ups/{follow_up['id']}",
        json={"checked_on": date.today().isoformat()},
        headers=headers,
    )
    assert no_answer.status_code == 422 and "operating" in no_answer.json["errors"]
    figures = {i.code: i for i in services.indicator_report(started.year + 1, "330106").indicators}
    survival = figures["startup_survival"]
    assert (survival.numerator, survival.denominator) == (1, 1)


def test_a_rejection_needs_a_reason(client, api_headers, counselor):
    person = factories.make_person()
    headers = api_headers(counselor)
    created = client.post(
        "/api/v1/startups", json={**APPLICATION, "person_id": person.id}, headers=headers
    ).json
    url = f"/api/v1/startups/{created['id']}/decision"
    assert client.post(url, json={"decision": "rejected"}, headers=headers).status_code == 422
    done = client.post(url, json={"decision": "rejected", "reason": "计划不完整"}, headers=headers)
    assert done.status_code == 200 and done.json["follow_ups"] == []
    assert db.session.query(StartupFollowUp).count() == 0


def test_the_pages(client, auth, counselor):
    person = factories.make_person(name="创业者")
    auth.login(counselor)
    assert client.get("/employment/startups").status_code == 200
    assert (
        client.post("/employment/startups", data={"person_id": str(person.id)}).status_code == 422
    )
    filed = client.post("/employment/startups", data={**APPLICATION, "person_id": str(person.id)})
    assert filed.status_code == 302
    page = filed.headers["Location"]
    html = client.get(page).get_data(as_text=True)
    assert "巧手编织工作室" in html and html.count("<h1>") == 1
    decided = client.post(
        page + "/decision",
        data={"decision": "approved", "amount_granted": "8000",
              "business_started_on": date.today().isoformat()},
    )  # fmt: skip
    assert decided.status_code == 302
    html = client.get(page + "?lang=en").get_data(as_text=True)
    assert "12 months" in html and "36 months" in html
    assert (
        client.post(page + "/decision", data={"decision": "rejected", "reason": "x"}).status_code
        == 409
    )
