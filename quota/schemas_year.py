"""Marshmallow schemas of the employer's year after filing: receipts, notices, requests, rewards."""

from marshmallow import Schema, fields, validate

from core.schemas import ROW_ID, BaseSchema
from quota.rules.requests import OUTCOMES, REASON_MAX, REQUEST_KINDS, REVIEW_SUBJECTS, STATUSES
from quota.schemas import DATA_YEAR, _decimal


class NextStepOut(Schema):
    what = fields.String()
    when = fields.String()


class ReceiptClaimOut(Schema):
    cert_masked = fields.String()
    level = fields.Integer(allow_none=True)
    months = fields.Integer(allow_none=True)
    verdict = fields.String(allow_none=True)


class ReceiptOut(Schema):
    reference = fields.String()
    filing_id = fields.Integer()
    version = fields.Integer()
    amendment = fields.Boolean()
    reason = fields.String(allow_none=True)
    submitted_at = fields.DateTime()
    employer_name = fields.String()
    credit_code = fields.String()
    data_year = fields.Integer()
    monthly_headcounts = fields.List(fields.String())
    wage_total = fields.String(allow_none=True)
    claims = fields.List(fields.Nested(ReceiptClaimOut))
    next_steps = fields.List(fields.Nested(NextStepOut))


class TermsIn(BaseSchema):
    """What the year's notices state about paying, set by an administrator."""

    data_year = fields.Integer(required=True, validate=DATA_YEAR)
    issuer = fields.String(required=True, validate=validate.Length(min=1, max=100))
    payee = fields.String(required=True, validate=validate.Length(min=1, max=200))
    how_to_pay = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    where_to_pay = fields.String(required=True, validate=validate.Length(min=1, max=2000))
    review_request_days = fields.Integer(load_default=None, validate=validate.Range(1, 365))


class TermsOut(Schema):
    data_year = fields.Integer()
    issuer = fields.String()
    payee = fields.String()
    how_to_pay = fields.String()
    where_to_pay = fields.String()
    review_request_days = fields.Integer(allow_none=True)


class NoticeIn(BaseSchema):
    data_year = fields.Integer(required=True, validate=DATA_YEAR)
    kind = fields.String(
        required=True,
        validate=validate.OneOf(("assessment_notice", "payment_notice", "reward_notice")),
    )


class DocumentOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    number = fields.String()
    verification = fields.String()
    employer_id = fields.Integer()
    data_year = fields.Integer()
    issued_at = fields.DateTime()
    superseded_at = fields.DateTime(allow_none=True)
    figures = fields.Dict()


class VerificationOut(Schema):
    kind = fields.String()
    title = fields.String()
    number = fields.String()
    issued_on = fields.String()
    employer_name = fields.String()
    credit_code = fields.String()
    data_year = fields.Integer()
    current = fields.Boolean()
    figures = fields.Dict()


class LevyExportQuery(BaseSchema):
    format = fields.String(load_default="csv", validate=validate.OneOf(("csv", "xlsx")))


class RequestIn(BaseSchema):
    """An employer's request: relief (amount), deferral (deadline), review (subject), reward."""

    kind = fields.String(required=True, validate=validate.OneOf(REQUEST_KINDS))
    data_year = fields.Integer(required=True, validate=DATA_YEAR)
    reason = fields.String(required=True, validate=validate.Length(min=1, max=REASON_MAX))
    amount = _decimal(positive=True, load_default=None)
    deadline = fields.Date(load_default=None)
    subject = fields.String(load_default=None, validate=validate.OneOf(REVIEW_SUBJECTS))
    claim_id = fields.Integer(load_default=None, validate=ROW_ID)
    flag_id = fields.Integer(load_default=None, validate=ROW_ID)


class RequestDecisionIn(BaseSchema):
    outcome = fields.String(required=True, validate=validate.OneOf(OUTCOMES))
    reason = fields.String(load_default=None, validate=validate.Length(max=REASON_MAX))
    amount = _decimal(positive=True, load_default=None)
    deadline = fields.Date(load_default=None)


class RewardPaymentIn(BaseSchema):
    paid_on = fields.Date(required=True)
    reference = fields.String(required=True, validate=validate.Length(min=1, max=60))


class EvidenceOut(Schema):
    id = fields.Integer()
    filename = fields.String()
    content_type = fields.String()
    size = fields.Integer()
    uploaded_at = fields.DateTime()


class RequestOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    employer_id = fields.Integer()
    data_year = fields.Integer()
    subject = fields.String(allow_none=True)
    claim_id = fields.Integer(allow_none=True)
    flag_id = fields.Integer(allow_none=True)
    reason = fields.String()
    amount_requested = fields.Decimal(as_string=True, allow_none=True)
    deadline_requested = fields.Date(allow_none=True)
    status = fields.String()
    amount_granted = fields.Decimal(as_string=True, allow_none=True)
    deadline_granted = fields.Date(allow_none=True)
    decision_reason = fields.String(allow_none=True)
    decided_at = fields.DateTime(allow_none=True)
    paid_on = fields.Date(allow_none=True)
    payment_reference = fields.String(allow_none=True)
    created_at = fields.DateTime()
    evidence = fields.List(fields.Nested(EvidenceOut))


class RequestQuery(BaseSchema):
    status = fields.String(load_default=None, validate=validate.OneOf(STATUSES))
    kind = fields.String(load_default=None, validate=validate.OneOf(REQUEST_KINDS))


MAX_SIMULATED_HIRES = 50  # rows of the what-if simulator


class SimulatedHire(BaseSchema):
    level = fields.Integer(required=True, validate=validate.Range(1, 4))
    months = fields.Integer(required=True, validate=validate.Range(1, 12))


class WhatIfIn(BaseSchema):
    """Hires to simulate on a year's assessment: any number up to the simulator's limit."""

    data_year = fields.Integer(required=True, validate=DATA_YEAR)
    hires = fields.List(
        fields.Nested(SimulatedHire),
        required=True,
        validate=validate.Length(min=1, max=MAX_SIMULATED_HIRES),
    )


class WhatIfOut(Schema):
    hires = fields.Integer()
    levy_now = fields.Decimal(as_string=True)
    levy = fields.Decimal(as_string=True)
    saving = fields.Decimal(as_string=True)
    arranged = fields.Decimal(as_string=True)
    required = fields.Decimal(as_string=True)
    shortfall = fields.Decimal(as_string=True)
    arranged_ratio = fields.Decimal(as_string=True)
    factor = fields.Decimal(as_string=True)
    reward = fields.Decimal(as_string=True, allow_none=True)
    reward_eligible = fields.Boolean()
    candidates = fields.List(fields.Dict())


class ReminderOut(Schema):
    id = fields.Integer()
    kind = fields.String()
    data_year = fields.Integer()
    subject = fields.String()
    body = fields.String()
    created_at = fields.DateTime()
    read_at = fields.DateTime(allow_none=True)
    email_status = fields.String()
