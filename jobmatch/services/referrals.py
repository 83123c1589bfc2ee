"""Referrals: a counselor refers a seeker to a post, records the outcome; the seeker consents."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core import audit
from core.access import scope_filter
from core.database import ServiceError
from core.extensions import db
from core.models import Person, utcnow
from jobmatch.engine.snapshot import pair_snapshot
from jobmatch.models import REFERRAL_STATUSES, JobPost, Referral
from jobmatch.services.matching import fitted_matcher, is_open, seeker_of

OUTCOMES = ("referred", "interviewed", "hired", "not_hired", "declined")
FINAL = ("hired", "not_hired", "declined")
STATUS_NAMES = {
    "proposed": _l("Interested, not yet referred"),
    "referred": _l("Referred"),
    "interviewed": _l("Interviewed"),
    "hired": _l("Hired"),
    "not_hired": _l("Not hired"),
    "declined": _l("Declined"),
}
# The employment type a hire gives, by the post's work mode.
EMPLOYMENT_BY_MODE = {
    "full_time": "full_time",
    "part_time": "flexible",
    "flexible": "flexible",
    "home_based": "home_based",
}


def status_name(code: str) -> str:
    return str(STATUS_NAMES.get(code, code))


def _actor_name(user) -> str:
    return getattr(user, "username", "system") if user is not None else "system"


def _history(referral: Referral, status: str, user, reason: str = "") -> None:
    entry = {
        "status": status,
        "at": utcnow().isoformat(timespec="seconds"),
        "by": _actor_name(user),
    }
    if reason:
        entry["reason"] = reason
    referral.history = [*(referral.history or []), entry]


def find(person_id: int, post_id: int) -> Referral | None:
    return db.session.scalar(
        select(Referral).where(Referral.person_id == person_id, Referral.post_id == post_id)
    )


def _factor_values(person: Person, post: JobPost) -> tuple[dict, dict]:
    """The pair's factor contributions at the time of referral (kept for later audits), and the
    snapshot of the seeker and the post as the matcher saw them (learning trains on it)."""
    matcher = fitted_matcher([post])
    seeker = seeker_of(person)
    result = matcher.explain_pair(seeker, post.id)
    snapshot = pair_snapshot(seeker, matcher.posts_[matcher.post_index_[post.id]])
    return {k: round(v, 6) for k, v in result.contributions.items()}, snapshot


def refer(
    user, person: Person, post: JobPost, reason: str = "", consented: bool = False
) -> Referral:
    """Refer a seeker to an open post with seats left (one referral per seeker and post)."""
    if not is_open(post) or post.seats_left <= 0:
        raise ServiceError({"post_id": [_("This post is closed or has no seats left.")]}, 409)
    referral = find(person.id, post.id)
    if referral is not None and referral.status != "proposed":
        raise ServiceError({"post_id": [_("This seeker was already referred to this post.")]}, 409)
    before = audit.snapshot(referral) if referral is not None else None
    if referral is None:
        referral = Referral(person_id=person.id, post_id=post.id, history=[])
        db.session.add(referral)
    referral.counselor_id = user.id
    referral.status = "referred"
    referral.reason = (reason or "")[:300]
    referral.seeker_consented = bool(consented or referral.seeker_consented)
    referral.factors, referral.snapshot = _factor_values(person, post)
    _history(referral, "referred", user, reason)
    if before is None:
        audit.record("create", referral, None, audit.snapshot(referral))
    else:
        audit.record_change(referral, before)
    db.session.commit()
    return referral


def _hire(referral: Referral, today: date) -> None:
    post, person = referral.post, referral.person
    if post.filled >= post.positions:
        raise ServiceError({"status": [_("The post has no seats left.")]}, 409)
    post_before, person_before = audit.snapshot(post), audit.snapshot(person)
    post.filled = post.filled + 1
    if post.filled >= post.positions:
        post.status = "closed"
    person.employment_type = EMPLOYMENT_BY_MODE.get(post.work_mode, "full_time")
    person.employed_since = today
    audit.record_change(post, post_before)
    audit.record_change(person, person_before)


def record_outcome(user, referral: Referral, status: str, reason: str = "") -> Referral:
    """Move a referral on (interviewed, hired, not hired, declined); a hire employs the seeker."""
    if status not in OUTCOMES:
        raise ServiceError({"status": [_("Choose an outcome.")]})
    if referral.status in FINAL:
        raise ServiceError({"status": [_("This referral already has a final outcome.")]}, 409)
    if status in ("not_hired", "declined") and not (reason or "").strip():
        raise ServiceError({"reason": [_("Give the reason for this outcome.")]})
    before = audit.snapshot(referral)
    if status == "hired":
        _hire(referral, date.today())
    referral.status = status
    if reason:
        referral.reason = reason[:300]
    if status in FINAL:
        referral.outcome_at = utcnow()
    _history(referral, status, user, reason)
    audit.record_change(referral, before)
    db.session.commit()
    return referral


def mark_interest(person: Person, post: JobPost) -> Referral:
    """A seeker says they are interested in a post: a proposed referral for their counselor."""
    if not is_open(post):
        raise ServiceError({"post_id": [_("This post is closed.")]}, 409)
    referral = find(person.id, post.id)
    if referral is None:
        referral = Referral(person_id=person.id, post_id=post.id, status="proposed", history=[])
        db.session.add(referral)
        _history(referral, "proposed", None)
        referral.seeker_interested = True
        audit.record("create", referral, None, audit.snapshot(referral))
    elif not referral.seeker_interested:
        before = audit.snapshot(referral)
        referral.seeker_interested = True
        audit.record_change(referral, before)
    db.session.commit()
    return referral


def consent(referral: Referral) -> Referral:
    """The seeker agrees that the employer may see who they are for this referral."""
    if not referral.seeker_consented:
        before = audit.snapshot(referral)
        referral.seeker_consented = True
        referral.seeker_interested = True
        audit.record_change(referral, before)
        db.session.commit()
    return referral


def visible(user, status: str | None = None, person_id: int | None = None):
    """A select of the referrals the user may see, newest first."""
    stmt = select(Referral).where(scope_filter(Referral, user))
    if user.role == "counselor":
        stmt = select(Referral).where(
            scope_filter(Referral, user) | (Referral.counselor_id == user.id)
        )
    if status in REFERRAL_STATUSES:
        stmt = stmt.where(Referral.status == status)
    if person_id is not None:
        stmt = stmt.where(Referral.person_id == person_id)
    return stmt.order_by(Referral.updated_at.desc(), Referral.id.desc())


def pipeline_counts(user) -> dict[str, int]:
    """How many of the user's referrals are at each status (a counselor: their county)."""
    sub = visible(user).subquery()
    rows = db.session.execute(select(sub.c.status, func.count()).group_by(sub.c.status)).all()
    counts = dict.fromkeys(REFERRAL_STATUSES, 0)
    counts.update({status: n for status, n in rows})
    return counts


def find_all(person_id: int) -> list[Referral]:
    return list(db.session.scalars(select(Referral).where(Referral.person_id == person_id)))
