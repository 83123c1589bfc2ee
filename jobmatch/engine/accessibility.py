"""Impairment -> functional limitation -> job function -> accommodation, the way JAN models it."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import numpy as np

from jobmatch.engine.functional_model import (
    ACCOMMODATIONS,
    BRIDGES,
    CATEGORIES,
    CATEGORY_CAPACITY,
    CONFLICTS,
    FUNCTIONS,
    MAX_LEVEL,
    MULTIPLE_CAP,
)

FUNCTION_IDS = tuple(FUNCTIONS)


@dataclass(frozen=True)
class FunctionalProfile:
    """The highest demand level (0-3) a person can meet per job function; unlisted means 3."""

    capacities: tuple[tuple[str, int], ...] = ()
    category: int | None = None
    level: int | None = None

    def __post_init__(self) -> None:
        caps = dict(self.capacities)
        _check_levels(caps, "capacity")
        object.__setattr__(self, "capacities", tuple(sorted(caps.items())))

    def can_meet(self, function: str) -> int:
        """Return the demand level of one function this person can meet."""
        return dict(self.capacities).get(function, MAX_LEVEL)

    def adjusted(self, **capacities: int) -> FunctionalProfile:
        """Return a copy with a counselor's adjustments applied."""
        merged = dict(self.capacities) | capacities
        return FunctionalProfile(tuple(merged.items()), self.category, self.level)

    def vector(self) -> np.ndarray:
        """Return the capacities in FUNCTION_IDS order, as int8."""
        return np.array([self.can_meet(f) for f in FUNCTION_IDS], dtype=np.int8)


@dataclass(frozen=True)
class Barrier:
    """A job function whose demand the seeker cannot meet with what the employer offers."""

    function: str
    needed: int
    can_meet: int
    missing_accommodation: str | None  # the accommodation that would bridge it, None if none can
    options: tuple[str, ...] = ()

    def params(self) -> dict:
        """Which function, what the post needs and the seeker can do, which accommodation is
        missing (None: none can bridge it); rendered by jobmatch.labels.barrier_text."""
        return {
            "function": self.function,
            "needed": self.needed,
            "can_meet": self.can_meet,
            "missing_accommodation": self.missing_accommodation,
        }


class PostRequirementError(ValueError):
    """A post's requirements break the rules (for example, they exclude a disability category).

    ``code``: category | unknown_accommodation | unknown_function | level, with ``params``;
    rendered by jobmatch.labels.requirement_error_text.
    """

    def __init__(self, field: str, code: str, **params) -> None:
        super().__init__(f"{field}: {code} {params}")
        self.field, self.code, self.params = field, code, params


def default_profile(category: int, level: int, components: Iterable[int] = ()) -> FunctionalProfile:
    """Return the starting profile for a certificate's category (1-7) and level (1 most severe)."""
    if category not in CATEGORIES or level not in (1, 2, 3, 4):
        raise ValueError(f"invalid disability category/level: {category}/{level}")
    if category == 7:
        parts = [c for c in components if c in CATEGORY_CAPACITY]
        caps = _pointwise_min(parts, level) if parts else _uniform(MULTIPLE_CAP[level - 1])
    else:
        caps = {f: levels[level - 1] for f, levels in CATEGORY_CAPACITY[category].items()}
    return FunctionalProfile(tuple(caps.items()), category, level)


def _pointwise_min(categories: list[int], level: int) -> dict[str, int]:
    caps: dict[str, int] = {}
    for c in categories:
        for f, levels in CATEGORY_CAPACITY[c].items():
            caps[f] = min(caps.get(f, MAX_LEVEL), levels[level - 1])
    return caps


def _uniform(cap: int) -> dict[str, int]:
    return {f: cap for f in FUNCTION_IDS}


def bridge_amount(function: str, accommodations: Iterable[str]) -> int:
    """Return how many demand levels of one function the offered accommodations bridge."""
    return max((BRIDGES.get(a, {}).get(function, 0) for a in accommodations), default=0)


