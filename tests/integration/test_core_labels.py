"""Labels defined once, through gettext: disability categories and levels (core.labels), the
accessibility provisions training and matching share, and training.gap's reasons in words."""

import pytest
from flask_babel import force_locale

from core.labels import SHARED_ACCESS_NAMES, category_name, category_options, level_name
from jobmatch.labels import accommodation_name
from tests import factories
from training.gap import Reason
from training.labels import accessibility_name, reason_text


def _render(app, language, func, *args):
    with app.test_request_context(), force_locale(language):
        return func(*args)


def test_category_and_level_names_are_the_registrys_words(app):
    assert _render(app, "zh", category_name, 2) == "听力残疾"
    assert _render(app, "zh", level_name, 1) == "一级"
    assert _render(app, "en", category_name, 7) == "Multiple disabilities"
    assert _render(app, "en", level_name, 4) == "level 4"
    options = _render(app, "zh", category_options)
    assert options[0] == ("1", "视力残疾") and len(options) == 7


def test_a_person_page_shows_the_category_in_the_readers_language(app, client, auth, admin):
    pid = factories.make_person(category=2, level=1).id
    auth.login(admin)
    assert "听力残疾 一级" in client.get(f"/people/{pid}").get_data(as_text=True)
    page = client.get(f"/people/{pid}?lang=en").get_data(as_text=True)
    assert "Hearing disability level 1" in page


@pytest.mark.parametrize("language", ["zh", "en"])
def test_training_and_matching_share_one_name_per_shared_provision(app, language):
    for code in ("step_free", "easy_read"):
        assert _render(app, language, accessibility_name, code) == _render(
            app, language, accommodation_name, code
        )
    assert _render(app, language, accessibility_name, "braille") == _render(
        app, language, accommodation_name, "braille_materials"
    )
    assert _render(app, "zh", accessibility_name, "step_free") == "无障碍通行"
    assert set(SHARED_ACCESS_NAMES) == {"step_free", "braille", "easy_read"}


NAMES = {"live_stream": "直播运营", "video_edit": "短视频剪辑"}
GAP = Reason("closes_gap", {"skills": ("live_stream", "video_edit"), "helped": 4, "considered": 5})


def test_the_gap_reason_in_chinese_and_english(app):
    assert _render(app, "zh", reason_text, GAP, NAMES.get) == (
        "教授 直播运营、短视频剪辑，您最匹配的 5 个岗位中有 4 个需要"
    )
    assert _render(app, "en", reason_text, GAP, NAMES.get) == (
        "teaches 直播运营 and 短视频剪辑, needed by 4 of your 5 best posts"
    )
    one = Reason("closes_gap", {"skills": ("live_stream",), "helped": 3, "considered": 5})
    assert _render(app, "en", reason_text, one) == (
        "teaches live_stream, needed by 3 of your 5 best posts"
    )


@pytest.mark.parametrize(
    ("reason", "zh", "en"),
    [
        (
            Reason("accessibility", {"missing": ("braille", "step_free")}),
            "缺少您需要的盲文材料、无障碍通行",
            "does not offer braille materials, step-free access",
        ),
        (Reason("out_of_reach", {"same_city": False}), "线下课程不在您所在的县（市、区）", None),
        (Reason("out_of_reach", {"same_city": True}), "线下课程不在您所在的市", None),
        (Reason("ended"), "课程已结束", "course has ended"),
        (Reason("started"), "线下课程已开班", "in-person course has already started"),
        (Reason("full"), "名额已满", "no seats left"),
        (Reason("no_gap"), "不涉及您缺少的技能", "teaches none of the skills you lack"),
    ],
)
def test_each_exclusion_reason_in_words(app, reason, zh, en):
    assert _render(app, "zh", reason_text, reason) == zh
    if en:
        assert _render(app, "en", reason_text, reason) == en
