"""Marshmallow schemas of the employment services (web forms and API)."""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, ValidationError, fields, validate

from core import identity
from core.i18n import lang
from core.schemas import ROW_ID, BaseSchema, Text, decimal_field
from employment.models import (
    AWARDS,
    COMPETITION_LEVELS,
    INSTITUTION_KINDS,
    RECOGNITION_KINDS,
    RECOGNITION_STATUSES,
    RELATIONS,
)

# Decimals are answered as strings (exact); documented as strings, not as numbers.
DECIMAL_STRING = {"type": "string", "format": "decimal"}
DIVISION_CODE_ERROR = "Enter a 6-digit division code of Zhejiang."  # translated on the way out
# Exactly six characters: the pattern's "$" alone would also accept a trailing new line.
DIVISION_CODE = [
    validate.Length(equal=6, error=DIVISION_CODE_ERROR),
    validate.Regexp(r"^33\d{4}$", error=DIVISION_CODE_ERROR),
]


class RecognitionIn(BaseSchema):
    """An application to recognise flexible or home-based work."""

    person_id = fields.Integer(load_default=None, validate=ROW_ID)
    kind = Text(required=True, validate=validate.OneOf(RECOGNITION_KINDS))
    work_started_on = fields.Date(required=True)
    evidence_text = Text(required=True, validate=validate.Length(min=10, max=4000))


class DecisionIn(BaseSchema):
    reason = Text(load_default="", validate=validate.Length(max=2000))


class RecognitionQuery(BaseSchema):
    status = Text(load_default=None, validate=validate.OneOf(RECOGNITION_STATUSES))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class RecognitionOut(BaseSchema):
    id = fields.Integer()
    person_id = fields.Integer()
    person_name = fields.Function(lambda a: a.person.name)
    county_code = fields.Function(lambda a: a.person.county_code)
    kind = fields.String()
    work_started_on = fields.Date()
    evidence_text = fields.String()
    has_evidence_file = fields.Function(lambda a: bool(a.evidence_file))
    evidence_filename = fields.String(allow_none=True)
    status = fields.String()
    applied_by_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    decided_by_id = fields.Integer(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    decision_reason = fields.String(allow_none=True)


class DisregardIn(BaseSchema):
    start_date = fields.Date(required=True)
    note = Text(load_default=None, validate=validate.Length(max=1000))


class IndicatorQuery(BaseSchema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2000, max=2100))
    county = Text(load_default=None, validate=DIVISION_CODE)


class AreaQuery(BaseSchema):
    county = Text(load_default=None, validate=DIVISION_CODE)


class IndicatorOut(Schema):
    code = fields.String()
    label = fields.String()
    value = fields.Decimal(as_string=True, allow_none=True, metadata=DECIMAL_STRING)
    numerator = fields.Decimal(as_string=True, allow_none=True, metadata=DECIMAL_STRING)
    denominator = fields.Integer(allow_none=True)
    target = fields.Decimal(as_string=True, allow_none=True, metadata=DECIMAL_STRING)
    met = fields.Boolean(allow_none=True)
    takeaway = fields.String()
    definition = fields.String()
    source = fields.String()
    basis = fields.String(metadata={"enum": ["records", "snapshot", "plan", "entered", "none"]})
    as_of = fields.Date(allow_none=True)
    data_year = fields.Integer(allow_none=True)
    data = fields.String()


class LeadUnitOut(Schema):
    employer_id = fields.Integer()
    name = fields.String()
    county_code = fields.String()
    arranged = fields.Decimal(as_string=True, allow_none=True, metadata=DECIMAL_STRING)
    employs = fields.Boolean()


class AreaIndicatorsOut(Schema):
    area_code = fields.String()
    area_name = fields.String()
    indicators = fields.List(fields.Nested(IndicatorOut))


class IndicatorReportOut(AreaIndicatorsOut):
    year = fields.Integer()
    breakdown = fields.List(fields.Nested(AreaIndicatorsOut))
    lead_units = fields.List(fields.Nested(LeadUnitOut))


class HardToEmployOut(Schema):
    id = fields.Integer()
    name = fields.String()
    county_code = fields.String()
    disability_category = fields.Integer()
    disability_level = fields.Integer()
    birth_date = fields.Date()


class HouseholdOut(Schema):
    household_id = fields.String()
    members = fields.List(fields.Nested(HardToEmployOut))


YES = ("yes", "true", "1")
NO = ("no", "false", "0")


