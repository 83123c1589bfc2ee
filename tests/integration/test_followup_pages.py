"""Pages and API of follow-ups: who sees what, inbox read marks, dead-letter retry, heartbeat page."""

from datetime import date

import pytest

from core.models import Message
from followup import services
from tests import factories


@pytest.fixture
def plan(app, counselor):
    person = factories.make_person(graduation_year=2025, name="李四")
    return services.create_plan(person, {"goals": "找到工作"}, today=date(2025, 2, 17))


@pytest.fixture
def graduate_user(plan):
    return factories.make_user("graduate", username="grad_t", person_id=plan.person_id)


def add_message(db, plan, status="sent", channel="in_app", key="k1"):
    message = Message(
        idempotency_key=key,
        person_id=plan.person_id,
        plan_id=plan.id,
        channel=channel,
        kind="cadence",
        body="您好：就业服务员想了解您的情况。",
        status=status,
    )
    db.session.add(message)
    db.session.commit()
    return message


def test_graduate_sees_own_plan_and_inbox_and_marks_read(client, auth, db, plan, graduate_user):
    message = add_message(db, plan)
    auth.login(graduate_user)
    page = client.get("/my/plan").get_data(as_text=True)
    assert "找到工作" in page and "您好" in page and page.count("<h1") == 1
    assert "我的帮扶计划" in page  # Chinese first
    assert client.post(f"/my/messages/{message.id}/read").status_code == 302
    db.session.refresh(message)
    assert message.read_at is not None


def test_a_graduate_cannot_see_another_plan_or_message(client, auth, api_headers, db, plan):
    other = factories.make_person(graduation_year=2025)
    other_plan = services.create_plan(other, {}, today=date(2025, 2, 17))
    foreign = add_message(db, other_plan, key="k2")
    mine = factories.make_user("graduate", username="grad_o", person_id=plan.person_id)
    headers = api_headers(mine)
    assert client.get(f"/api/v1/plans/{other_plan.id}", headers=headers).status_code == 404
    assert client.post(f"/api/v1/messages/{foreign.id}/read", headers=headers).status_code == 404
    assert client.get("/api/v1/messages", headers=headers).json == []
    assert [p["id"] for p in client.get("/api/v1/plans", headers=headers).json] == [plan.id]
    auth.login(mine)
    assert client.get(f"/followup/plans/{other_plan.id}").status_code == 404
    assert client.get("/followup/plans").status_code == 403


def test_counselor_pages_and_edits(client, auth, db, plan, counselor, other_counselor):
    dead = add_message(db, plan, status="dead", channel="email", key="k3")
    auth.login(counselor)
    assert "李四" in client.get("/followup/plans").get_data(as_text=True)
    assert "李四" in client.get("/followup/overdue").get_data(as_text=True)
    assert "李四" in client.get("/followup/dead-letters").get_data(as_text=True)
    # the lists filter, sort and page through the URL (core.listing)
    assert "李四" not in client.get("/followup/dead-letters?channel=sms").get_data(as_text=True)
    assert "李四" in client.get("/followup/plans?q=李&sort=-due").get_data(as_text=True)
    assert "李四" not in client.get("/followup/plans?status=closed").get_data(as_text=True)
    assert client.get("/followup/plans?due_by=soon").status_code == 400
    response = client.post(
        f"/followup/plans/{plan.id}",
        data={"cadence_days": "7", "goals": "新目标", "status": "active"},
    )
    assert response.status_code == 302
    assert (
        client.post(
            f"/followup/plans/{plan.id}", data={"cadence_days": "500", "status": "active"}
        ).status_code
        == 422
    )
    response = client.post(
        f"/followup/plans/{plan.id}/actions",
        data={"kind": "training", "description": "培训", "due_on": "2025-03-10"},
    )
    assert response.status_code == 302 and len(plan.actions) == 1
    assert client.post(f"/followup/actions/{plan.actions[0].id}/done").status_code == 302
    assert client.post(f"/followup/messages/{dead.id}/retry").status_code == 302
    db.session.refresh(dead)
    assert dead.status == "pending"
    auth.logout()
    auth.login(other_counselor)
    assert client.get(f"/followup/plans/{plan.id}").status_code == 404
    assert "李四" not in client.get("/followup/dead-letters").get_data(as_text=True)


def test_api_plans_actions_messages(client, api_headers, db, plan, counselor):
    headers = api_headers(counselor)
    body = client.patch(f"/api/v1/plans/{plan.id}", json={"cadence_days": 10}, headers=headers).json
    assert body["cadence_days"] == 10
    assert (
        client.patch(
            f"/api/v1/plans/{plan.id}", json={"cadence_days": 0}, headers=headers
        ).status_code
        == 422
    )
    action = client.post(
        f"/api/v1/plans/{plan.id}/actions", json={"kind": "referral"}, headers=headers
    )
    assert action.status_code == 201
    done = client.patch(
        f"/api/v1/actions/{action.json['id']}", json={"status": "done"}, headers=headers
    )
    assert done.json["done_on"] is not None
    add_message(db, plan, status="dead", channel="email", key="k4")
    dead = client.get("/api/v1/messages?status=dead", headers=headers).json
    assert len(dead) == 1
    retried = client.post(f"/api/v1/messages/{dead[0]['id']}/retry", headers=headers)
    assert retried.json["status"] == "pending"
    assert (
        client.post(f"/api/v1/messages/{dead[0]['id']}/retry", headers=headers).status_code == 409
    )
    assert (
        client.post(
            "/api/v1/plans", json={"person_id": plan.person_id}, headers=headers
        ).status_code
        == 409
    )
    assert client.get("/api/v1/plans").status_code == 401


def test_admin_sees_the_scheduler_heartbeat(client, auth, admin, counselor):
    from core.models import utcnow
    from core.scheduler import acquire_lease, beat

    assert acquire_lease("host:1:abc", 60)
    assert not acquire_lease("host:2:def", 60)  # a second process stays idle
    beat("host:1:abc", True, utcnow())
    auth.login(admin)
    page = client.get("/admin/scheduler").get_data(as_text=True)
    assert "host:1:abc" in page
    auth.logout()
    auth.login(counselor)
    assert client.get("/admin/scheduler").status_code == 403


def test_person_page_links_to_the_plan(client, auth, plan, counselor):
    auth.login(counselor)
    page = client.get(f"/people/{plan.person_id}").get_data(as_text=True)
    assert f"/followup/plans/{plan.id}" in page
