"""Plans, due follow-ups into the outbox, and delivery in process with a real SMTP server."""

from datetime import date, datetime

import pytest
from sqlalchemy import func, select

from core import outbox
from core import services as core_services
from core.models import AuditEvent, Message
from followup import services
from followup.models import Plan
from tests import factories
from tests.integration.test_scheduler_processes import SmtpSink, free_port

MONDAY = datetime(2025, 3, 3, 3, 0)  # 11:00 in Shanghai


@pytest.fixture
def smtp(app):
    sink = SmtpSink(free_port()).start()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=sink.port, OUTBOX_RETRY_BASE_SECONDS=0)
    yield sink
    sink.stop()
    app.config.update(SMTP_HOST="")


def graduate(counselor=None, **fields):
    person = factories.make_person(graduation_year=2025, email="grad@example.org", **fields)
    return person, services.create_plan(person, {}, today=date(2025, 2, 17))


def messages(db, **where):
    stmt = select(Message).filter_by(**where).order_by(Message.id)
    return list(db.session.scalars(stmt))


def test_new_graduates_get_a_plan_with_their_county_counselor(db, counselor):
    wants = factories.make_person(graduation_year=2025)
    factories.make_person(graduation_year=2025, wish_to_work=False)
    factories.make_person()  # not a graduate
    far = factories.make_person(county="330212", graduation_year=2024)
    assert services.create_missing_plans(date(2025, 3, 3)) == 2
    assert services.create_missing_plans(date(2025, 3, 3)) == 0
    plan = services.plan_of_person(wants.id)
    assert plan.counselor_id == counselor.id and plan.next_due_on == date(2025, 3, 17)
    assert services.plan_of_person(far.id).counselor_id is None
    audited = db.session.scalar(
        select(func.count()).where(AuditEvent.table_name == "plan", AuditEvent.action == "create")
    )
    assert audited == 2


def test_a_due_follow_up_is_written_once_with_the_next_date(db, smtp, counselor):
    person, plan = graduate(phone="13800000000")
    assert plan.next_due_on == date(2025, 3, 3)
    assert services.make_due_follow_ups(MONDAY) == 2  # in-app and e-mail (no SMS gateway)
    assert services.make_due_follow_ups(MONDAY) == 0  # the plan moved on; nothing twice
    db.session.refresh(plan)
    assert (plan.last_follow_up_on, plan.next_due_on) == (date(2025, 3, 3), date(2025, 3, 17))
    keys = {m.idempotency_key for m in messages(db)}
    assert keys == {
        f"followup:{plan.id}:2025-03-03:in_app",
        f"followup:{plan.id}:2025-03-03:email",
    }
    assert all(m.next_attempt_at == MONDAY and "3301" not in m.body for m in messages(db))
    counts = outbox.deliver_due("test")
    assert counts["sent"] == 2 and smtp.keys == [f"followup:{plan.id}:2025-03-03:email"]
    assert outbox.deliver_due("test") == {}


def test_no_follow_ups_on_a_holiday_and_quiet_hours_wait_for_morning(db, counselor):
    _person, plan = graduate()
    national_day = datetime(2025, 10, 1, 3, 0)
    plan.next_due_on = date(2025, 10, 1)
    db.session.commit()
    assert services.make_due_follow_ups(national_day) == 0
    late = datetime(2025, 3, 3, 14, 0)  # 22:00 in Shanghai
    assert services.send_time(late) == datetime(2025, 3, 4, 0, 0)  # 08:00 the next morning


def test_marked_employed_while_pending_it_is_not_sent(db, smtp, counselor):
    person, plan = graduate()
    services.make_due_follow_ups(MONDAY)
    core_services.update_person(person, {"employment_type": "full_time"})
    # the edit switches the plan at once: its pending job-search messages are cancelled with it
    assert {m.status for m in messages(db)} == {"cancelled"}
    assert {m.last_error for m in messages(db)} == {"plan switched: status_edited"}
    assert outbox.deliver_due("test")["cancelled"] == 0 and smtp.keys == []


