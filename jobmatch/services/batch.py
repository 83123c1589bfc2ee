"""Batch matching: every active seeker against every open post, top-k stored per seeker.

`run` ranks everyone here; `run_nightly` (the scheduler's job) does the same on one machine, and on a
deployment with Celery workers (core.tasks) splits the seekers by city into parts run side by side.
"""

from collections.abc import Callable

from sqlalchemy import func, insert, select, update

from core import tasks
from core.extensions import db
from core.models import Person, utcnow
from jobmatch.engine import blocking
from jobmatch.engine.domain import Seeker
from jobmatch.engine.geography import seeker_commute
from jobmatch.engine.matcher import Matcher
from jobmatch.models import MatchResult, MatchRun
from jobmatch.services.matching import (
    _hard_to_employ,
    active_seekers,
    active_version,
    active_weights,
    commute_table,
    employer_shortfalls,
    functional_profile,
    open_posts,
    post_of,
    seeker_of,
)

SEEKERS_PER_STEP = 2000  # seekers loaded, ranked and written per step: bounds memory


def run(k: int = 10, chunk_size: int = 1024, progress: Callable | None = None) -> MatchRun:
    """Rank, store the top-k of each seeker with bulk inserts, and return the run.

    `progress(n)` is called after each step with the number of seekers done in it.
    """
    posts = open_posts()
    rows = active_seekers()
    match_run = MatchRun(seekers=len(rows), posts=len(posts), weights_version=active_version())
    db.session.add(match_run)
    db.session.flush()
    if posts and rows:
        short = employer_shortfalls(p.employer_id for p in posts)
        matcher = Matcher(weights=active_weights(), chunk_size=chunk_size)
        matcher.fit([post_of(p, short.get(p.employer_id, 0.0)) for p in posts])
        for start in range(0, len(rows), SEEKERS_PER_STEP):
            step = rows[start : start + SEEKERS_PER_STEP]
            _rank_step(matcher, match_run.id, step, k)
            if progress:
                progress(len(step))
    match_run.finished_at = utcnow()
    db.session.commit()
    return match_run


def run_nightly(k: int = 10) -> None:
    """The nightly job: rank here without a broker, else only enqueue the split run."""
    if tasks.distributed():
        tasks.enqueue("jobmatch.start_batch", k)
    else:
        run(k=k)


def _cities() -> list[str]:
    stmt = select(func.substr(Person.county_code, 1, 4)).distinct()
    return sorted(c for c in db.session.scalars(stmt) if c)


def start_batch(k: int = 10) -> int:
    """A run split by the seekers' city: each part ranks its city's seekers against every open post
    (posts are matched across cities: reachability is a factor, not a wall)."""
    posts = open_posts()
    rows = active_seekers()
    match_run = MatchRun(seekers=len(rows), posts=len(posts), weights_version=active_version())
    db.session.add(match_run)
    db.session.commit()
    parts = [(match_run.id, city, k) for city in _cities()] if posts and rows else []
    tasks.fan_out("jobmatch.match_part", parts, "jobmatch.finish_batch", match_run.id)
    return match_run.id


def match_part(run_id: int, city: str, k: int = 10, chunk_size: int = 1024) -> int:
    """Rank and store the top-k of one city's seekers (a part of a split run); safe to rerun."""
    db.session.execute(
        MatchResult.__table__.delete().where(
            MatchResult.run_id == run_id,
            MatchResult.person_id.in_(select(Person.id).where(Person.county_code.like(f"{city}%"))),
        )
    )
    posts = open_posts()
    rows = active_seekers(city=city)
    if not posts or not rows:
        return 0
    short = employer_shortfalls(p.employer_id for p in posts)
    matcher = Matcher(weights=active_weights(), chunk_size=chunk_size)
    matcher.fit([post_of(p, short.get(p.employer_id, 0.0)) for p in posts])
    for start in range(0, len(rows), SEEKERS_PER_STEP):
        _rank_step(matcher, run_id, rows[start : start + SEEKERS_PER_STEP], k)
        db.session.commit()
    return len(rows)


def finish_batch(run_id: int, failed_parts: int) -> None:
    """A split run counts as finished (and so is shown) only when every part succeeded."""
    if not failed_parts:
        db.session.execute(
            update(MatchRun).where(MatchRun.id == run_id).values(finished_at=utcnow())
        )
        db.session.commit()


def _rank_step(matcher: Matcher, run_id: int, rows, k: int) -> None:
    commute = commute_table()
    seekers = [_seeker(person, profile, commute) for person, profile in rows]
    # Blocked: only the seeker x post blocks that can match at all are scored (same top-k).
    ranking = blocking.rank_blocked(matcher, seekers, k=k)
    weights = matcher.weights_.values
    values = []
    names = list(weights)
    for i, seeker in enumerate(seekers):
        for rank, (col, total) in enumerate(
            zip(ranking.post_index[i], ranking.totals[i], strict=True), start=1
        ):
            if col < 0:
                continue
            factors = ranking.factor_values[i, rank - 1]
            contributions = {
                f: round(float(weights[f]) * float(v), 5)
                for f, v in zip(names, factors, strict=False)
            }
            values.append(
                {
                    "run_id": run_id,
                    "person_id": seeker.id,
                    "post_id": matcher.posts_[col].id,
                    "rank": rank,
                    "total": round(float(total), 6),
                    "contributions": contributions,
                }
            )
    if values:
        db.session.execute(insert(MatchResult), values)


def _seeker(person, profile, commute=None):
    commute = commute if commute is not None else commute_table()
    return seeker_of(person, profile, commute) if profile is not None else _bare(person, commute)


def _bare(person, commute):
    limit = seeker_commute(None, person.disability_level, None, commute)
    return Seeker(
        max_commute_km=limit.km,
        commute_basis=limit.basis,
        id=person.id,
        education=person.education or "none",
        county_code=person.county_code,
        functional_profile=functional_profile(person, None),
        hard_to_employ=_hard_to_employ(person),
        about=person.major or "",
    )


def latest_run() -> MatchRun | None:
    return db.session.scalar(
        select(MatchRun).where(MatchRun.finished_at.is_not(None)).order_by(MatchRun.id.desc())
    )


def stored_results(run: MatchRun, person_id: int) -> list[MatchResult]:
    stmt = (
        select(MatchResult)
        .where(MatchResult.run_id == run.id, MatchResult.person_id == person_id)
        .order_by(MatchResult.rank)
    )
    return list(db.session.scalars(stmt))


def result_count(run: MatchRun) -> int:
    return db.session.scalar(select(func.count(MatchResult.id)).where(MatchResult.run_id == run.id))


tasks.register("jobmatch.start_batch", start_batch)
tasks.register("jobmatch.match_part", match_part)
tasks.register("jobmatch.finish_batch", finish_batch)
