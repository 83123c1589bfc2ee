"""Seekers and posts as plain JSON and back: the state of a pair kept with a referral.

Learning trains on referral outcomes; the factors of an outcome must be those of the seeker and the
post when the referral was made (a hired seeker is no longer hard to employ today, a post's employer
may have filled its quota since). A referral stores ``pair_snapshot(seeker, post)``; learning
rebuilds the pair with ``pair_from_snapshot``. ``SNAPSHOT_VERSION`` changes when the format does.
"""

from __future__ import annotations

from typing import Any

from jobmatch.engine.accessibility import FunctionalProfile
from jobmatch.engine.domain import Post, Seeker

SNAPSHOT_VERSION = 1


def seeker_snapshot(seeker: Seeker) -> dict[str, Any]:
    """The seeker's matching facts as JSON-ready values."""
    fp = seeker.functional_profile
    return {
        "id": seeker.id,
        "skills": list(seeker.skills),
        "education": seeker.education,
        "county_code": seeker.county_code,
        "functional_profile": None
        if fp is None
        else {"capacities": dict(fp.capacities), "category": fp.category, "level": fp.level},
        "preferred_modes": sorted(seeker.preferred_modes),
        "min_salary": float(seeker.min_salary),
        "preferred_counties": sorted(seeker.preferred_counties),
        "max_commute_km": seeker.max_commute_km,
        "commute_basis": seeker.commute_basis,
        "travel_mode": seeker.travel_mode,
        "hard_to_employ": bool(seeker.hard_to_employ),
        "welfare_group": seeker.welfare_group,
        "about": seeker.about,
    }


def seeker_from_snapshot(data: dict[str, Any]) -> Seeker:
    fp = data.get("functional_profile")
    profile = (
        None
        if fp is None
        else FunctionalProfile(tuple(fp["capacities"].items()), fp.get("category"), fp.get("level"))
    )
    return Seeker(
        id=data["id"],
        skills=tuple(data.get("skills", ())),
        education=data.get("education", "none"),
        county_code=data.get("county_code", ""),
        functional_profile=profile,
        preferred_modes=frozenset(data.get("preferred_modes", ())),
        min_salary=float(data.get("min_salary", 0.0)),
        preferred_counties=frozenset(data.get("preferred_counties", ())),
        max_commute_km=data.get("max_commute_km"),
        commute_basis=data.get("commute_basis", "own"),
        travel_mode=data.get("travel_mode"),
        hard_to_employ=bool(data.get("hard_to_employ", False)),
        welfare_group=data.get("welfare_group"),
        about=data.get("about", ""),
    )


def post_snapshot(post: Post) -> dict[str, Any]:
    """The post's matching facts as JSON-ready values."""
    return {
        "id": post.id,
        "employer_id": post.employer_id,
        "skills": list(post.skills),
        "min_education": post.min_education,
        "county_code": post.county_code,
        "salary_min": float(post.salary_min),
        "salary_max": float(post.salary_max),
        "work_mode": post.work_mode,
        "functions": dict(post.functions),
        "accommodations": sorted(post.accommodations),
        "open": bool(post.open),
        "seats_left": int(post.seats_left),
        "employer_shortfall": float(post.employer_shortfall),
        "title": post.title,
        "welfare": bool(post.welfare),
    }


def post_from_snapshot(data: dict[str, Any]) -> Post:
    return Post(
        id=data["id"],
        employer_id=data.get("employer_id"),
        skills=tuple(data.get("skills", ())),
        min_education=data.get("min_education", "none"),
        county_code=data.get("county_code", ""),
        salary_min=float(data.get("salary_min", 0.0)),
        salary_max=float(data.get("salary_max", 0.0)),
        work_mode=data.get("work_mode", "full_time"),
        functions={k: int(v) for k, v in data.get("functions", {}).items()},
        accommodations=frozenset(data.get("accommodations", ())),
        open=bool(data.get("open", True)),
        seats_left=int(data.get("seats_left", 1)),
        employer_shortfall=float(data.get("employer_shortfall", 0.0)),
        title=data.get("title", ""),
        welfare=bool(data.get("welfare", False)),
    )


def pair_snapshot(seeker: Seeker, post: Post) -> dict[str, Any]:
    """What a referral keeps: the seeker and the post as the matcher saw them at the time."""
    return {
        "version": SNAPSHOT_VERSION,
        "seeker": seeker_snapshot(seeker),
        "post": post_snapshot(post),
    }


def pair_from_snapshot(data: dict[str, Any]) -> tuple[Seeker, Post]:
    """Rebuild (seeker, post) from ``pair_snapshot``; ValueError for an unknown format."""
    if not isinstance(data, dict) or data.get("version") != SNAPSHOT_VERSION:
        raise ValueError("unknown referral snapshot format")
    return seeker_from_snapshot(data["seeker"]), post_from_snapshot(data["post"])
