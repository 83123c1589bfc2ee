"""Follow-up tasks on the home pages: due and overdue follow-ups, the graduate's next step and
unread messages, failed messages (registered into core.templating, imported by views.py)."""

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.access import scope_filter
from core.extensions import db
from core.models import Message
from core.templating import add_home_task, count_rows
from followup.access import STAFF_ONLY_KINDS
from followup.models import MessageReply, Plan, PlanAction
from followup.services import local_now


def _active_plans(user):
    return select(Plan.id).where(scope_filter(Plan, user), Plan.status == "active")


def overdue_plans(user) -> int:
    """As the overdue list counts them: active plans whose next follow-up is before today."""
    return count_rows(_active_plans(user).where(Plan.next_due_on < local_now().date()))


def plans_due_today(user) -> int:
    return count_rows(_active_plans(user).where(Plan.next_due_on == local_now().date()))


def failed_messages(user) -> int:
    return count_rows(
        select(Message.id).where(scope_filter(Message, user), Message.status == "dead")
    )


def unread_messages(user) -> int | None:
    if not user.person_id:
        return None
    return count_rows(
        select(Message.id).where(
            Message.person_id == user.person_id,
            Message.channel == "in_app",
            Message.status == "sent",
            Message.kind.not_in(STAFF_ONLY_KINDS),
            Message.read_at.is_(None),
        )
    )


def unanswered_replies(user) -> int:
    """As the replies page lists them: graduates' replies in the county not answered yet."""
    return count_rows(
        select(MessageReply.id).where(
            scope_filter(MessageReply, user),
            MessageReply.from_person.is_(True),
            MessageReply.answered_at.is_(None),
        )
    )


def next_step(user) -> str | None:
    """The graduate's next open step with its date, else the next follow-up date."""
    if not user.person_id:
        return None
    plan = db.session.scalar(select(Plan).where(Plan.person_id == user.person_id))
    if plan is None:
        return None
    action = db.session.scalar(
        select(PlanAction)
        .where(PlanAction.plan_id == plan.id, PlanAction.status == "open")
        .order_by(PlanAction.due_on.is_(None), PlanAction.due_on, PlanAction.id)
        .limit(1)
    )
    if action is not None:
        from followup.views import ACTION_LABELS

        label = str(ACTION_LABELS.get(action.kind, action.kind))
        return f"{label} · {format_date(action.due_on)}" if action.due_on else label
    return format_date(plan.next_due_on) if plan.next_due_on else None


add_home_task("counselor", _l("Follow-ups overdue"), "followup.overdue", overdue_plans, order=10)
add_home_task("counselor", _l("Follow-ups due today"), "followup.plans", plans_due_today, order=11)
add_home_task(
    "counselor", _l("Replies to answer"), "followup.replies", unanswered_replies, order=12
)
add_home_task(
    "graduate", _l("Your next step"), "followup.my_plan", next_step, order=10, kind="info"
)
add_home_task("graduate", _l("Unread messages"), "followup.my_plan", unread_messages, order=11)
add_home_task("admin", _l("Failed messages"), "followup.dead_letters", failed_messages, order=30)
