"""Marshmallow schemas of the quota review: the calculator, filings, conflicts, runs and payments."""

import re

from flask_babel import gettext as _
from marshmallow import Schema, ValidationError, fields, validate, validates_schema

from core import identity
from core.i18n import lang
from core.schemas import ROW_ID, BaseSchema, decimal_field
from quota.rules.filing import UNIT_TYPES

JURISDICTIONS = ("CN-ZJ", "DE")
DATA_YEAR = validate.Range(2015, 2100)  # a data year (or review year) the service takes
MAX_AMOUNT = 10**14  # yuan: below what NUMERIC(18, 2) holds, far above any employer's wage bill
MAX_COUNT = 10**8  # people: below what NUMERIC(18, 4) holds


def _decimal(minimum=0, maximum=MAX_AMOUNT, positive=False, **kwargs):
    """A decimal input (exact) within bounds, documented with numeric bounds (core.schemas)."""
    return decimal_field(minimum, maximum, positive, **kwargs)


class CalculatorEmployee(BaseSchema):
    """One disabled employee in the calculator: the level comes from the certificate when given."""

    certificate_no = fields.String(load_default=None, validate=validate.Length(max=24))
    level = fields.Integer(load_default=None, validate=validate.Range(1, 4))
    months = fields.Integer(load_default=12, validate=validate.Range(1, 12))
    counts = fields.Boolean(load_default=True)

    @validates_schema
    def _level_known(self, data, **_kwargs):
        if data.get("certificate_no"):
            try:
                cert = identity.parse_certificate(data["certificate_no"])
            except identity.IdentityError as error:
                raise ValidationError(error.message(lang()), "certificate_no") from None
            if data.get("level") not in (None, cert.level):
                raise ValidationError(_("The level does not match the certificate."), "level")
            data["level"] = cert.level
        elif data.get("level") is None:
            raise ValidationError(
                _("Give the certificate level or the certificate number."), "level"
            )


class AssessIn(BaseSchema):
    """The public calculator's input (Zhejiang by default, Germany with jurisdiction DE)."""

    jurisdiction = fields.String(load_default="CN-ZJ", validate=validate.OneOf(JURISDICTIONS))
    year = fields.Integer(required=True, validate=validate.Range(2000, 2100))
    unit_type = fields.String(load_default=None, validate=validate.OneOf(sorted(UNIT_TYPES)))
    headcount = _decimal(maximum=MAX_COUNT, positive=True, load_default=None)
    monthly_headcounts = fields.List(
        _decimal(maximum=MAX_COUNT), load_default=None, validate=validate.Length(equal=12)
    )
    monthly_disabled = fields.List(
        _decimal(maximum=MAX_COUNT), load_default=None, validate=validate.Length(equal=12)
    )
    average_wage = _decimal(load_default=None)
    wage_total = _decimal(load_default=None)
    social_average_wage = _decimal(positive=True, load_default=None)
    disabled_employees = fields.List(fields.Nested(CalculatorEmployee), load_default=list)

    @validates_schema(skip_on_field_errors=True)
    def _one_of_each(self, data, **_kwargs):
        errors: dict[str, list[str]] = {}
        if data["jurisdiction"] == "DE":
            for name in ("monthly_headcounts", "monthly_disabled"):
                if data.get(name) is None:
                    errors[name] = [_("Give the twelve monthly figures.")]
            if not errors:
                over = {
                    month: [_("More occupied places than jobs in this month.")]
                    for month, (placed, jobs) in enumerate(
                        zip(data["monthly_disabled"], data["monthly_headcounts"], strict=True)
                    )
                    if placed > jobs
                }
                if over:
                    errors["monthly_disabled"] = over
        else:
            if not data.get("unit_type"):
                errors["unit_type"] = [_("Choose the unit type.")]
            if (data.get("headcount") is None) == (data.get("monthly_headcounts") is None):
                errors["headcount"] = [
                    _("Give either the annual average headcount or the twelve monthly headcounts.")
                ]
            elif data.get("monthly_headcounts") is not None and not any(data["monthly_headcounts"]):
                errors["monthly_headcounts"] = [_("The headcount must be positive.")]
            if (data.get("average_wage") is None) == (data.get("wage_total") is None):
                errors["average_wage"] = [
                    _("Give either the average wage or the wage total, not both.")
                ]
        if errors:
            raise ValidationError(errors)


