"""Marshmallow schemas at the training boundary: providers, courses, enrolments, recommendations."""

import re
from decimal import Decimal

from flask_babel import gettext as _
from marshmallow import EXCLUDE, ValidationError, fields, post_load, validate, validates_schema

from core import identity
from core.i18n import lang
from core.schemas import FORM_VALUE, ROW_ID, BaseSchema, Text, validate_county
from training.gap import ACCESSIBILITY_CODES
from training.models import COURSE_LEVELS, COURSE_MODES, COURSE_STATUSES, ENROLMENT_STATUSES
from training.states import ACTIONS

ACCESS_CHOICES = sorted(ACCESSIBILITY_CODES)
MAX_COST = Decimal("1000000")
SKILL_SEPARATORS = re.compile(r"[,，、;；\n]+")


def _cost(value: Decimal) -> None:
    """A fee between 0 and 1,000,000 yuan (checked here so the OpenAPI document stays numeric)."""
    if not Decimal("0") <= value <= MAX_COST:
        raise ValidationError(_("Enter an amount between 0 and 1,000,000 yuan."))


def _credit_code(value: str) -> None:
    try:
        identity.validate_credit_code(value)
    except identity.IdentityError as error:
        raise ValidationError(error.message(lang())) from None


def split_skills(text: str) -> list[str]:
    """Split a typed list of skills on commas, enumeration marks, semicolons and new lines."""
    return [part for part in SKILL_SEPARATORS.split(text or "") if part.strip()]


def _typed_skills(form) -> list[str]:
    """The course form's skills: one text box, the skills separated as `split_skills` says."""
    return split_skills(form.get("skills", ""))


def _counties(values: list[str]) -> None:
    for value in values:
        validate_county(value)


class ProviderIn(BaseSchema):
    name = Text(required=True, validate=validate.Length(min=2, max=200))
    credit_code = Text(required=True, validate=_credit_code)
    licence = Text(load_default="", validate=validate.Length(max=60))
    county_code = Text(required=True, validate=validate_county)
    counties_served = fields.List(Text(), load_default=list, validate=_counties)
    venue_accessibility = fields.List(
        Text(validate=validate.OneOf(ACCESS_CHOICES)), load_default=list
    )
    address = Text(load_default="", validate=validate.Length(max=200))
    contact_phone = Text(load_default="", validate=validate.Length(max=20))
    active = fields.Boolean(load_default=True)


class ProviderUpdate(ProviderIn):
    class Meta:
        unknown = EXCLUDE
        exclude = ("credit_code",)


