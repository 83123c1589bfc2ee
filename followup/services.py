"""Follow-up use cases: plans, actions, due follow-ups into the outbox, the inbox, dead letters."""

import logging
from datetime import UTC, date, datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import exists, select
from sqlalchemy.exc import IntegrityError

from core import audit, outbox
from core.access import scope_filter
from core.database import ServiceError
from core.extensions import db
from core.models import Message, Person, User, utcnow
from core.scheduler import TIMEZONE
from followup import access  # noqa: F401  (registers the visibility rules)
from followup.access import STAFF_ONLY_KINDS
from followup.labels import signed_text
from followup.models import OfficeContact, Plan, PlanAction
from followup.timing import (
    DEFAULT_CADENCE_DAYS,
    Contact,
    FollowUpKind,
    PlanState,
    idempotency_key,
    next_follow_up,
    outside_quiet_hours,
    should_send,
    to_working_day,
)

log = logging.getLogger(__name__)

SUBJECT = "就业服务回访 / Employment service follow-up"
PLAN_FIELDS = ("counselor_id", "goals", "cadence_days", "status")
ACTION_FIELDS = ("kind", "description", "due_on", "status")


def local_now(now: datetime | None = None) -> datetime:
    """Now (or a naive UTC time) in Asia/Shanghai."""
    return (now or utcnow()).replace(tzinfo=UTC).astimezone(TIMEZONE)


def send_time(now: datetime | None = None) -> datetime:
    """When a message written now may go out: now, or the end of the quiet hours (naive UTC)."""
    allowed = outside_quiet_hours(local_now(now))
    return allowed.astimezone(UTC).replace(tzinfo=None)


# --- plans ----------------------------------------------------------------------------------------


def counselor_for(county_code: str) -> User | None:
    """The county's counselor (the first active one) who takes new graduates' plans."""
    stmt = (
        select(User)
        .where(User.role == "counselor", User.county_code == county_code, User.active.is_(True))
        .order_by(User.id)
    )
    return db.session.scalars(stmt).first()


def plan_state(plan: Plan) -> PlanState:
    return PlanState(
        plan_id=plan.id,
        started_on=plan.started_on,
        cadence_days=plan.cadence_days,
        last_follow_up_on=plan.last_follow_up_on,
        employed_since=plan.employed_on,
        closed=plan.status != "active",
    )


def _sync_employment(plan: Plan, today: date) -> None:
    """Note when the graduate started a job (or lost it): the plan switches to retention check-ins."""
    person = plan.person
    if person.employed and plan.employed_on is None:
        plan.employed_on = person.employed_since or today
    elif not person.employed and plan.employed_on is not None:
        plan.employed_on = None


def _schedule(plan: Plan, today: date) -> None:
    _sync_employment(plan, today)
    follow_up = next_follow_up(plan_state(plan), today)
    plan.next_due_on = follow_up.due_on if follow_up else None
    plan.next_kind = str(follow_up.kind) if follow_up else None


def _new_plan(person: Person, today: date, counselor: User | None, **fields) -> Plan:
    plan = Plan(
        person=person,
        counselor=counselor,
        started_on=today,
        cadence_days=fields.get("cadence_days") or DEFAULT_CADENCE_DAYS,
        goals=fields.get("goals") or "",
        status="active",
    )
    _schedule(plan, today)
    db.session.add(plan)
    audit.record("create", plan, None, audit.snapshot(plan))
    return plan


def graduates_without_plan():
    """Graduates who wish to work and have no plan yet."""
    has_plan = exists().where(Plan.person_id == Person.id)
    return (
        select(Person)
        .where(Person.graduation_year.is_not(None), Person.wish_to_work.is_(True), ~has_plan)
        .order_by(Person.id)
    )


def create_missing_plans(today: date | None = None, limit: int = 500) -> int:
    """Give every graduate with a wish to work a plan with their county's counselor."""
    today = today or local_now().date()
    people = list(db.session.scalars(graduates_without_plan().limit(limit)))
    counselors: dict[str, User | None] = {}
    for person in people:
        if person.county_code not in counselors:
            counselors[person.county_code] = counselor_for(person.county_code)
        _new_plan(person, today, counselors[person.county_code])
    try:
        db.session.commit()
    except IntegrityError:  # another process created some of them first; next run finishes
        db.session.rollback()
        return 0
    return len(people)


def create_plan(person: Person, data: dict, today: date | None = None) -> Plan:
    if db.session.scalar(select(Plan.id).where(Plan.person_id == person.id)):
        raise ServiceError({"person_id": [_("This person already has a plan.")]}, 409)
    counselor = _counselor(data.get("counselor_id"), person) or counselor_for(person.county_code)
    plan = _new_plan(person, today or local_now().date(), counselor, **data)
    db.session.commit()
    return plan