class ExplanationOut(Schema):
    step = fields.String()
    zh = fields.String()
    en = fields.String()
    text = fields.String()


class AssessOut(Schema):
    """The calculator's answer: every figure as a decimal string, the rule set and the explanation."""

    jurisdiction = fields.String()
    rule_set = fields.String()
    data_year = fields.Integer()
    unit_type = fields.String()
    headcount = fields.String()
    required = fields.String()
    arranged = fields.String()
    shortfall = fields.String()
    arranged_ratio = fields.String()
    wage_base = fields.String()
    social_average_wage = fields.String(allow_none=True)
    cap = fields.String(allow_none=True)
    capped = fields.Boolean()
    capped_wage_base = fields.String()
    exempt = fields.Boolean()
    factor = fields.String()
    levy = fields.String()
    excess = fields.String()
    reward_eligible = fields.Boolean()
    reward = fields.String(allow_none=True)
    jobs = fields.String()
    average_jobs = fields.String()
    occupied = fields.String()
    mandatory = fields.String()
    unfilled = fields.String()
    quota_band = fields.String()
    size_class = fields.String()
    rate = fields.String()
    currency = fields.String()
    explanation = fields.List(fields.Nested(ExplanationOut))


class FilingEmployee(BaseSchema):
    """One claimed disabled employee in a filing."""

    certificate_no = fields.String(required=True, validate=validate.Length(max=24))
    level = fields.Integer(load_default=None, validate=validate.Range(1, 4))
    months = fields.Integer(required=True, validate=validate.Range(1, 12))
    long_contract = fields.Boolean(load_default=True)
    min_wage = fields.Boolean(load_default=True)
    social_insurance = fields.Boolean(load_default=True)

    @validates_schema
    def _certificate(self, data, **_kwargs):
        try:
            cert = identity.parse_certificate(data["certificate_no"])
        except identity.IdentityError as error:
            raise ValidationError(error.message(lang()), "certificate_no") from None
        if data.get("level") not in (None, cert.level):
            raise ValidationError(_("The level does not match the certificate."), "level")
        data["certificate_no"] = cert.number
        data["level"] = cert.level


SUBMISSION_KEY = re.compile(r"^[A-Za-z0-9_.:-]{8,64}$")  # a client's key for one save


class FilingIn(BaseSchema):
    """A filing's figures: twelve monthly headcounts, the wage total, the disabled employees."""

    data_year = fields.Integer(required=True, validate=DATA_YEAR)
    monthly_headcounts = fields.List(
        _decimal(maximum=MAX_COUNT), required=True, validate=validate.Length(equal=12)
    )
    wage_total = _decimal(required=True)
    employees = fields.List(fields.Nested(FilingEmployee), load_default=list)
    version = fields.Integer(load_default=None, validate=ROW_ID)
    reason = fields.String(load_default=None, validate=validate.Length(max=2000))
    submit = fields.Boolean(load_default=False)
    # A key the client makes for this save (e.g. a UUID); a retry with the same key after a lost
    # answer gets the first answer instead of a refusal as someone else's change.
    submission_key = fields.String(
        load_default=None,
        validate=validate.Regexp(SUBMISSION_KEY.pattern),
    )

    @validates_schema(skip_on_field_errors=True)
    def _consistent(self, data, **_kwargs):
        if not any(data["monthly_headcounts"]):
            raise ValidationError(_("The headcount must be positive."), "monthly_headcounts")
        seen: dict[str, int] = {}
        for i, employee in enumerate(data["employees"]):
            rid = employee["certificate_no"][:18]
            if rid in seen:
                raise ValidationError(
                    {"employees": {i: {"certificate_no": [_("This person is listed twice.")]}}}
                )
            seen[rid] = i