class YesNo(fields.Field):
    """A fact answered yes or no, never assumed: a missing answer is an error, not a False."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = value.strip().lower() if isinstance(value, str) else None
        if value is True or text in YES:
            return True
        if value is False or text in NO:
            return False
        raise ValidationError(str(_l("Choose yes or no.")))

    def _serialize(self, value, attr, obj, **kwargs):
        return value


class RelativeIn(BaseSchema):
    """A household member without a registered disability."""

    household_id = Text(required=True, validate=validate.Length(min=1, max=40))
    relation = Text(required=True, validate=validate.OneOf(RELATIONS))
    birth_date = fields.Date(required=True)
    sex = Text(required=True, validate=validate.OneOf(("M", "F")))
    able_to_work = YesNo(required=True)
    wish_to_work = YesNo(required=True)
    employed = YesNo(required=True)


class RelativeUpdate(RelativeIn):
    """A change to a recorded member (the household stays)."""

    class Meta:
        exclude = ("household_id",)


class RelativeOut(Schema):
    id = fields.Integer()
    household_id = fields.String()
    county_code = fields.String()
    relation = fields.String()
    birth_date = fields.Date()
    sex = fields.String()
    able_to_work = fields.Boolean()
    wish_to_work = fields.Boolean()
    employed = fields.Boolean()


class HouseholdQuery(BaseSchema):
    household_id = Text(required=True, validate=validate.Length(min=1, max=40))


class IncomeIn(BaseSchema):
    """A year's per-capita disposable income of households with persons with disabilities."""

    year = fields.Integer(required=True, validate=validate.Range(min=2000, max=2100))
    area_code = Text(required=True, validate=DIVISION_CODE)
    amount = decimal_field(maximum=10_000_000, required=True, places=2, as_string=True)
    source = Text(required=True, validate=validate.Length(min=4, max=200))


class IncomeOut(Schema):
    id = fields.Integer()
    year = fields.Integer()
    area_code = fields.String()
    amount = fields.Decimal(as_string=True, metadata=DECIMAL_STRING)
    source = fields.String()


MAX_COUNT = 1_000_000


def _credit_code(value: str) -> None:
    try:
        identity.validate_credit_code(value)
    except identity.IdentityError as error:
        raise ValidationError(error.message(lang())) from None


class InstitutionIn(BaseSchema):
    """A welfare enterprise or blind-massage institution to register."""

    kind = Text(required=True, validate=validate.OneOf(INSTITUTION_KINDS))
    name = Text(required=True, validate=validate.Length(min=2, max=200))
    credit_code = Text(required=True, validate=_credit_code)
    county_code = Text(required=True, validate=DIVISION_CODE)
    registered_on = fields.Date(required=True)


class InstitutionOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    name = fields.String()
    credit_code = fields.String()
    county_code = fields.String()
    registered_on = fields.Date()
    closed_on = fields.Date(allow_none=True)


class InstitutionQuery(BaseSchema):
    kind = Text(load_default=None, validate=validate.OneOf(INSTITUTION_KINDS))


class MonthIn(BaseSchema):
    """One month's headcounts."""

    month = Text(
        required=True,
        validate=validate.Regexp(r"^\d{4}-\d{2}$", error="Enter the month as YYYY-MM."),
    )
    staff = fields.Integer(required=True, validate=validate.Range(min=0, max=MAX_COUNT))
    disabled = fields.Integer(required=True, validate=validate.Range(min=0, max=MAX_COUNT))
    qualifying = fields.Integer(required=True, validate=validate.Range(min=0, max=MAX_COUNT))


class YearQuery(BaseSchema):
    year = fields.Integer(load_default=None, validate=validate.Range(min=2015, max=2100))


def _reason_in(reason, language: str) -> str:
    from employment.institutions import reason_in

    return reason_in(reason, language)


class ReliefReasonOut(Schema):
    code = fields.String()
    zh = fields.Function(lambda r: _reason_in(r, "zh"))
    en = fields.Function(lambda r: _reason_in(r, "en"))


class MonthCheckOut(Schema):
    month = fields.Date()
    met = fields.Boolean()
    placed = fields.Integer()
    share = fields.Function(
        lambda m: None if m.share is None else f"{float(m.share):.4f}", metadata=DECIMAL_STRING
    )
    reasons = fields.List(fields.Nested(ReliefReasonOut))
    refund_limit = fields.Decimal(as_string=True, allow_none=True, metadata=DECIMAL_STRING)
    minimum_wage = fields.Decimal(as_string=True, allow_none=True, metadata=DECIMAL_STRING)


