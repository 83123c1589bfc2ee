"""Who may see plans, actions and messages: the county's counselors, the graduate, admins."""

from core import access
from core.models import Message
from followup.models import MessageReply, Plan, PlanAction

# Messages about a person but addressed to staff (e.g. income-disregard reminders) are not theirs to read.
STAFF_ONLY_KINDS = ("counselor_reminder",)


def _message_visible(user, message: Message) -> bool:
    if user.role == "graduate" and message.kind in STAFF_ONLY_KINDS:
        return False
    if message.person is None:  # to an account or an employer: the admins' (core.access)
        return False
    return access.person_visible(user, message.person_id, message.person.county_code)


def _message_scope(user):
    scope = access.person_scope(Message.person_id)(user)
    if user.role == "graduate":
        return scope & Message.kind.not_in(STAFF_ONLY_KINDS)
    return scope


access.register_personal(Plan)
access.register_child(PlanAction, "plan", PlanAction.plan_id, Plan)
access.register(Message, _message_visible, _message_scope)


access.register_personal(MessageReply)
