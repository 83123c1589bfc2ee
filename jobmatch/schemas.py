"""Marshmallow schemas of posts, seeker profiles, referrals and matches (API and web forms)."""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, post_load, validate

from core.codes import EDUCATION_LEVELS
from core.schemas import FORM_VALUE, ROW_ID, BaseSchema, validate_county
from jobmatch.engine.functional_model import ACCOMMODATIONS, FUNCTIONS
from jobmatch.engine.geography import TRAVEL_MODES
from jobmatch.models import POST_STATUSES, REFERRAL_STATUSES, WORK_MODES
from jobmatch.services.referrals import OUTCOMES

_LEVEL = validate.Range(0, 3, error=_l("Choose a level from 0 to 3."))
_MONEY = validate.Range(0, 1_000_000)


def _function_levels(form) -> dict | None:
    """The levels chosen on a web form, one select `fn_<function>` per job function; None when
    the form shows no levels (a profile form marks that it does with `functions_present`)."""
    levels = {f: form.get(f"fn_{f}") for f in FUNCTIONS if form.get(f"fn_{f}", "") != ""}
    return levels if levels or form.get("functions_present") else None


def _blank_to_none(data: dict) -> dict:
    return {k: (None if v == "" else v) for k, v in data.items()}


class PostIn(BaseSchema):
    """A job post: essential functions with levels, accommodations, skills, pay, seats, dates."""

    employer_id = fields.Integer(load_default=None, validate=ROW_ID)
    title = fields.String(required=True, validate=validate.Length(min=2, max=120))
    description = fields.String(load_default="", validate=validate.Length(max=4000))
    skills_text = fields.String(load_default="", validate=validate.Length(max=1000))
    min_education = fields.String(load_default="none", validate=validate.OneOf(EDUCATION_LEVELS))
    county_code = fields.String(load_default=None, validate=validate_county)
    address = fields.String(load_default="", validate=validate.Length(max=200))
    salary_min = fields.Integer(load_default=0, validate=_MONEY)
    salary_max = fields.Integer(load_default=0, validate=_MONEY)
    work_mode = fields.String(load_default="full_time", validate=validate.OneOf(WORK_MODES))
    positions = fields.Integer(load_default=1, validate=validate.Range(1, 10000))
    functions = fields.Dict(
        keys=fields.String(validate=validate.Length(max=40)),
        values=fields.Integer(validate=_LEVEL),
        load_default=dict,
        metadata={FORM_VALUE: _function_levels},
    )
    accommodations = fields.List(
        fields.String(validate=validate.OneOf(tuple(ACCOMMODATIONS))), load_default=list
    )
    status = fields.String(load_default="open", validate=validate.OneOf(POST_STATUSES))
    opens_on = fields.Date(load_default=None)
    closes_on = fields.Date(load_default=None)
    categories = fields.List(
        fields.Raw(),
        load_default=list,
        data_key="excluded_categories",
        metadata={"description": "Disability categories as a requirement: always refused."},
    )

    @post_load
    def _clean(self, data, **_kwargs):
        return _blank_to_none(data) | {
            k: data[k] for k in ("description", "skills_text", "address") if k in data
        }


class PostPatch(PostIn):
    class Meta:
        exclude = ("employer_id",)


class ProfileIn(BaseSchema):
    """A seeker's matching profile; `functions` holds the counselor's levels per job function."""

    skills_text = fields.String(load_default="", validate=validate.Length(max=1000))
    preferred_modes = fields.List(
        fields.String(validate=validate.OneOf(WORK_MODES)), load_default=list
    )
    min_salary = fields.Integer(load_default=0, validate=_MONEY)
    preferred_counties = fields.List(fields.String(validate=validate_county), load_default=list)
    max_commute_km = fields.Float(
        load_default=None, allow_none=True, validate=validate.Range(0, 1000)
    )
    travel_mode = fields.String(
        load_default=None, allow_none=True, validate=validate.OneOf(TRAVEL_MODES)
    )
    accessibility_needs = fields.List(
        fields.String(validate=validate.OneOf(tuple(ACCOMMODATIONS))), load_default=list
    )
    functions = fields.Dict(
        keys=fields.String(validate=validate.OneOf(tuple(FUNCTIONS))),
        values=fields.Integer(validate=_LEVEL),
        load_default=None,
        metadata={FORM_VALUE: _function_levels},
    )
    active = fields.Boolean(load_default=True)


class ReferralIn(BaseSchema):
    person_id = fields.Integer(required=True, validate=ROW_ID)
    post_id = fields.Integer(required=True, validate=ROW_ID)
    reason = fields.String(load_default="", validate=validate.Length(max=300))
    seeker_consented = fields.Boolean(load_default=False)


class OutcomeIn(BaseSchema):
    status = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    reason = fields.String(load_default="", validate=validate.Length(max=300))


