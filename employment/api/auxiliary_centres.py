"""Auxiliary employment: centres, participants, their months and the subsidy per participant."""

from datetime import date

from core.access import get_or_404
from core.auth import BEARER, api_auth, api_user
from core.models import Person
from employment import auxiliary
from employment.api.blueprint import STAFF, blp
from employment.models import AuxiliaryCentre, AuxiliaryParticipant
from employment.schemas import (
    CentreIn,
    CentreOut,
    CentreYearOut,
    ParticipantIn,
    ParticipantOut,
    SubsidyIn,
    SubsidyOut,
    WorkMonthIn,
    WorkMonthOut,
    YearQuery,
)


@blp.get("/auxiliary-centres")
@api_auth(*STAFF)
@blp.response(200, CentreOut(many=True))
@blp.doc(security=BEARER)
def list_centres():
    """The auxiliary-employment centres the caller may see."""
    return auxiliary.centres(api_user())


@blp.post("/auxiliary-centres")
@api_auth(*STAFF)
@blp.arguments(CentreIn)
@blp.response(201, CentreOut)
@blp.doc(security=BEARER)
def create_centre(data):
    """Register an auxiliary-employment centre."""
    return auxiliary.create_centre(api_user(), data)


@blp.post("/auxiliary-centres/<int:centre_id>/participants")
@api_auth(*STAFF)
@blp.arguments(ParticipantIn)
@blp.response(201, ParticipantOut)
@blp.doc(security=BEARER)
def create_participant(data, centre_id):
    """Enrol a person with an intellectual, mental or severe disability of the county."""
    centre = get_or_404(AuxiliaryCentre, centre_id, api_user())
    person = get_or_404(Person, data["person_id"], api_user())
    return auxiliary.add_participant(api_user(), centre, person, data["joined_on"])


@blp.put("/auxiliary-participants/<int:participant_id>/months")
@api_auth(*STAFF)
@blp.arguments(WorkMonthIn)
@blp.response(200, WorkMonthOut)
@blp.doc(security=BEARER)
def put_work_month(data, participant_id):
    """Record or correct a participant's hours and earnings of a month."""
    participant = get_or_404(AuxiliaryParticipant, participant_id, api_user())
    return auxiliary.record_month(api_user(), participant, data)


@blp.get("/auxiliary-centres/<int:centre_id>/year")
@api_auth(*STAFF)
@blp.arguments(YearQuery, location="query")
@blp.response(200, CentreYearOut)
@blp.doc(security=BEARER)
def get_centre_year(query, centre_id):
    """A centre's year: participants, hours, earnings and the subsidy due."""
    centre = get_or_404(AuxiliaryCentre, centre_id, api_user())
    return auxiliary.centre_year(centre, query["year"] or date.today().year)


@blp.put("/auxiliary-subsidies")
@api_auth("admin")
@blp.arguments(SubsidyIn)
@blp.response(200, SubsidyOut)
@blp.doc(security=BEARER)
def put_subsidy(data):
    """Set a year's subsidy per participant, with its source."""
    row = auxiliary.set_subsidy(api_user(), data["year"], data["amount"], data["source"])
    return {"year": row.year, "amount": row.amount, "source": row.source}