class ReliefOut(Schema):
    months = fields.List(fields.Nested(MonthCheckOut))
    failed_months = fields.Function(lambda y: [m.month.isoformat()[:7] for m in y.failed])
    refund_limit = fields.Decimal(as_string=True, allow_none=True, metadata=DECIMAL_STRING)


class TierIn(BaseSchema):
    county_code = Text(required=True, validate=DIVISION_CODE)
    tier = fields.Integer(required=True, validate=validate.OneOf((1, 2, 3)))


class MultipleIn(BaseSchema):
    year = fields.Integer(required=True, validate=validate.Range(min=2016, max=2100))
    refund_multiple = decimal_field(
        maximum=100, positive=True, required=True, places=2, as_string=True
    )
    source = Text(required=True, validate=validate.Length(min=4, max=200))


class WelfarePostIn(BaseSchema):
    """A public-welfare post."""

    title = Text(required=True, validate=validate.Length(min=2, max=200))
    host = Text(required=True, validate=validate.Length(min=2, max=200))
    funding = Text(required=True, validate=validate.Length(min=2, max=200))
    county_code = Text(required=True, validate=DIVISION_CODE)
    seats = fields.Integer(required=True, validate=validate.Range(min=1, max=10_000))
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)


class WelfarePostOut(Schema):
    id = fields.Integer()
    title = fields.String()
    host = fields.String()
    funding = fields.String()
    county_code = fields.String()
    seats = fields.Integer()
    starts_on = fields.Date()
    ends_on = fields.Date()


class AssignmentIn(BaseSchema):
    person_id = fields.Integer(required=True, validate=ROW_ID)
    starts_on = fields.Date(required=True)
    ends_on = fields.Date(required=True)
    reason = Text(load_default="", validate=validate.Length(max=1000))


class AssignmentOut(Schema):
    id = fields.Integer()
    post_id = fields.Integer()
    person_id = fields.Integer()
    starts_on = fields.Date()
    ends_on = fields.Date()
    priority_group = fields.Integer()
    reason = fields.String(allow_none=True)
    status = fields.String()
    ended_on = fields.Date(allow_none=True)


class EndIn(BaseSchema):
    ended_on = fields.Date(required=True)


class WelfareCandidateOut(Schema):
    person_id = fields.Integer()
    name = fields.String()
    priority_group = fields.Integer()
    rural = fields.Boolean(allow_none=True)
    zero_household = fields.Boolean()


class RuralIn(BaseSchema):
    rural = YesNo(required=True)


class CentreIn(BaseSchema):
    """An auxiliary-employment centre."""

    name = Text(required=True, validate=validate.Length(min=2, max=200))
    operator = Text(required=True, validate=validate.Length(min=2, max=200))
    county_code = Text(required=True, validate=DIVISION_CODE)
    opened_on = fields.Date(required=True)


class CentreOut(Schema):
    id = fields.Integer()
    name = fields.String()
    operator = fields.String()
    county_code = fields.String()
    opened_on = fields.Date()


class ParticipantIn(BaseSchema):
    person_id = fields.Integer(required=True, validate=ROW_ID)
    joined_on = fields.Date(required=True)


class ParticipantOut(Schema):
    id = fields.Integer()
    centre_id = fields.Integer()
    person_id = fields.Integer()
    joined_on = fields.Date()


def _money(maximum):
    return decimal_field(maximum=maximum, required=True, places=2, as_string=True)


class WorkMonthIn(BaseSchema):
    month = Text(
        required=True,
        validate=validate.Regexp(r"^\d{4}-\d{2}$", error="Enter the month as YYYY-MM."),
    )
    hours = _money(744)  # at most the hours of a month
    earnings = _money(1_000_000)


class WorkMonthOut(Schema):
    participant_id = fields.Integer()
    month = fields.Date()
    hours = fields.Decimal(as_string=True, metadata=DECIMAL_STRING)
    earnings = fields.Decimal(as_string=True, metadata=DECIMAL_STRING)


class CentreYearOut(Schema):
    participants = fields.Integer()
    hours = fields.Decimal(as_string=True, metadata=DECIMAL_STRING)
    earnings = fields.Decimal(as_string=True, metadata=DECIMAL_STRING)
    average_monthly_earnings = fields.Decimal(
        as_string=True, allow_none=True, metadata=DECIMAL_STRING
    )
    subsidy = fields.Decimal(as_string=True, allow_none=True, metadata=DECIMAL_STRING)