class CorrectionIn(BaseSchema):
    """A correction of a recorded outcome: the outcome the counselor saw, the right one, and why."""

    expected = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    status = fields.String(
        required=True,
        validate=validate.OneOf(OUTCOMES, error=_l("Choose the correct outcome.")),
        error_messages={"required": _l("Choose the correct outcome.")},
    )
    reason = fields.String(
        required=True,
        validate=validate.Length(
            min=1, max=300, error=_l("Give the reason for the correction (at most 300 characters).")
        ),
        error_messages={"required": _l("Give the reason for the correction.")},
    )


class MatchQuery(BaseSchema):
    k = fields.Integer(load_default=10, validate=validate.Range(1, 100))
    include_excluded = fields.Boolean(load_default=False)


class ReferralQuery(BaseSchema):
    status = fields.String(load_default=None, validate=validate.OneOf(REFERRAL_STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class PostQuery(BaseSchema):
    q = fields.String(load_default="", validate=validate.Length(max=50))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class FactorOut(Schema):
    factor = fields.String()
    label = fields.String()
    weight = fields.Float()
    value = fields.Float()
    contribution = fields.Float()


class ReasonOut(Schema):
    code = fields.String()
    text = fields.String()


class MatchOut(Schema):
    rank = fields.Integer()
    kind = fields.String()  # job_post | welfare_post (公益性岗位)
    post_id = fields.Integer(allow_none=True)  # a job post's id (None for a public-welfare post)
    welfare_post_id = fields.Integer(allow_none=True)
    welfare_priority_group = fields.Integer(allow_none=True)
    title = fields.String()
    employer_name = fields.String()
    county_code = fields.String()
    work_mode = fields.String()
    total = fields.Float()
    excluded = fields.Boolean()
    explanation = fields.String()
    factors = fields.List(fields.Nested(FactorOut))
    reasons = fields.List(fields.Nested(ReasonOut))


class MatchesOut(Schema):
    person_id = fields.Integer()
    weights_version = fields.String()
    results = fields.List(fields.Nested(MatchOut))
    excluded = fields.List(fields.Nested(MatchOut))


class CandidateOut(Schema):
    rank = fields.Integer()
    anonymous = fields.Boolean()
    person_id = fields.Integer(allow_none=True)
    name = fields.String(allow_none=True)
    skills = fields.List(fields.String())
    education = fields.String()
    county_code = fields.String()
    county_name = fields.String()
    functional_needs = fields.List(fields.String())
    accessibility_needs = fields.List(fields.String())
    total = fields.Float()
    explanation = fields.String()
    factors = fields.List(fields.Nested(FactorOut))
    referral_id = fields.Integer(allow_none=True)
    seeker_consented = fields.Boolean()
    awards = fields.List(fields.String())


class PostOut(Schema):
    id = fields.Integer()
    employer_id = fields.Integer()
    employer_name = fields.String(attribute="employer.name")
    title = fields.String()
    description = fields.String()
    skills = fields.List(fields.String())
    min_education = fields.String()
    county_code = fields.String()
    address = fields.String()
    salary_min = fields.Integer()
    salary_max = fields.Integer()
    work_mode = fields.String()
    positions = fields.Integer()
    filled = fields.Integer()
    seats_left = fields.Integer()
    functions = fields.Dict(keys=fields.String(), values=fields.Integer())
    accommodations = fields.List(fields.String())
    status = fields.String()
    opens_on = fields.Date(allow_none=True)
    closes_on = fields.Date(allow_none=True)


class ProfileOut(Schema):
    person_id = fields.Integer()
    skills = fields.List(fields.String())
    skill_names = fields.List(fields.String())
    skills_text = fields.String()
    preferred_modes = fields.List(fields.String())
    min_salary = fields.Integer()
    preferred_counties = fields.List(fields.String())
    max_commute_km = fields.Float(allow_none=True)
    travel_mode = fields.String(allow_none=True)
    commute = fields.Dict()
    functions = fields.Dict(keys=fields.String(), values=fields.Integer())
    adjustments = fields.Dict(keys=fields.String(), values=fields.Integer())
    functions_adjusted = fields.Boolean()
    accessibility_needs = fields.List(fields.String())
    active = fields.Boolean()


class HistoryOut(Schema):
    status = fields.String()
    at = fields.String()
    by = fields.String()
    reason = fields.String()


class ReferralOut(Schema):
    id = fields.Integer()
    person_id = fields.Integer(allow_none=True)
    person_name = fields.String(allow_none=True)
    post_id = fields.Integer()
    post_title = fields.String()
    status = fields.String()
    status_name = fields.String()
    seeker_consented = fields.Boolean()
    seeker_interested = fields.Boolean()
    reason = fields.String()
    history = fields.List(fields.Nested(HistoryOut))
    outcome_at = fields.DateTime(allow_none=True)
    created_at = fields.DateTime()
