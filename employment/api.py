"""JSON API of the plan's services: indicators, hard to employ, households, work recognition."""

from datetime import date

from flask import abort
from flask_babel import gettext as _
from flask_smorest import Blueprint
from flask_smorest.fields import Upload

from core import divisions
from core.access import get_or_404
from core.auth import api_auth, api_user
from core.database import ServiceError
from core.i18n import lang
from core.models import Person
from core.schemas import BaseSchema
from employment import (
    auxiliary,
    dashboard,
    households,
    institutions,
    recognition,
    services,
    startups,
    welfare,
)
from employment.models import (
    PROVINCE,
    AuxiliaryCentre,
    AuxiliaryParticipant,
    HouseholdRelative,
    Institution,
    RecognitionApplication,
    StartupApplication,
    StartupFollowUp,
    WelfareAssignment,
    WelfarePost,
)
from employment.schemas import (
    AreaQuery,
    AssignmentIn,
    AssignmentOut,
    CentreIn,
    CentreOut,
    CentreYearOut,
    DecisionIn,
    EndIn,
    FollowUpIn,
    FollowUpOut,
    HardToEmployOut,
    HouseholdOut,
    HouseholdQuery,
    IncomeIn,
    IncomeOut,
    IndicatorQuery,
    IndicatorReportOut,
    InstitutionIn,
    InstitutionOut,
    InstitutionQuery,
    MonthIn,
    MultipleIn,
    MultipleOut,
    ParticipantIn,
    ParticipantOut,
    RecognitionIn,
    RecognitionOut,
    RecognitionQuery,
    RelativeIn,
    RelativeOut,
    RelativeUpdate,
    ReliefOut,
    RuralIn,
    StartupDecisionIn,
    StartupIn,
    StartupOut,
    SubsidyIn,
    SubsidyOut,
    TierIn,
    WelfareCandidateOut,
    WelfarePostIn,
    WelfarePostOut,
    WorkMonthIn,
    WorkMonthOut,
    YearQuery,
)

blp = Blueprint(
    "employment_api", __name__, url_prefix="/api/v1", description="The plan's employment services"
)
BEARER = [{"bearerAuth": []}]
STAFF = ("admin", "counselor")


class EvidenceUpload(BaseSchema):
    evidence_file = Upload(required=True)


def _indicators(indicators) -> list[dict]:
    language = lang()
    return [
        {
            "code": i.code,
            "label": dashboard.label(i.code, language, i.year),
            "definition": dashboard.definition(i.code, language)[0],
            "source": dashboard.definition(i.code, language)[1],
            "basis": i.basis,
            "as_of": i.as_of,
            "data_year": i.data_year,
            "data": dashboard.data_text(i, language),
            "value": i.value,
            "numerator": i.numerator,
            "denominator": i.denominator,
            "target": i.target,
            "met": i.met,
            "takeaway": dashboard.takeaway(i, language),
        }
        for i in indicators
    ]


@blp.get("/indicators")
@api_auth(*STAFF)
@blp.arguments(IndicatorQuery, location="query")
@blp.response(200, IndicatorReportOut)
@blp.doc(security=BEARER)
def get_indicators(query):
    """The plan's indicators of the province, a city or a county (a counselor's own by default)."""
    user = api_user()
    default = user.county_code if user.role == "counselor" else PROVINCE
    report = services.indicator_report(query["year"], query["county"] or default)
    return {
        "year": report.year,
        "area_code": report.area_code,
        "area_name": report.area_name,
        "indicators": _indicators(report.indicators),
        "breakdown": [
            {"area_code": code, "area_name": services.area_name(code), "indicators": _indicators(i)}
            for code, i in report.breakdown
        ],
        "lead_units": [
            {
                "employer_id": int(u.employer_id),
                "name": u.name,
                "county_code": u.county_code,
                "arranged": u.arranged,
                "employs": u.arranged is not None and u.arranged > 0,
            }
            for u in report.lead_units
        ],
    }


def _county(query) -> str:
    """The county a list is for: a counselor's own (another county is refused), an admin's choice."""
    user, county = api_user(), query["county"]
    if user.role == "counselor":
        if county and county != user.county_code:
            abort(403)
        return user.county_code
    if not divisions.is_county(county):
        abort(422, description={"county": [_("Choose a county-level division of Zhejiang.")]})
    return county


@blp.get("/hard-to-employ")
@api_auth(*STAFF)
@blp.arguments(AreaQuery, location="query")
@blp.response(200, HardToEmployOut(many=True))
@blp.doc(security=BEARER)
def list_hard_to_employ(query):
    """People of a county flagged hard to employ from the records."""
    return services.hard_to_employ(_county(query))


@blp.get("/zero-employment-households")
@api_auth(*STAFF)
@blp.arguments(AreaQuery, location="query")
@blp.response(200, HouseholdOut(many=True))
@blp.doc(security=BEARER)
def list_households(query):
    """A county's households whose working-age members with disabilities are all without work."""
    return services.zero_employment_households(_county(query))


