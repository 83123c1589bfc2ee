"""Skill-gap course recommendation: which open, reachable, accessible course closes most of the gap.

The gap is the set of skills the seeker's best compatible posts require and the seeker lacks, each
weighted by how many of those posts need it. A course's score is the share of the gap weight it
closes times its measured effectiveness (a neutral prior when not yet measured).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date

# Their display names are in training/labels.py (gettext), like every reason's sentence: this
# module returns codes and parameters only.
ACCESSIBILITY_CODES = frozenset(
    {"sign_language", "screen_reader", "braille", "step_free", "easy_read"}
)
MODES = frozenset({"online", "in_person"})
NEUTRAL_EFFECTIVENESS = 0.5


@dataclass(frozen=True)
class Seeker:
    """What the recommendation needs to know about a job-seeker."""

    skills: frozenset[str]
    county_code: str
    accessibility_needs: frozenset[str] = frozenset()

    def __post_init__(self) -> None:
        _check_codes(self.accessibility_needs)


@dataclass(frozen=True)
class Course:
    """A training course as offered by a provider."""

    id: str
    title: str
    skills: frozenset[str]
    mode: str
    county_code: str
    starts_on: date
    ends_on: date
    seats_left: int
    accessibility: frozenset[str] = frozenset()
    effectiveness: float | None = None

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown course mode: {self.mode!r}")
        if self.effectiveness is not None and not 0 <= self.effectiveness <= 1:
            raise ValueError("effectiveness must lie in [0, 1]")
        _check_codes(self.accessibility)


@dataclass(frozen=True)
class SkillGap:
    """A skill the seeker lacks and how many of the best posts need it."""

    skill_id: str
    posts_needing: int


@dataclass(frozen=True)
class Reason:
    """Why a course is suggested or left out: a code and its parameters (the sentence is
    training.labels.reason_text's).

    accessibility (missing: the codes the course lacks), out_of_reach (same_city), ended,
    started, full, no_gap, closes_gap (skills: the gap skill ids it teaches, helped, considered).
    """

    code: str
    params: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class CourseRecommendation:
    """A ranked course with the gap skills it closes and why it is suggested."""

    course: Course
    score: float
    gap_share: float
    effectiveness: float
    closes: tuple[str, ...]
    posts_helped: int
    reason: Reason


@dataclass(frozen=True)
class ExcludedCourse:
    """A course left out, with every reason it was left out."""

    course: Course
    reasons: tuple[Reason, ...]


@dataclass(frozen=True)
class Recommendations:
    """The gap, the ranked courses and (when asked) the excluded ones."""

    gap: tuple[SkillGap, ...]
    posts_considered: int
    courses: tuple[CourseRecommendation, ...]
    excluded: tuple[ExcludedCourse, ...] = field(default=())


def _check_codes(codes: frozenset[str]) -> None:
    unknown = set(codes) - ACCESSIBILITY_CODES
    if unknown:
        raise ValueError(f"unknown accessibility codes: {sorted(unknown)}")


def city_of(county_code: str) -> str:
    """The prefecture-level city code of a county code (first 4 digits + '00')."""
    return county_code[:4] + "00"


def skill_gap(
    seeker_skills: Iterable[str], best_posts: Sequence[Iterable[str]]
) -> tuple[SkillGap, ...]:
    """Skills the best posts require and the seeker lacks, most needed first."""
    have = set(seeker_skills)
    needed = Counter(skill for post in best_posts for skill in set(post) if skill not in have)
    ordered = sorted(needed.items(), key=lambda item: (-item[1], item[0]))
    return tuple(SkillGap(skill, count) for skill, count in ordered)


def exclusion_reasons(
    course: Course, seeker: Seeker, today: date, *, same_city: bool = False
) -> tuple[Reason, ...]:
    """Why the seeker cannot take this course: accessibility, reach, schedule or seats (empty if none)."""
    reasons = []
    missing = sorted(seeker.accessibility_needs - course.accessibility)
    if missing:
        reasons.append(Reason("accessibility", {"missing": tuple(missing)}))
    if not is_reachable(course, seeker.county_code, same_city=same_city):
        reasons.append(Reason("out_of_reach", {"same_city": same_city}))
    reasons.extend(_schedule_reasons(course, today))
    if course.seats_left <= 0:
        reasons.append(Reason("full"))
    return tuple(reasons)


def is_reachable(course: Course, county_code: str, *, same_city: bool = False) -> bool:
    """Online courses reach everyone; in-person ones the same county (or city, when allowed)."""
    if course.mode == "online" or course.county_code == county_code:
        return True
    return same_city and city_of(course.county_code) == city_of(county_code)


def _schedule_reasons(course: Course, today: date) -> list[Reason]:
    """An online course is open until it ends; an in-person one only before it starts."""
    if course.ends_on < today:
        return [Reason("ended")]
    if course.mode == "in_person" and course.starts_on <= today:
        return [Reason("started")]
    return []


def recommend_courses(
    seeker: Seeker,
    best_posts: Sequence[Iterable[str]],
    courses: Iterable[Course],
    today: date,
    *,
    same_city: bool = False,
    include_excluded: bool = False,
    prior: float = NEUTRAL_EFFECTIVENESS,
    limit: int | None = None,
) -> Recommendations:
    """Rank the courses the seeker can take by gap share closed times measured effectiveness."""
    posts = [frozenset(post) for post in best_posts]
    gap = skill_gap(seeker.skills, posts)
    ranked, excluded = [], []
    for course in courses:
        reasons = exclusion_reasons(course, seeker, today, same_city=same_city)
        closes = tuple(g.skill_id for g in gap if g.skill_id in course.skills)
        if not closes:
            reasons += (Reason("no_gap"),)
        if reasons:
            excluded.append(ExcludedCourse(course, reasons))
            continue
        ranked.append(_recommendation(course, closes, gap, posts, prior))
    ranked.sort(key=lambda r: (-r.score, -r.gap_share, r.course.starts_on, r.course.id))
    return Recommendations(
        gap=gap,
        posts_considered=len(posts),
        courses=tuple(ranked[:limit] if limit is not None else ranked),
        excluded=tuple(excluded) if include_excluded else (),
    )


def _recommendation(
    course: Course,
    closes: tuple[str, ...],
    gap: tuple[SkillGap, ...],
    posts: list[frozenset[str]],
    prior: float,
) -> CourseRecommendation:
    """Score one eligible course and say why (a closes_gap reason)."""
    total = sum(g.posts_needing for g in gap)
    share = sum(g.posts_needing for g in gap if g.skill_id in closes) / total
    effectiveness = prior if course.effectiveness is None else course.effectiveness
    helped = sum(1 for post in posts if post & set(closes))
    return CourseRecommendation(
        course=course,
        score=share * effectiveness,
        gap_share=share,
        effectiveness=effectiveness,
        closes=closes,
        posts_helped=helped,
        reason=gap_reason(closes, helped, len(posts)),
    )


def gap_reason(closes: Sequence[str], helped: int, considered: int) -> Reason:
    """'teaches X, needed by n of your m best posts', as a code and its parameters."""
    return Reason(
        "closes_gap", {"skills": tuple(closes), "helped": helped, "considered": considered}
    )
