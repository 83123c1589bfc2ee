"""Marshmallow schemas at the boundary: people, employers, accounts (API and web forms)."""

from collections.abc import Mapping

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import (
    EXCLUDE,
    Schema,
    ValidationError,
    fields,
    post_load,
    pre_load,
    validate,
    validates,
)
from werkzeug.datastructures import MultiDict

from core import divisions, identity
from core.codes import EDUCATION_LEVELS, EMPLOYMENT_TYPES, ROLES, UNIT_TYPES, UNKNOWN
from core.i18n import lang
from core.limits import MAX_ID

ROW_ID = validate.Range(min=1, max=MAX_ID)  # a row's id as input: positive, fits an INTEGER


def _identity_check(parser):
    def check(value):
        try:
            parser(value)
        except identity.IdentityError as error:
            raise ValidationError(error.message(lang())) from None

    return check


def validate_county(value: str) -> None:
    if not divisions.is_county(value):
        raise ValidationError(_("Choose a county-level division of Zhejiang."))


def storable_text_error(value: str) -> str | None:
    """Why a string cannot be stored (PostgreSQL refuses NUL; a lone surrogate cannot be encoded)."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return _("Remove the invalid characters from the text.")
    if "\x00" in value:
        return _("Remove the invalid characters from the text.")
    return None


class Text(fields.String):
    """A string both databases can store: anything else is a 422 on its field, never a 500."""

    def _deserialize(self, value, attr, data, **kwargs):
        text = super()._deserialize(value, attr, data, **kwargs)
        problem = storable_text_error(text)
        if problem:
            raise ValidationError(problem)
        return text


class BaseSchema(Schema):
    """Every input schema: unknown keys are dropped and no string field takes unstorable text."""

    class Meta:
        unknown = EXCLUDE

    @pre_load(pass_collection=False)
    def _reject_unstorable_text(self, data, **_kwargs):
        # A JSON body is a dict; a query string or form arrives as webargs' MultiDictProxy.
        if not isinstance(data, Mapping):
            return data
        known = {field.data_key or name for name, field in self.load_fields.items()}
        errors = {
            key: [problem]
            for key, value in data.items()
            if key in known  # unknown keys are dropped anyway
            for text in (value if isinstance(value, list) else [value])
            if isinstance(text, str) and (problem := storable_text_error(text))
        }
        errors.update(self._overlong_lists(data))
        if errors:
            raise ValidationError(errors)
        return data

    def _overlong_lists(self, data) -> dict:
        """A list longer than its field's Length validator allows is refused before any of its
        items is deserialised (marshmallow checks the length only after the items)."""
        errors = {}
        for name, field in self.load_fields.items():
            value = data.get(field.data_key or name)
            if not isinstance(field, fields.List) or not isinstance(value, list):
                continue
            for check in _length_validators(field):
                limit = check.equal if check.equal is not None else check.max
                if limit is not None and len(value) > limit:
                    errors[field.data_key or name] = [
                        check.message_equal.format(equal=check.equal)
                        if check.equal is not None
                        else check.message_max.format(max=check.max)
                    ]
        return errors


def _length_validators(field) -> list:
    found, pending = [], list(field.validators)
    while pending:
        check = pending.pop()
        if isinstance(check, validate.Length):
            found.append(check)
        elif isinstance(check, validate.And):
            pending.extend(check.validators)
    return found


class PersonIn(BaseSchema):
    """A job-seeker registration: the certificate carries ID, category and level."""

    certificate_no = fields.String(
        required=True, validate=_identity_check(identity.parse_certificate)
    )
    name = fields.String(required=True, validate=validate.Length(min=1, max=50))
    county_code = fields.String(required=True, validate=validate_county)
    phone = fields.String(
        load_default=None,
        validate=validate.Regexp(r"^1\d{10}$", error=_l("Enter an 11-digit mobile number.")),
    )
    email = fields.Email(load_default=None)
    education = fields.String(load_default="senior", validate=validate.OneOf(EDUCATION_LEVELS))
    major = fields.String(load_default=None, validate=validate.Length(max=100))
    graduation_year = fields.Integer(load_default=None, validate=validate.Range(1950, 2100))
    household_id = fields.String(load_default=None, validate=validate.Length(max=40))
    low_income = fields.Boolean(load_default=False)
    employment_type = fields.String(
        load_default="unemployed", allow_none=True, validate=validate.OneOf(EMPLOYMENT_TYPES)
    )
    wish_to_work = fields.Boolean(load_default=True, allow_none=True)
    able_to_work = fields.Boolean(load_default=True)
    consent = fields.Boolean(required=True)

    @validates("consent")
    def _consent_given(self, value, **_kwargs):
        if not value:
            raise ValidationError(_("The person's consent to data processing is required."))

    @post_load
    def _blank_to_none(self, data, **_kwargs):
        return {k: (None if v == "" else v) for k, v in data.items()}


class PersonUpdate(PersonIn):
    """A registry change: the certificate and the person's consent are not changed here."""

    class Meta:
        unknown = EXCLUDE
        exclude = ("certificate_no", "consent")


