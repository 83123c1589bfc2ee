"""The one reader of web forms (`core.schemas.load_form`): what every package's form relies on."""

from flask_babel import force_locale
from marshmallow import fields, validate
from werkzeug.datastructures import MultiDict

from core.schemas import FORM_VALUE, BaseSchema, load_form
from jobmatch.schemas import PostIn, ProfileIn
from training.schemas import CourseUpdate


class Sample(BaseSchema):
    name = fields.String(required=True)
    note = fields.String(load_default="none given")
    tags = fields.List(fields.String(validate=validate.OneOf(("a", "b", "c"))), load_default=list)
    wanted = fields.Boolean(load_default=True)
    words = fields.List(
        fields.String(),
        load_default=list,
        metadata={FORM_VALUE: lambda form: form.get("words", "").split() or None},
    )


def _load(app, form, lang="en"):
    with app.test_request_context(), force_locale(lang):
        return load_form(Sample(), form)


def test_an_empty_box_is_not_given_so_the_default_or_the_required_error_applies(app):
    data, errors = _load(app, {"name": "Li", "note": ""})
    assert errors == {} and data["note"] == "none given"
    data, errors = _load(app, {"name": ""})
    assert data == {} and errors == {"name": ["Missing data for required field."]}


def test_a_list_takes_every_value_of_its_repeated_key_without_the_empty_ones(app):
    form = MultiDict([("name", "Li"), ("tags", "a"), ("tags", ""), ("tags", "c")])
    assert _load(app, form)[0]["tags"] == ["a", "c"]
    assert _load(app, {"name": "Li"})[0]["tags"] == []


def test_a_check_box_is_true_only_when_sent_ticked(app):
    assert _load(app, {"name": "Li"})[0]["wanted"] is False  # unticked: nothing is sent
    for ticked in ("1", "on", "true"):
        assert _load(app, {"name": "Li", "wanted": ticked})[0]["wanted"] is True
    for unticked in ("", "0", "false"):
        assert _load(app, {"name": "Li", "wanted": unticked})[0]["wanted"] is False


def test_a_field_with_a_form_reader_takes_what_the_reader_makes_of_the_form(app):
    assert _load(app, {"name": "Li", "words": "x  y"})[0]["words"] == ["x", "y"]
    assert _load(app, {"name": "Li", "words": " "})[0]["words"] == []  # None: the default


def test_the_csrf_token_and_unknown_keys_are_dropped(app):
    data, errors = _load(app, {"name": "Li", "csrf_token": "t", "role": "admin"})
    assert errors == {} and "csrf_token" not in data and "role" not in data


def test_errors_are_one_translated_list_of_text_per_field(app):
    form = MultiDict([("tags", "a"), ("tags", "z")])
    data, errors = _load(app, form, "zh")
    assert data == {}
    assert set(errors) == {"name", "tags"}
    assert all(isinstance(m, str) for messages in errors.values() for m in messages)
    assert len(errors["tags"]) == 1  # the second item's error, not {1: [...]}
    assert errors["name"] != ["Missing data for required field."]  # in Chinese


COURSE_FORM = {
    "title": "直播电商实训",
    "mode": "online",
    "county_code": "330302",
    "starts_on": "2026-03-02",
    "ends_on": "2026-04-01",
    "seats": "25",
}


def test_the_course_form_splits_its_typed_skills(app):
    with app.test_request_context():
        data, errors = load_form(CourseUpdate(), {**COURSE_FORM, "skills": "Excel、Python；typing"})
        assert errors == {} and data["skills"] == ["Excel", "Python", "typing"]
        assert data["free_for_disabled"] is False and data["accessibility"] == []
        _, errors = load_form(CourseUpdate(), {**COURSE_FORM, "skills": " , "})
    assert errors == {"skills": ["长度须在 1 到 20 之间。"]}  # the list is empty


def test_the_job_function_levels_come_from_one_select_each(app):
    form = {"title": "Clerk", "fn_lifting": "2", "fn_seeing": "", "fn_unknown": "3"}
    with app.test_request_context():
        data, errors = load_form(PostIn(), form)
        assert errors == {} and data["functions"] == {"lifting": 2}
        data, _ = load_form(ProfileIn(), {"functions_present": "1"})
        assert data["functions"] == {}  # the form showed the levels: none chosen
        data, _ = load_form(ProfileIn(), {})
        assert data["functions"] is None  # not on the form: the profile's defaults apply
