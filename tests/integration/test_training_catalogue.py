"""Providers and courses: validation, free-text skills, admin pages, the API, and who may do what."""

from datetime import date, timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import AuditEvent
from tests import factories
from tests.integration.test_training_support import credit_code, make_course, make_provider
from training.models import Course, Provider

START = date.today() + timedelta(days=20)


def _provider_json(**extra):
    return {
        "name": "温州助残职业培训学校",
        "credit_code": credit_code("330302"),
        "licence": "浙人社培00123",
        "county_code": "330302",
        "counties_served": ["330302", "330303"],
        "venue_accessibility": ["step_free", "braille"],
        **extra,
    }


def _course_json(provider_id, **extra):
    return {
        "provider_id": provider_id,
        "title": "直播电商实训",
        "skills": ["直播带货", "video editing", "livestream_operation"],
        "mode": "in_person",
        "county_code": "330302",
        "venue": "鹿城区残疾人之家",
        "starts_on": START.isoformat(),
        "ends_on": (START + timedelta(days=30)).isoformat(),
        "schedule": "周一至周五 9:00-12:00",
        "seats": 25,
        "accessibility": ["sign_language", "step_free"],
        "cost": "2400.00",
        **extra,
    }


def test_admin_registers_a_provider_and_a_course_through_the_api(client, api_headers, admin):
    headers = {**api_headers(admin), "Accept-Language": "en"}
    provider = client.post("/api/v1/providers", json=_provider_json(), headers=headers)
    assert provider.status_code == 201, provider.json
    assert provider.json["venue_accessibility"] == ["step_free", "braille"]
    course = client.post("/api/v1/courses", json=_course_json(provider.json["id"]), headers=headers)
    assert course.status_code == 201, course.json
    assert course.json["skills"] == ["livestream_selling", "video_editing", "livestream_operation"]
    assert (course.json["seats_left"], course.json["free_for_disabled"], course.json["cost"]) == (
        25,
        True,
        "2400.00",
    )
    again = client.post(
        "/api/v1/providers",
        json={**_provider_json(), "credit_code": provider.json["credit_code"]},
        headers=headers,
    )
    assert again.status_code == 409
    tables = set(
        db.session.scalars(select(AuditEvent.table_name).where(AuditEvent.action == "create"))
    )
    assert {"provider", "course"} <= tables


def test_bad_input_is_refused_field_by_field(client, api_headers, admin):
    headers = {**api_headers(admin), "Accept-Language": "en"}
    bad = client.post(
        "/api/v1/providers",
        json=_provider_json(
            credit_code="91330106MA0000001X", county_code="110101", venue_accessibility=["ramp"]
        ),
        headers=headers,
    )
    assert bad.status_code == 422
    assert set(bad.json["errors"]) == {"credit_code", "county_code", "venue_accessibility"}
    provider = make_provider()
    unknown = client.post(
        "/api/v1/courses", json=_course_json(provider.id, skills=["量子纠缠"]), headers=headers
    )
    assert unknown.status_code == 422
    assert unknown.json["errors"]["skills"] == ["Not in the skill vocabulary: 量子纠缠"]
    hybrid = client.post(
        "/api/v1/courses", json=_course_json(provider.id, mode="hybrid"), headers=headers
    )
    assert hybrid.status_code == 422 and set(hybrid.json["errors"]) == {"mode"}
    backwards = _course_json(provider.id, ends_on=(START - timedelta(days=1)).isoformat())
    response = client.post("/api/v1/courses", json=backwards, headers=headers)
    assert response.status_code == 422
    assert response.json["errors"] == {"ends_on": ["The course cannot end before it starts."]}
    costly = client.post(
        "/api/v1/courses", json=_course_json(provider.id, cost="-1"), headers=headers
    )
    assert costly.json["errors"] == {"cost": ["Enter an amount between 0 and 1,000,000 yuan."]}
    missing = client.post("/api/v1/courses", json=_course_json(99999), headers=headers)
    assert missing.status_code == 422 and "provider_id" in missing.json["errors"]


def test_seats_never_drop_below_those_taken(client, api_headers, admin, app):
    course = make_course(seats=5)
    course.seats_taken = 4
    db.session.commit()
    headers = api_headers(admin)
    refused = client.patch(f"/api/v1/courses/{course.id}", json={"seats": 3}, headers=headers)
    assert refused.status_code == 409
    assert (
        client.patch(f"/api/v1/courses/{course.id}", json={"seats": 4}, headers=headers).json[
            "seats_left"
        ]
        == 0
    )


