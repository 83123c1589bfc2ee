"""Matching use cases: build the engine's inputs from the database and rank both ways."""

import threading
from dataclasses import dataclass, replace
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import or_, select

from core import audit, offers
from core.database import ServiceError
from core.extensions import db
from core.models import Person, utcnow
from jobmatch.engine.accessibility import FunctionalProfile, default_profile
from jobmatch.engine.domain import Post, Seeker
from jobmatch.engine.explain import MatchResult
from jobmatch.engine.geography import (
    COMMUTE_KM_RANGE,
    LEVELS,
    TRAVEL_MODES,
    seeker_commute,
)
from jobmatch.engine.matcher import Matcher
from jobmatch.engine.weights import Weights, default_weights
from jobmatch.models import (
    JobPost,
    MatchPostChange,
    MatchSetting,
    MatchWeights,
    Referral,
    SeekerProfile,
)
from quota import interface as quota


@dataclass(frozen=True)
class WelfareHost:
    """The body where a public-welfare post's work is done, in the place of an employer."""

    name: str
    county_code: str


@dataclass(frozen=True)
class WelfareListing:
    """A public-welfare post (公益性岗位) offered by employment, as matching shows it."""

    welfare_post_id: int
    title: str
    host: str
    county_code: str
    seats_left: int
    ends_on: date
    endpoint: str
    args: dict

    welfare = True
    work_mode = "full_time"
    skills: tuple = ()
    description = ""

    @property
    def id(self) -> str:
        """The engine's post id ("welfare:<id>"): never equal to a job post's integer id."""
        return f"{WELFARE_PREFIX}{self.welfare_post_id}"

    @property
    def employer(self) -> WelfareHost:
        return WelfareHost(self.host, self.county_code)


WELFARE_PREFIX = "welfare:"


def welfare_listings() -> list[WelfareListing]:
    """The open public-welfare posts (employment's, through core.offers), by id."""
    return [
        WelfareListing(
            welfare_post_id=int(p["id"]),
            title=p["title"],
            host=p.get("host", ""),
            county_code=p["county_code"],
            seats_left=int(p["seats_left"]),
            ends_on=p["ends_on"],
            endpoint=p.get("endpoint", ""),
            args=dict(p.get("args", {})),
        )
        for p in offers.welfare_posts()
    ]


def welfare_post_of(listing: WelfareListing) -> Post:
    """The engine's view of a public-welfare post: on site in its county, for the hard to employ."""
    return Post(
        id=listing.id,
        county_code=listing.county_code,
        seats_left=listing.seats_left,
        open=listing.seats_left > 0,
        title=f"{listing.title} {listing.host}",
        welfare=True,
    )


def welfare_group(person: Person, hard_to_employ: bool) -> int | None:
    """The person's priority group for public-welfare posts (None: not a candidate)."""
    if not hard_to_employ:
        return None
    return offers.welfare_priority(person.county_code).get(person.id)


@dataclass(frozen=True)
class RankedPost:
    """A feasible post for a person, best first, with the engine's result behind it."""

    post: JobPost | WelfareListing
    total: float
    result: MatchResult

    @property
    def welfare(self) -> bool:
        return isinstance(self.post, WelfareListing)


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
    return offers.hard_to_employ(person)


def profile_of(person: Person) -> SeekerProfile | None:
    return db.session.scalar(select(SeekerProfile).where(SeekerProfile.person_id == person.id))


COMMUTE_SETTING = "commute_km_by_level_mode"


def commute_table() -> dict[str, dict[str, float]]:
    """The admin-set default commute limits, {level: {travel mode: km}}; empty while none is set."""
    row = db.session.get(MatchSetting, COMMUTE_SETTING)
    return dict((row.value or {}).get("table", {})) if row is not None else {}


def commute_setting() -> MatchSetting | None:
    """The stored setting row (its table, its source note, who set it and when), None if unset."""
    return db.session.get(MatchSetting, COMMUTE_SETTING)


