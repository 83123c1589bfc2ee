"""Filing use cases: save a draft, submit, amend with a reason, and resolve double claims.

Each change is one transaction: the filing, its claims, a frozen version and the audit event are
written together. The filing's `version` counter answers 409 to a stale edit; the partial unique index
on accepted claims makes a concurrent second claim of a person fail, and the use case then retries,
seeing the first claim and recording a conflict.
"""

import logging

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm.exc import StaleDataError

from core import audit, identity
from core.access import can_view
from core.database import ServiceError
from core.extensions import db
from core.models import Employer, utcnow
from core.services import cipher
from quota.models import ConflictDecision, QuotaClaim, QuotaFiling, QuotaFilingVersion
from quota.services import review
from quota.services.year_settings import effective_rule_set, filing_window_for, window_is_open

log = logging.getLogger(__name__)
ATTEMPTS = 4
REASON_TEXT = {
    "invalid_certificate": _l("The certificate number is not valid."),
    "unknown_person": _l("The person is not in the disability registry."),
    "certificate_not_current": _l("The certificate is not the person's current certificate."),
    "not_working_age": _l("The person was not of working age in the data year."),
    "conditions_not_met": _l(
        "The counting conditions are not met (contract, minimum wage, social insurance)."
    ),
    "nominal_hire": _l(
        "A counselor found that this person does not really work here (nominal hire)."
    ),
    "claimed_by_another_employer": _l("Another employer also claims this person for the year."),
}


def stale_error() -> ServiceError:
    return ServiceError(
        {"version": [_("Someone else changed this filing; reload it and try again.")]}, 409
    )


def claim_view(claim: QuotaClaim) -> dict:
    """A claim as its employer may see it: masked certificate, verdict, no other party's identity."""
    conflict = claim.verdict == "conflict" or claim.disputed
    return {
        "id": claim.id,
        "cert_masked": claim.cert_masked,
        "level": claim.level,
        "months": claim.months,
        "long_contract": claim.long_contract,
        "min_wage": claim.min_wage,
        "social_insurance": claim.social_insurance,
        "verdict": claim.verdict,
        "reason": claim.reason,
        "reason_text": str(REASON_TEXT.get(claim.reason, "")),
        "conflict": conflict,
    }


def certificate_of(claim: QuotaClaim) -> str:
    """The full certificate number the employer entered (shown back to that employer only)."""
    return cipher().decrypt(claim.cert_cipher) if claim.cert_cipher else ""


def filing_for(employer_id: int, year: int) -> QuotaFiling | None:
    return db.session.scalar(
        select(QuotaFiling).where(
            QuotaFiling.employer_id == employer_id, QuotaFiling.data_year == year
        )
    )


def _new_claims(filing: QuotaFiling, employees: list[dict]) -> list[QuotaClaim]:
    fc = cipher()
    return [
        QuotaClaim(
            employer_id=filing.employer_id,
            data_year=filing.data_year,
            person_index=fc.blind_index(e["certificate_no"][:18]),
            cert_index=fc.blind_index(e["certificate_no"]),
            cert_masked=identity.mask_number(e["certificate_no"]),
            cert_cipher=fc.encrypt(e["certificate_no"]),
            level=e["level"],
            months=e["months"],
            long_contract=e.get("long_contract", True),
            min_wage=e.get("min_wage", True),
            social_insurance=e.get("social_insurance", True),
            verdict="pending",
        )
        for e in employees
    ]


def snapshot(filing: QuotaFiling) -> dict:
    """The filing's content for its version row: figures and masked claims."""
    return {
        "status": filing.status,
        "monthly_headcounts": filing.monthly_headcounts,
        "wage_total": None if filing.wage_total is None else str(filing.wage_total),
        "claims": [
            {
                k: getattr(c, k)
                for k in (
                    "cert_masked",
                    "level",
                    "months",
                    "long_contract",
                    "min_wage",
                    "social_insurance",
                    "verdict",
                    "reason",
                )
            }
            for c in filing.claims
        ],
    }


def _window_error(year: int) -> ServiceError:
    window = filing_window_for(year)
    if window is None or window[0] > window[1]:
        return ServiceError({"data_year": [_("Filing for %(year)s is closed.", year=year)]})
    opens, closes = (w.isoformat() for w in window)
    return ServiceError(
        {
            "data_year": [
                _(
                    "Filing for %(year)s is open from %(opens)s to %(closes)s only.",
                    year=year,
                    opens=opens,
                    closes=closes,
                )
            ]
        }
    )


def _retrying(action):
    """Run a use case, retrying when a concurrent claim won the race (the index said no)."""
    for attempt in range(ATTEMPTS):
        try:
            return action()
        except StaleDataError:
            db.session.rollback()
            raise stale_error() from None
        except (IntegrityError, OperationalError) as error:
            db.session.rollback()
            log.info("retrying a filing change after %s", type(error).__name__, exc_info=True)
            if attempt == ATTEMPTS - 1:
                raise stale_error() from None
    raise stale_error()


