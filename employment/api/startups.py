"""Self-employment support: applications, decisions and follow-ups."""

from core.access import get_or_404
from core.auth import BEARER, api_auth, api_user
from core.models import Person
from employment import startups
from employment.api.blueprint import STAFF, blp
from employment.models import StartupApplication, StartupFollowUp
from employment.schemas import FollowUpIn, FollowUpOut, StartupDecisionIn, StartupIn, StartupOut


@blp.get("/startups")
@api_auth(*STAFF)
@blp.response(200, StartupOut(many=True))
@blp.doc(security=BEARER)
def list_startups():
    """Start-up support applications the caller may see, newest first."""
    return startups.applications(api_user())


@blp.post("/startups")
@api_auth(*STAFF)
@blp.arguments(StartupIn)
@blp.response(201, StartupOut)
@blp.doc(security=BEARER)
def create_startup(data):
    """Apply for start-up support for a person of the caller's county."""
    person = get_or_404(Person, data["person_id"], api_user())
    return startups.apply(api_user(), person, data)


@blp.post("/startups/<int:startup_id>/decision")
@api_auth(*STAFF)
@blp.arguments(StartupDecisionIn)
@blp.response(200, StartupOut)
@blp.doc(security=BEARER)
def decide_startup(data, startup_id):
    """Approve or reject; 409 when the application was already decided."""
    application = get_or_404(StartupApplication, startup_id, api_user())
    return startups.decide(api_user(), application, data)


@blp.put("/startup-follow-ups/<int:follow_up_id>")
@api_auth(*STAFF)
@blp.arguments(FollowUpIn)
@blp.response(200, FollowUpOut)
@blp.doc(security=BEARER)
def put_follow_up(data, follow_up_id):
    """Record whether the business still operates at its 12- or 36-month follow-up."""
    follow_up = get_or_404(StartupFollowUp, follow_up_id, api_user())
    return startups.record_follow_up(api_user(), follow_up, data)
