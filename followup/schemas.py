"""Marshmallow schemas of plans, actions and messages (API and web forms)."""

from flask_babel import lazy_gettext as _l
from marshmallow import Schema, fields, post_load, validate

from core.schemas import ROW_ID, TELEPHONE, BaseSchema, validate_county
from followup.models import ACTION_KINDS, ACTION_STATUSES, PLAN_STATUSES, REPLY_MAX_LENGTH
from followup.timing import DEFAULT_CADENCE_DAYS


class PlanIn(BaseSchema):
    person_id = fields.Integer(required=True, validate=ROW_ID)
    counselor_id = fields.Integer(load_default=None, allow_none=True, validate=ROW_ID)
    goals = fields.String(load_default="", validate=validate.Length(max=2000))
    cadence_days = fields.Integer(load_default=DEFAULT_CADENCE_DAYS, validate=validate.Range(1, 90))


class PlanUpdate(BaseSchema):
    counselor_id = fields.Integer(allow_none=True, validate=ROW_ID)
    goals = fields.String(validate=validate.Length(max=2000))
    cadence_days = fields.Integer(validate=validate.Range(1, 90))
    status = fields.String(validate=validate.OneOf(PLAN_STATUSES))


class ActionIn(BaseSchema):
    kind = fields.String(required=True, validate=validate.OneOf(ACTION_KINDS))
    description = fields.String(load_default="", validate=validate.Length(max=500))
    due_on = fields.Date(load_default=None, allow_none=True)


class ActionUpdate(BaseSchema):
    kind = fields.String(validate=validate.OneOf(ACTION_KINDS))
    description = fields.String(validate=validate.Length(max=500))
    due_on = fields.Date(allow_none=True)
    status = fields.String(validate=validate.OneOf(ACTION_STATUSES))


class ActionOut(Schema):
    id = fields.Integer()
    plan_id = fields.Integer()
    kind = fields.String()
    description = fields.String()
    due_on = fields.Date(allow_none=True)
    status = fields.String()
    done_on = fields.Date(allow_none=True)


class PlanOut(Schema):
    id = fields.Integer()
    person_id = fields.Integer()
    person_name = fields.Function(lambda plan: plan.person.name)
    counselor_id = fields.Integer(allow_none=True, validate=ROW_ID)
    goals = fields.String()
    cadence_days = fields.Integer()
    started_on = fields.Date()
    last_follow_up_on = fields.Date(allow_none=True)
    next_due_on = fields.Date(allow_none=True)
    next_kind = fields.String(allow_none=True)
    employed_on = fields.Date(allow_none=True)
    status = fields.String()
    phase_reason = fields.String(allow_none=True)
    phase_changed_on = fields.Date(allow_none=True)
    cancelled_kind = fields.String(allow_none=True)
    cancelled_due_on = fields.Date(allow_none=True)
    actions = fields.List(fields.Nested(ActionOut))


class MessageOut(Schema):
    id = fields.Integer()
    person_id = fields.Integer(allow_none=True)
    user_id = fields.Integer(allow_none=True)  # or to a login account (a reset code)
    employer_id = fields.Integer(allow_none=True)  # or to an employer (quota reminders)
    plan_id = fields.Integer(allow_none=True)
    channel = fields.String()
    kind = fields.String()
    subject = fields.String()
    body = fields.String()
    due_on = fields.Date(allow_none=True)
    status = fields.String()
    attempts = fields.Integer()
    next_attempt_at = fields.DateTime()
    sent_at = fields.DateTime(allow_none=True)
    read_at = fields.DateTime(allow_none=True)
    last_error = fields.String(allow_none=True)


class MessageQuery(BaseSchema):
    channel = fields.String(load_default=None, validate=validate.OneOf(("email", "sms", "in_app")))
    status = fields.String(
        load_default=None,
        validate=validate.OneOf(("pending", "sending", "sent", "dead", "cancelled")),
    )


class ReplyIn(BaseSchema):
    """A graduate's reply or a counselor's answer."""

    body = fields.String(
        required=True,
        validate=validate.Length(
            min=1, max=REPLY_MAX_LENGTH, error=_l("Write a reply of 1 to 1000 characters.")
        ),
        error_messages={"required": _l("Write your reply.")},
    )


class OfficeContactIn(BaseSchema):
    county_code = fields.String(
        required=True,
        validate=validate_county,
        error_messages={"required": _l("Choose the county.")},
    )
    phone = fields.String(load_default=None, validate=TELEPHONE)
    email = fields.Email(load_default=None)

    @post_load
    def _blank_to_none(self, data, **_kwargs):
        return {k: (None if v == "" else v) for k, v in data.items()}


class ReplyOut(Schema):
    id = fields.Integer()
    message_id = fields.Integer()
    person_id = fields.Integer()
    from_person = fields.Boolean()
    body = fields.String()
    created_at = fields.DateTime()
    answered_at = fields.DateTime(allow_none=True)
