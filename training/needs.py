"""A seeker's accessibility needs for training, and a course's measured effectiveness.

Pure domain code: the default needs follow the disability certificate (category and level) when the
seeker's profile does not list any; the profile's accommodation codes are mapped onto course codes.
"""

from __future__ import annotations

from collections.abc import Iterable

from training.gap import ACCESSIBILITY_CODES

VISUAL, HEARING, PHYSICAL, INTELLECTUAL = 1, 2, 4, 5
# jobmatch accommodation codes that mean the same as a course accessibility code.
PROFILE_ALIASES = {"braille_materials": "braille"}
MIN_EMPLOYMENT_OBSERVATIONS = 5


def default_needs(category: int, level: int) -> frozenset[str]:
    """The course accessibility a person with this certificate needs by default."""
    if category == VISUAL:
        return frozenset({"screen_reader", "braille"})
    if category == HEARING:
        return frozenset({"sign_language"})
    if category == INTELLECTUAL:
        return frozenset({"easy_read"})
    if category == PHYSICAL and level in (1, 2):
        return frozenset({"step_free"})
    return frozenset()


def course_codes(profile_needs: Iterable[str]) -> frozenset[str]:
    """The course accessibility codes named by a profile's needs (other accommodations dropped)."""
    mapped = (PROFILE_ALIASES.get(code, code) for code in profile_needs or ())
    return frozenset(code for code in mapped if code in ACCESSIBILITY_CODES)


def seeker_needs(profile_needs: Iterable[str] | None, category: int, level: int) -> frozenset[str]:
    """The profile's needs when it lists any course-relevant ones, else the certificate's default."""
    listed = course_codes(profile_needs or ())
    return listed if listed else default_needs(category, level)


def effectiveness(
    employed: int, observed: int, minimum: int = MIN_EMPLOYMENT_OBSERVATIONS
) -> float | None:
    """The six-month employment rate once enough completers are observed, else None (prior used)."""
    if observed < minimum or observed <= 0:
        return None
    return employed / observed
