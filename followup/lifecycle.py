"""Plans that follow life: a hire switches the plan to retention check-ins at once, and a hire
corrected away switches it back (DESIGN 3.4 "A hire switches the plan to retention check-ins";
RULES 6: check-ins 1, 3 and 6 months after the job starts, `followup.timing.RETENTION_MONTHS`).

Called by other packages through `followup.interface` inside their own transaction (their service
commits); nothing here commits.
"""

from datetime import date

from sqlalchemy import select

from core import audit
from core.extensions import db
from core.models import Message
from followup.models import Plan
from followup.services import _schedule, local_now, plan_of_person
from followup.timing import RETENTION_GOAL, FollowUpKind

# Why a plan changed phase (shown translated on the plan pages, see followup/views.py).
PHASE_REASONS = (
    "hired_referral",
    "employment_recognised",
    "hire_corrected",
    "employment_ended",
    "status_edited",
)
RETENTION_KINDS = tuple(k.value for k in FollowUpKind if k is not FollowUpKind.CADENCE)


def _cancel_pending(plan: Plan, kinds: tuple[str, ...], reason: str) -> int:
    """Cancel the plan's follow-up messages of these kinds that were not sent yet, saying why."""
    stmt = select(Message).where(
        Message.plan_id == plan.id, Message.kind.in_(kinds), Message.status == "pending"
    )
    rows = list(db.session.scalars(stmt))
    for row in rows:
        before = audit.snapshot(row)
        row.status, row.last_error = "cancelled", f"plan switched: {reason}"
        audit.record_change(row, before, action="cancel")
    return len(rows)


def employment_changed(person_id: int, reason: str, today: date | None = None) -> Plan | None:
    """Bring the person's plan in line with their employment now (audited, not committed).

    Starting work: the next job-search follow-up is cancelled (its date kept with the reason), the
    goals become the retention goal (the job-search goals are kept) and the next follow-up is the
    first retention check-in. Work undone (a hire corrected away): the job-search goals and cadence
    come back and pending check-ins are cancelled.
    """
    if reason not in PHASE_REASONS:
        raise ValueError(f"unknown reason: {reason!r}")
    plan = plan_of_person(person_id)
    if plan is None or plan.status != "active":
        return plan
    today = today or local_now().date()
    db.session.flush()
    before = audit.snapshot(plan)
    was_employed, cancelled_on = plan.employed_on is not None, plan.next_due_on
    was_kind = plan.next_kind
    _schedule(plan, today)
    employed = plan.employed_on is not None
    if employed == was_employed:
        return plan
    if employed:
        plan.previous_goals, plan.goals = plan.goals, RETENTION_GOAL
        _cancel_pending(plan, (FollowUpKind.CADENCE.value,), reason)
    else:
        plan.goals, plan.previous_goals = plan.previous_goals or plan.goals, None
        _cancel_pending(plan, RETENTION_KINDS, reason)
    plan.phase_reason, plan.phase_changed_on = reason, today
    plan.cancelled_due_on = cancelled_on if was_kind else None
    plan.cancelled_kind = was_kind
    audit.record_change(plan, before, action="phase")
    return plan