def _counselor(user_id: int | None, person: Person) -> User | None:
    """The plan's counselor: an active counselor of the person's county (who can then see the
    plan), for the web and the API alike."""
    if user_id is None:
        return None
    user = db.session.get(User, user_id)
    if user is None or user.role != "counselor" or not user.active:
        raise ServiceError({"counselor_id": [_("Choose a counselor.")]})
    if user.county_code != person.county_code:
        raise ServiceError({"counselor_id": [_("Choose a counselor of the person's county.")]}, 422)
    return user


def update_plan(plan: Plan, data: dict, today: date | None = None) -> Plan:
    """Change a plan's counselor, goals, cadence or status (audited); the next date follows."""
    before = audit.snapshot(plan)
    if "counselor_id" in data:
        plan.counselor = _counselor(data["counselor_id"], plan.person)
    for key in ("goals", "cadence_days", "status"):
        if key in data and data[key] is not None:
            setattr(plan, key, data[key])
    _schedule(plan, today or local_now().date())
    audit.record_change(plan, before)
    db.session.commit()
    return plan


def add_action(plan: Plan, data: dict) -> PlanAction:
    action = PlanAction(plan=plan, status="open", **{k: data.get(k) for k in ACTION_FIELDS[:3]})
    db.session.add(action)
    audit.record("create", action, None, audit.snapshot(action))
    db.session.commit()
    return action


def update_action(action: PlanAction, data: dict, today: date | None = None) -> PlanAction:
    before = audit.snapshot(action)
    for key in ACTION_FIELDS:
        if key in data and (data[key] is not None or key == "due_on"):
            setattr(action, key, data[key])
    if action.status == "done" and action.done_on is None:
        action.done_on = today or local_now().date()
    audit.record_change(action, before)
    db.session.commit()
    return action


# --- due follow-ups into the outbox -------------------------------------------------------------


def message_channels(person: Person, config) -> list[tuple[str, str | None]]:
    """(channel, recipient) for a follow-up: the inbox always, e-mail and SMS when possible."""
    channels: list[tuple[str, str | None]] = [("in_app", None)]
    if person.email and config.get("SMTP_HOST"):
        channels.append(("email", person.email))
    if person.phone and config.get("SMS_GATEWAY_URL"):
        channels.append(("sms", person.phone))
    return channels


def plan_contact(plan: Plan) -> Contact:
    """Who signs the plan's messages: the counselor by name, with their work telephone and e-mail;
    what the counselor lacks comes from the county office's contact (an admin setting), or is left out."""
    counselor = plan.counselor
    office = db.session.get(OfficeContact, plan.person.county_code)
    name = (counselor.display_name or counselor.username) if counselor else None
    own_phone = counselor.phone if counselor else None
    own_email = counselor.email if counselor else None
    return Contact(
        name=name,
        phone=own_phone or (office.phone if office else None),
        email=own_email or (office.email if office else None),
    )


def _message_body(kind: str, channel: str, name: str, contact: Contact) -> str:
    zh = signed_text(kind, "zh", contact, name_hint=name)
    if channel == "email":
        return f"{zh}\n\n{signed_text(kind, 'en', contact)}"
    return zh


def write_follow_up(plan: Plan, kind: str, due_on: date, now: datetime | None = None) -> int:
    """Add the follow-up's messages (one per channel, unique key) to the current transaction."""
    config, person = current_app.config, plan.person
    send_at = send_time(now)
    contact = plan_contact(plan)
    for channel, recipient in message_channels(person, config):
        db.session.add(
            Message(
                idempotency_key=idempotency_key(plan.id, due_on, channel),
                person_id=person.id,
                plan_id=plan.id,
                channel=channel,
                kind=kind,
                recipient=recipient,
                subject=SUBJECT,
                body=_message_body(kind, channel, person.name, contact),
                due_on=due_on,
                status="pending",
                next_attempt_at=send_at,
            )
        )
    return len(message_channels(person, config))


def _follow_up_plan(plan: Plan, today: date, now: datetime | None) -> int:
    _sync_employment(plan, today)
    follow_up = next_follow_up(plan_state(plan), today)
    written = 0
    if follow_up is not None and follow_up.due_on <= today:
        written = write_follow_up(plan, str(follow_up.kind), follow_up.due_on, now)
        plan.last_follow_up_on = today
    _schedule(plan, today)
    return written


