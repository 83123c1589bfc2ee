"""Skill-gap course recommendation: gap weights, filters, ranking and reasons."""

from datetime import date

import pytest

from training.gap import (
    Course,
    Seeker,
    city_of,
    is_reachable,
    recommend_courses,
    skill_gap,
)

TODAY = date(2025, 3, 1)
SEEKER = Seeker(frozenset({"excel"}), "330102", frozenset({"screen_reader"}))
POSTS = [
    ("live_stream", "excel"),
    ("live_stream", "video_edit"),
    ("live_stream",),
    ("video_edit", "customer_service"),
    ("excel",),
]
NAMES = {"live_stream": "直播运营", "video_edit": "短视频剪辑", "customer_service": "客户服务"}
SR = frozenset({"screen_reader"})


def course(cid, skills, mode="online", county="330402", starts=date(2025, 2, 1), **kw):
    kw.setdefault("ends_on", date(2025, 5, 1))
    kw.setdefault("seats_left", 5)
    kw.setdefault("accessibility", SR)
    return Course(cid, f"course {cid}", frozenset(skills), mode, county, starts, **kw)


COURSES = [
    course("A", {"live_stream"}),  # online, already running: still open
    course(
        "B",
        {"live_stream", "video_edit"},
        "in_person",
        "330102",
        date(2025, 3, 10),
        accessibility=frozenset({"screen_reader", "step_free"}),
        effectiveness=0.4,
    ),
    course("C", {"customer_service"}, "in_person", "330106", date(2025, 3, 5), effectiveness=0.9),
    course("D", {"video_edit"}, accessibility=frozenset()),
    course("E", {"live_stream"}, "in_person", "330102", date(2025, 2, 20)),
    course("F", {"live_stream"}, ends_on=date(2025, 2, 28)),
    course("G", {"live_stream"}, seats_left=0),
    course("H", {"excel"}),
    course("I", {"video_edit"}, effectiveness=0.9),
]


def test_skill_gap_weights_missing_skills_by_posts_needing_them():
    gap = skill_gap(SEEKER.skills, POSTS)
    assert [(g.skill_id, g.posts_needing) for g in gap] == [
        ("live_stream", 3),
        ("video_edit", 2),
        ("customer_service", 1),
    ]


def test_skill_gap_counts_a_skill_once_per_post():
    assert skill_gap(set(), [("a", "a", "b")])[0].posts_needing == 1


def test_ranking_is_gap_share_times_effectiveness():
    result = recommend_courses(SEEKER, POSTS, COURSES, TODAY)
    assert [r.course.id for r in result.courses] == ["B", "I", "A"]
    b, i, a = result.courses
    assert b.gap_share == pytest.approx(5 / 6) and b.score == pytest.approx(5 / 6 * 0.4)
    assert i.score == pytest.approx(2 / 6 * 0.9)
    assert a.effectiveness == 0.5 and a.score == pytest.approx(0.25)  # neutral prior
    assert b.closes == ("live_stream", "video_edit")
    assert result.posts_considered == 5
    assert result.excluded == ()


def test_neutral_prior_can_be_changed():
    result = recommend_courses(SEEKER, POSTS, COURSES, TODAY, prior=1.0)
    assert [r.course.id for r in result.courses] == ["A", "B", "I"]


def test_same_city_widens_reach_for_in_person_courses():
    result = recommend_courses(SEEKER, POSTS, COURSES, TODAY, same_city=True)
    assert [r.course.id for r in result.courses] == ["B", "I", "A", "C"]
    assert result.courses[-1].score == pytest.approx(1 / 6 * 0.9)


def test_excluded_courses_come_back_with_their_reasons_when_asked():
    result = recommend_courses(SEEKER, POSTS, COURSES, TODAY, include_excluded=True)
    reasons = {e.course.id: [r.code for r in e.reasons] for e in result.excluded}
    assert reasons == {
        "C": ["out_of_reach"],
        "D": ["accessibility"],
        "E": ["started"],
        "F": ["ended"],
        "G": ["full"],
        "H": ["no_gap"],
    }
    d = next(e for e in result.excluded if e.course.id == "D")
    assert d.reasons[0].params == {"missing": ("screen_reader",)}  # words: training.labels
    c = next(e for e in result.excluded if e.course.id == "C")
    assert c.reasons[0].params == {"same_city": False}


def test_a_course_can_fail_several_filters_at_once():
    bad = course("X", {"live_stream"}, "in_person", "330402", date(2025, 2, 1), seats_left=0)
    bad = Course(**{**bad.__dict__, "accessibility": frozenset()})
    result = recommend_courses(SEEKER, POSTS, [bad], TODAY, include_excluded=True)
    codes = [r.code for r in result.excluded[0].reasons]
    assert codes == ["accessibility", "out_of_reach", "started", "full"]


def test_reason_names_the_skills_and_the_posts_needing_them():
    result = recommend_courses(SEEKER, POSTS, COURSES, TODAY)
    b = result.courses[0]
    assert b.posts_helped == 4
    assert b.reason.code == "closes_gap"
    assert b.reason.params == {
        "skills": ("live_stream", "video_edit"),
        "helped": 4,
        "considered": 5,
    }


def test_reason_for_the_example_in_the_brief():
    posts = [("live_stream",)] * 12 + [("excel",)] * 8
    result = recommend_courses(SEEKER, posts, [COURSES[0]], TODAY)
    assert result.courses[0].reason.params == {
        "skills": ("live_stream",),
        "helped": 12,
        "considered": 20,
    }


def test_limit_and_no_gap():
    assert len(recommend_courses(SEEKER, POSTS, COURSES, TODAY, limit=1).courses) == 1
    skilled = Seeker(frozenset(NAMES) | {"excel"}, "330102")
    result = recommend_courses(skilled, POSTS, COURSES, TODAY)
    assert result.gap == () and result.courses == ()


def test_reachability_by_county_and_city_prefix():
    near = course("N", {"x"}, "in_person", "330182")
    assert city_of("330182") == "330100"
    assert is_reachable(near, "330102", same_city=True)
    assert not is_reachable(near, "330102")
    assert not is_reachable(near, "330203", same_city=True)
    assert is_reachable(course("O", {"x"}), "330203")


def test_in_person_course_starting_tomorrow_is_open_but_not_today():
    tomorrow = course("T", {"live_stream"}, "in_person", "330102", date(2025, 3, 2))
    today = course("U", {"live_stream"}, "in_person", "330102", TODAY)
    result = recommend_courses(SEEKER, POSTS, [tomorrow, today], TODAY)
    assert [r.course.id for r in result.courses] == ["T"]


def test_inputs_are_validated():
    with pytest.raises(ValueError):
        Seeker(frozenset(), "330102", frozenset({"wheelchair"}))
    with pytest.raises(ValueError):
        course("Z", {"x"}, mode="hybrid")
    with pytest.raises(ValueError):
        course("Z", {"x"}, effectiveness=1.5)
