"""Matching use cases: build the engine's inputs from the database and rank both ways."""

from collections import OrderedDict
from dataclasses import dataclass
from datetime import date

from sqlalchemy import or_, select

from core.extensions import db
from core.models import Person
from jobmatch.engine.accessibility import FunctionalProfile, default_profile
from jobmatch.engine.domain import Post, Seeker
from jobmatch.engine.explain import MatchResult
from jobmatch.engine.matcher import Matcher
from jobmatch.engine.weights import Weights, default_weights
from jobmatch.models import JobPost, MatchWeights, Referral, SeekerProfile


@dataclass(frozen=True)
class RankedPost:
    """A feasible post for a person, best first, with the engine's result behind it."""

    post: JobPost
    total: float
    result: MatchResult


@dataclass(frozen=True)
class Candidate:
    """A seeker ranked for a post; `named` is False when an employer may not see who it is."""

    person: Person
    profile: SeekerProfile | None
    result: MatchResult
    named: bool
    referral: Referral | None


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


def profile_of(person: Person) -> SeekerProfile | None:
    return db.session.scalar(select(SeekerProfile).where(SeekerProfile.person_id == person.id))


def seeker_of(person: Person, profile: SeekerProfile | None = None) -> Seeker:
    """The engine's view of a registered person and their matching profile."""
    profile = profile or profile_of(person)
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


def is_open(post: JobPost, today: date | None = None) -> bool:
    today = today or date.today()
    return post.status == "open" and (post.closes_on is None or post.closes_on >= today)


def post_of(post: JobPost, employer_shortfall: float = 0.0) -> Post:
    """The engine's view of a job post."""
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
        open=is_open(post),
        seats_left=post.seats_left,
        employer_shortfall=employer_shortfall,
        title=f"{post.title} {post.description or ''}",
    )


def employer_shortfalls(employer_ids) -> dict[int, float]:
    """Each employer's quota shortfall (persons) in its latest current assessment; 0 if none."""
    ids = set(employer_ids)
    if not ids:
        return {}
    try:
        from quota.models import QuotaAssessment
    except ImportError:
        return {}
    try:
        stmt = (
            select(QuotaAssessment.employer_id, QuotaAssessment.shortfall)
            .where(QuotaAssessment.employer_id.in_(ids), QuotaAssessment.current.is_(True))
            .order_by(QuotaAssessment.data_year, QuotaAssessment.id)
        )
        rows = db.session.execute(stmt).all()
    except Exception:  # the quota tables may not exist yet in an older database
        db.session.rollback()
        return {}
    return {employer_id: max(0.0, float(shortfall or 0)) for employer_id, shortfall in rows}


def open_posts() -> list[JobPost]:
    today = date.today()
    stmt = select(JobPost).where(
        JobPost.status == "open", or_(JobPost.closes_on.is_(None), JobPost.closes_on >= today)
    )
    return list(db.session.scalars(stmt.order_by(JobPost.id)))


def active_weights() -> Weights:
    """The active learned weights, or the defaults while none have been learned."""
    row = db.session.scalar(
        select(MatchWeights).where(MatchWeights.active.is_(True)).order_by(MatchWeights.id.desc())
    )
    if row is None:
        return default_weights()
    auc = float(row.validation_auc) if row.validation_auc is not None else None
    return Weights(
        version=row.id + 1,
        values={k: float(v) for k, v in row.weights.items()},
        source="learned",
        n_outcomes=row.trained_on,
        validation_auc=auc,
        note_zh=f"学习权重 {row.version}",
        note_en=f"learned weights {row.version}",
    )


def active_version() -> str:
    row = db.session.scalar(select(MatchWeights.version).where(MatchWeights.active.is_(True)))
    return row or "default"


_FITTED: OrderedDict = OrderedDict()
FITTED_CACHE_SIZE = 4


