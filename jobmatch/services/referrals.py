"""Referrals: a counselor refers a seeker to a post, records the outcome; the seeker consents."""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from core import audit
from core.access import scope_filter
from core.database import ServiceError, decide_once
from core.extensions import db
from core.models import Person, utcnow
from followup import interface as followup
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


def _history(referral: Referral, status: str, user, reason: str = "", **extra) -> None:
    entry = {
        "status": status,
        "at": utcnow().isoformat(timespec="seconds"),
        "by": _actor_name(user),
    }
    if reason:
        entry["reason"] = reason
    entry.update({key: value for key, value in extra.items() if value is not None})
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
    audit.record_saved(referral, before)
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
    previous = _employment_of(referral.person)
    if status == "hired":
        _hire(referral, date.today())
    referral.status = status
    if reason:
        referral.reason = reason[:300]
    if status in FINAL:
        referral.outcome_at = utcnow()
    _history(referral, status, user, reason, before=previous if status == "hired" else None)
    audit.record_change(referral, before)
    if status == "hired":
        followup.employment_changed(referral.person_id, "hired_referral")
    db.session.commit()
    return referral


# Outcomes a recorded outcome may be corrected to (the pipeline's steps after the referral).
CORRECTABLE = OUTCOMES


def _employment_of(person: Person) -> dict:
    """The person's employment before a hire, kept in the history so a correction can restore it."""
    since = person.employed_since.isoformat() if person.employed_since else None
    return {"employment_type": person.employment_type, "employed_since": since}


def _unhire(referral: Referral, hired_entry: dict | None) -> None:
    """Undo a hire: free the seat, and give the person back the status they had before it."""
    post, person = referral.post, referral.person
    post_before, person_before = audit.snapshot(post), audit.snapshot(person)
    post.filled = max(0, post.filled - 1)
    if post.status == "closed" and post.filled < post.positions:
        post.status = "open"
    previous = (hired_entry or {}).get("before") or {}
    person.employment_type = previous.get("employment_type", "unemployed")
    since = previous.get("employed_since")
    person.employed_since = date.fromisoformat(since) if since else None
    audit.record_change(post, post_before)
    audit.record_change(person, person_before)


def _last_hire_entry(referral: Referral) -> dict | None:
    return next((e for e in reversed(referral.history or []) if e.get("status") == "hired"), None)


def correct_outcome(user, referral: Referral, expected: str, status: str, reason: str) -> Referral:
    """Correct a recorded outcome (say, "hired" entered by mistake), with a reason, audited.

    A conditional update on the outcome the counselor saw (`expected`): two corrections at once,
    the second answers 409. A hire corrected away frees the seat, restores the person's previous
    status and switches the plan back; a correction to "hired" employs the person as a hire does.
    The learning data and the indicators read the referral's status, so they follow.
    """
    if status not in CORRECTABLE:
        raise ServiceError({"status": [_("Choose an outcome.")]})
    if not (reason or "").strip():
        raise ServiceError({"reason": [_("Give the reason for the correction.")]})
    if referral.status == "proposed":
        raise ServiceError({"status": [_("This referral has no outcome to correct yet.")]}, 409)
    if status == expected:
        raise ServiceError({"status": [_("Choose an outcome different from the current one.")]})
    if (
        status == "hired"
        and expected != "hired"
        and referral.post.filled >= referral.post.positions
    ):
        raise ServiceError({"status": [_("The post has no seats left.")]}, 409)
    before = audit.snapshot(referral)
    hired_entry, previous = _last_hire_entry(referral), None
    conflict = _("Someone else changed this outcome just now. Reload the page and check it.")
    values = {"status": status, "outcome_at": utcnow() if status in FINAL else None}
    decide_once(db.session, referral, {"status": expected}, values, "status", conflict)
    if expected == "hired":
        _unhire(referral, hired_entry)
    if status == "hired":
        previous = _employment_of(referral.person)
        _hire(referral, date.today())
    _history(
        referral,
        status,
        user,
        reason.strip()[:300],
        corrected_from=expected,
        before=previous if status == "hired" else None,
    )
    audit.record_change(referral, before, action="correct")
    if expected == "hired":
        followup.employment_changed(referral.person_id, "hire_corrected")
    elif status == "hired":
        followup.employment_changed(referral.person_id, "hired_referral")
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