@blp.get("/recognitions")
@api_auth(*STAFF, "graduate")
@blp.arguments(RecognitionQuery, location="query")
@blp.response(200, RecognitionOut(many=True))
@blp.doc(security=BEARER)
def list_recognitions(query):
    """Work recognition applications the caller may see (a graduate: their own)."""
    return recognition.applications(
        api_user(), query["status"], query["page"], query["per_page"]
    ).items


@blp.post("/recognitions")
@api_auth(*STAFF, "graduate")
@blp.arguments(RecognitionIn)
@blp.response(201, RecognitionOut)
@blp.doc(security=BEARER)
def create_recognition(data):
    """Apply for recognition of flexible or home-based work (a graduate for themself)."""
    user = api_user()
    person_id = user.person_id if user.role == "graduate" else data["person_id"]
    if person_id is None:
        abort(422, description={"person_id": [_("Missing data for required field.")]})
    person = get_or_404(Person, person_id, user)
    return recognition.apply(user, person, data)


@blp.get("/recognitions/<int:app_id>")
@api_auth(*STAFF, "graduate")
@blp.response(200, RecognitionOut)
@blp.doc(security=BEARER)
def get_recognition(app_id):
    """One application, if the caller may see it."""
    return get_or_404(RecognitionApplication, app_id, api_user())


@blp.put("/recognitions/<int:app_id>/evidence")
@api_auth(*STAFF, "graduate")
@blp.arguments(EvidenceUpload, location="files")
@blp.response(200, RecognitionOut)
@blp.doc(security=BEARER)
def put_evidence(files, app_id):
    """Attach the evidence file (PDF, JPG or PNG, at most 5 MB) to a pending application."""
    application = get_or_404(RecognitionApplication, app_id, api_user())
    return recognition.attach_evidence(
        api_user(), application, recognition.read_upload(files["evidence_file"])
    )


def _decide(app_id, decide, reason):
    application = get_or_404(RecognitionApplication, app_id, api_user())
    return decide(api_user(), application, reason)


@blp.post("/recognitions/<int:app_id>/approve")
@api_auth(*STAFF)
@blp.arguments(DecisionIn)
@blp.response(200, RecognitionOut)
@blp.doc(security=BEARER)
def approve_recognition(data, app_id):
    """Recognise the work: the person counts as employed from the day it started (audited)."""
    return _decide(app_id, recognition.approve, data["reason"])


@blp.post("/recognitions/<int:app_id>/reject")
@api_auth(*STAFF)
@blp.arguments(DecisionIn)
@blp.response(200, RecognitionOut)
@blp.doc(security=BEARER)
def reject_recognition(data, app_id):
    """Refuse the application with a reason (required)."""
    return _decide(app_id, recognition.reject, data["reason"])


# ---- household members without a registered disability, and entered income -------------------


def _service(call, *args):
    try:
        return call(*args)
    except ServiceError as error:
        abort(error.status, description=error.errors)


@blp.get("/household-relatives")
@api_auth(*STAFF)
@blp.arguments(HouseholdQuery, location="query")
@blp.response(200, RelativeOut(many=True))
@blp.doc(security=BEARER)
def list_relatives(query):
    """A household's members without a registered disability (the household must be visible)."""
    return _service(households.relatives, api_user(), query["household_id"])


@blp.post("/household-relatives")
@api_auth(*STAFF)
@blp.arguments(RelativeIn)
@blp.response(201, RelativeOut)
@blp.doc(security=BEARER)
def create_relative(data):
    """Record a member without a registered disability: they count for 零就业家庭 too."""
    return _service(households.add_relative, api_user(), data)


@blp.patch("/household-relatives/<int:relative_id>")
@api_auth(*STAFF)
@blp.arguments(RelativeUpdate(partial=True))
@blp.response(200, RelativeOut)
@blp.doc(security=BEARER)
def patch_relative(data, relative_id):
    """Change a member's facts, such as having found work (audited)."""
    relative = get_or_404(HouseholdRelative, relative_id, api_user())
    return _service(households.update_relative, api_user(), relative, data)


@blp.delete("/household-relatives/<int:relative_id>")
@api_auth(*STAFF)
@blp.response(204)
@blp.doc(security=BEARER)
def delete_relative(relative_id):
    """Remove a member recorded by mistake or who left the household (audited)."""
    relative = get_or_404(HouseholdRelative, relative_id, api_user())
    households.remove_relative(api_user(), relative)


@blp.get("/household-income")
@api_auth(*STAFF)
@blp.response(200, IncomeOut(many=True))
@blp.doc(security=BEARER)
def list_income():
    """The entered per-capita disposable income figures, newest year first."""
    return households.incomes()


@blp.put("/household-income")
@api_auth("admin")
@blp.arguments(IncomeIn)
@blp.response(200, IncomeOut)
@blp.doc(security=BEARER)
def put_income(data):
    """Enter or correct a year's figure of an area, with its statistical source."""
    return _service(households.set_income, api_user(), data)


# ---- concentrated employment: welfare enterprises and blind-massage institutions ---------------


@blp.get("/institutions")
@api_auth(*STAFF)
@blp.arguments(InstitutionQuery, location="query")
@blp.response(200, InstitutionOut(many=True))
@blp.doc(security=BEARER)
def list_institutions(query):
    """The institutions the caller may see (a counselor: their county)."""
    return institutions.listing(api_user(), query["kind"])