class FilingOut(Schema):
    id = fields.Integer()
    employer_id = fields.Integer()
    data_year = fields.Integer()
    status = fields.String()
    version = fields.Integer()
    source = fields.String()
    monthly_headcounts = fields.List(fields.String())
    wage_total = fields.Decimal(as_string=True, allow_none=True)
    amend_reason = fields.String(allow_none=True)
    submitted_at = fields.DateTime(allow_none=True)
    claims = fields.Method("_claims")

    def _claims(self, filing):
        from quota.services.filings import claim_view

        return [claim_view(claim) for claim in filing.claims]


class VersionIn(BaseSchema):
    version = fields.Integer(required=True, validate=ROW_ID)
    reason = fields.String(load_default=None, validate=validate.Length(max=2000))


class ResolveIn(BaseSchema):
    winner_claim_id = fields.Integer(required=True, validate=ROW_ID)
    note = fields.String(load_default=None, validate=validate.Length(max=2000))


class NominalHireIn(BaseSchema):
    claim_id = fields.Integer(required=True, validate=ROW_ID)
    note = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class WithdrawIn(BaseSchema):
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class NominalHireOut(Schema):
    id = fields.Integer()
    employer_id = fields.Integer()
    data_year = fields.Integer()
    cert_masked = fields.String()
    note = fields.String()
    recorded_at = fields.DateTime()
    withdrawn_at = fields.DateTime(allow_none=True)
    withdraw_reason = fields.String(allow_none=True)


class ReviewIn(BaseSchema):
    year = fields.Integer(required=True, validate=DATA_YEAR)


class ReviewRunOut(Schema):
    id = fields.Integer()
    data_year = fields.Integer()
    status = fields.String()
    total = fields.Integer()
    done = fields.Integer()
    summary = fields.Dict(allow_none=True)
    error = fields.String(allow_none=True)


class YearSettingIn(BaseSchema):
    """A partial update of a year's parameters: a key left out keeps its value."""

    social_average_wage = _decimal(positive=True)
    reward_per_excess_person = _decimal()
    window_open = fields.Boolean(allow_none=True)  # None: follow the calendar
    payment_deadline = fields.Date()
    social_average_wage_source = fields.String(validate=validate.Length(max=200))
    verification_deadline = fields.Date()


class YearQuery(BaseSchema):
    year = fields.Integer(load_default=None, validate=DATA_YEAR)
    q = fields.String(load_default="", validate=validate.Length(max=50))


# --- answers of the endpoints returning plain dictionaries (documented so they can be checked) ----


class ConflictClaimOut(Schema):
    claim_id = fields.Integer()
    verdict = fields.String()
    months = fields.Integer()
    employer = fields.String()


class ConflictOut(Schema):
    data_year = fields.Integer()
    cert_masked = fields.String()
    claims = fields.List(fields.Nested(ConflictClaimOut))


class ConflictsOut(Schema):
    conflicts = fields.List(fields.Nested(ConflictOut))


class ResolveOut(Schema):
    claim_id = fields.Integer()
    verdict = fields.String()


class PublishedEmployerOut(Schema):
    """What a public list shows of an employer: no personal data."""

    credit_code = fields.String()
    name = fields.String()
    county = fields.String()


class MetQuotaOut(PublishedEmployerOut):
    unit_type = fields.String()
    headcount = fields.String()
    required = fields.String()
    arranged = fields.String()
    status = fields.String()


class UnpaidLevyOut(PublishedEmployerOut):
    levy = fields.String()
    paid = fields.String()
    outstanding = fields.String()


class NotFiledOut(PublishedEmployerOut):
    unit_type = fields.String()


