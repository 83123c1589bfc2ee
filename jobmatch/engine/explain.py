"""Results with their factor contributions, the lines of their explanation, and the reasons for
exclusions, as codes with parameters: jobmatch/labels.py renders them in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from jobmatch.engine.accessibility import BRIDGES, check_post
from jobmatch.engine.domain import Post, Seeker
from jobmatch.engine.factors import DEFAULT_WEIGHTS, FACTORS
from jobmatch.engine.geography import Geography, reach_tier

MAX_NAMED_SKILLS = 3


@dataclass(frozen=True)
class Reason:
    """Why a post was removed for a seeker: closed | full | function | location | welfare."""

    code: str
    params: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class MatchResult:
    """One ranked pair: the total, each factor's contribution (weight x value), and why."""

    seeker_id: Any
    post_id: Any
    total: float
    contributions: dict[str, float] = field(default_factory=dict)
    excluded: bool = False
    reasons: tuple[Reason, ...] = ()
    lines: tuple = ()  # the explanation's Line objects, each a non-zero contribution
    bridged: tuple[str, ...] = ()  # offered accommodations that make the pair workable
    welfare: bool = False  # a public-welfare post (jobmatch.engine.welfare)
    welfare_group: int | None = None  # then the seeker's priority group (None: not a candidate)


@dataclass(frozen=True)
class PairContext:
    """What an explanation needs to know about one seeker-post pair."""

    matched: tuple[str, ...]
    post_skill_count: int
    values: dict[str, float]
    tier: int
    remote: bool
    preferred_county: bool
    work_mode: str
    shortfall: float
    bridged: tuple[str, ...]
    related: tuple[tuple[str, str], ...] = ()  # (seeker's skill, post's skill) given partial credit
    mode_wished: bool = True  # the seeker stated work-mode wishes
    reach_km: float | None = None  # the seeker's commute limit (None: no limit)
    commute_basis: str = "none"  # own | default | default_unknown_mode | none
    travel_mode: str | None = None
    min_education: str = "none"


@dataclass(frozen=True)
class Line:
    """One part of an explanation: the factor it speaks for, what that factor adds or loses, and
    what to say (``code`` with ``params``, rendered by jobmatch.labels.line_text).

    ``contribution`` is weight x value for a strength, and minus weight x (1 - value) for a gap
    (what the pair loses against a perfect fit); a line is only written when it is not zero.
    """

    factor: str
    contribution: float
    code: str
    params: dict = field(default_factory=dict, compare=False)


def explain_lines(
    ctx: PairContext, vocab=None, weights: dict[str, float] | None = None
) -> list[Line]:
    """Return the lines of a pair's explanation, each naming a non-zero contribution."""
    v, w = ctx.values, weights or DEFAULT_WEIGHTS
    lines: list[Line] = []

    def add(factor: str, amount: float, code: str, **params) -> None:
        if abs(amount) > 1e-9:
            lines.append(Line(factor, float(amount), code, params))

    if v["skills"] > 0:
        code, params = _skills(ctx)
        add("skills", w["skills"] * v["skills"], code, **params)
    else:
        add("skills", -w["skills"], "no_skills")
    if ctx.remote:
        add("distance", w["distance"] * v["distance"], "remote")
    else:
        add(
            "distance",
            w["distance"] * v["distance"],
            "distance",
            tier=ctx.tier,
            preferred=ctx.preferred_county,
            reach_km=ctx.reach_km,
            basis=ctx.commute_basis,
            travel_mode=ctx.travel_mode,
        )
    if v["education"] < 1:
        add("education", -w["education"] * (1 - v["education"]), "education_below",
            needed=ctx.min_education)  # fmt: skip
    if v["salary"] < 1:
        partly = v["salary"] >= 0.75
        add(
            "salary",
            -w["salary"] * (1 - v["salary"]),
            "salary_partly" if partly else "salary_below",
        )
    if v["work_mode"] >= 1 and ctx.mode_wished:
        add("work_mode", w["work_mode"] * v["work_mode"], "work_mode", mode=ctx.work_mode)
    if ctx.shortfall > 0:
        add("employer_need", w["employer_need"] * v["employer_need"], "employer_need",
            short=round(ctx.shortfall, 1))  # fmt: skip
    if v["priority"] > 0:
        add("priority", w["priority"] * v["priority"], "priority")
    return lines


def _skills(ctx: PairContext) -> tuple:
    if ctx.post_skill_count == 0:
        return "skills_text", {"similarity": round(ctx.values["skills"], 2)}
    return "skills", {
        "matched": len(ctx.matched),
        "wanted": ctx.post_skill_count,
        "named": list(ctx.matched[:MAX_NAMED_SKILLS]),
        "more": len(ctx.matched) > MAX_NAMED_SKILLS,
        "related": [list(pair) for pair in ctx.related[:MAX_NAMED_SKILLS]],
    }


def bridged_accommodations(seeker: Seeker, post: Post) -> tuple[str, ...]:
    """Return the offered accommodations that close a gap between the seeker and the post."""
    profile = seeker.functional_profile
    if profile is None:
        return ()
    gaps = {f for f, need in post.functions.items() if need > profile.can_meet(f)}
    return tuple(sorted(a for a in post.accommodations if gaps & set(BRIDGES.get(a, {}))))


def exclusion_reasons(seeker: Seeker, post: Post, geo: Geography) -> tuple[Reason, ...]:
    """Return every hard constraint the pair breaks, each naming its cause."""
    reasons = []
    if not post.open:
        reasons.append(Reason("closed"))
    elif post.seats_left <= 0:
        reasons.append(Reason("full"))
    if post.welfare and not seeker.hard_to_employ:
        reasons.append(Reason("welfare"))
    for b in check_post(seeker.functional_profile, post.functions, post.accommodations):
        reasons.append(Reason("function", b.params()))
    location = _location_reason(seeker, post, geo)
    if location:
        reasons.append(location)
    return tuple(reasons)


def _location_reason(seeker: Seeker, post: Post, geo: Geography) -> Reason | None:
    tier = geo.tier(seeker.county_code, post.county_code)
    if post.remote or post.county_code in seeker.preferred_counties:
        return None
    if tier <= reach_tier(seeker.max_commute_km):
        return None
    profile = seeker.functional_profile
    return Reason(
        "location",
        {
            "place": geo.names.get(post.county_code, post.county_code or "?"),
            "tier": tier,
            "km": seeker.max_commute_km,
            "basis": seeker.commute_basis,
            "level": getattr(profile, "level", None),
            "travel_mode": seeker.travel_mode,
        },
    )


def contributions_of(values: dict[str, float], weights: dict[str, float]) -> dict[str, float]:
    """Return weight x value per factor, in FACTORS order."""
    return {f: float(weights[f]) * float(values[f]) for f in FACTORS}