def make_due_follow_ups(now: datetime | None = None) -> int:
    """Turn each due follow-up into outbox messages, with the plan's next date, one plan per commit.

    Runs on working days only; a second run (or a second process) finds the same keys and adds
    nothing. Returns the number of messages written.
    """
    today = local_now(now).date()
    if to_working_day(today).day != today:
        return 0
    due = select(Plan.id).where(Plan.status == "active", Plan.next_due_on <= today)
    written = 0
    for plan_id in list(db.session.scalars(due.order_by(Plan.id))):
        db.session.rollback()
        plan = db.session.get(Plan, plan_id)
        try:
            count = _follow_up_plan(plan, today, now)
            db.session.commit()
            written += count
        except IntegrityError:
            db.session.rollback()
            log.info("Follow-up of plan %s was already written", plan_id)
    return written


def message_still_wanted(row) -> str | None:
    """Outbox guard: no job-search follow-up once employed; no message for a closed plan."""
    if row.kind not in {kind.value for kind in FollowUpKind}:
        return None
    person = db.session.get(Person, row.person_id)
    if person is None:
        return "person removed"
    if not should_send(row.kind, person.employed):
        return "employed" if person.employed else "not employed"
    plan = db.session.get(Plan, row.plan_id) if row.plan_id else None
    if plan is not None and plan.status != "active":
        return "plan closed"
    return None


outbox.register_guard(message_still_wanted)


# --- reading: plans, overdue, inbox, dead letters -----------------------------------------------


def plans_for(user, page: int = 1, per_page: int = 50, overdue_only: bool = False):
    stmt = plans_query(user, overdue_only)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def plans_query(user, overdue_only: bool = False):
    """The select of the plans the user may see (joined with the person), next due first."""
    stmt = select(Plan).join(Plan.person).where(scope_filter(Plan, user))
    if overdue_only:
        stmt = stmt.where(Plan.status == "active", Plan.next_due_on < local_now().date())
    return stmt.order_by(Plan.next_due_on.is_(None), Plan.next_due_on, Plan.id)


def overdue_actions(user, today: date | None = None) -> list[PlanAction]:
    today = today or local_now().date()
    stmt = (
        select(PlanAction)
        .join(PlanAction.plan)
        .join(Plan.person)
        .where(scope_filter(Plan, user), PlanAction.status == "open", PlanAction.due_on < today)
        .order_by(PlanAction.due_on)
        .limit(200)
    )
    return list(db.session.scalars(stmt))


def plan_of_person(person_id: int) -> Plan | None:
    return db.session.scalar(select(Plan).where(Plan.person_id == person_id))


def messages_for(user, channel: str | None = None, status: str | None = None, limit: int = 100):
    stmt = select(Message).where(scope_filter(Message, user))
    if channel:
        stmt = stmt.where(Message.channel == channel)
    if status:
        stmt = stmt.where(Message.status == status)
    return list(db.session.scalars(stmt.order_by(Message.id.desc()).limit(limit)))


def inbox(person_id: int, limit: int = 50) -> list[Message]:
    """A graduate's in-app messages that were delivered, newest first."""
    stmt = (
        select(Message)
        .where(Message.person_id == person_id, Message.channel == "in_app")
        .where(Message.status == "sent", Message.kind.not_in(STAFF_ONLY_KINDS))
        .order_by(Message.sent_at.desc(), Message.id.desc())
        .limit(limit)
    )
    return list(db.session.scalars(stmt))


def mark_read(message: Message) -> Message:
    if message.read_at is None:
        message.read_at = utcnow()
        db.session.commit()
    return message


def retry_dead_letter(message: Message) -> Message:
    """Put a dead letter back in the queue (audited)."""
    if message.status != "dead":
        raise ServiceError({"status": [_("Only a failed message can be sent again.")]}, 409)
    audit.record("retry", message, {"status": "dead"}, {"status": "pending"})
    outbox.retry(message.id)  # commits the audit event and the retry together
    db.session.refresh(message)
    return message


def scheduler_status() -> dict:
    from core.models import SchedulerHeartbeat, SchedulerJobRun, SchedulerLease

    beats = select(SchedulerHeartbeat).order_by(SchedulerHeartbeat.beat_at.desc()).limit(20)
    return {
        "lease": db.session.get(SchedulerLease, "scheduler"),
        "heartbeats": list(db.session.scalars(beats)),
        "jobs": list(db.session.scalars(select(SchedulerJobRun).order_by(SchedulerJobRun.job_id))),
        "outbox": outbox.status_counts(),
        "duplicates": len(outbox.duplicate_risks()),
        "now": utcnow(),
    }