def check_post(
    profile: FunctionalProfile | None,
    post_functions: Mapping[str, int],
    accommodations: Iterable[str] = (),
) -> list[Barrier]:
    """Return the barriers between a seeker's profile and a post; empty means the post is workable."""
    if profile is None:
        return []
    offered = frozenset(accommodations)
    barriers = []
    for function, needed in sorted(post_functions.items()):
        can = profile.can_meet(function)
        if needed <= can + bridge_amount(function, offered):
            continue
        options = tuple(
            a
            for a, b in BRIDGES.items()
            if can + b.get(function, 0) >= needed and compatible(a, post_functions)
        )
        barriers.append(Barrier(function, needed, can, options[0] if options else None, options))
    return barriers


def compatible(accommodation: str, post_functions: Mapping[str, int]) -> bool:
    """True when a post with these demands could offer the accommodation (see CONFLICTS)."""
    limits = CONFLICTS.get(accommodation, {})
    return all(post_functions.get(f, 0) <= top for f, top in limits.items())


def requirement_vector(
    post_functions: Mapping[str, int], accommodations: Iterable[str]
) -> np.ndarray:
    """Return per function the capacity a seeker needs after the offered bridges, as int8."""
    offered = frozenset(accommodations)
    return np.array(
        [post_functions.get(f, 0) - bridge_amount(f, offered) for f in FUNCTION_IDS], dtype=np.int8
    )


_CATEGORY_WORDS = (
    "残疾",
    "残障",
    "盲人",
    "视障",
    "聋",
    "哑",
    "听障",
    "肢残",
    "智障",
    "智力障碍",
    "精神病",
    "轮椅",
    "disab",
    "handicap",
    "blind",
    "deaf",
    "mute",
    "wheelchair",
    "autis",
    "mental illness",
    # the certificate's category names (core.identity), as written in a post
    "视力残疾",
    "听力残疾",
    "言语残疾",
    "肢体残疾",
    "智力残疾",
    "精神残疾",
    "多重残疾",
)
_CATEGORY_KEYS = {str(c) for c in CATEGORIES} | {
    "visual",
    "hearing_impairment",
    "speech",
    "physical",
    "intellectual",
    "mental",
    "multiple",
}
_CAT = "(?:" + "|".join(re.escape(w) for w in _CATEGORY_WORDS) + ")"
_REQUIREMENT_PATTERNS = (
    re.compile(
        r"(?:不招|不要|不接受|不考虑|谢绝|仅限|只限|限|只招|须为|必须是|要求是).{0,4}?" + _CAT
    ),
    re.compile(_CAT + r".{0,6}?(?:除外|不适合|勿扰|谢绝|不予考虑|不招)"),
    re.compile(r"\b(?:no|not|only|must be|excludes?|excluding)\s+(?:\w+\s+){0,2}" + _CAT, re.I),
    re.compile(_CAT + r"\w*(?:\s+\w+){0,2}?\s+(?:only|excluded|not accepted|need not apply)", re.I),
)


def validate_post_requirements(
    functions: Mapping[str, int],
    accommodations: Iterable[str] = (),
    categories: Iterable[object] = (),
    notes: str = "",
) -> dict[str, int]:
    """Return the post's validated function demands; reject any requirement that names a category."""
    if list(categories):
        raise _category_error("categories")
    for key in functions:
        if str(key).lower() in _CATEGORY_KEYS or _names_category(str(key)):
            raise _category_error("functions")
    if notes and any(p.search(notes) for p in _REQUIREMENT_PATTERNS):
        raise _category_error("notes")
    _check_levels(functions, "demand")
    unknown = sorted(set(accommodations) - set(ACCOMMODATIONS))
    if unknown:
        raise PostRequirementError("accommodations", "unknown_accommodation", names=unknown)
    return {f: int(v) for f, v in functions.items() if int(v) > 0}


def _names_category(text: str) -> bool:
    lowered = text.lower()
    return any(word in lowered for word in _CATEGORY_WORDS)


def _category_error(field: str) -> PostRequirementError:
    return PostRequirementError(field, "category")


def _check_levels(levels: Mapping[str, int], what: str) -> None:
    for function, value in levels.items():
        if function not in FUNCTIONS:
            raise PostRequirementError("functions", "unknown_function", name=str(function))
        if not isinstance(value, (int, np.integer)) or not 0 <= value <= MAX_LEVEL:
            raise PostRequirementError("functions", "level", function=function, what=what)