def save_filing(employer: Employer, data: dict, user=None) -> QuotaFiling:
    """Save a draft, submit it, or amend a submitted filing (a reason is then required)."""
    return _retrying(lambda: _save(employer, data, user))


def saved_with(employer_id: int, key: str | None) -> QuotaFiling | None:
    """The employer's filing a save with this submission key already made, if any."""
    if not key:
        return None
    return db.session.scalar(
        select(QuotaFiling)
        .join(QuotaFilingVersion, QuotaFilingVersion.filing_id == QuotaFiling.id)
        .where(QuotaFiling.employer_id == employer_id, QuotaFilingVersion.submission_key == key)
    )


def _save(employer: Employer, data: dict, user) -> QuotaFiling:
    year = data["data_year"]
    effective_rule_set(year)
    first = saved_with(employer.id, data.get("submission_key"))
    if first is not None:  # a retry after a lost answer: the first answer, nothing saved again
        return first
    filing = filing_for(employer.id, year)
    amendment = filing is not None and filing.status in review.FILED
    if filing is not None and data.get("version") != filing.version:
        raise stale_error()
    if amendment and not (data.get("reason") or "").strip():
        raise ServiceError({"reason": [_("Give the reason for the amendment.")]})
    if not amendment and not window_is_open(year):
        raise _window_error(year)
    created = filing is None
    if created:
        filing = QuotaFiling(employer_id=employer.id, data_year=year, status="draft", claims=[])
        db.session.add(filing)  # inserted with version 1 at the flush below
        before = None
    else:
        before = snapshot(filing)
        filing.claims.clear()  # deletes the old claims; the filing row itself is untouched
        db.session.flush()
    was_assessed = filing.status == "assessed"
    filing.monthly_headcounts = [str(v) for v in data["monthly_headcounts"]]
    filing.wage_total = data["wage_total"]
    filing.source = data.get("source", "form")
    filing.claims.extend(_new_claims(filing, data.get("employees", [])))
    if data.get("submit") or amendment or filing.status == "not_filed":
        filing.status = "submitted" if (data.get("submit") or amendment) else "draft"
    if filing.status == "submitted":
        filing.submitted_at = filing.submitted_at or utcnow()
    if amendment:
        filing.amend_reason = data["reason"].strip()
    if not created:
        filing.updated_at = utcnow()  # every save is one new version, even with the same figures
    db.session.flush()  # one UPDATE: the version goes up by exactly one
    return _finish(
        filing, before, data.get("reason"), user, was_assessed, created, data.get("submission_key")
    )


def _finish(filing, before, reason, user, reassess, created, key=None) -> QuotaFiling:
    """Verify a submitted filing, keep the version, audit, re-assess an amendment, commit."""
    if filing.status == "submitted":
        review.verify_pending(filing.data_year, [filing.id])
        db.session.expire(filing, ["claims"])
    if reassess:  # an amendment of an assessed filing is assessed again before it is recorded
        review.assess_filings(filing.data_year, [filing.id])
        db.session.refresh(filing)
    after = snapshot(filing)
    db.session.add(
        QuotaFilingVersion(
            filing_id=filing.id,
            version=filing.version,
            status=filing.status,
            data=after,
            reason=reason,
            actor_id=getattr(user, "id", None),
            submission_key=key,
        )
    )
    action = "create" if created else ("amend" if reason else "update")
    if filing.status == "submitted" and not reason:
        action = "submit"
    audit.record(action, filing, before, after, actor=user)
    db.session.commit()
    return filing


def submit_filing(filing: QuotaFiling, version: int, user=None) -> QuotaFiling:
    """Submit a saved draft as it stands."""

    def action():
        current = db.session.get(QuotaFiling, filing.id)
        if current.version != version:
            raise stale_error()
        if current.status != "draft":
            raise ServiceError({"status": [_("Only a draft can be submitted.")]}, 409)
        if not window_is_open(current.data_year):
            raise _window_error(current.data_year)
        before = snapshot(current)
        current.status = "submitted"
        current.submitted_at = utcnow()
        for claim in current.claims:
            claim.verdict = "pending"
        db.session.flush()
        return _finish(current, before, None, user, False, False)

    return _retrying(action)


# --- conflicts ---------------------------------------------------------------------------------


def _group(claim: QuotaClaim) -> list[QuotaClaim]:
    return list(
        db.session.scalars(
            select(QuotaClaim)
            .where(
                QuotaClaim.data_year == claim.data_year,
                QuotaClaim.person_index == claim.person_index,
                # Spelled as OR so PostgreSQL reads the two partial (year, person) indexes.
                (QuotaClaim.verdict == "accepted") | (QuotaClaim.verdict == "conflict"),
            )
            .order_by(QuotaClaim.id)
        )
    )