class SubsidyIn(BaseSchema):
    year = fields.Integer(required=True, validate=validate.Range(min=2015, max=2100))
    amount = _money(1_000_000)
    source = Text(required=True, validate=validate.Length(min=4, max=200))


class SubsidyOut(Schema):
    year = fields.Integer()
    amount = fields.Decimal(as_string=True, metadata=DECIMAL_STRING)
    source = fields.String()


class MultipleOut(Schema):
    year = fields.Integer()
    refund_multiple = fields.Decimal(as_string=True, metadata=DECIMAL_STRING)
    source = fields.String()


class StartupIn(BaseSchema):
    """An application for start-up support."""

    person_id = fields.Integer(required=True, validate=ROW_ID)
    business_name = Text(required=True, validate=validate.Length(min=2, max=200))
    business_plan = Text(required=True, validate=validate.Length(min=10, max=4000))
    amount_requested = _money(10_000_000)


class StartupDecisionIn(BaseSchema):
    decision = Text(required=True, validate=validate.OneOf(("approved", "rejected")))
    reason = Text(load_default="", validate=validate.Length(max=2000))
    amount_granted = decimal_field(maximum=10_000_000, load_default=None, places=2, as_string=True)
    business_started_on = fields.Date(load_default=None)


class FollowUpOut(Schema):
    id = fields.Integer()
    milestone = fields.Integer()
    due_on = fields.Date()
    checked_on = fields.Date(allow_none=True)
    operating = fields.Boolean(allow_none=True)
    note = fields.String(allow_none=True)


class StartupOut(Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    business_name = fields.String()
    business_plan = fields.String()
    amount_requested = fields.Decimal(as_string=True, metadata=DECIMAL_STRING)
    status = fields.String()
    amount_granted = fields.Decimal(as_string=True, allow_none=True, metadata=DECIMAL_STRING)
    business_started_on = fields.Date(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    follow_ups = fields.List(fields.Nested(FollowUpOut))


class FollowUpIn(BaseSchema):
    checked_on = fields.Date(required=True)
    operating = YesNo(required=True)
    note = Text(load_default="", validate=validate.Length(max=2000))


# ---- household registration and skills competitions ---------------------------------------------


class RegistrationIn(BaseSchema):
    """Whether a household's registration (户籍) is rural or urban, and the document it comes from."""

    registration = Text(required=True, validate=validate.OneOf(("rural", "urban")))
    source = Text(required=True, validate=validate.Length(min=2, max=200))


class HouseholdRegistrationOut(Schema):
    household_id = fields.String()
    registration = fields.Function(lambda row: "rural" if row.rural else "urban")
    source = fields.String()
    updated_at = fields.DateTime()


class Trades(fields.Field):
    """The trades of a competition: a list, or one text with one trade a line or separated by commas."""

    def _deserialize(self, value, attr, data, **kwargs):
        if isinstance(value, str):
            value = value.replace("，", ",").replace("、", ",").replace("\n", ",").split(",")
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise ValidationError(_l("Enter the trades as a list of names."))
        trades = [v.strip() for v in value if v.strip()]
        if not trades or len(trades) > 50 or any(len(t) > 100 for t in trades):
            raise ValidationError(_l("Name between 1 and 50 trades of at most 100 characters."))
        return trades


class CompetitionIn(BaseSchema):
    """A skills competition (职业技能竞赛)."""

    name = Text(required=True, validate=validate.Length(min=2, max=200))
    level = Text(required=True, validate=validate.OneOf(COMPETITION_LEVELS))
    organiser = Text(required=True, validate=validate.Length(min=2, max=200))
    held_on = fields.Date(required=True)
    trades = Trades(required=True, metadata={"type": "array", "items": {"type": "string"}})


class CompetitionOut(Schema):
    id = fields.Integer()
    name = fields.String()
    level = fields.String()
    organiser = fields.String()
    held_on = fields.Date()
    trades = fields.List(fields.String())


class EntryIn(BaseSchema):
    person_id = fields.Integer(required=True, validate=ROW_ID)
    trade = Text(required=True, validate=validate.Length(min=1, max=100))


class ResultIn(BaseSchema):
    """An entrant's result: a rank, an award, or both (neither clears a result entered by mistake)."""

    rank = fields.Integer(load_default=None, validate=validate.Range(min=1, max=100_000))
    award = Text(load_default=None, validate=validate.OneOf(AWARDS))


class EntryOut(Schema):
    id = fields.Integer()
    competition_id = fields.Integer()
    person_id = fields.Integer()
    trade = fields.String()
    rank = fields.Integer(allow_none=True)
    award = fields.String(allow_none=True)
