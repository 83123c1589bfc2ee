"""Demo follow-up plans: every demo graduate gets a plan; the demo accounts get steps and messages."""

from datetime import timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import Message, User, utcnow
from followup import services
from followup.labels import signed_text
from followup.models import PlanAction
from followup.timing import idempotency_key

DEMO_GOALS = "找到一份适合的全职工作；完成一门职业技能培训。"
DEMO_STEPS = (
    ("training", "报名参加电子商务运营培训", 7, "open"),
    ("interview_coaching", "模拟面试一次", 14, "open"),
    ("accommodation_request", "向用人单位说明所需的无障碍支持", -7, "done"),
)


def _steps(plan, today) -> int:
    if plan.actions:
        return 0
    for kind, text, days, status in DEMO_STEPS:
        done_on = today + timedelta(days=days) if status == "done" else None
        db.session.add(
            PlanAction(
                plan=plan,
                kind=kind,
                description=text,
                due_on=today + timedelta(days=days),
                status=status,
                done_on=done_on,
            )
        )
    return len(DEMO_STEPS)


def _inbox(plan, today) -> int:
    added = 0
    for weeks, read in ((4, True), (2, False)):
        due = today - timedelta(weeks=weeks)
        key = idempotency_key(plan.id, due, "in_app")
        if db.session.scalar(select(Message.id).where(Message.idempotency_key == key)):
            continue
        sent = utcnow() - timedelta(weeks=weeks)
        db.session.add(
            Message(
                idempotency_key=key,
                person_id=plan.person_id,
                plan_id=plan.id,
                channel="in_app",
                kind="cadence",
                subject=services.SUBJECT,
                body=signed_text(
                    "cadence", "zh", services.plan_contact(plan), name_hint=plan.person.name
                ),
                due_on=due,
                status="sent",
                attempts=1,
                next_attempt_at=sent,
                sent_at=sent,
                read_at=sent if read else None,
            )
        )
        added += 1
    plan.last_follow_up_on = today - timedelta(weeks=2)
    plan.goals = plan.goals or DEMO_GOALS
    services.update_plan(plan, {}, today)  # recompute the next date (audited, commits)
    return added


def seed_demo() -> dict:
    """Plans for all demo graduates; steps and inbox messages for the graduate demo accounts."""
    today = services.local_now().date()
    plans = services.create_missing_plans(today, limit=100000)
    steps = messages = 0
    accounts = db.session.scalars(select(User).where(User.role == "graduate").order_by(User.id))
    for account in list(accounts):
        plan = services.plan_of_person(account.person_id)
        if plan is None:
            continue
        steps += _steps(plan, today)
        messages += _inbox(plan, today)
    db.session.commit()
    return {"follow-up plans": plans, "plan steps": steps, "inbox messages": messages}
