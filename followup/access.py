"""Who may see plans, actions and messages: the county's counselors, the graduate, admins."""

from sqlalchemy import false, select

from core import access
from core.models import Message, Person
from followup.models import MessageReply, Plan, PlanAction


def _person_visible(user, person_id: int, county_code: str) -> bool:
    if user.role == "counselor":
        return county_code == user.county_code
    if user.role == "graduate":
        return person_id == user.person_id
    return False


def _county_people(user):
    return select(Person.id).where(Person.county_code == user.county_code)


def _person_scope(column):
    def scope(user):
        if user.role == "counselor":
            return column.in_(_county_people(user))
        if user.role == "graduate":
            return column == user.person_id
        return false()

    return scope


def _plan_visible(user, plan: Plan) -> bool:
    return _person_visible(user, plan.person_id, plan.person.county_code)


def _action_visible(user, action: PlanAction) -> bool:
    return _plan_visible(user, action.plan)


def _action_scope(user):
    return PlanAction.plan_id.in_(select(Plan.id).where(_person_scope(Plan.person_id)(user)))


# Messages about a person but addressed to staff (e.g. income-disregard reminders) are not theirs to read.
STAFF_ONLY_KINDS = ("counselor_reminder",)


def _message_visible(user, message: Message) -> bool:
    if user.role == "graduate" and message.kind in STAFF_ONLY_KINDS:
        return False
    return _person_visible(user, message.person_id, message.person.county_code)


def _message_scope(user):
    scope = _person_scope(Message.person_id)(user)
    if user.role == "graduate":
        return scope & Message.kind.not_in(STAFF_ONLY_KINDS)
    return scope


access.register(Plan, _plan_visible, _person_scope(Plan.person_id))
access.register(PlanAction, _action_visible, _action_scope)
access.register(Message, _message_visible, _message_scope)


def _reply_visible(user, row: MessageReply) -> bool:
    return _person_visible(user, row.person_id, row.person.county_code)


access.register(MessageReply, _reply_visible, _person_scope(MessageReply.person_id))