def test_courses_are_public_and_searchable(client):
    hangzhou = make_course(
        title="电商客服班", skills=["ecommerce_customer_service"], accessibility=["screen_reader"]
    )
    make_course(title="面点班", skills=["dim_sum"], county_code="330212", mode="online")
    assert len(client.get("/api/v1/courses").json) == 2
    found = client.get("/api/v1/courses", query_string={"q": "网店客服"}).json
    assert [c["id"] for c in found] == [hangzhou.id]
    assert [c["title"] for c in client.get("/api/v1/courses?mode=online").json] == ["面点班"]
    accessible = client.get("/api/v1/courses", query_string={"accessibility": "screen_reader"}).json
    assert [c["title"] for c in accessible] == ["电商客服班"]
    assert client.get("/api/v1/courses?mode=teleport").status_code == 422
    assert (
        client.get(f"/api/v1/courses/{hangzhou.id}").json["provider_name"] == hangzhou.provider.name
    )
    assert client.get("/api/v1/courses/99999").status_code == 404
    assert client.get(f"/training/courses/{hangzhou.id}").status_code == 200
    assert len(client.get("/api/v1/providers").json) == 2


def test_admin_pages_manage_providers_and_courses(client, auth, admin):
    auth.login(admin)
    for path in (
        "/training/admin",
        "/training/admin/providers",
        "/training/admin/courses",
        "/training/admin/providers/new",
        "/training/admin/courses/new",
        "/training/enrolments",
    ):
        assert client.get(path).status_code == 200, path
    form = {**_provider_json(), "counties_served": ["330302", "330303"], "active": "1"}
    response = client.post("/training/admin/providers/new", data=form)
    assert response.status_code == 302
    provider = db.session.scalar(select(Provider))
    assert provider.counties_served == ["330302", "330303"] and provider.venue_accessibility == [
        "step_free",
        "braille",
    ]
    invalid = client.post("/training/admin/providers/new", data={**form, "credit_code": "123"})
    assert invalid.status_code == 422 and 'class="error-summary"' in invalid.get_data(as_text=True)
    course_form = {
        **_course_json(provider.id),
        "skills": "直播带货、短视频剪辑",
        "free_for_disabled": "1",
        "status": "open",
    }
    response = client.post("/training/admin/courses/new", data=course_form)
    assert response.status_code == 302, response.get_data(as_text=True)[:2000]
    course = db.session.scalar(select(Course))
    assert course.skills == ["livestream_selling", "video_editing"]
    assert course.accessibility == ["sign_language", "step_free"]
    edit = client.get(f"/training/admin/courses/{course.id}/edit").get_data(as_text=True)
    assert "直播带货、视频剪辑" in edit
    client.post(
        f"/training/admin/courses/{course.id}/edit",
        data={**course_form, "seats": "30", "skills": "视频剪辑"},
    )
    changed = db.session.get(Course, course.id)
    assert (changed.seats, changed.skills) == (30, ["video_editing"])
    client.post(
        f"/training/admin/providers/{provider.id}/edit", data={**form, "name": "温州新名称学校"}
    )
    assert db.session.get(Provider, provider.id).name == "温州新名称学校"


def test_access_rules_per_role(client, auth, api_headers, counselor):
    employer = factories.make_user(
        "employer", username="emp_t", employer_id=factories.make_employer().id
    )
    person = factories.make_person()
    graduate = factories.make_user("graduate", username="grad_t", person_id=person.id)
    provider = make_provider()
    admin_only = ["/training/admin", "/training/admin/providers", "/training/admin/courses/new"]
    for path in admin_only + ["/training/enrolments", "/training/my"]:
        assert client.get(path).status_code == 302, path  # to the login page
    for path in ("/training/notice", "/training/notice.csv", "/training/notice.xlsx"):
        assert client.get(path).status_code == 200, path
    for user, allowed in (
        (counselor, ["/training/enrolments"]),
        (graduate, ["/training/my"]),
        (employer, []),
    ):
        auth.login(user)
        for path in admin_only:
            assert client.get(path).status_code == 403, (user.role, path)
        for path in allowed:
            assert client.get(path).status_code == 200, (user.role, path)
        auth.logout()
    for user in (counselor, graduate, employer):
        headers = api_headers(user)
        assert (
            client.post("/api/v1/providers", json=_provider_json(), headers=headers).status_code
            == 403
        )
        assert (
            client.patch(
                f"/api/v1/providers/{provider.id}", json={"name": "x改名"}, headers=headers
            ).status_code
            == 403
        )
    assert client.get("/api/v1/enrolments", headers=api_headers(employer)).status_code == 403
    assert client.get("/api/v1/enrolments").status_code == 401
    assert (
        client.get(
            f"/api/v1/seekers/{person.id}/courses", headers=api_headers(employer)
        ).status_code
        == 403
    )