@blp.post("/institutions")
@api_auth(*STAFF)
@blp.arguments(InstitutionIn)
@blp.response(201, InstitutionOut)
@blp.doc(security=BEARER)
def create_institution(data):
    """Register a welfare enterprise or a blind-massage institution."""
    return institutions.register(api_user(), data)


@blp.put("/institutions/<int:institution_id>/months")
@api_auth(*STAFF)
@blp.arguments(MonthIn)
@blp.response(200, ReliefOut)
@blp.doc(security=BEARER)
def put_month(data, institution_id):
    """Record or correct a month's headcounts; answers the year's check with that month."""
    institution = get_or_404(Institution, institution_id, api_user())
    row = institutions.record_month(api_user(), institution, data)
    return institutions.relief(institution, row.month.year)


@blp.get("/institutions/<int:institution_id>/relief")
@api_auth(*STAFF)
@blp.arguments(YearQuery, location="query")
@blp.response(200, ReliefOut)
@blp.doc(security=BEARER)
def get_relief(query, institution_id):
    """The tax-relief conditions month by month (财税〔2016〕52号): the months that fail and why."""
    institution = get_or_404(Institution, institution_id, api_user())
    return institutions.relief(institution, query["year"] or date.today().year)


@blp.put("/wage-tiers")
@api_auth("admin")
@blp.arguments(TierIn)
@blp.response(200, TierIn)
@blp.doc(security=BEARER)
def put_tier(data):
    """Set the minimum-wage tier a city assigned to a county."""
    row = institutions.set_tier(api_user(), data["county_code"], data["tier"])
    return {"county_code": row.county_code, "tier": row.tier}


@blp.put("/tax-relief-settings")
@api_auth("admin")
@blp.arguments(MultipleIn)
@blp.response(200, MultipleOut)
@blp.doc(security=BEARER)
def put_multiple(data):
    """Set a year's multiple of the minimum wage for the monthly refund limit."""
    row = institutions.set_multiple(
        api_user(), data["year"], data["refund_multiple"], data["source"]
    )
    return {"year": row.year, "refund_multiple": row.refund_multiple, "source": row.source}


# ---- public-welfare posts -----------------------------------------------------------------------


@blp.get("/welfare-posts")
@api_auth(*STAFF)
@blp.response(200, WelfarePostOut(many=True))
@blp.doc(security=BEARER)
def list_welfare_posts():
    """The public-welfare posts the caller may see (a counselor: their county)."""
    return welfare.posts(api_user())


@blp.post("/welfare-posts")
@api_auth(*STAFF)
@blp.arguments(WelfarePostIn)
@blp.response(201, WelfarePostOut)
@blp.doc(security=BEARER)
def create_welfare_post(data):
    """Create a government-funded public-welfare post with its term and seats."""
    return welfare.create_post(api_user(), data)


@blp.get("/welfare-posts/<int:welfare_post_id>/candidates")
@api_auth(*STAFF)
@blp.response(200, WelfareCandidateOut(many=True))
@blp.doc(security=BEARER)
def list_welfare_candidates(welfare_post_id):
    """The county's persons hard to employ, rural and zero-employment households first."""
    post = get_or_404(WelfarePost, welfare_post_id, api_user())
    return [
        {"person_id": p.id, "name": p.name, "priority_group": group, "rural": c.rural,
         "zero_household": c.zero_household}
        for group, p, c in welfare.candidates(post.county_code)
    ]  # fmt: skip


@blp.post("/welfare-posts/<int:welfare_post_id>/assignments")
@api_auth(*STAFF)
@blp.arguments(AssignmentIn)
@blp.response(201, AssignmentOut)
@blp.doc(security=BEARER)
def create_welfare_assignment(data, welfare_post_id):
    """Give a seat to a candidate (a reason is required when passing over a priority candidate)."""
    post = get_or_404(WelfarePost, welfare_post_id, api_user())
    return welfare.assign(api_user(), post, data)


@blp.post("/welfare-assignments/<int:assignment_id>/end")
@api_auth(*STAFF)
@blp.arguments(EndIn)
@blp.response(200, AssignmentOut)
@blp.doc(security=BEARER)
def end_welfare_assignment(data, assignment_id):
    """End an occupant's term (409 if it has already ended)."""
    assignment = get_or_404(WelfareAssignment, assignment_id, api_user())
    return welfare.end(api_user(), assignment, data["ended_on"])


@blp.put("/people/<int:person_id>/rural")
@api_auth(*STAFF)
@blp.arguments(RuralIn)
@blp.response(200, RuralIn)
@blp.doc(security=BEARER)
def put_rural(data, person_id):
    """Record whether the person's household registration (户籍) is rural."""
    person = get_or_404(Person, person_id, api_user())
    return {"rural": welfare.set_rural(api_user(), person, data["rural"]).rural}


# ---- auxiliary employment -------------------------------------------------------------------------


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


# ---- self-employment support ----------------------------------------------------------------------


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
