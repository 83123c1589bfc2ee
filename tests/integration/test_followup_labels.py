"""The follow-up messages in words (followup/labels.py): short, in Chinese and English, never an ID
number, and signed with the counselor and only the known ways to reach them."""

import pytest
from flask_babel import force_locale
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from followup.labels import contact_line, follow_up_text, signed_text
from followup.timing import Contact, FollowUpKind, contains_sensitive_number


def _text(app, kind, language, name_hint=None):
    with app.test_request_context(), force_locale(language):
        return follow_up_text(kind, name_hint)


def _line(app, contact, language):
    with app.test_request_context(), force_locale(language):
        return contact_line(contact)


@pytest.mark.parametrize("kind", list(FollowUpKind))
def test_follow_up_texts_are_short_and_free_of_identity_numbers(app, kind):
    zh = _text(app, kind, "zh", name_hint="张女士")
    en = _text(app, kind, "en", name_hint="Ms Zhang")
    assert "张女士" in zh and "Ms Zhang" in en
    assert en.isascii() and not zh.isascii()
    for text in (zh, en, _text(app, kind, "zh"), _text(app, kind, "en")):
        assert not contains_sensitive_number(text)
        assert len(text) < 200


def test_follow_up_texts_differ_by_kind_and_greet_by_name_when_known(app):
    texts = {_text(app, kind, "en") for kind in FollowUpKind}
    assert len(texts) == len(FollowUpKind)
    assert _text(app, "retention_6m", "zh").startswith("您好：您上岗半年了")
    assert _text(app, "cadence", "zh", "王五").startswith("您好，王五：您的就业服务员")
    assert _text(app, "cadence", "en", "Ms Wang").startswith("Hello Ms Wang, your job counselor")
    assert _text(app, "cadence", "en").startswith("Hello, your job counselor")


def test_a_name_hint_carrying_an_id_number_is_refused(app):
    with pytest.raises(ValueError):
        _text(app, "cadence", "zh", name_hint="张 330102199001011234")


@settings(suppress_health_check=[HealthCheck.function_scoped_fixture], max_examples=50)
@given(st.text(alphabet=st.characters(blacklist_categories=["Nd"]), max_size=20))
def test_no_digit_name_hint_can_make_a_text_sensitive(app, name):
    assert not contains_sensitive_number(_text(app, "retention_1m", "zh", name_hint=name))


def test_the_contact_line_names_the_counselor_and_only_known_ways_to_reach_them(app):
    full = Contact("陈老师", "0571-87001234", "chen@example.org")
    assert _line(app, full, "zh") == (
        "您的就业服务员：陈老师，电话 0571-87001234，邮箱 chen@example.org。可在系统中直接回复本消息。"
    )
    assert (
        _line(app, Contact("陈老师"), "zh") == "您的就业服务员：陈老师。可在系统中直接回复本消息。"
    )
    assert _line(app, Contact(None), "en").startswith("Your job counselor: not assigned yet.")
    assert _line(app, full, "en") == (
        "Your job counselor: 陈老师, telephone 0571-87001234, e-mail chen@example.org. "
        "You can reply to this message in the app."
    )


def test_the_signed_text_is_in_the_language_asked_whatever_the_request(app):
    full = Contact("陈老师", "0571-87001234")
    with app.test_request_context(headers={"Accept-Language": "en"}):
        text = signed_text("retention_1m", "zh", full, name_hint="王五")
    assert text.startswith("您好，王五：您上岗一个月了") and text.endswith("直接回复本消息。")
    with app.app_context():  # a job: no request
        english = signed_text("retention_1m", "en", full)
    assert english.endswith("0571-87001234. You can reply to this message in the app.")
