"""Matching use cases: build the engine's inputs from the database and rank posts for a person."""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from core.extensions import db
from core.models import Person
from jobmatch.accessibility import FunctionalProfile, default_profile
from jobmatch.domain import Post, Seeker
from jobmatch.engine import Matcher
from jobmatch.explain import MatchResult
from jobmatch.models import JobPost, SeekerProfile


@dataclass(frozen=True)
class RankedPost:
    """A feasible post for a person, best first, with the engine's result behind it."""

    post: JobPost
    total: float
    result: MatchResult


def functional_profile(person: Person, profile: SeekerProfile | None) -> FunctionalProfile:
    """The certificate's default profile with the counselor's adjustments applied."""
    base = default_profile(person.disability_category, person.disability_level)
    if profile is not None and profile.functions:
        return base.adjusted(**{k: int(v) for k, v in profile.functions.items()})
    return base


def _hard_to_employ(person: Person) -> bool:
    try:
        from employment.services import is_hard_to_employ
    except ImportError:
        return False
    return is_hard_to_employ(person)


def seeker_of(person: Person, profile: SeekerProfile | None = None) -> Seeker:
    """The engine's view of a registered person and their matching profile."""
    profile = profile or db.session.scalar(
        select(SeekerProfile).where(SeekerProfile.person_id == person.id)
    )
    return Seeker(
        id=person.id,
        skills=tuple(profile.skills) if profile else (),
        education=person.education or "none",
        county_code=person.county_code,
        functional_profile=functional_profile(person, profile),
        preferred_modes=frozenset(profile.preferred_modes) if profile else frozenset(),
        min_salary=float(profile.min_salary) if profile else 0.0,
        preferred_counties=frozenset(profile.preferred_counties) if profile else frozenset(),
        max_commute_km=profile.max_commute_km if profile else None,
        hard_to_employ=_hard_to_employ(person),
        about=" ".join(filter(None, [profile.skills_text if profile else "", person.major or ""])),
    )


def post_of(post: JobPost, employer_shortfall: float = 0.0) -> Post:
    """The engine's view of a job post."""
    today = date.today()
    is_open = post.status == "open" and (post.closes_on is None or post.closes_on >= today)
    return Post(
        id=post.id,
        employer_id=post.employer_id,
        skills=tuple(post.skills or ()),
        min_education=post.min_education or "none",
        county_code=post.county_code,
        salary_min=float(post.salary_min or 0),
        salary_max=float(post.salary_max or 0),
        work_mode=post.work_mode,
        functions={k: int(v) for k, v in (post.functions or {}).items()},
        accommodations=frozenset(post.accommodations or ()),
        open=is_open,
        seats_left=post.seats_left,
        employer_shortfall=employer_shortfall,
        title=f"{post.title} {post.description or ''}",
    )


def open_posts() -> list[JobPost]:
    today = date.today()
    stmt = select(JobPost).where(
        JobPost.status == "open", or_(JobPost.closes_on.is_(None), JobPost.closes_on >= today)
    )
    return list(db.session.scalars(stmt.order_by(JobPost.id)))


def fitted_matcher(posts: list[JobPost]) -> Matcher:
    return Matcher().fit([post_of(p) for p in posts])


def ranked_posts(person: Person, k: int = 20) -> list[RankedPost]:
    """The person's k best feasible open posts (hard constraints applied), best first."""
    posts = open_posts()
    if not posts:
        return []
    by_id = {p.id: p for p in posts}
    results = fitted_matcher(posts).rank_posts(seeker_of(person), k=k)
    return [RankedPost(by_id[r.post_id], r.total, r) for r in results if not r.excluded]