class ProviderOut(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    credit_code = fields.String()
    licence = fields.String()
    county_code = fields.String()
    counties_served = fields.List(fields.String())
    venue_accessibility = fields.List(fields.String())
    address = fields.String()
    active = fields.Boolean()


class CourseIn(BaseSchema):
    provider_id = fields.Integer(required=True, validate=ROW_ID)
    title = Text(required=True, validate=validate.Length(min=2, max=200))
    description = Text(load_default="", validate=validate.Length(max=5000))
    skills = fields.List(
        Text(validate=validate.Length(min=1, max=100)),
        required=True,
        validate=validate.Length(min=1, max=20),
        metadata={FORM_VALUE: _typed_skills},
    )
    level = Text(load_default="beginner", validate=validate.OneOf(COURSE_LEVELS))
    mode = Text(required=True, validate=validate.OneOf(COURSE_MODES))
    county_code = Text(required=True, validate=validate_county)
    venue = Text(load_default="", validate=validate.Length(max=200))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    schedule = Text(load_default="", validate=validate.Length(max=200))
    hours = fields.Integer(load_default=0, validate=validate.Range(min=0, max=5000))
    seats = fields.Integer(required=True, validate=validate.Range(min=1, max=10000))
    accessibility = fields.List(Text(validate=validate.OneOf(ACCESS_CHOICES)), load_default=list)
    cost = fields.Decimal(load_default=Decimal("0"), places=2, validate=_cost)
    free_for_disabled = fields.Boolean(load_default=True)
    status = Text(load_default="open", validate=validate.OneOf(COURSE_STATUSES))

    @validates_schema
    def _dates(self, data, **_kwargs):
        starts, ends = data.get("starts_on"), data.get("ends_on")
        if starts and ends and ends < starts:
            raise ValidationError(_("The course cannot end before it starts."), "ends_on")


class CourseUpdate(CourseIn):
    class Meta:
        unknown = EXCLUDE
        exclude = ("provider_id",)


class CourseOut(BaseSchema):
    id = fields.Integer()
    provider_id = fields.Integer()
    provider_name = fields.Function(lambda c: c.provider.name)
    title = fields.String()
    description = fields.String()
    skills = fields.List(fields.String())
    level = fields.String()
    mode = fields.String()
    county_code = fields.String()
    venue = fields.String()
    starts_on = fields.Date()
    ends_on = fields.Date()
    schedule = fields.String()
    hours = fields.Integer()
    seats = fields.Integer()
    seats_taken = fields.Integer()
    seats_left = fields.Integer()
    accessibility = fields.List(fields.String())
    # A string, to keep the exact amount; documented as one (a "number" would not match).
    cost = fields.Decimal(as_string=True, metadata={"type": "string", "format": "decimal"})
    free_for_disabled = fields.Boolean()
    status = fields.String()


class CourseQuery(BaseSchema):
    q = Text(load_default="", validate=validate.Length(max=50))
    county_code = Text(load_default="", validate=validate.Length(max=6))
    mode = Text(load_default="", validate=validate.OneOf(("", *COURSE_MODES)))
    provider_id = fields.Integer(load_default=None, validate=ROW_ID)
    accessibility = fields.List(Text(validate=validate.OneOf(ACCESS_CHOICES)), load_default=list)
    open_only = fields.Boolean(load_default=False)
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class EnrolmentIn(BaseSchema):
    course_id = fields.Integer(required=True, validate=ROW_ID)
    person_id = fields.Integer(load_default=None, validate=ROW_ID)


class TransitionIn(BaseSchema):
    action = Text(required=True, validate=validate.OneOf(ACTIONS))
    reason = Text(load_default="", validate=validate.Length(max=300))
    completed_on = fields.Date(load_default=None)
    certificate_no = Text(load_default="", validate=validate.Length(max=60))

    @post_load
    def _strip(self, data, **_kwargs):
        data["reason"] = data["reason"].strip()
        return data


class EnrolmentQuery(BaseSchema):
    course_id = fields.Integer(load_default=None, validate=ROW_ID)
    status = Text(load_default="", validate=validate.OneOf(("", *ENROLMENT_STATUSES)))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class EnrolmentOut(BaseSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    course_id = fields.Integer()
    course_title = fields.Function(lambda e: e.course.title)
    status = fields.String()
    applied_on = fields.Date()
    completed_on = fields.Date(allow_none=True)
    certificate = fields.Boolean()
    certificate_no = fields.String()
    drop_reason = fields.String()
    history = fields.List(fields.Dict())


class RecommendationQuery(BaseSchema):
    k = fields.Integer(load_default=5, validate=validate.Range(min=1, max=50))


class RecommendedCourseOut(BaseSchema):
    course = fields.Nested(CourseOut)
    score = fields.Float()
    gap_share = fields.Float()
    effectiveness = fields.Float()
    measured = fields.Boolean()
    closes = fields.List(fields.String())
    posts_helped = fields.Integer()
    reason = fields.String()


class GapSkillOut(BaseSchema):
    skill = fields.String()
    posts_needing = fields.Integer()


class SeekerCoursesOut(BaseSchema):
    person_id = fields.Function(lambda r: r.person.id)
    accessibility_needs = fields.Function(lambda r: sorted(r.needs))
    posts_considered = fields.Function(lambda r: len(r.posts))
    gap = fields.Function(lambda r: [{"skill": s, "posts_needing": n} for s, n in r.gap])
    courses = fields.List(fields.Nested(RecommendedCourseOut))


class RateOut(BaseSchema):
    numerator = fields.Integer()
    count = fields.Integer()
    rate = fields.Float(allow_none=True)
    low = fields.Float(allow_none=True)
    high = fields.Float(allow_none=True)
    comparison = fields.String()


class EvaluationOut(BaseSchema):
    scope = fields.String()
    subject_id = fields.Integer()
    name = fields.String()
    completion = fields.Nested(RateOut)
    certificate = fields.Nested(RateOut)
    employment_6m = fields.Nested(RateOut)


class EvaluationRunIn(BaseSchema):
    as_of = fields.Date(load_default=None)


class EvaluationRunOut(BaseSchema):
    as_of = fields.Date()
    courses = fields.Integer()
    providers = fields.Integer()
    enrolments = fields.Integer()
