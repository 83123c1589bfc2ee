"""Use cases of self-employment (自主创业) support: apply, decide (a conditional update: 409 when the
application was decided meanwhile), and follow up the business at 12 and 36 months.
The rules are in startup_rules.py.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select, update

from core import audit
from core.access import scope_filter
from core.database import ServiceError
from core.extensions import db
from core.models import Person, utcnow
from employment import access as _access  # noqa: F401  (registers the access rules)
from employment import startup_rules
from employment.models import StartupApplication, StartupFollowUp


def _refuse(field: str, message: str, status: int = 422):
    raise ServiceError({field: [message]}, status)


def apply(user, person: Person, data: dict) -> StartupApplication:
    """File an application for a person the user may see (a counselor: their county)."""
    pending = select(StartupApplication.id).where(
        StartupApplication.person_id == person.id, StartupApplication.status == "pending"
    )
    if db.session.scalar(pending):
        _refuse(
            "person_id", _("This person already has an application waiting for a decision."), 409
        )
    application = StartupApplication(
        person_id=person.id,
        business_name=data["business_name"].strip(),
        business_plan=data["business_plan"].strip(),
        amount_requested=data["amount_requested"],
        applied_by_id=user.id,
    )
    db.session.add(application)
    audit.record("create", application, None, audit.snapshot(application), actor=user)
    db.session.commit()
    return application


def applications_query(user):
    """The applications the user may see joined to the applicant (for filters), unordered."""
    return (
        select(StartupApplication)
        .join(Person, Person.id == StartupApplication.person_id)
        .where(scope_filter(StartupApplication, user))
    )


def applications(user, status: str | None = None) -> list[StartupApplication]:
    stmt = select(StartupApplication).where(scope_filter(StartupApplication, user))
    if status:
        stmt = stmt.where(StartupApplication.status == status)
    return list(db.session.scalars(stmt.order_by(StartupApplication.id.desc())))


def decide(user, application: StartupApplication, data: dict) -> StartupApplication:
    """Approve (with the amount granted and the business's start) or reject (with a reason)."""
    decision = data["decision"]
    reason = (data.get("reason") or "").strip()
    values = {"status": decision, "decided_by_id": user.id, "decided_at": utcnow()}
    if decision == "approved":
        started, granted = data.get("business_started_on"), data.get("amount_granted")
        if started is None:
            _refuse("business_started_on", _("Give the date the business started."))
        if started > date.today():
            _refuse("business_started_on", _("The date cannot be in the future."))
        if granted is None:
            _refuse("amount_granted", _("Give the amount granted."))
        values |= {"business_started_on": started, "amount_granted": granted}
    elif not reason:
        _refuse("reason", _("Give the reason for the rejection."))
    values["decision_reason"] = reason or None
    before = audit.snapshot(application)
    done = db.session.execute(
        update(StartupApplication)
        .where(StartupApplication.id == application.id, StartupApplication.status == "pending")
        .values(**values)
    )
    if done.rowcount != 1:
        db.session.rollback()
        _refuse("status", _("This application has already been decided."), 409)
    db.session.refresh(application)
    if decision == "approved":
        for milestone, due in startup_rules.follow_up_dates(values["business_started_on"]).items():
            db.session.add(
                StartupFollowUp(application_id=application.id, milestone=milestone, due_on=due)
            )
    audit.record(decision, application, before, audit.snapshot(application), actor=user)
    db.session.commit()
    return application


def record_follow_up(user, follow_up: StartupFollowUp, data: dict) -> StartupFollowUp:
    """Record what the check found: is the business still operating?"""
    if data["checked_on"] > date.today():
        _refuse("checked_on", _("The date cannot be in the future."))
    if data["checked_on"] < follow_up.application.business_started_on:
        _refuse("checked_on", _("The check cannot be before the business started."))
    before = audit.snapshot(follow_up)
    follow_up.checked_on, follow_up.operating = data["checked_on"], data["operating"]
    follow_up.note, follow_up.checked_by_id = (data.get("note") or "").strip() or None, user.id
    audit.record_change(follow_up, before, action="follow_up")
    db.session.commit()
    return follow_up


def survival(user, on: date | None = None) -> list[startup_rules.Survival]:
    """Survival at each milestone of the supported businesses the user may see."""
    on = on or date.today()
    rows = [
        startup_rules.FollowUp(f.milestone, f.due_on, f.operating)
        for a in applications(user, "approved")
        for f in a.follow_ups
    ]
    return [startup_rules.survival(rows, m, on) for m in startup_rules.FOLLOW_UP_MONTHS]
