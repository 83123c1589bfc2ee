"""Default accessibility needs from the certificate, profile codes, effectiveness, enrolment states."""

import pytest

from training.needs import course_codes, default_needs, effectiveness, seeker_needs
from training.states import (
    TransitionRefused,
    allowed_actions,
    next_status,
    releases_seat,
)


@pytest.mark.parametrize(
    ("category", "level", "expected"),
    [
        (1, 1, {"screen_reader", "braille"}),
        (1, 4, {"screen_reader", "braille"}),
        (2, 3, {"sign_language"}),
        (5, 2, {"easy_read"}),
        (4, 1, {"step_free"}),
        (4, 2, {"step_free"}),
        (4, 3, set()),
        (4, 4, set()),
        (3, 1, set()),
        (6, 2, set()),
        (7, 1, set()),
    ],
)
def test_default_needs_follow_category_and_level(category, level, expected):
    assert default_needs(category, level) == frozenset(expected)


def test_profile_needs_win_and_are_mapped_onto_course_codes():
    assert course_codes(["braille_materials", "flexible_hours", "sign_language"]) == {
        "braille",
        "sign_language",
    }
    assert seeker_needs(["step_free"], 2, 1) == {"step_free"}
    assert seeker_needs([], 2, 1) == {"sign_language"}
    assert seeker_needs(["flexible_hours"], 5, 3) == {"easy_read"}  # nothing course-relevant listed
    assert seeker_needs(None, 4, 3) == frozenset()


def test_effectiveness_needs_enough_observations():
    assert effectiveness(3, 4) is None
    assert effectiveness(3, 5) == pytest.approx(0.6)
    assert effectiveness(0, 0) is None
    assert effectiveness(2, 2, minimum=1) == 1.0


def test_the_enrolment_workflow():
    status = "applied"
    for action, expected in [
        ("accept", "accepted"),
        ("attend", "attending"),
        ("complete", "completed"),
        ("certify", "certified"),
    ]:
        status = next_status(status, action)
        assert status == expected
    assert allowed_actions("certified") == ()
    assert allowed_actions("applied") == ("accept", "drop")
    assert allowed_actions("attending") == ("complete", "drop")


@pytest.mark.parametrize(
    ("status", "action"),
    [
        ("applied", "complete"),
        ("applied", "certify"),
        ("accepted", "accept"),
        ("completed", "drop"),
        ("certified", "drop"),
        ("dropped", "accept"),
        ("attending", "teleport"),
    ],
)
def test_invalid_transitions_are_refused(status, action):
    with pytest.raises(TransitionRefused) as refused:
        next_status(status, action)
    assert str(refused.value) == f"cannot {action} an enrolment that is {status}"


def test_only_dropping_out_gives_the_seat_back():
    assert releases_seat("attending", "dropped")
    assert not releases_seat("attending", "completed")
    assert not releases_seat("applied", "accepted")