class PublicationOut(Schema):
    data_year = fields.Integer()
    met_quota = fields.List(fields.Nested(MetQuotaOut))
    unpaid_published = fields.Boolean()
    payment_deadline = fields.String()
    not_filed_published = fields.Boolean()
    filing_deadline = fields.String(allow_none=True)
    not_filed = fields.List(fields.Nested(NotFiledOut))
    unpaid_levy = fields.List(fields.Nested(UnpaidLevyOut))


class PublicationQuery(BaseSchema):
    q = fields.String(load_default="", validate=validate.Length(max=50))


class FlagOut(Schema):
    credit_code = fields.String()
    employer_name = fields.String()
    data_year = fields.Integer()
    grade = fields.String()
    code = fields.String()
    reason_zh = fields.String()
    reason_en = fields.String()
    raised_at = fields.String()
    lifted_at = fields.String()
    status = fields.String()


class FlagsOut(Schema):
    format = fields.String()
    generated_at = fields.String()
    flags = fields.List(fields.Nested(FlagOut))


class FlagsQuery(BaseSchema):
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


class OfficialRecordIn(BaseSchema):
    """One employer's official figures for the year."""

    credit_code = fields.String(required=True, validate=validate.Length(equal=18))
    headcount = _decimal(maximum=MAX_COUNT, positive=True, required=True)
    wage_total = _decimal(load_default=None)
    source = fields.String(
        load_default="social_insurance", validate=validate.OneOf(("social_insurance", "tax"))
    )


class OfficialDataIn(BaseSchema):
    """Official headcounts and wage totals of a data year (at most 10,000 records a request)."""

    data_year = fields.Integer(required=True, validate=DATA_YEAR)
    records = fields.List(
        fields.Nested(OfficialRecordIn), required=True, validate=validate.Length(min=1, max=10_000)
    )


class OfficialDataOut(Schema):
    data_year = fields.Integer()
    imported = fields.Integer()
    unknown_credit_codes = fields.List(fields.String())


class PaymentImportOut(Schema):
    imported = fields.Integer()
    skipped = fields.Integer()


class SummaryOut(Schema):
    """An employer's overview (nested figures are decimal strings; see quota.overview.as_json)."""

    employer = fields.Dict()
    filings = fields.List(fields.Dict())
    assessments = fields.List(fields.Dict())
    flags = fields.List(fields.Dict())
    candidates = fields.List(fields.Dict())


# --- certificates to verify (#17 leftover: the API beside the web page) ---------------------------

CHECK_STATUSES = ("to_verify", "confirmed", "rejected")


class ChecksQuery(BaseSchema):
    status = fields.String(load_default="to_verify", validate=validate.OneOf(CHECK_STATUSES))
    year = fields.Integer(load_default=None, validate=validate.Range(2015, 2100))
    page = fields.Integer(load_default=1, validate=validate.Range(1, 100000))


class CheckDecisionIn(BaseSchema):
    decision = fields.String(required=True, validate=validate.OneOf(("confirm", "reject")))
    reason = fields.String(required=True, validate=validate.Length(min=1, max=2000))


class CheckOut(Schema):
    """A certificate to verify: the number masked, never the person's name."""

    id = fields.Integer()
    employer_id = fields.Integer()
    employer = fields.String(allow_none=True)
    data_year = fields.Integer()
    cert_masked = fields.String()
    issuing_area = fields.String(metadata={"description": "the issuing county's code"})
    issuing_area_name = fields.String(allow_none=True)
    status = fields.String(metadata={"description": "to_verify | confirmed | rejected"})
    has_evidence = fields.Boolean()
    evidence_at = fields.DateTime(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    reason = fields.String(allow_none=True)
    created_at = fields.DateTime()


class ChecksOut(Schema):
    checks = fields.List(fields.Nested(CheckOut))
    page = fields.Integer()
    pages = fields.Integer()
    total = fields.Integer()