YES_NO = ("1", "0")


def _yes_no(required_message, unknown: bool = False):
    return fields.String(
        required=True,
        validate=validate.OneOf((*YES_NO, UNKNOWN) if unknown else YES_NO, error=required_message),
        error_messages={"required": required_message},
    )


class PersonForm(PersonIn):
    """The web registration form: every fact about the person is chosen, none is preset.

    The API keeps its documented defaults; a counselor at the form must pick the education,
    the employment status and the yes/no facts (a radio pair), so saving an untouched form
    cannot record "senior secondary, not employed, wishes to work" about someone.
    """

    county_code = fields.String(
        required=True,
        validate=validate_county,
        error_messages={"required": _l("Choose the county where the person is registered.")},
    )
    education = fields.String(
        required=True,
        validate=validate.OneOf(EDUCATION_LEVELS),
        error_messages={"required": _l("Choose the person's education.")},
    )
    employment_type = fields.String(
        required=True,
        validate=validate.OneOf(
            (*EMPLOYMENT_TYPES, UNKNOWN), error=_l("Choose the person's employment status.")
        ),
        error_messages={"required": _l("Choose the person's employment status.")},
    )
    low_income = _yes_no(_l("Choose whether the person's family receives dibao."))
    wish_to_work = _yes_no(_l("Choose whether the person wishes to work."), unknown=True)
    able_to_work = _yes_no(_l("Choose whether the person is able to work."))

    @post_load
    def _yes_no_to_bool(self, data, **_kwargs):
        """ "1"/"0" to True/False; "unknown" (不详/未核实) to None, stored as not known."""
        for key in ("low_income", "wish_to_work", "able_to_work"):
            if key in data:
                data[key] = None if data[key] == UNKNOWN else data[key] == "1"
        if data.get("employment_type") == UNKNOWN:
            data["employment_type"] = None
        return data


class PersonEditForm(PersonForm):
    """A registry change by the form: the certificate and the person's consent are not changed here."""

    class Meta:
        unknown = EXCLUDE
        exclude = ("certificate_no", "consent")


# A landline with its area code (0571-87654321) or a mobile number: a work telephone.
TELEPHONE = validate.Regexp(
    r"^(0\d{2,3}-?\d{7,8}|1\d{10})$",
    error=_l("Enter a landline with its area code (0571-87654321) or an 11-digit mobile number."),
)


class WorkContactIn(BaseSchema):
    """A staff account's work telephone and e-mail, named in the messages it signs."""

    phone = fields.String(load_default=None, validate=TELEPHONE)
    email = fields.Email(load_default=None)

    @post_load
    def _blank_to_none(self, data, **_kwargs):
        return {k: (None if v == "" else v) for k, v in data.items()}


class PersonOut(BaseSchema):
    id = fields.Integer()
    name = fields.String()
    id_masked = fields.String()
    cert_masked = fields.String()
    disability_category = fields.Integer()
    disability_level = fields.Integer()
    sex = fields.String()
    birth_date = fields.Date()
    county_code = fields.String()
    education = fields.String()
    major = fields.String(allow_none=True)
    graduation_year = fields.Integer(allow_none=True)
    employment_type = fields.String(allow_none=True)
    wish_to_work = fields.Boolean(allow_none=True)
    low_income = fields.Boolean()
    household_id = fields.String(allow_none=True)


class EmployerIn(BaseSchema):
    credit_code = fields.String(
        required=True, validate=_identity_check(identity.validate_credit_code)
    )
    name = fields.String(required=True, validate=validate.Length(min=2, max=200))
    unit_type = fields.String(required=True, validate=validate.OneOf(UNIT_TYPES))
    county_code = fields.String(required=True, validate=validate_county)
    contact_name = fields.String(load_default=None, validate=validate.Length(max=50))
    contact_phone = fields.String(load_default=None, validate=validate.Length(max=20))
    contact_email = fields.Email(load_default=None)
    is_lead_unit = fields.Boolean(load_default=False)


def chosen_unit_type():
    """An employer's unit type as a form asks for it (chosen, never preset)."""
    return fields.String(
        required=True,
        validate=validate.OneOf(UNIT_TYPES),
        error_messages={"required": _l("Choose the unit type.")},
    )


def chosen_employer_county():
    """An employer's county as a form asks for it (chosen, never preset)."""
    return fields.String(
        required=True,
        validate=validate_county,
        error_messages={"required": _l("Choose the county where the employer is registered.")},
    )