def set_commute_table(user, values: dict, source: str = "admin") -> dict[str, dict[str, float]]:
    """Set the default commute limits, one number (km) per disability level and travel mode; audited.

    ``values`` maps "level_<n>_<mode>" (a form's field names) to numbers. Every cell must be given,
    within COMMUTE_KM_RANGE; nothing is stored otherwise. ``source`` says where the figures come
    from ("admin", or "demo_example": the demo's stated example values).
    """
    low, high = COMMUTE_KM_RANGE
    errors: dict[str, list[str]] = {}
    table: dict[str, dict[str, float]] = {}
    for level in LEVELS:
        for mode in TRAVEL_MODES:
            key = f"level_{level}_{mode}"
            try:
                km = float(values.get(key))
            except (TypeError, ValueError):
                km = None
            if km is None or not low <= km <= high:
                errors[key] = [
                    _(
                        "Level %(level)s, %(mode)s: give a commute limit between %(low)s and "
                        "%(high)s km.",
                        level=level,
                        mode=travel_mode_name(mode),
                        low=f"{low:g}",
                        high=f"{high:g}",
                    )
                ]
            else:
                table.setdefault(str(level), {})[mode] = km
    if errors:
        raise ServiceError(errors, 422)
    row = db.session.get(MatchSetting, COMMUTE_SETTING)
    before = dict(row.value) if row else None
    if row is None:
        row = MatchSetting(key=COMMUTE_SETTING, value={})
        db.session.add(row)
    row.value = {"table": table, "source": source}
    row.updated_by, row.updated_at = getattr(user, "id", None), utcnow()
    db.session.flush()
    audit.record("update", row, before, {"value": row.value})
    db.session.commit()
    return table


def travel_mode_name(code: str | None) -> str:
    from jobmatch.labels import travel_mode_name as name

    return name(code)


def seeker_of(
    person: Person, profile: SeekerProfile | None = None, commute=None, welfare=None
) -> Seeker:
    """The engine's view of a registered person and their matching profile.

    Without a commute limit of their own, the admin-set default of their disability level and
    travel mode applies (the level's most conservative one while the mode is not recorded).
    ``commute`` is the default table (commute_table()), passed when many seekers are built, and
    ``welfare`` the priority groups for public-welfare posts ({person id: group}) when needed
    (otherwise ``with_welfare_groups`` fills them in for the results that are welfare posts).
    """
    profile = profile or profile_of(person)
    table = commute if commute is not None else commute_table()
    mode = profile.travel_mode if profile else None
    limit = seeker_commute(
        profile.max_commute_km if profile else None, person.disability_level, mode, table
    )
    hard = _hard_to_employ(person)
    group = welfare.get(person.id) if welfare else None
    return Seeker(
        id=person.id,
        skills=tuple(profile.skills) if profile else (),
        education=person.education or "none",
        county_code=person.county_code,
        functional_profile=functional_profile(person, profile),
        preferred_modes=frozenset(profile.preferred_modes) if profile else frozenset(),
        min_salary=float(profile.min_salary) if profile else 0.0,
        preferred_counties=frozenset(profile.preferred_counties) if profile else frozenset(),
        max_commute_km=limit.km,
        commute_basis=limit.basis,
        travel_mode=mode,
        hard_to_employ=hard,
        welfare_group=group if hard else None,
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
    """Each employer's quota shortfall (persons) in its current assessment; absent if none."""
    return quota.employer_shortfalls(employer_ids)


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
        note="stored",
        note_params={"version": row.version},
    )


def active_version() -> str:
    row = db.session.scalar(select(MatchWeights.version).where(MatchWeights.active.is_(True)))
    return row or "default"


@dataclass
class _Live:
    """A worker's fitted matcher over every non-draft post and what it reflects."""

    matcher: Matcher
    version: tuple  # (last post change id, its time): the post tables' version
    day: date  # posts close by date: a new day rebuilds the tables
    shortfalls: object  # the quota assessments' version the employers' shortfalls came from
    weights: dict
    welfare: dict  # the public-welfare posts it holds: engine id -> engine Post


_LIVE: dict[str, _Live] = {}
_LOCK = threading.Lock()


def post_version() -> tuple:
    """The post tables' version: the last logged post change (id, time); (0, None) when none."""
    row = db.session.execute(
        select(MatchPostChange.id, MatchPostChange.changed_at)
        .order_by(MatchPostChange.id.desc())
        .limit(1)
    ).first()
    return (row[0], row[1]) if row else (0, None)


def _shortfall_version():
    return quota.shortfall_version()


def _engine_posts(posts: list[JobPost]) -> list[Post]:
    short = employer_shortfalls(p.employer_id for p in posts)
    return [post_of(p, short.get(p.employer_id, 0.0)) for p in posts]


def _known(version: tuple) -> bool:
    """True when the change a worker last applied is still in the log, with the same time."""
    if not version[0]:
        return True
    stamp = db.session.scalar(
        select(MatchPostChange.changed_at).where(MatchPostChange.id == version[0])
    )
    return stamp == version[1]


