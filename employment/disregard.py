"""Use cases of the income disregard for low-income (低保) families: record the start, show the
dated phases, and remind the counselor before each change.
"""

from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from core import audit
from core.access import scope_filter
from core.database import ServiceError
from core.extensions import db
from core.models import Message, Person, User, utcnow
from employment import access as _access  # noqa: F401  (registers the access rules)
from employment import labels, rules
from employment.models import DisregardReminder, IncomeDisregard


def schedule(disregard: IncomeDisregard) -> rules.DisregardSchedule:
    return rules.income_disregard_schedule(disregard.start_date)


def current_phase(disregard: IncomeDisregard, on: date | None = None) -> rules.DisregardPhase:
    on = on or date.today()
    phases = schedule(disregard).phases
    started = [p for p in phases if p.starts_on <= on]
    return started[-1] if started else phases[0]


def open_disregard(person: Person) -> IncomeDisregard | None:
    """The person's offered or active disregard, if any."""
    return db.session.scalar(
        select(IncomeDisregard)
        .where(
            IncomeDisregard.person_id == person.id,
            IncomeDisregard.status.in_(("offered", "active")),
        )
        .order_by(IncomeDisregard.id.desc())
    )


def _add_reminders(disregard: IncomeDisregard) -> None:
    for reminder in schedule(disregard).reminders:
        db.session.add(
            DisregardReminder(
                disregard=disregard,
                remind_on=reminder.on,
                change_on=reminder.change_on,
                new_share=reminder.new_share,
            )
        )


def record_start(user, person: Person, start_date: date, note: str | None = None):
    """Start the disregard of a low-income person who took a job (confirming an offer if any)."""
    if not person.low_income:
        raise ServiceError({"person_id": [_("This person's family is not a low-income family.")]})
    if start_date > date.today():
        raise ServiceError({"start_date": [_("The start date cannot be in the future.")]})
    disregard = open_disregard(person)
    if disregard is not None and disregard.status == "active":
        raise ServiceError({"start_date": [_("The disregard has already been started.")]}, 409)
    before = audit.snapshot(disregard) if disregard else None
    if disregard is None:
        disregard = IncomeDisregard(person_id=person.id)
        db.session.add(disregard)
    disregard.status, disregard.start_date = "active", start_date
    disregard.note, disregard.recorded_by_id = (note or "").strip() or disregard.note, user.id
    _add_reminders(disregard)
    if before is None:
        audit.record("create", disregard, None, audit.snapshot(disregard), actor=user)
    else:
        audit.record_change(disregard, before, action="confirm")
    db.session.commit()
    return disregard


def dismiss_offer(user, disregard: IncomeDisregard, note: str | None = None):
    """Set aside an automatic offer (for example, the job did not last)."""
    if disregard.status != "offered":
        raise ServiceError({"status": [_("Only an offer can be dismissed.")]}, 409)
    before = audit.snapshot(disregard)
    disregard.status = "dismissed"
    disregard.note = (note or "").strip() or disregard.note
    audit.record_change(disregard, before, action="dismiss")
    db.session.commit()
    return disregard


def disregards_query(user, status: str):
    """The disregards of a status the user may see, joined to the person (for filters), unordered."""
    return (
        select(IncomeDisregard)
        .join(Person, Person.id == IncomeDisregard.person_id)
        .where(scope_filter(IncomeDisregard, user), IncomeDisregard.status == status)
    )


def disregards(user, status: str | None = None) -> list[IncomeDisregard]:
    stmt = select(IncomeDisregard).where(scope_filter(IncomeDisregard, user))
    if status:
        stmt = stmt.where(IncomeDisregard.status == status)
    return list(db.session.scalars(stmt.order_by(IncomeDisregard.id.desc())))


def due_reminders(user, on: date | None = None) -> list[DisregardReminder]:
    """Reminders due by `on` and not yet marked done, for the disregards the user may see."""
    on = on or date.today()
    stmt = (
        select(DisregardReminder)
        .join(IncomeDisregard)
        .where(
            scope_filter(IncomeDisregard, user),
            IncomeDisregard.status == "active",
            DisregardReminder.remind_on <= on,
            DisregardReminder.done_at.is_(None),
        )
        .order_by(DisregardReminder.change_on)
    )
    return list(db.session.scalars(stmt))


def mark_done(user, reminder: DisregardReminder):
    """The counselor has told the family and reviewed the benefit."""
    if reminder.done_at is not None:
        raise ServiceError({"reminder": [_("This reminder is already done.")]}, 409)
    before = audit.snapshot(reminder)
    reminder.done_at, reminder.done_by_id = utcnow(), user.id
    audit.record_change(reminder, before, action="done")
    db.session.commit()
    return reminder


def notify_due(on: date | None = None) -> int:
    """The job: mark newly due reminders as notified (and queue an in-app message when possible)."""
    on = on or date.today()
    stmt = (
        select(DisregardReminder)
        .join(IncomeDisregard)
        .where(
            IncomeDisregard.status == "active",
            DisregardReminder.remind_on <= on,
            DisregardReminder.notified_at.is_(None),
        )
    )
    reminders = list(db.session.scalars(stmt))
    for reminder in reminders:
        before = audit.snapshot(reminder)
        reminder.notified_at = utcnow()
        _enqueue_message(reminder)
        audit.record_change(reminder, before, action="notify")
    db.session.commit()
    return len(reminders)


def _counselors_of(county: str) -> list[User]:
    return list(
        db.session.scalars(
            select(User).where(
                User.role == "counselor", User.county_code == county, User.active.is_(True)
            )
        )
    )


def _enqueue_message(reminder: DisregardReminder) -> None:
    """Queue an in-app message to the county's counselors through the outbox."""
    person = reminder.disregard.person
    with force_locale("zh"):  # the queued message is in Chinese, as the counselors read it
        text = labels.reminder_text(reminder.change_on, reminder.new_share)
        subject = labels.reminder_subject(person.name)
    for counselor in _counselors_of(person.county_code):
        key = f"employment.disregard.{reminder.id}.{counselor.id}"
        if db.session.scalar(select(Message.id).where(Message.idempotency_key == key)):
            continue
        db.session.add(
            Message(
                idempotency_key=key,
                person_id=person.id,
                channel="in_app",
                kind="counselor_reminder",
                recipient=f"counselor:{counselor.username}",
                subject=subject[:200],
                body=text,
                due_on=reminder.change_on,
            )
        )
