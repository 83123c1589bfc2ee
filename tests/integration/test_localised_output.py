"""Validator messages with values filled in, and stored times, reach the user in their language and zone."""

import pytest
from marshmallow import Schema, ValidationError, fields, validate

from core import create_app
from core.errors import translate_messages


class Sample(Schema):
    months = fields.Integer(validate=validate.Range(1, 12))
    share = fields.Float(validate=validate.Range(min=0, max=1, min_inclusive=False))
    name = fields.String(validate=validate.Length(max=5))
    code = fields.String(validate=validate.Length(equal=6))
    kind = fields.String(validate=validate.OneOf(["enterprise", "government"]))
    rows = fields.List(fields.Integer(), validate=validate.Length(min=12, max=12))


BAD = {
    "months": 13,
    "share": 0,
    "name": "abcdefg",
    "code": "123",
    "kind": "shop",
    "rows": [1],
}


def messages(lang: str) -> dict:
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context(f"/?lang={lang}"):
        with pytest.raises(ValidationError) as caught:
            Sample().load(BAD)
        return {k: v[0] for k, v in translate_messages(caught.value.messages).items()}


def test_filled_in_messages_are_translated_with_their_values():
    zh = messages("zh")
    assert zh == {
        "months": "须在 1 到 12 之间（含两端）。",
        "share": "须大于 0 且不大于 1。",
        "name": "太长了：长度至多为 5。",
        "code": "长度须为 6。",
        "kind": "须为以下之一：enterprise, government。",
        "rows": "长度须在 12 到 12 之间。",
    }


def test_english_keeps_marshmallows_wording():
    en = messages("en")
    assert en["months"] == "Must be greater than or equal to 1 and less than or equal to 12."
    assert en["kind"] == "Must be one of: enterprise, government."


def test_unknown_text_passes_through():
    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context("/?lang=zh"):
        assert translate_messages(["Something else entirely."]) == ["Something else entirely."]


def test_stored_utc_times_are_shown_in_china_standard_time():
    from datetime import datetime

    from core.templating import local_time

    app = create_app({"TESTING": True, "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.test_request_context("/?lang=en"):
        assert local_time(datetime(2026, 11, 28, 17, 5)) == "2026-11-29 01:05"
        assert local_time("2026-11-28T01:00:30", seconds=True) == "2026-11-28 09:00:30"
        assert local_time(None) == ""