def live_matcher() -> Matcher:
    """This worker's matcher over every non-draft post, brought up to date before use.

    Built (no text-model fit: the vocabulary's model is reused) at the first request, on a new day
    and when the quota shortfalls changed; otherwise the posts changed since the worker's version
    (match_post_change) are added, replaced or dropped in place, and new active weights replace
    the scorer only.
    """
    with _LOCK:
        version, today = post_version(), date.today()
        shortfalls, weights = _shortfall_version(), active_weights()
        live = _LIVE.get("posts")
        stale = (
            live is None
            or live.day != today
            or live.shortfalls != shortfalls
            or version[0] < live.version[0]
            or not _known(live.version)
        )
        if stale:
            stmt = select(JobPost).where(JobPost.status != "draft").order_by(JobPost.id)
            matcher = Matcher(weights=weights).fit(_engine_posts(list(db.session.scalars(stmt))))
            live = _Live(matcher, version, today, shortfalls, dict(weights.values), {})
            _LIVE["posts"] = live
        elif version[0] > live.version[0]:
            ids = set(
                db.session.scalars(
                    select(MatchPostChange.post_id).where(MatchPostChange.id > live.version[0])
                )
            )
            rows = [p for p in db.session.scalars(select(JobPost).where(JobPost.id.in_(ids)))]
            kept = [p for p in rows if p.status != "draft"]
            removed = ids - {p.id for p in kept}
            live.matcher.update_posts(_engine_posts(kept), sorted(removed))
            live.version = version
        _sync_welfare(live)
        if dict(weights.values) != live.weights:
            live.matcher.set_weights(weights)
            live.weights = dict(weights.values)
        return live.matcher


def _sync_welfare(live: _Live) -> None:
    """Add, replace or drop the public-welfare posts that changed since the worker last looked
    (a few rows: read on every request, applied in place)."""
    current = {p.id: p for p in map(welfare_post_of, welfare_listings())}
    changed = [p for pid, p in current.items() if live.welfare.get(pid) != p]
    removed = [pid for pid in live.welfare if pid not in current]
    if changed or removed:
        live.matcher.update_posts(changed, removed)
        live.welfare = current


def fitted_matcher(posts: list[JobPost]) -> Matcher:
    """A matcher fitted on these posts, with the employers' shortfalls and the active weights."""
    return Matcher(weights=active_weights()).fit(_engine_posts(posts))


def ranked_posts(person: Person, k: int = 20) -> list[RankedPost]:
    """The person's k best feasible open job posts (hard constraints applied), best first.

    Job posts only (training's skill gaps, the graduate's page): public-welfare posts are ranked
    among them on the counselor's page and in the API (seeker_matches)."""
    matcher = live_matcher()
    extra = sum(1 for p in matcher.posts_ if p.welfare)
    results = matcher.rank_posts(seeker_of(person), k=k + extra)
    return [r for r in _ranked([r for r in results if not r.excluded]) if not r.welfare][:k]


def with_welfare_groups(person: Person, seeker: Seeker, results: list[MatchResult]) -> list:
    """Give the results that are public-welfare posts the person's priority group (looked up only
    when such a post is among them: the county's candidates take a few queries)."""
    if not seeker.hard_to_employ or not any(r.welfare for r in results):
        return results
    group = welfare_group(person, True)
    return [replace(r, welfare_group=group) if r.welfare else r for r in results]


def seeker_matches(
    person: Person, k: int = 10, include_excluded: bool = False
) -> tuple[list[RankedPost], list[RankedPost]]:
    """The person's best posts and (optionally) the excluded posts that would rank there.

    Closed and full posts are included among the candidates so that their reason shows.
    """
    seeker = seeker_of(person)
    results = live_matcher().rank_posts(seeker, k, include_excluded)
    results = with_welfare_groups(person, seeker, results)
    ranked = _ranked([r for r in results if not r.excluded])
    excluded = _ranked([r for r in results if r.excluded]) if include_excluded else []
    return ranked, excluded


def _ranked(results: list[MatchResult]) -> list[RankedPost]:
    ids = [r.post_id for r in results if isinstance(r.post_id, int)]
    by_id: dict = {p.id: p for p in db.session.scalars(select(JobPost).where(JobPost.id.in_(ids)))}
    if len(ids) < len(results):
        by_id |= {w.id: w for w in welfare_listings()}
    return [RankedPost(by_id[r.post_id], r.total, r) for r in results if r.post_id in by_id]


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
    commute = commute_table()
    seekers = [seeker_of(p, prof, commute) for p, prof in rows]
    short = employer_shortfalls([post.employer_id]).get(post.employer_id, 0.0)
    engine_post = post_of(post, short)
    results = live_matcher().rank_candidates(engine_post, seekers, k=k)
    referrals = consented_people(post)
    out = []
    for result in results:
        person, profile = people[result.seeker_id]
        referral = referrals.get(person.id)
        named = user.role != "employer" or bool(referral and referral.seeker_consented)
        out.append(Candidate(person, profile, result, named, referral))
    return out