class EmployerForm(EmployerIn):
    """The web registration form: the unit type, county and lead-unit status are chosen."""

    unit_type = chosen_unit_type()
    county_code = chosen_employer_county()
    is_lead_unit = _yes_no(_l("Choose whether the employer is a lead unit."))

    @post_load
    def _lead_to_bool(self, data, **_kwargs):
        if "is_lead_unit" in data:
            data["is_lead_unit"] = data["is_lead_unit"] == "1"
        return data


class EmployerOut(BaseSchema):
    id = fields.Integer()
    credit_code = fields.String()
    name = fields.String()
    unit_type = fields.String()
    county_code = fields.String()
    contact_name = fields.String(allow_none=True)
    is_lead_unit = fields.Boolean()


class TokenRequest(BaseSchema):
    username = fields.String(required=True, validate=validate.Length(min=1, max=80))
    password = fields.String(
        required=True, validate=validate.Length(min=1, max=200), load_only=True
    )


class TokenResponse(Schema):
    access_token = fields.String()
    token_type = fields.String()
    expires_in = fields.Integer()
    role = fields.String()


class UserOut(BaseSchema):
    id = fields.Integer()
    username = fields.String()
    role = fields.String(validate=validate.OneOf(ROLES))
    display_name = fields.String()
    employer_id = fields.Integer(allow_none=True)
    person_id = fields.Integer(allow_none=True)
    county_code = fields.String(allow_none=True)


class ListQuery(BaseSchema):
    q = fields.String(load_default="", validate=validate.Length(max=50))
    page = fields.Integer(load_default=1, validate=validate.Range(min=1, max=100000))
    per_page = fields.Integer(load_default=50, validate=validate.Range(min=1, max=200))


class DivisionOut(Schema):
    code = fields.String()
    name = fields.String()
    level = fields.String()
    parent_code = fields.String()


FORM_VALUE = "form_value"  # field metadata: a reader of the field's value from a submitted form
UNTICKED = ("", "0", "false")  # what a check box sends when it stands for "no" (or nothing at all)


def form_data(schema: Schema, form) -> dict:
    """A submitted web form in the shape the schema loads (the one reader of every package's forms).

    - a value typed or chosen is passed as submitted; an empty one ("") is left out, so the field
      is missing (required: an error; otherwise its default), never an empty string;
    - a list field takes every value of its repeated key (check boxes, a multiple select), empty
      ones left out; no value is an empty list;
    - a check box (a Boolean field) is True when sent with any value but "", "0" and "false", and
      False when not sent (an unticked box sends nothing);
    - a field whose metadata has a `FORM_VALUE` reader takes what `reader(form)` returns (None:
      not given), e.g. a list typed into one text box, or a dict from one select per key;
    - the CSRF token is left out; other keys the schema does not know are dropped by it.
    `form` is a MultiDict (`request.form`) or a plain dict.
    """
    if not isinstance(form, MultiDict):
        form = MultiDict(form)
    raw = {key: value for key, value in form.items() if key != "csrf_token" and value != ""}
    for name, field in schema.load_fields.items():
        key = field.data_key or name
        reader = field.metadata.get(FORM_VALUE)
        if reader is not None:
            raw.pop(key, None)
            value = reader(form)
            if value is not None:
                raw[key] = value
        elif isinstance(field, fields.List):
            raw[key] = [value for value in form.getlist(key) if value != ""]
        elif isinstance(field, fields.Boolean):
            raw[key] = key in form and form.get(key) not in UNTICKED
    return raw


def load_form(schema: Schema, form) -> tuple[dict, dict]:
    """Validate a submitted web form (read by `form_data`); returns (data, errors), the errors
    translated, as one flat list of text per field (a list's per-item errors included)."""
    try:
        return schema.load(form_data(schema, form)), {}
    except ValidationError as error:
        from core.errors import messages_of, translate_messages

        translated = translate_messages(error.messages)
        return {}, {key: messages_of(value) for key, value in translated.items()}


def decimal_field(minimum=0, maximum=None, positive=False, **kwargs):
    """A decimal input (exact) within bounds, documented with numeric bounds.

    apispec would document a Range on a Decimal field through the field's own serialisation,
    i.e. as strings ("minimum": "0"), which is not a valid JSON Schema; so the Range is wrapped
    (apispec does not look inside `And`) and the bounds are documented as numbers instead.
    """
    bounds = validate.Range(min=minimum, max=maximum, min_inclusive=not positive)
    metadata = {"minimum": minimum}
    if maximum is not None:
        metadata["maximum"] = maximum
    if positive:
        metadata["exclusiveMinimum"] = True
    options = {"places": None, "allow_nan": False, **kwargs}
    return fields.Decimal(validate=validate.And(bounds), metadata=metadata, **options)
