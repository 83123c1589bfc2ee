"""Enrolments: a graduate enrols themself, the workflow refuses invalid steps, seats are never overbooked."""

import threading
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core.database import ServiceError
from core.extensions import db
from core.models import AuditEvent, Person
from tests import factories
from tests.integration.test_training_support import make_course, make_provider
from training import services
from training.models import Course, Enrolment


@pytest.fixture
def graduates(app):
    """Two graduates of Xihu with their accounts."""
    one = factories.make_person(county="330106", name="毕业生甲", graduation_year=2025)
    two = factories.make_person(county="330106", name="毕业生乙", graduation_year=2025)
    return (
        (one, factories.make_user("graduate", username="grad_one", person_id=one.id)),
        (two, factories.make_user("graduate", username="grad_two", person_id=two.id)),
    )


def test_a_graduate_enrols_themself_on_the_web(client, auth, graduates):
    (person, user), _ = graduates
    course = make_course(title="直播带货入门")
    auth.login(user)
    response = client.post(f"/training/courses/{course.id}/enrol")
    assert response.status_code == 302 and response.headers["Location"].endswith("/training/my")
    page = client.get("/training/my").get_data(as_text=True)
    assert "直播带货入门" in page and "已报名" in page
    enrolment = db.session.scalar(select(Enrolment))
    assert (enrolment.person_id, enrolment.status) == (person.id, "applied")
    assert db.session.get(Course, course.id).seats_taken == 1
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.table_name == "enrolment"))
    assert (event.action, event.actor_name) == ("create", "grad_one")


def test_a_graduate_cannot_enrol_someone_else(client, auth, graduates):
    (_, user), (other, _) = graduates
    course = make_course()
    auth.login(user)
    client.post(f"/training/courses/{course.id}/enrol", data={"person_id": other.id})
    assert db.session.scalar(select(Enrolment.person_id)) == user.person_id


def test_a_graduate_enrols_through_the_api_and_sees_only_their_own(client, api_headers, graduates):
    (_, one), (_, two) = graduates
    course = make_course()
    mine = client.post(
        "/api/v1/enrolments", json={"course_id": course.id}, headers=api_headers(one)
    )
    theirs = client.post(
        "/api/v1/enrolments", json={"course_id": course.id}, headers=api_headers(two)
    )
    assert mine.status_code == theirs.status_code == 201
    assert mine.json["status"] == "applied" and mine.json["course_title"] == course.title
    headers = api_headers(one)
    listed = client.get("/api/v1/enrolments", headers=headers).json
    assert [e["id"] for e in listed] == [mine.json["id"]]
    other = client.get(f"/api/v1/enrolments/{theirs.json['id']}", headers=headers)
    missing = client.get("/api/v1/enrolments/999999", headers=headers)
    assert other.status_code == missing.status_code == 404
    assert other.json == missing.json
    refused = client.post(
        f"/api/v1/enrolments/{theirs.json['id']}/transitions",
        json={"action": "drop", "reason": "不想去"},
        headers=headers,
    )
    assert refused.status_code == 404


def test_enrolling_twice_or_in_a_full_or_started_course_is_refused(client, api_headers, graduates):
    (_, one), (_, two) = graduates
    headers = api_headers(one)
    course = make_course(seats=1)
    assert (
        client.post(
            "/api/v1/enrolments", json={"course_id": course.id}, headers=headers
        ).status_code
        == 201
    )
    again = client.post("/api/v1/enrolments", json={"course_id": course.id}, headers=headers)
    assert again.status_code == 409 and "course_id" in again.json["errors"]
    english = {**api_headers(two), "Accept-Language": "en"}
    full = client.post("/api/v1/enrolments", json={"course_id": course.id}, headers=english)
    assert full.status_code == 409
    assert full.json["errors"]["course_id"] == ["No seats are left on this course."]
    started = make_course(starts_on=date.today() - timedelta(days=1))
    response = client.post("/api/v1/enrolments", json={"course_id": started.id}, headers=headers)
    assert response.status_code == 409
    online = make_course(starts_on=date.today() - timedelta(days=1), mode="online")
    assert (
        client.post(
            "/api/v1/enrolments", json={"course_id": online.id}, headers=headers
        ).status_code
        == 201
    )