def test_employed_by_any_other_path_the_outbox_still_does_not_send(db, smtp, counselor):
    person, plan = graduate()
    services.make_due_follow_ups(MONDAY)
    person.employment_type = "full_time"  # not through the services (an import, a script)
    db.session.commit()
    counts = outbox.deliver_due("test")
    assert counts["cancelled"] == 2 and smtp.keys == []
    assert {m.status for m in messages(db)} == {"cancelled"}
    assert {m.last_error for m in messages(db)} == {"employed"}


def test_retention_check_ins_still_go_out_after_employment(db, smtp, counselor):
    person, plan = graduate()
    core_services.update_person(
        person, {"employment_type": "full_time", "employed_since": date(2025, 1, 31)}
    )
    plan.next_due_on = date(2025, 3, 3)
    db.session.commit()
    assert services.make_due_follow_ups(MONDAY) == 2
    assert {m.kind for m in messages(db)} == {"retention_1m"}
    assert outbox.deliver_due("test")["sent"] == 2 and len(smtp.keys) == 1
    db.session.refresh(plan)
    assert plan.next_kind == "retention_3m"


def test_smtp_refusal_is_a_dead_letter_and_outage_a_retry(db, app, counselor):
    _person, plan = graduate()
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=free_port(), OUTBOX_RETRY_BASE_SECONDS=60)
    try:
        services.make_due_follow_ups(MONDAY)
        assert outbox.deliver_due("test")["retry"] == 1
        email = messages(db, channel="email")[0]
        assert email.status == "pending" and email.attempts == 1 and email.next_attempt_at > MONDAY
        assert email.last_error.startswith("connection")
        db.session.rollback()
        email.status, email.next_attempt_at = "pending", datetime(2025, 1, 1)
        app.config.update(OUTBOX_MAX_ATTEMPTS=2)
        db.session.commit()
        assert outbox.deliver_due("test")["dead"] == 1
    finally:
        app.config.update(SMTP_HOST="", OUTBOX_MAX_ATTEMPTS=10)
    dead = messages(db, status="dead")
    assert len(dead) == 1
    services.retry_dead_letter(dead[0])
    assert dead[0].status == "pending" and dead[0].attempts == 0
    assert db.session.scalar(select(func.count()).where(AuditEvent.action == "retry")) == 1


def test_two_workers_never_claim_the_same_message(db, counselor):
    _person, plan = graduate()
    services.make_due_follow_ups(MONDAY)
    message = messages(db)[0]
    assert outbox.claim(message.id, "a") == "claimed"
    assert outbox.claim(message.id, "b") is None
    stale = datetime(2100, 1, 1)  # a later clock: a's claim has expired, so b takes it over
    assert outbox.claim(message.id, "b", now=stale) == "reclaimed"
    # a never started transmitting: the message cannot have gone out twice, nothing is flagged
    assert outbox.duplicate_risks() == []


def test_a_claim_expired_after_transmitting_started_is_flagged(db, counselor):
    graduate()
    graduate()
    services.make_due_follow_ups(MONDAY)
    first, second = messages(db)[:2]
    for message in (first, second):
        assert outbox.claim(message.id, "a") == "claimed"
    assert outbox._start_transmitting(first.id, "a")  # a called the channel for the first only
    stale = datetime(2100, 1, 1)
    assert outbox.claim(first.id, "b", now=stale) == "reclaimed"
    assert outbox.claim(second.id, "b", now=stale) == "reclaimed"
    assert [m.idempotency_key for m in outbox.duplicate_risks()] == [first.idempotency_key]


def test_plan_edits_are_audited(db, counselor):
    _person, plan = graduate()
    services.update_plan(plan, {"cadence_days": 7, "goals": "找工作"}, today=date(2025, 2, 17))
    services.add_action(
        plan, {"kind": "training", "description": "培训", "due_on": date(2025, 3, 10)}
    )
    services.update_action(plan.actions[0], {"status": "done"})
    events = db.session.scalars(select(AuditEvent.table_name).where(AuditEvent.action != "create"))
    assert sorted(events) == ["plan", "plan_action"]
    assert db.session.get(Plan, plan.id).next_due_on == date(2025, 2, 24)
