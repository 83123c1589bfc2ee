"""Issue #14: one set of county and consent rules for the web and the API, in the services."""

from datetime import date

from core.models import Person
from followup import services as followup_services
from followup.models import Plan
from tests import factories


def _person_form(person, **changes):
    form = {
        "name": person.name,
        "county_code": person.county_code,
        "education": "senior",
        "employment_type": "unemployed",
    }
    form.update(changes)
    return form


def test_a_counselor_cannot_move_a_person_to_another_county_by_api(
    client, db, api_headers, counselor
):
    person = factories.make_person(county="330106")
    response = client.patch(
        f"/api/v1/people/{person.id}",
        json={"county_code": "330212"},
        headers={**api_headers(counselor), "Accept-Language": "en"},
    )
    assert response.status_code == 403
    assert response.json["errors"]["county_code"] == [
        "You can move people only within your own county."
    ]
    assert db.session.get(Person, person.id).county_code == "330106"


def test_a_counselor_cannot_move_a_person_to_another_county_by_the_form(
    client, db, auth, counselor
):
    person = factories.make_person(county="330106")
    auth.login(counselor)
    response = client.post(
        f"/people/{person.id}/edit", data=_person_form(person, county_code="330212")
    )
    assert response.status_code == 422
    assert db.session.get(Person, person.id).county_code == "330106"


def test_a_counselor_may_still_edit_within_the_county_and_an_admin_may_move(
    client, db, api_headers, counselor, admin
):
    person = factories.make_person(county="330106")
    ok = client.patch(
        f"/api/v1/people/{person.id}", json={"name": "李四"}, headers=api_headers(counselor)
    )
    assert ok.status_code == 200
    moved = client.patch(
        f"/api/v1/people/{person.id}", json={"county_code": "330212"}, headers=api_headers(admin)
    )
    assert moved.status_code == 200
    assert db.session.get(Person, person.id).county_code == "330212"


def test_registration_records_who_witnessed_the_consent(client, db, api_headers, counselor):
    body = {
        "certificate_no": factories.certificate_number("330106"),
        "name": "王五",
        "county_code": "330106",
        "consent": True,
    }
    response = client.post("/api/v1/people", json=body, headers=api_headers(counselor))
    assert response.status_code == 201
    person = db.session.get(Person, response.json["id"])
    assert person.consent is True
    assert person.consent_method == "in_person"
    assert person.consent_recorded_by == counselor.id
    assert person.consent_at is not None


def test_consent_is_not_changed_through_an_update(client, db, api_headers, counselor, auth):
    person = factories.make_person(county="330106")
    given_at = person.consent_at
    response = client.patch(
        f"/api/v1/people/{person.id}",
        json={"consent": False, "name": "赵六"},
        headers=api_headers(counselor),
    )
    assert response.status_code == 200
    stored = db.session.get(Person, person.id)
    assert (stored.consent, stored.consent_at, stored.name) == (True, given_at, "赵六")
    auth.login(counselor)
    assert 'name="consent"' not in client.get(f"/people/{person.id}/edit").get_data(as_text=True)


def _plan():
    person = factories.make_person(county="330106")
    return followup_services.create_plan(person, {}, today=date(2025, 2, 17))


def test_a_plan_cannot_be_given_to_a_counselor_of_another_county_by_api(
    client, db, api_headers, counselor, other_counselor, admin
):
    plan = _plan()
    for caller in (counselor, admin):
        response = client.patch(
            f"/api/v1/plans/{plan.id}",
            json={"counselor_id": other_counselor.id},
            headers={**api_headers(caller), "Accept-Language": "en"},
        )
        assert response.status_code == 422
        assert response.json["errors"]["counselor_id"] == [
            "Choose a counselor of the person's county."
        ]
    assert db.session.get(Plan, plan.id).counselor_id == counselor.id


def test_a_plan_cannot_be_given_to_a_counselor_of_another_county_by_the_form(
    client, db, auth, admin, counselor, other_counselor
):
    plan = _plan()
    auth.login(admin)
    response = client.post(
        f"/followup/plans/{plan.id}",
        data={
            "counselor_id": other_counselor.id,
            "goals": "x",
            "cadence_days": 14,
            "status": "active",
        },
    )
    assert response.status_code == 422
    assert db.session.get(Plan, plan.id).counselor_id == counselor.id


def test_a_plan_may_go_to_another_counselor_of_the_county(client, db, api_headers, counselor):
    plan = _plan()
    colleague = factories.make_user("counselor", county_code="330106")
    response = client.patch(
        f"/api/v1/plans/{plan.id}",
        json={"counselor_id": colleague.id},
        headers=api_headers(counselor),
    )
    assert response.status_code == 200
    assert db.session.get(Plan, plan.id).counselor_id == colleague.id
