"""The functional model: profiles, barriers, bridges, and posts that may not exclude by category."""

import pytest

from jobmatch.engine.accessibility import (
    FUNCTION_IDS,
    FunctionalProfile,
    PostRequirementError,
    check_post,
    default_profile,
    requirement_vector,
    validate_post_requirements,
)
from jobmatch.engine.functional_model import ACCOMMODATIONS, BRIDGES


def test_blind_seeker_cannot_meet_seeing_or_print_reading():
    profile = default_profile(1, 1)
    assert profile.can_meet("seeing") == 0
    assert profile.can_meet("reading") == 0
    assert profile.can_meet("lifting") == 3


@pytest.mark.parametrize("category", [1, 2, 3, 4, 5, 6, 7])
def test_milder_levels_never_lower_a_capacity(category):
    for severe, milder in [(1, 2), (2, 3), (3, 4)]:
        a, b = default_profile(category, severe), default_profile(category, milder)
        assert all(a.can_meet(f) <= b.can_meet(f) for f in FUNCTION_IDS)


@pytest.mark.parametrize(("category", "level"), [(0, 1), (8, 1), (1, 0), (1, 5)])
def test_invalid_category_or_level_is_rejected(category, level):
    with pytest.raises(ValueError):
        default_profile(category, level)


def test_multiple_disabilities_combine_their_components():
    profile = default_profile(7, 2, components=(1, 4))
    assert profile.can_meet("seeing") == 0
    assert profile.can_meet("standing") == 0
    assert profile.can_meet("hearing") == 3
    assert default_profile(7, 1).can_meet("hearing") == 1  # components unknown: capped for review


def test_deaf_seeker_and_full_hearing_post_without_sign_language_is_a_barrier():
    [barrier] = check_post(default_profile(2, 1), {"hearing": 3}, set())
    assert (barrier.function, barrier.needed, barrier.can_meet) == ("hearing", 3, 0)
    assert barrier.missing_accommodation == "sign_language"
    assert barrier.params() == {
        "function": "hearing",
        "needed": 3,
        "can_meet": 0,
        "missing_accommodation": "sign_language",
    }


def test_offered_sign_language_bridges_the_hearing_gap():
    assert check_post(default_profile(2, 1), {"hearing": 3}, {"sign_language"}) == []


def test_partial_bridge_is_not_enough():
    barriers = check_post(default_profile(2, 1), {"hearing": 3}, {"hearing_loop"})
    assert [b.function for b in barriers] == ["hearing"]


def test_gap_no_accommodation_bridges_says_so():
    [barrier] = check_post(default_profile(1, 1), {"seeing": 3}, {"screen_reader"})
    assert barrier.missing_accommodation is None
    assert barrier.params()["missing_accommodation"] is None


def test_no_profile_means_no_barriers():
    assert check_post(None, {"hearing": 3, "lifting": 3}, ()) == []


def test_counselor_adjustment_changes_the_outcome():
    profile = default_profile(2, 1).adjusted(hearing=2)
    assert check_post(profile, {"hearing": 2}, ()) == []
    assert profile.category == 2 and profile.level == 1


def test_profile_rejects_out_of_range_capacity():
    with pytest.raises(PostRequirementError):
        FunctionalProfile((("hearing", 5),))


def test_requirement_vector_subtracts_the_best_bridge():
    vec = dict(zip(FUNCTION_IDS, requirement_vector({"standing": 3}, {"seated_work"}), strict=True))
    assert vec["standing"] == 0
    assert (
        dict(zip(FUNCTION_IDS, requirement_vector({"standing": 3}, ()), strict=True))["standing"]
        == 3
    )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"functions": {}, "categories": [2]},
        {"functions": {"听力残疾": 3}},
        {"functions": {"visual": 1}},
        {"functions": {}, "notes": "视力残疾人除外"},
        {"functions": {}, "notes": "限肢体残疾"},
        {"functions": {}, "notes": "不招聋哑人"},
        {"functions": {}, "notes": "No deaf applicants"},
        {"functions": {}, "notes": "blind candidates only"},
    ],
)
def test_post_naming_a_disability_category_is_rejected(kwargs):
    with pytest.raises(PostRequirementError) as info:
        validate_post_requirements(**kwargs)
    assert info.value.code == "category"


