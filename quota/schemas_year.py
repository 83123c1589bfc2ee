"""Marshmallow schemas of the employer's year after filing: receipts, notices, requests, rewards."""

from marshmallow import Schema, fields


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