def test_the_workflow_and_its_refusals(client, api_headers, admin, graduates):
    (person, grad), _ = graduates
    course = make_course()
    enrolment = services.enrol(person, course)
    url = f"/api/v1/enrolments/{enrolment.id}/transitions"
    staff = {**api_headers(admin), "Accept-Language": "en"}
    refused = client.post(url, json={"action": "complete"}, headers=staff)
    assert refused.status_code == 409
    assert refused.json["errors"]["action"] == [
        "An enrolment that is “Applied” cannot be changed with “Mark as completed”. "
        "Possible now: Accept, Drop out."
    ]
    chinese = client.post(
        url, json={"action": "certify"}, headers={**staff, "Accept-Language": "zh"}
    )
    assert chinese.json["errors"]["action"] == [
        "状态为“已报名”的报名不能执行“登记取得证书”。当前可执行：录取、退出培训。"
    ]
    graduate_accepts = client.post(url, json={"action": "accept"}, headers=api_headers(grad))
    assert graduate_accepts.status_code == 403
    for action in ("accept", "attend"):
        assert client.post(url, json={"action": action}, headers=staff).json["status"] in (
            "accepted",
            "attending",
        )
    done = client.post(
        url, json={"action": "complete", "completed_on": date.today().isoformat()}, headers=staff
    )
    assert (
        done.json["status"] == "completed" and done.json["completed_on"] == date.today().isoformat()
    )
    cert = client.post(url, json={"action": "certify", "certificate_no": "ZJ-001"}, headers=staff)
    assert (cert.json["status"], cert.json["certificate"], cert.json["certificate_no"]) == (
        "certified",
        True,
        "ZJ-001",
    )
    assert (
        client.post(url, json={"action": "drop", "reason": "x"}, headers=staff).status_code == 409
    )
    assert [h["status"] for h in cert.json["history"]] == [
        "applied",
        "accepted",
        "attending",
        "completed",
        "certified",
    ]
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.table_name == "enrolment")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["create", "accept", "attend", "complete", "certify"]
    bad = client.post(url, json={"action": "finish"}, headers=staff)
    assert bad.status_code == 422 and "action" in bad.json["errors"]


def test_dropping_out_needs_a_reason_and_gives_the_seat_back(app, client, auth, graduates):
    (person, user), _ = graduates
    course = make_course(seats=1)
    enrolment = services.enrol(person, course)
    auth.login(user)
    url = f"/training/enrolments/{enrolment.id}/action"
    client.post(url, data={"action": "drop", "reason": "  "})
    assert db.session.get(Enrolment, enrolment.id).status == "applied"
    client.post(url, data={"action": "accept"})
    assert db.session.get(Enrolment, enrolment.id).status == "applied"
    client.post(url, data={"action": "drop", "reason": "找到工作了"})
    dropped = db.session.get(Enrolment, enrolment.id)
    assert (dropped.status, dropped.drop_reason) == ("dropped", "找到工作了")
    assert db.session.get(Course, course.id).seats_taken == 0
    with app.test_request_context(), pytest.raises(ServiceError) as refused:
        services.transition(dropped, "accept")
    assert refused.value.status == 409


def test_a_counselor_enrols_and_records_outcomes_in_their_county_only(client, auth, counselor):
    near = factories.make_person(county="330106", name="西湖学员")
    far = factories.make_person(county="330212", name="鄞州学员")
    course = make_course()
    auth.login(counselor)
    assert (
        client.post(f"/training/courses/{course.id}/enrol", data={"person_id": far.id}).status_code
        == 404
    )
    response = client.post(f"/training/courses/{course.id}/enrol", data={"person_id": near.id})
    assert response.status_code == 302
    far_enrolment = services.enrol(
        db.session.get(Person, far.id), db.session.get(Course, course.id)
    )
    page = client.get("/training/enrolments").get_data(as_text=True)
    assert "西湖学员" in page and "鄞州学员" not in page
    assert (
        client.post(
            f"/training/enrolments/{far_enrolment.id}/action", data={"action": "accept"}
        ).status_code
        == 404
    )
    near_enrolment = db.session.scalar(select(Enrolment).where(Enrolment.person_id == near.id))
    client.post(f"/training/enrolments/{near_enrolment.id}/action", data={"action": "accept"})
    assert db.session.get(Enrolment, near_enrolment.id).status == "accepted"


def _enrol_in_thread(app, person_id, course_id, barrier, outcomes):
    with app.test_request_context():
        person, course = db.session.get(Person, person_id), db.session.get(Course, course_id)
        barrier.wait()
        try:
            services.enrol(person, course)
            outcomes.append("ok")
        except ServiceError as error:
            outcomes.append(error.status)
        finally:
            db.session.remove()


def test_concurrent_enrolments_never_overbook(app, backend):
    seats, people = 3, 10
    course = make_course(seats=seats, provider=make_provider())
    person_ids = [factories.make_person(name=f"学员{i}").id for i in range(people)]
    course_id = course.id
    db.session.remove()
    barrier, outcomes = threading.Barrier(people), []
    threads = [
        threading.Thread(target=_enrol_in_thread, args=(app, pid, course_id, barrier, outcomes))
        for pid in person_ids
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes, key=str) == sorted(["ok"] * seats + [409] * (people - seats), key=str)
    assert db.session.get(Course, course_id).seats_taken == seats
    assert db.session.scalar(select(func.count(Enrolment.id))) == seats