def matcher_for(engine_posts: list[Post]) -> Matcher:
    """A matcher fitted on exactly these posts and the active weights, reused while they hold.

    Fitting builds the text model (TF-IDF and SVD); pages ask for the same posts again and again,
    so the fitted matcher is kept per process, keyed by the full content of every post.
    """
    weights = active_weights()
    key = (tuple(repr(p) for p in engine_posts), repr(weights))
    if key in _FITTED:
        _FITTED.move_to_end(key)
        return _FITTED[key]
    matcher = Matcher(weights=weights).fit(engine_posts)
    _FITTED[key] = matcher
    while len(_FITTED) > FITTED_CACHE_SIZE:
        _FITTED.popitem(last=False)
    return matcher


def fitted_matcher(posts: list[JobPost]) -> Matcher:
    """A matcher fitted on these posts, with the employers' shortfalls and the active weights."""
    short = employer_shortfalls(p.employer_id for p in posts)
    return matcher_for([post_of(p, short.get(p.employer_id, 0.0)) for p in posts])


def ranked_posts(person: Person, k: int = 20) -> list[RankedPost]:
    """The person's k best feasible open posts (hard constraints applied), best first."""
    posts = open_posts()
    if not posts:
        return []
    by_id = {p.id: p for p in posts}
    results = fitted_matcher(posts).rank_posts(seeker_of(person), k=k)
    return [RankedPost(by_id[r.post_id], r.total, r) for r in results if not r.excluded]


def seeker_matches(
    person: Person, k: int = 10, include_excluded: bool = False
) -> tuple[list[RankedPost], list[RankedPost]]:
    """The person's best posts and (optionally) the excluded posts that would rank there.

    Closed and full posts are included among the candidates so that their reason shows.
    """
    stmt = select(JobPost).where(JobPost.status != "draft").order_by(JobPost.id)
    posts = list(db.session.scalars(stmt)) if include_excluded else open_posts()
    if not posts:
        return [], []
    by_id = {p.id: p for p in posts}
    results = fitted_matcher(posts).rank_posts(seeker_of(person), k, include_excluded)
    ranked = [RankedPost(by_id[r.post_id], r.total, r) for r in results if not r.excluded]
    excluded = [RankedPost(by_id[r.post_id], r.total, r) for r in results if r.excluded]
    return ranked, excluded


def active_seekers(county: str | None = None, city: str | None = None):
    """People who wish to work and are not employed, with an active (or no) matching profile."""
    stmt = (
        select(Person, SeekerProfile)
        .outerjoin(SeekerProfile, SeekerProfile.person_id == Person.id)
        .where(
            Person.wish_to_work.is_(True),
            Person.employment_type == "unemployed",
            or_(SeekerProfile.id.is_(None), SeekerProfile.active.is_(True)),
        )
        .order_by(Person.id)
    )
    if county:
        stmt = stmt.where(Person.county_code == county)
    if city:  # a city's 4-digit code prefix (batch matching is split by city)
        stmt = stmt.where(Person.county_code.like(f"{city}%"))
    return db.session.execute(stmt).all()


def consented_people(post: JobPost) -> dict[int, Referral]:
    stmt = select(Referral).where(Referral.post_id == post.id)
    return {r.person_id: r for r in db.session.scalars(stmt)}


def post_candidates(post: JobPost, user, k: int = 10) -> list[Candidate]:
    """The post's k best seekers; an employer sees a seeker's name only after their consent.

    A counselor ranks the seekers of their own county; an admin and the employer all seekers.
    """
    county = user.county_code if user.role == "counselor" else None
    rows = active_seekers(county)
    if not rows:
        return []
    people = {p.id: (p, prof) for p, prof in rows}
    seekers = [seeker_of(p, prof) for p, prof in rows]
    short = employer_shortfalls([post.employer_id]).get(post.employer_id, 0.0)
    engine_post = post_of(post, short)
    results = matcher_for([engine_post]).rank_candidates(engine_post, seekers, k=k)
    referrals = consented_people(post)
    out = []
    for result in results:
        person, profile = people[result.seeker_id]
        referral = referrals.get(person.id)
        named = user.role != "employer" or bool(referral and referral.seeker_consented)
        out.append(Candidate(person, profile, result, named, referral))
    return out
