"""Skills competitions: competitions, entrants and results; and a household's rural or urban
registration (with its source)."""

from flask import abort

from core.access import get_or_404
from core.auth import BEARER, api_auth, api_user
from core.models import Person
from employment import competitions, households
from employment.api.blueprint import STAFF, blp, call_service
from employment.models import Competition, CompetitionEntry
from employment.schemas import (
    CompetitionIn,
    CompetitionOut,
    EntryIn,
    EntryOut,
    HouseholdRegistrationOut,
    RegistrationIn,
    ResultIn,
)


@blp.get("/competitions")
@api_auth(*STAFF)
@blp.response(200, CompetitionOut(many=True))
@blp.doc(security=BEARER)
def list_competitions():
    """Every skills competition, the latest first."""
    return competitions.listing()


@blp.post("/competitions")
@api_auth(*STAFF)
@blp.arguments(CompetitionIn)
@blp.response(201, CompetitionOut)
@blp.doc(security=BEARER)
def create_competition(data):
    """Record a competition (national, provincial or city) with its date and trades."""
    return call_service(competitions.create, api_user(), data)


@blp.get("/competitions/<int:competition_id>/entries")
@api_auth(*STAFF)
@blp.response(200, EntryOut(many=True))
@blp.doc(security=BEARER)
def list_entries(competition_id):
    """The competition's entrants the caller may see (a counselor: their county)."""
    competition = get_or_404(Competition, competition_id, api_user())
    return competitions.entries(api_user(), competition)


@blp.post("/competitions/<int:competition_id>/entries")
@api_auth(*STAFF)
@blp.arguments(EntryIn)
@blp.response(201, EntryOut)
@blp.doc(security=BEARER)
def create_entry(data, competition_id):
    """Enter a person in one of the competition's trades (409 if already entered in it)."""
    competition = get_or_404(Competition, competition_id, api_user())
    person = get_or_404(Person, data["person_id"], api_user())
    return call_service(competitions.enter, api_user(), competition, person, data["trade"])


@blp.put("/competition-entries/<int:entry_id>/result")
@api_auth(*STAFF)
@blp.arguments(ResultIn)
@blp.response(200, EntryOut)
@blp.doc(security=BEARER)
def put_result(data, entry_id):
    """Record or correct the entrant's rank and award (after the competition was held; audited)."""
    entry = get_or_404(CompetitionEntry, entry_id, api_user())
    return call_service(competitions.record_result, api_user(), entry, data)


@blp.get("/households/<household_id>/registration")
@api_auth(*STAFF)
@blp.response(200, HouseholdRegistrationOut)
@blp.doc(security=BEARER)
def get_registration(household_id):
    """Whether the household's registration is rural or urban, with its source (404 if unrecorded)."""
    row = call_service(households.registration, api_user(), household_id)
    if row is None:
        abort(404)
    return row


@blp.put("/households/<household_id>/registration")
@api_auth(*STAFF)
@blp.arguments(RegistrationIn)
@blp.response(200, HouseholdRegistrationOut)
@blp.doc(security=BEARER)
def put_registration(data, household_id):
    """Record whether a household of the caller's area is rural or urban, and from what document."""
    rural = data["registration"] == "rural"
    return call_service(
        households.set_registration, api_user(), household_id, rural, data["source"]
    )
