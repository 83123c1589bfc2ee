"""Plain frozen inputs of the matcher: job-seekers, job posts and referral outcomes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.codes import EDUCATION_LEVELS

EDUCATION_LABELS = {
    "zh": ("无", "小学", "初中", "高中", "中专/职高", "大专", "本科", "硕士", "博士"),
    "en": (
        "none",
        "primary",
        "junior secondary",
        "senior secondary",
        "vocational secondary",
        "associate",
        "bachelor",
        "master",
        "doctorate",
    ),
}
WORK_MODES = ("full_time", "part_time", "flexible", "home_based")
WORK_MODE_LABELS = {
    "zh": {
        "full_time": "全职",
        "part_time": "兼职",
        "flexible": "灵活就业",
        "home_based": "居家就业",
    },
    "en": {
        "full_time": "full-time",
        "part_time": "part-time",
        "flexible": "flexible",
        "home_based": "home-based",
    },
}


def education_rank(code: str | None) -> int:
    """Return the order of an education code (unknown or empty counts as 'none')."""
    try:
        return EDUCATION_LEVELS.index(code or "none")
    except ValueError:
        raise ValueError(f"unknown education code: {code!r}") from None


@dataclass(frozen=True)
class Seeker:
    """A registered job-seeker as the matcher sees them."""

    id: Any
    skills: tuple[str, ...] = ()
    education: str = "none"
    county_code: str = ""
    functional_profile: Any = None  # jobmatch.accessibility.FunctionalProfile, None = no limitation
    preferred_modes: frozenset[str] = frozenset()
    min_salary: float = 0.0
    preferred_counties: frozenset[str] = frozenset()
    max_commute_km: float | None = None
    commute_is_default: bool = False  # max_commute_km is the admin-set default, not the seeker's
    hard_to_employ: bool = False
    about: str = ""  # free text (experience, wishes) used by the text fallback

    def __post_init__(self) -> None:
        object.__setattr__(self, "skills", tuple(self.skills))
        object.__setattr__(self, "preferred_modes", frozenset(self.preferred_modes))
        object.__setattr__(self, "preferred_counties", frozenset(self.preferred_counties))
        education_rank(self.education)
        unknown = set(self.preferred_modes) - set(WORK_MODES)
        if unknown:
            raise ValueError(f"unknown work modes: {sorted(unknown)}")


@dataclass(frozen=True)
class Post:
    """An employer's job post as the matcher sees it."""

    id: Any
    employer_id: Any = None
    skills: tuple[str, ...] = ()
    min_education: str = "none"
    county_code: str = ""
    salary_min: float = 0.0
    salary_max: float = 0.0
    work_mode: str = "full_time"
    functions: Mapping[str, int] = field(default_factory=dict)
    accommodations: frozenset[str] = frozenset()
    open: bool = True
    seats_left: int = 1
    employer_shortfall: float = 0.0
    title: str = ""  # free text (title, duties) used by the text fallback

    def __post_init__(self) -> None:
        object.__setattr__(self, "skills", tuple(self.skills))
        object.__setattr__(self, "accommodations", frozenset(self.accommodations))
        object.__setattr__(self, "functions", dict(self.functions))
        education_rank(self.min_education)
        if self.work_mode not in WORK_MODES:
            raise ValueError(f"unknown work mode: {self.work_mode!r}")

    @property
    def remote(self) -> bool:
        """True when the work can be done from home, so location never excludes it."""
        return self.work_mode == "home_based"

    def __hash__(self) -> int:
        return hash(("Post", self.id))


@dataclass(frozen=True)
class Outcome:
    """A recorded referral: the seeker, the post, and whether the seeker was hired."""

    seeker: Seeker
    post: Post
    hired: bool
