"""Learned weights: train on recorded referral outcomes, store a version, make it active."""

from dataclasses import dataclass

from sqlalchemy import func, select, update

from core import audit
from core.extensions import db
from core.models import utcnow
from jobmatch.engine.domain import Outcome
from jobmatch.engine.matcher import Matcher
from jobmatch.engine.snapshot import SNAPSHOT_VERSION, pair_from_snapshot
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
    """Every referral with a final outcome, as (seeker, post, hired) for the engine.

    The seeker and the post are those of the referral's snapshot: their state when the referral
    was made (a hire makes the seeker employed and no longer hard to employ; the employer's quota
    shortfall moves), so the policy factors enter the held-out comparison as they were. A referral
    made before snapshots were kept falls back, explicitly, to the current state
    (``outcome_sources()`` counts them).
    """
    return [outcome for outcome, _source in _outcomes()]


def outcome_sources() -> dict[str, int]:
    """How many training outcomes come from a snapshot and how many from today's state."""
    counts = {"snapshot": 0, "current": 0}
    for _outcome, source in _outcomes():
        counts[source] += 1
    return counts


def _outcomes() -> list[tuple[Outcome, str]]:
    stmt = select(Referral).where(Referral.status.in_(HIRED + NOT_HIRED)).order_by(Referral.id)
    referrals = list(db.session.scalars(stmt))
    old = [r for r in referrals if not _has_snapshot(r)]
    short = employer_shortfalls({r.post.employer_id for r in old}) if old else {}
    seekers: dict = {}
    out = []
    for r in referrals:
        hired = r.status in HIRED
        if _has_snapshot(r):
            seeker, post = pair_from_snapshot(r.snapshot)
            out.append((Outcome(seeker, post, hired), "snapshot"))
            continue
        if r.person_id not in seekers:  # fallback: today's state (referral made before snapshots)
            seekers[r.person_id] = seeker_of(r.person)
        post = post_of(r.post, short.get(r.post.employer_id, 0.0))
        out.append((Outcome(seekers[r.person_id], post, hired), "current"))
    return out


def _has_snapshot(referral: Referral) -> bool:
    data = referral.snapshot
    return isinstance(data, dict) and data.get("version") == SNAPSHOT_VERSION


def retrain(min_outcomes: int = MIN_OUTCOMES) -> Training:
    """Learn bounded weights from the outcomes and store them.

    The learned version becomes active only when it ranks held-out outcomes better than the active
    weights (see jobmatch.engine.weights); otherwise it is stored as a candidate with the reason.
    ``Training.stored`` is the stored row (active or candidate), None when nothing was learned.
    """
    recorded = outcomes()
    previous = active_weights()
    if not recorded:
        return Training(previous, None, 0)
    posts = list({o.post.id: o.post for o in recorded}.values())
    matcher = Matcher(weights=previous, min_outcomes=min_outcomes).fit(posts)
    learned = matcher.learn_weights(recorded)
    if learned.source != "learned" or learned.evaluation is None:
        return Training(learned, None, len(recorded))
    if learned.accepted:
        db.session.execute(
            update(MatchWeights)
            .where(MatchWeights.active.is_(True))
            .values(active=False, status="retired")
        )
    ev = learned.evaluation
    number = (db.session.scalar(select(func.count(MatchWeights.id))) or 0) + 1
    row = MatchWeights(
        version=f"v{number}-{utcnow():%Y%m%d%H%M%S}",
        weights={k: round(float(v), 6) for k, v in learned.values.items()},
        trained_on=len(recorded),
        validation_auc=round(ev.auc, 4),
        baseline_auc=round(ev.baseline_auc, 4),
        ndcg=round(ev.ndcg, 4),
        baseline_ndcg=round(ev.baseline_ndcg, 4),
        active=learned.accepted,
        status="active" if learned.accepted else "candidate",
        note=_english_note(learned),
    )
    db.session.add(row)
    db.session.flush()
    audit.record("create", row, None, audit.snapshot(row))
    db.session.commit()
    return Training(learned, row, len(recorded))


def _english_note(weights: Weights) -> str:
    """The stored note of a learned version, in English (the admin page shows the figures)."""
    from flask_babel import force_locale

    from jobmatch.labels import weights_note

    with force_locale("en"):
        return weights_note(weights)[:300]


def history(limit: int = 20) -> list[MatchWeights]:
    stmt = select(MatchWeights).order_by(MatchWeights.id.desc()).limit(limit)
    return list(db.session.scalars(stmt))


def active_row() -> MatchWeights | None:
    return db.session.scalar(select(MatchWeights).where(MatchWeights.active.is_(True)))
