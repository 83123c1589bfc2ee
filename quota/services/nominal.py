"""Nominal hires (挂名): a counselor's finding that a claimed employee does not really work there.

Recording one rejects every claim of that person by that employer for the year (amendments included),
re-assesses an assessed filing, and counts towards the employer's credit flags; withdrawing it puts
the claims back through verification. Both are audited.
"""

from flask_babel import gettext as _
from sqlalchemy import select, update

from core import audit
from core.access import can_view
from core.database import ServiceError
from core.extensions import db
from core.models import utcnow
from quota.models import NominalHireFinding, QuotaClaim, QuotaFiling
from quota.services import review

STAFF = ("admin", "counselor")


def _not_found(field: str) -> ServiceError:
    return ServiceError({field: [_("Not found.")]}, 404)


def _required_text(field: str, value: str | None, message: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ServiceError({field: [message]})
    return text


def open_finding(employer_id: int, year: int, person_index: str) -> NominalHireFinding | None:
    return db.session.scalar(
        select(NominalHireFinding).where(
            NominalHireFinding.employer_id == employer_id,
            NominalHireFinding.data_year == year,
            NominalHireFinding.person_index == person_index,
            NominalHireFinding.withdrawn_at.is_(None),
        )
    )


def findings_for(employer_id: int, year: int) -> list[NominalHireFinding]:
    """The employer's findings for the year, open ones first, newest first."""
    return list(
        db.session.scalars(
            select(NominalHireFinding)
            .where(
                NominalHireFinding.employer_id == employer_id,
                NominalHireFinding.data_year == year,
            )
            .order_by(NominalHireFinding.withdrawn_at.is_not(None), NominalHireFinding.id.desc())
        )
    )


def record_nominal_hire(claim_id: int | None, user, note: str | None) -> NominalHireFinding:
    """Record that the person of a claim is a nominal hire of its employer for the claim's year."""
    claim = None if claim_id is None else db.session.get(QuotaClaim, claim_id)
    if claim is None or user.role not in STAFF or not can_view(user, claim.filing.employer):
        raise _not_found("claim_id")
    note = _required_text("note", note, _("Say what the check found."))
    if open_finding(claim.employer_id, claim.data_year, claim.person_index) is not None:
        raise ServiceError(
            {"claim_id": [_("A nominal hire is already recorded for this person.")]}, 409
        )
    finding = NominalHireFinding(
        employer_id=claim.employer_id,
        data_year=claim.data_year,
        person_index=claim.person_index,
        cert_masked=claim.cert_masked,
        note=note,
        recorded_by=user.id,
    )
    db.session.add(finding)
    db.session.flush()
    audit.record("create", finding, None, {"cert_masked": finding.cert_masked, "note": note})
    _reverify(finding)
    db.session.commit()
    return finding


def withdraw_nominal_hire(finding_id: int | None, user, reason: str | None) -> NominalHireFinding:
    """Withdraw a finding (a mistake, or remedied): the person's claims are verified again."""
    finding = None if finding_id is None else db.session.get(NominalHireFinding, finding_id)
    if finding is None or user.role not in STAFF or not can_view(user, finding.employer):
        raise _not_found("finding_id")
    reason = _required_text("reason", reason, _("Give the reason for withdrawing the finding."))
    if finding.withdrawn_at is not None:
        raise ServiceError({"finding_id": [_("This finding was already withdrawn.")]}, 409)
    before = audit.snapshot(finding)
    finding.withdrawn_at, finding.withdrawn_by, finding.withdraw_reason = utcnow(), user.id, reason
    db.session.flush()
    audit.record_change(finding, before, action="withdraw")
    _reverify(finding)
    db.session.commit()
    return finding


def _reverify(finding: NominalHireFinding) -> None:
    """Put the person's claims at the employer back to pending, verify them, re-assess if assessed."""
    claims = select(QuotaClaim.id, QuotaClaim.filing_id).where(
        QuotaClaim.employer_id == finding.employer_id,
        QuotaClaim.data_year == finding.data_year,
        QuotaClaim.person_index == finding.person_index,
    )
    rows = db.session.execute(claims).all()
    if not rows:
        return
    db.session.execute(
        update(QuotaClaim)
        .where(QuotaClaim.id.in_([claim_id for claim_id, _filing in rows]))
        .values(verdict="pending", reason=None, disputed=False)
        .execution_options(synchronize_session="fetch")
    )
    filing_ids = sorted({filing_id for _claim, filing_id in rows})
    review.verify_pending(finding.data_year, filing_ids)
    assessed = list(
        db.session.scalars(
            select(QuotaFiling.id).where(
                QuotaFiling.id.in_(filing_ids), QuotaFiling.status == "assessed"
            )
        )
    )
    if assessed:
        review.assess_filings(finding.data_year, assessed)
