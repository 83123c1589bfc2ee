"""Marshmallow schemas of getting in: reset codes, invitations, employers' self-registration."""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, validate

from core import identity
from core.accounts import CHANNELS
from core.models import REGISTRATION_STATUSES
from core.schemas import (
    BaseSchema,
    Text,
    _identity_check,
    chosen_employer_county,
    chosen_unit_type,
)

_CHANNEL = {
    "required": _l("Choose how the code is sent."),
    "validator_failed": _l("Choose e-mail or SMS."),
}


def _username(**kwargs):
    return Text(
        required=True,
        validate=validate.Length(min=3, max=80),
        error_messages={"required": _l("Enter the username.")},
        **kwargs,
    )


def _password():
    return fields.String(
        required=True,
        load_only=True,
        validate=validate.Length(max=200),
        error_messages={"required": _l("Enter a new password.")},
    )


class ResetRequestIn(BaseSchema):
    username = _username()
    channel = fields.String(
        required=True, validate=validate.OneOf(CHANNELS), error_messages=_CHANNEL
    )


class ResetIn(BaseSchema):
    username = _username()
    code = fields.String(
        required=True,
        validate=validate.Length(min=1, max=20),
        error_messages={"required": _l("Enter the code you received.")},
    )
    password = _password()


class ActivateIn(BaseSchema):
    token = fields.String(required=True, validate=validate.Length(min=1, max=100))
    username = _username()
    password = _password()


class InviteIn(BaseSchema):
    channel = fields.String(
        required=True, validate=validate.OneOf(CHANNELS), error_messages=_CHANNEL
    )


class EmployerRegistrationIn(BaseSchema):
    credit_code = fields.String(
        required=True,
        validate=_identity_check(identity.validate_credit_code),
        error_messages={"required": _l("Enter the unified social credit code.")},
    )
    name = Text(
        required=True,
        validate=validate.Length(min=2, max=200),
        error_messages={"required": _l("Enter the employer's name.")},
    )
    unit_type = chosen_unit_type()
    county_code = chosen_employer_county()
    contact_name = Text(
        required=True,
        validate=validate.Length(min=1, max=50),
        error_messages={"required": _l("Enter the contact person's name.")},
    )
    contact_phone = fields.String(load_default=None, validate=validate.Length(max=20))
    contact_email = fields.Email(
        required=True,
        validate=validate.Length(max=120),
        error_messages={
            "required": _l("Enter the e-mail address the decision is sent to."),
        },
    )
    username = _username()
    password = _password()


class RegistrationDecisionIn(BaseSchema):
    outcome = fields.String(
        required=True,
        validate=validate.OneOf(("approve", "refuse")),
        error_messages={"required": _l("Choose approve or refuse.")},
    )
    reason = Text(load_default=None, validate=validate.Length(max=1000))


class EmployerRegistrationOut(Schema):
    id = fields.Integer()
    credit_code = fields.String()
    name = fields.String()
    unit_type = fields.String()
    county_code = fields.String()
    contact_name = fields.String()
    status = fields.String(validate=validate.OneOf(REGISTRATION_STATUSES))
    reason = fields.String(allow_none=True)
    employer_id = fields.Integer(allow_none=True)
    created_at = fields.DateTime()
    decided_at = fields.DateTime(allow_none=True)


class RegistrationQuery(BaseSchema):
    status = fields.String(load_default="pending", validate=validate.OneOf(REGISTRATION_STATUSES))


class InvitationOut(Schema):
    channel = fields.String()
    expires_at = fields.DateTime()


class NoticeOut(Schema):
    message = fields.String()
