"""JSON API of follow-up plans, their actions, and messages (a graduate sees only their own)."""

from flask_smorest import Blueprint

from core.access import get_or_404
from core.auth import BEARER, api_auth, api_user
from core.models import Message, Person
from followup import replies, services
from followup.models import MessageReply, Plan, PlanAction
from followup.schemas import (
    ActionIn,
    ActionOut,
    ActionUpdate,
    MessageOut,
    MessageQuery,
    PlanIn,
    PlanOut,
    PlanUpdate,
    ReplyIn,
    ReplyOut,
)

blp = Blueprint(
    "followup_api", __name__, url_prefix="/api/v1", description="Follow-up plans and messages"
)


@blp.get("/plans")
@api_auth("admin", "counselor", "graduate")
@blp.response(200, PlanOut(many=True))
@blp.doc(security=BEARER)
def list_plans():
    """Plans the caller may see: a counselor's county, a graduate's own."""
    return services.plans_for(api_user(), per_page=200).items


@blp.post("/plans")
@api_auth("admin", "counselor")
@blp.arguments(PlanIn)
@blp.response(201, PlanOut)
@blp.doc(security=BEARER)
def create_plan(data):
    """Start a plan for a person (plans are also created automatically for graduates)."""
    person = get_or_404(Person, data.pop("person_id"), api_user())
    return services.create_plan(person, data)


@blp.get("/plans/<int:plan_id>")
@api_auth("admin", "counselor", "graduate")
@blp.response(200, PlanOut)
@blp.doc(security=BEARER)
def get_plan(plan_id):
    """One plan with its actions."""
    return get_or_404(Plan, plan_id, api_user())


@blp.patch("/plans/<int:plan_id>")
@api_auth("admin", "counselor")
@blp.arguments(PlanUpdate)
@blp.response(200, PlanOut)
@blp.doc(security=BEARER)
def patch_plan(data, plan_id):
    """Change counselor, goals, cadence or status (audited)."""
    plan = get_or_404(Plan, plan_id, api_user())
    return services.update_plan(plan, data)


@blp.get("/plans/<int:plan_id>/actions")
@api_auth("admin", "counselor", "graduate")
@blp.response(200, ActionOut(many=True))
@blp.doc(security=BEARER)
def list_actions(plan_id):
    """The steps of a plan."""
    return get_or_404(Plan, plan_id, api_user()).actions


@blp.post("/plans/<int:plan_id>/actions")
@api_auth("admin", "counselor")
@blp.arguments(ActionIn)
@blp.response(201, ActionOut)
@blp.doc(security=BEARER)
def create_action(data, plan_id):
    """Add a step with a due date (audited)."""
    return services.add_action(get_or_404(Plan, plan_id, api_user()), data)


@blp.patch("/actions/<int:action_id>")
@api_auth("admin", "counselor")
@blp.arguments(ActionUpdate)
@blp.response(200, ActionOut)
@blp.doc(security=BEARER)
def patch_action(data, action_id):
    """Change a step or mark it done (audited)."""
    return services.update_action(get_or_404(PlanAction, action_id, api_user()), data)


@blp.get("/messages")
@api_auth("admin", "counselor", "graduate")
@blp.arguments(MessageQuery, location="query")
@blp.response(200, MessageOut(many=True))
@blp.doc(security=BEARER)
def list_messages(query):
    """Messages the caller may see (a graduate: their own), newest first."""
    return services.messages_for(api_user(), query["channel"], query["status"])


@blp.post("/messages/<int:message_id>/read")
@api_auth("graduate")
@blp.response(200, MessageOut)
@blp.doc(security=BEARER)
def read_message(message_id):
    """Mark one of your messages read."""
    return services.mark_read(get_or_404(Message, message_id, api_user()))


@blp.post("/messages/<int:message_id>/retry")
@api_auth("admin", "counselor")
@blp.response(200, MessageOut)
@blp.doc(security=BEARER)
def retry_message(message_id):
    """Send a failed message (a dead letter) again."""
    return services.retry_dead_letter(get_or_404(Message, message_id, api_user()))


@blp.get("/messages/<int:message_id>/replies")
@api_auth("admin", "counselor", "graduate")
@blp.response(200, ReplyOut(many=True))
@blp.doc(security=BEARER)
def list_replies(message_id):
    """The replies and answers under one message (the person's, or their county's counselors)."""
    return replies.thread(get_or_404(Message, message_id, api_user()).id)


@blp.post("/messages/<int:message_id>/replies")
@api_auth("graduate")
@blp.arguments(ReplyIn)
@blp.response(201, ReplyOut)
@blp.doc(security=BEARER)
def post_reply(data, message_id):
    """Reply to one of your in-app messages; your county's counselors see it in their tasks."""
    user = api_user()
    return replies.reply(user, get_or_404(Message, message_id, user), data["body"])


@blp.get("/replies/unanswered")
@api_auth("admin", "counselor")
@blp.response(200, ReplyOut(many=True))
@blp.doc(security=BEARER)
def unanswered_replies():
    """Graduates' replies in the caller's county that nobody answered yet, oldest first."""
    return replies.unanswered(api_user())


@blp.post("/replies/<int:reply_id>/answer")
@api_auth("admin", "counselor")
@blp.arguments(ReplyIn)
@blp.response(201, ReplyOut)
@blp.doc(security=BEARER)
def answer_reply(data, reply_id):
    """Answer a graduate's reply once (409 if another counselor answered it first)."""
    user = api_user()
    return replies.answer(user, get_or_404(MessageReply, reply_id, user), data["body"])
