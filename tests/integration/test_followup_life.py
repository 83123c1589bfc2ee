"""Plans that follow life: a hire switches the plan to retention check-ins at once, a correction of
the outcome switches it back; referral outcomes are corrected with a reason (409 if two at once)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from core.models import AuditEvent, Message, Person
from followup import services
from followup.models import Plan
from followup.timing import RETENTION_GOAL
from jobmatch.interface import recorded_hires
from jobmatch.models import Referral
from jobmatch.services import learning, referrals
from tests import factories
from tests.integration.jobmatch_helpers import make_post, make_referral

JOB_GOAL = "找到一份适合的全职工作；完成一门职业技能培训。"


@pytest.fixture
def world(app, db, counselor):
    person = factories.make_person(graduation_year=2026, name="王五")
    plan = services.create_plan(person, {"goals": JOB_GOAL, "counselor_id": counselor.id})
    post = make_post(factories.make_employer(), positions=1)
    referral = make_referral(person, post, status="referred", counselor_id=counselor.id)
    pending = Message(
        idempotency_key=f"followup:{plan.id}:x:in_app",
        person_id=person.id,
        plan_id=plan.id,
        channel="in_app",
        kind="cadence",
        body="您好",
        status="pending",
    )
    db.session.add(pending)
    db.session.commit()
    return {"person": person, "plan": plan, "post": post, "referral": referral, "msg": pending}


def test_a_hire_switches_the_plan_to_retention_at_once(db, world, counselor):
    plan, msg = world["plan"], world["msg"]
    due_before = plan.next_due_on
    assert plan.next_kind == "cadence"
    referrals.record_outcome(counselor, world["referral"], "hired")
    db.session.refresh(plan)
    db.session.refresh(msg)
    assert plan.employed_on == date.today()
    assert plan.next_kind == "retention_1m"
    assert plan.goals == RETENTION_GOAL and plan.previous_goals == JOB_GOAL
    assert (plan.phase_reason, plan.cancelled_kind) == ("hired_referral", "cadence")
    assert plan.cancelled_due_on == due_before
    assert msg.status == "cancelled" and "hired_referral" in msg.last_error
    phase = db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "phase", AuditEvent.row_id == str(plan.id))
    )
    assert phase is not None


def test_the_plan_and_graduate_pages_show_the_switch(client, auth, db, world, counselor):
    referrals.record_outcome(counselor, world["referral"], "hired")
    auth.login(counselor)
    page = client.get(f"/followup/plans/{world['plan'].id}").get_data(as_text=True)
    assert "计划已转为在岗回访" in page and "已取消" in page and "全职工作" not in page
    person_page = client.get(f"/people/{world['person'].id}").get_data(as_text=True)
    assert "计划已转为在岗回访" in person_page
    graduate = factories.make_user("graduate", person_id=world["person"].id)
    auth.login(graduate)
    mine = client.get("/my/plan").get_data(as_text=True)
    assert "计划已转为在岗回访" in mine and "全职工作" not in mine
    english = client.get("/my/plan?lang=en").get_data(as_text=True)
    assert "Keep the job" in english and "retention check-ins" in english


def test_correcting_a_hire_away_undoes_it_everywhere(client, auth, db, world, counselor):
    referral, plan, post = world["referral"], world["plan"], world["post"]
    referrals.record_outcome(counselor, referral, "hired")
    assert (world["person"].id, "full_time") in recorded_hires(("full_time",))
    auth.login(counselor)
    response = client.post(
        f"/jobmatch/referrals/{referral.id}/correction",
        data={"expected": "hired", "status": "not_hired", "reason": "录入错误，实际未录用"},
    )
    assert response.status_code == 302
    db.session.expire_all()
    referral, plan, post = (db.session.get(type(o), o.id) for o in (referral, plan, post))
    person = db.session.get(Person, world["person"].id)
    assert referral.status == "not_hired" and referral.outcome_at is not None
    assert referral.history[-1]["corrected_from"] == "hired"
    assert referral.history[-1]["reason"] == "录入错误，实际未录用"
    assert person.employment_type == "unemployed" and person.employed_since is None
    assert post.filled == 0 and post.status == "open"
    assert plan.employed_on is None and plan.next_kind == "cadence"
    assert plan.goals == JOB_GOAL and plan.phase_reason == "hire_corrected"
    assert (person.id, "full_time") not in recorded_hires(("full_time",))  # indicators follow
    assert [o.hired for o in learning.outcomes()] == [False]  # and the learning data
    event = db.session.scalar(
        select(AuditEvent).where(
            AuditEvent.action == "correct", AuditEvent.row_id == str(referral.id)
        )
    )
    assert event.old["status"] == "hired" and event.new["status"] == "not_hired"
    page = client.get(f"/jobmatch/referrals/{referral.id}").get_data(as_text=True)
    assert "由“已录用”更正为“未录用”" in page and "录入错误" in page


def test_two_corrections_at_once_the_second_answers_409(
    client, auth, api_headers, world, counselor
):
    referral = world["referral"]
    referrals.record_outcome(counselor, referral, "hired")
    headers = api_headers(counselor)
    body = {"expected": "hired", "status": "declined", "reason": "本人放弃"}
    first = client.post(f"/api/v1/referrals/{referral.id}/correction", json=body, headers=headers)
    assert first.status_code == 200 and first.json["status"] == "declined"
    second = client.post(f"/api/v1/referrals/{referral.id}/correction", json=body, headers=headers)
    assert second.status_code == 409 and "status" in second.json["errors"]
    plan = client.get(f"/api/v1/plans/{world['plan'].id}", headers=headers).json
    assert (plan["phase_reason"], plan["next_kind"]) == ("hire_corrected", "cadence")


def test_a_correction_needs_a_reason_and_the_county(
    client, auth, api_headers, world, counselor, other_counselor
):
    referral = world["referral"]
    referrals.record_outcome(counselor, referral, "interviewed")
    auth.login(counselor)
    page = client.post(
        f"/jobmatch/referrals/{referral.id}/correction",
        data={"expected": "interviewed", "status": "hired", "reason": ""},
    )
    assert page.status_code == 422 and "更正的原因" in page.get_data(as_text=True)
    client.get("/lang/en")
    english = client.post(
        f"/jobmatch/referrals/{referral.id}/correction",
        data={"expected": "interviewed", "status": "hired"},
    ).get_data(as_text=True)
    assert '<a href="#field-correct_reason">Give the reason for the correction.</a>' in english
    far = api_headers(other_counselor)
    body = {"expected": "interviewed", "status": "hired", "reason": "x"}
    url = f"/api/v1/referrals/{referral.id}/correction"
    assert client.post(url, json=body, headers=far).status_code == 404
    graduate = factories.make_user("graduate", person_id=world["person"].id)
    assert client.post(url, json=body, headers=api_headers(graduate)).status_code == 403


def test_a_correction_to_hired_employs_and_switches_the_plan(db, world, counselor):
    referrals.record_outcome(counselor, world["referral"], "not_hired", "不合适")
    referrals.correct_outcome(counselor, world["referral"], "not_hired", "hired", "复核后已录用")
    plan = db.session.get(Plan, world["plan"].id)
    assert world["person"].employment_type == "full_time" and plan.next_kind == "retention_1m"
    referrals.correct_outcome(counselor, world["referral"], "hired", "referred", "撤回")
    assert world["person"].employment_type == "unemployed"
    assert db.session.get(Plan, plan.id).next_kind == "cadence"


def test_recognised_work_switches_the_plan(db, world, counselor):
    from employment import recognition

    data = {
        "kind": "flexible",
        "work_started_on": date.today() - timedelta(days=40),
        "evidence_text": "网店经营三个月",
    }
    application = recognition.apply(counselor, world["person"], data)
    recognition.approve(counselor, application, "材料齐全")
    plan = db.session.get(Plan, world["plan"].id)
    assert plan.phase_reason == "employment_recognised"
    assert plan.employed_on == data["work_started_on"] and plan.next_kind == "retention_1m"


def test_demo_graduate1_once_hired_no_longer_shows_find_a_full_time_job(client, auth, db):
    from core.cli import seed_demo_data
    from core.models import User

    seed_demo_data()
    graduate = db.session.scalar(select(User).where(User.username == "graduate1"))
    plan = services.plan_of_person(graduate.person_id)
    assert "全职工作" in plan.goals
    referral = db.session.scalar(
        select(Referral).where(
            Referral.person_id == graduate.person_id, Referral.status == "referred"
        )
    )
    counselor = db.session.get(User, referral.counselor_id)
    referral.post.positions = referral.post.filled + 1  # a seat for the hire
    db.session.commit()
    referrals.record_outcome(counselor, referral, "hired")
    from core.demo import DEMO_PASSWORD

    auth.login(graduate, DEMO_PASSWORD)
    page = client.get("/my/plan").get_data(as_text=True)
    assert "全职工作" not in page and "上岗后第1、3、6个月回访" in page


def test_a_status_edited_on_the_person_record_switches_the_plan_at_once(db, world, counselor):
    from core import services as registry

    person = world["person"]
    registry.update_person(
        person, {"employment_type": "full_time", "employed_since": date.today()}, counselor
    )
    plan = db.session.get(Plan, world["plan"].id)
    assert plan.phase_reason == "status_edited" and plan.next_kind == "retention_1m"
    assert plan.goals == RETENTION_GOAL
    registry.update_person(person, {"employment_type": "unemployed"}, counselor)
    plan = db.session.get(Plan, world["plan"].id)
    assert plan.next_kind == "cadence" and plan.goals == JOB_GOAL