def conflicts(user, year: int | None = None) -> list[dict]:
    """Open double claims the user may resolve: each with its claims and their employers."""
    stmt = select(QuotaClaim).where(QuotaClaim.verdict == "conflict").order_by(QuotaClaim.id)
    if year is not None:
        stmt = stmt.where(QuotaClaim.data_year == year)
    groups, seen = [], set()
    for claim in db.session.scalars(stmt):
        key = (claim.data_year, claim.person_index)
        if key in seen:
            continue
        seen.add(key)
        members = _group(claim)
        employers = [db.session.get(Employer, m.employer_id) for m in members]
        if not any(can_view(user, e) for e in employers):
            continue
        groups.append(
            {
                "data_year": claim.data_year,
                "cert_masked": claim.cert_masked,
                "claims": [
                    {"claim_id": m.id, "employer": e, "verdict": m.verdict, "months": m.months}
                    for m, e in zip(members, employers, strict=True)
                ],
            }
        )
    return groups


def resolve_conflict(winner_claim_id: int, user, note: str | None = None) -> QuotaClaim:
    """A counselor decides which employer the person counts for; the others' claims are rejected."""
    winner = None if winner_claim_id is None else db.session.get(QuotaClaim, winner_claim_id)
    members = _group(winner) if winner is not None else []
    employers = [db.session.get(Employer, m.employer_id) for m in members]
    if winner is None or not any(can_view(user, e) for e in employers):
        raise ServiceError({"winner_claim_id": [_("Not found.")]}, 404)
    if not any(m.verdict == "conflict" or m.disputed for m in members):
        raise ServiceError({"winner_claim_id": [_("This claim is not in conflict.")]}, 409)
    now = utcnow()
    # A conditional update on the state this decision was made from: each member's verdict and
    # dispute as read above. Someone who decided first changed them: this decision answers 409.
    ordered = [m for m in members if m is not winner] + [winner]  # free the acceptance first
    befores = {m.id: audit.snapshot(m) for m in members}
    for member in ordered:
        won = member is winner
        try:
            changed = _decide_member(member, won, user, now)
        except OperationalError:  # SQLite: another decision holds the write lock too long
            changed = 0
        if changed != 1:
            db.session.rollback()
            raise ServiceError(
                {"winner_claim_id": [_("Someone else decided this double claim first.")]}, 409
            )
    for member in members:
        db.session.refresh(member)
        action_old, action_new = audit.changed(befores[member.id], audit.snapshot(member))
        if action_new:
            audit.record("resolve", member, action_old, action_new)
    if note:
        audit.record("note", winner, None, {"note": note})
    _keep_decision(winner, user, now)
    assessed = [
        m.filing_id
        for m in members
        if db.session.get(QuotaFiling, m.filing_id).status == "assessed"
    ]
    if assessed:
        review.assess_filings(winner.data_year, assessed)
    db.session.commit()
    return winner


def _decide_member(member: QuotaClaim, won: bool, user, now) -> int:
    """Set one member's outcome if it is still as read; returns the rows changed (0 or 1)."""
    return db.session.execute(
        update(QuotaClaim)
        .where(
            QuotaClaim.id == member.id,
            QuotaClaim.verdict == member.verdict,
            QuotaClaim.disputed.is_(bool(member.disputed)),
        )
        .values(
            verdict="accepted" if won else "rejected",
            reason=None if won else "claimed_by_another_employer",
            disputed=False,
            resolved_by=user.id,
            resolved_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount


def _keep_decision(winner: QuotaClaim, user, now) -> None:
    """Remember whom the person counts for this year, so later claims need no new resolution."""
    decision = db.session.scalar(
        select(ConflictDecision).where(
            ConflictDecision.data_year == winner.data_year,
            ConflictDecision.person_index == winner.person_index,
        )
    )
    if decision is None:
        decision = ConflictDecision(data_year=winner.data_year, person_index=winner.person_index)
        db.session.add(decision)
    decision.employer_id, decision.decided_by, decision.decided_at = (
        winner.employer_id,
        user.id,
        now,
    )
    db.session.flush()
    audit.record("decide", decision, None, {"employer_id": winner.employer_id})


def filings_query(user, year: int | None = None, q: str = ""):
    """Filings the user may see, newest year first, optionally filtered by year and employer."""
    from core.access import scope_filter

    stmt = (
        select(QuotaFiling)
        .join(Employer, Employer.id == QuotaFiling.employer_id)
        .where(scope_filter(QuotaFiling, user))
        .order_by(QuotaFiling.data_year.desc(), Employer.name)
    )
    if year:
        stmt = stmt.where(QuotaFiling.data_year == year)
    if q:
        stmt = stmt.where(or_(Employer.name.contains(q), Employer.credit_code == q.upper()))
    return stmt
