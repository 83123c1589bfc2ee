"""Plain frozen inputs of the matcher: job-seekers, job posts and referral outcomes (codes only:
their names are jobmatch/labels.py's)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.codes import EDUCATION_LEVELS

WORK_MODES = ("full_time", "part_time", "flexible", "home_based")


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
    # Where max_commute_km comes from: "own", "default" (the admin's default of the seeker's level
    # and travel mode), "default_unknown_mode" (mode not recorded: the level's most conservative
    # default) or "none" (no limit). See jobmatch.engine.geography.Commute.
    commute_basis: str = "own"
    travel_mode: str | None = None  # jobmatch.engine.geography.TRAVEL_MODES, None: not recorded
    hard_to_employ: bool = False
    # For public-welfare posts: 0 rural and in a zero-employment household, 1 either, 2 other hard
    # to employ (jobmatch.engine.welfare); None when not known (not hard to employ).
    welfare_group: int | None = None
    about: str = ""  # free text (experience, wishes) used by the text fallback

    def __post_init__(self) -> None:
        object.__setattr__(self, "skills", tuple(self.skills))
        object.__setattr__(self, "preferred_modes", frozenset(self.preferred_modes))
        object.__setattr__(self, "preferred_counties", frozenset(self.preferred_counties))
        education_rank(self.education)
        unknown = set(self.preferred_modes) - set(WORK_MODES)
        if unknown:
            raise ValueError(f"unknown work modes: {sorted(unknown)}")

    @property
    def commute_is_default(self) -> bool:
        """True when the commute limit is an admin default, not the seeker's own."""
        return self.max_commute_km is not None and self.commute_basis.startswith("default")


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
    title: str = ""
    # A public-welfare post (公益性岗位): government-funded, only for persons hard to employ, and
    # allocated with priority to rural persons and zero-employment households (engine/welfare.py).
    welfare: bool = False  # free text (title, duties) used by the text fallback

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