def test_post_with_functions_and_welcoming_notes_is_accepted():
    functions = validate_post_requirements(
        {"hearing": 2, "lifting": 0}, {"sign_language"}, notes="欢迎残疾人报名，提供无障碍通道"
    )
    assert functions == {"hearing": 2}


@pytest.mark.parametrize(
    ("functions", "accommodations"),
    [({"flying": 1}, ()), ({"hearing": 4}, ()), ({"hearing": 1}, {"jetpack"})],
)
def test_unknown_functions_levels_or_accommodations_are_rejected(functions, accommodations):
    with pytest.raises(PostRequirementError):
        validate_post_requirements(functions, accommodations)


def _driving_posts():
    from jobmatch.engine.domain import Post

    accommodations = tuple(sorted(ACCOMMODATIONS))  # every accommodation there is
    return [
        Post("truck", skills=("货车司机",), county_code="330106", functions={"driving": 3}),
        Post(
            "van",
            skills=("驾驶",),
            county_code="330106",
            functions={"driving": 2},
            accommodations=accommodations,
        ),
        Post("desk", skills=("收银",), county_code="330106"),
    ]


@pytest.mark.parametrize(
    "profile",
    [
        default_profile(4, 1),
        default_profile(4, 2),
        default_profile(1, 3),
        default_profile(2, 4).adjusted(driving=0),
    ],
    ids=["wheelchair", "physical-2", "low-vision", "no-licence"],
)
def test_a_person_who_cannot_drive_never_sees_a_driving_post_as_workable(profile):
    from jobmatch.engine.domain import Seeker
    from jobmatch.engine.matcher import Matcher

    posts = _driving_posts()
    for post in posts[:2]:
        barriers = check_post(profile, post.functions, post.accommodations)
        assert [b.function for b in barriers] == ["driving"]
        assert barriers[0].missing_accommodation is None  # nothing bridges driving
    seeker = Seeker(
        "s", skills=("驾驶", "货车驾驶"), county_code="330106", functional_profile=profile
    )
    matcher = Matcher().fit(posts)
    shown = [r.post_id for r in matcher.rank_posts(seeker, 3) if not r.excluded]
    assert shown == ["desk"]
    assert all(r.post_id == "desk" for r in matcher.rank_many([seeker], 3).results(0))
    assert matcher.explain_pair(seeker, "truck").reasons[0].code == "function"


def test_a_licensed_driver_can_take_the_driving_post():
    assert check_post(default_profile(2, 4), {"driving": 2}) == []
    assert check_post(default_profile(4, 1).adjusted(driving=3), {"driving": 3}) == []


def test_new_functions_have_their_accommodations_or_none():
    assert check_post(default_profile(6, 1), {"night_shift": 3}, {"day_shift"}) == []
    assert check_post(default_profile(6, 1), {"noise": 2}, {"hearing_protection"}) == []
    for function in ("driving", "climbing", "working_at_height", "outdoor"):
        assert not any(function in bridges for bridges in BRIDGES.values()), function


def test_a_barrier_names_only_an_accommodation_the_post_could_offer():
    porter = {"lifting": 3, "walking": 2, "standing": 2}
    barriers = check_post(default_profile(4, 1), porter)
    standing = next(b for b in barriers if b.function == "standing")
    assert "seated_work" not in standing.options and "home_based" not in standing.options
    assert standing.params()["missing_accommodation"] not in ("seated_work", "home_based")
    desk = check_post(default_profile(4, 1), {"standing": 2})
    assert desk[0].missing_accommodation == "seated_work"
    night_guard = check_post(default_profile(6, 1), {"night_shift": 3})
    assert night_guard[0].missing_accommodation is None
