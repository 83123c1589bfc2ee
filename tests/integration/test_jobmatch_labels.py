"""Matching's words: the engine returns codes and structured lines; jobmatch.labels renders them
once, through gettext, in the reader's language (one wording per label)."""

import pytest
from flask_babel import force_locale

from jobmatch.engine.accessibility import (
    PostRequirementError,
    default_profile,
    validate_post_requirements,
)
from jobmatch.engine.domain import Post, Seeker
from jobmatch.engine.functional_model import ACCOMMODATIONS, FUNCTIONS
from jobmatch.engine.matcher import Matcher
from jobmatch.engine.skills import default_vocabulary
from jobmatch.labels import (
    accommodation_name,
    explanation,
    function_name,
    reason_text,
    requirement_error_text,
)

XIHU, JINGNING = "330106", "331127"


def _render(app, language, func, *args):
    with app.test_request_context(headers={"Accept-Language": language}), force_locale(language):
        return func(*args)


def test_an_explanation_in_both_languages(app):
    m = Matcher().fit([Post(1, skills=("收银", "仓储管理", "盘点"), county_code=XIHU)])
    result = m.rank_posts(Seeker("s", skills=("收银", "仓库管理"), county_code=XIHU))[0]
    vocab = default_vocabulary()
    zh = _render(app, "zh", explanation, result, vocab)
    en = _render(app, "en", explanation, result, vocab)
    assert zh.startswith(
        "技能匹配 2/3（收银、仓储管理）；相关技能：仓储管理 ≈ 盘点；距离：同县（区）"
    )
    assert en.startswith(
        "skills 2/3 (Cashier, Warehouse management); related skills: "
        "Warehouse management ≈ Stocktaking; distance: same county"
    )


def test_reasons_and_accommodations_in_both_languages(app):
    deaf = Seeker(
        "d",
        county_code=XIHU,
        max_commute_km=10,
        commute_basis="own",
        functional_profile=default_profile(2, 1),
    )
    m = Matcher().fit(
        [
            Post(1, functions={"hearing": 3}, county_code=XIHU),
            Post(2, functions={"hearing": 3}, accommodations={"sign_language"}, county_code=XIHU),
            Post(3, county_code=JINGNING),
        ]
    )
    results = {r.post_id: r for r in m.rank_posts(deaf, 10, include_excluded=True)}
    vocab = default_vocabulary()
    zh = _render(app, "zh", explanation, results[2], vocab)
    assert zh.endswith("已提供便利：手语支持")
    [barrier] = results[1].reasons
    assert _render(app, "zh", reason_text, barrier) == (
        "听觉：岗位要求持续/完全，求职者可承担无需；单位未提供手语支持"
    )
    [far] = results[3].reasons
    assert _render(app, "en", reason_text, far) == (
        "workplace 景宁畲族自治县 (other city) is beyond the commute limit (10 km, the seeker's "
        "own limit) and the post is not home-based"
    )


@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_function_and_accommodation_has_one_name(app, language):
    names = _render(app, language, lambda: [function_name(f) for f in FUNCTIONS])
    assert len(set(names)) == len(FUNCTIONS) and all(n and n not in FUNCTIONS for n in names)
    names = _render(app, language, lambda: [accommodation_name(a) for a in ACCOMMODATIONS])
    assert len(set(names)) == len(ACCOMMODATIONS)
    if language == "zh":
        assert _render(app, "zh", accommodation_name, "step_free") == "无障碍通行"


def test_a_refused_post_requirement_is_said_in_the_readers_language(app):
    with pytest.raises(PostRequirementError) as info:
        validate_post_requirements({}, notes="不招聋哑人")
    assert "残疾类别" in _render(app, "zh", requirement_error_text, info.value)
    assert "disability categories" in _render(app, "en", requirement_error_text, info.value)
