"""Learned weights: train on recorded referral outcomes, store a version, make it active."""

from dataclasses import dataclass

from sqlalchemy import func, select, update

from core import audit
from core.extensions import db
from core.models import utcnow
from jobmatch.engine.domain import Outcome
from jobmatch.engine.matcher import Matcher
from jobmatch.engine.weights import MIN_OUTCOMES, Weights
from jobmatch.models import MatchWeights, Referral
from jobmatch.services.matching import active_weights, employer_shortfalls, post_of, seeker_of

HIRED, NOT_HIRED = ("hired",), ("not_hired", "declined")


@dataclass(frozen=True)
class Training:
    """What a training run gave: the weights, whether they were stored, and the note why."""

    weights: Weights
    stored: MatchWeights | None
    outcomes: int


def outcomes() -> list[Outcome]:
    """Every referral with a final outcome, as (seeker, post, hired) for the engine."""
    stmt = select(Referral).where(Referral.status.in_(HIRED + NOT_HIRED)).order_by(Referral.id)
    referrals = list(db.session.scalars(stmt))
    short = employer_shortfalls({r.post.employer_id for r in referrals})
    seekers: dict = {}
    out = []
    for r in referrals:
        if r.person_id not in seekers:
            seekers[r.person_id] = seeker_of(r.person)
        post = post_of(r.post, short.get(r.post.employer_id, 0.0))
        out.append(Outcome(seekers[r.person_id], post, r.status in HIRED))
    return out


def retrain(min_outcomes: int = MIN_OUTCOMES) -> Training:
    """Learn weights from the outcomes; store and activate them when there were enough."""
    recorded = outcomes()
    previous = active_weights()
    if not recorded:
        return Training(previous, None, 0)
    posts = list({o.post.id: o.post for o in recorded}.values())
    matcher = Matcher(weights=previous, min_outcomes=min_outcomes).fit(posts)
    learned = matcher.learn_weights(recorded)
    if learned.source != "learned" or learned.n_outcomes != len(recorded) or learned is previous:
        return Training(learned, None, len(recorded))
    if learned.validation_auc is None or _rounded(learned.values) == _rounded(previous.values):
        return Training(learned, None, len(recorded))
    db.session.execute(update(MatchWeights).values(active=False))
    number = (db.session.scalar(select(func.count(MatchWeights.id))) or 0) + 1
    row = MatchWeights(
        version=f"v{number}-{utcnow():%Y%m%d%H%M%S}",
        weights={k: round(float(v), 6) for k, v in learned.values.items()},
        trained_on=len(recorded),
        validation_auc=round(float(learned.validation_auc), 4),
        active=True,
    )
    db.session.add(row)
    audit.record("create", row, None, audit.snapshot(row))
    db.session.commit()
    return Training(learned, row, len(recorded))


def _rounded(values: dict) -> dict:
    return {k: round(float(v), 4) for k, v in values.items()}


def history(limit: int = 20) -> list[MatchWeights]:
    stmt = select(MatchWeights).order_by(MatchWeights.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def active_row() -> MatchWeights | None:
    return db.session.scalar(select(MatchWeights).where(MatchWeights.active.is_(True)))
