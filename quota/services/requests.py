"""Requests after the assessment: relief, deferral, review (复核) and reward; evidence; decisions.

The rules of each kind are in quota.rules.requests. Every step (application, evidence, decision,
reward payment) is audited, and the employer sees the request, its evidence and its history.
A decision is a conditional update of a pending request: a second decision answers 409. Effects:
- relief / deferral granted: what is due and by when change (quota.services.dues); the payment
  notice is issued anew on the next request for it; the employer's unpaid-levy flags are evaluated
  again, so late fees and flags follow the decision;
- review upheld: a rejected claim is counted, or the assessment is run again, or the flag is lifted,
  with the decision's reason shown to the employer;
- reward approved, then paid: the reward notice can be issued; the payment is recorded.
"""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core import audit
from core.access import scope_filter
from core.database import ServiceError
from core.extensions import db
from core.models import AuditEvent, Employer, utcnow
from quota.models import (
    CreditFlag,
    QuotaClaim,
    QuotaEvidence,
    QuotaRequest,
)
from quota.rules import requests as rules
from quota.services import dues, payments, review
from quota.services.year_settings import payment_deadline


def _error(field: str, message: str, status: int = 422) -> ServiceError:
    return ServiceError({field: [message]}, status)


# --- applying --------------------------------------------------------------------------------------


def _pending_exists(employer_id: int, year: int, kind: str) -> bool:
    return (
        db.session.scalar(
            select(QuotaRequest.id).where(
                QuotaRequest.employer_id == employer_id,
                QuotaRequest.data_year == year,
                QuotaRequest.kind == kind,
                QuotaRequest.status == "pending",
            )
        )
        is not None
    )


def review_period(employer_id: int, year: int) -> tuple[date | None, bool]:
    """The last day to ask for a review of the year's assessment, and whether it has passed."""
    from quota.services import documents

    assessment = dues.current_assessment(employer_id, year)
    if assessment is None:
        return None, False
    notice = documents.current_document(employer_id, year, "assessment_notice")
    issued = (notice.issued_at if notice else assessment.created_at).date()
    terms = documents.terms(year)
    days = terms.review_request_days if terms else None
    return rules.review_deadline(issued, days), rules.review_period_open(issued, days, date.today())


def _check_review(employer: Employer, data: dict, fields: dict) -> None:
    subject = data.get("subject")
    if subject not in rules.REVIEW_SUBJECTS:
        raise _error("subject", _("Say what you contest: a figure, a claim or a credit flag."))
    fields["subject"] = subject
    last_day, is_open = review_period(employer.id, data["data_year"])
    if not is_open:
        raise _error(
            "data_year",
            _("The period to ask for a review ended on %(date)s.", date=last_day.isoformat()),
        )
    if subject == "claim":
        claim = db.session.get(QuotaClaim, data.get("claim_id") or 0)
        if (
            claim is None
            or claim.employer_id != employer.id
            or claim.data_year != data["data_year"]
        ):
            raise _error("claim_id", _("Choose one of your claims of that year."))
        if claim.verdict != "rejected":
            raise _error("claim_id", _("Only a claim that was not counted can be contested."))
        fields["claim_id"] = claim.id
    if subject == "flag":
        flag = db.session.get(CreditFlag, data.get("flag_id") or 0)
        if flag is None or flag.employer_id != employer.id or flag.lifted_at is not None:
            raise _error("flag_id", _("Choose one of your credit flags in force."))
        fields["flag_id"] = flag.id


def apply(employer: Employer, data: dict, files=(), user=None) -> QuotaRequest:
    """An employer's request (or, for a reward, the federation's offer), with its evidence."""
    kind, year = data["kind"], data["data_year"]
    owed = dues.due(employer.id, year)
    if owed is None:
        raise _error("data_year", _("There is no assessment for %(year)s.", year=year), 404)
    if _pending_exists(employer.id, year, kind):
        raise _error(
            "kind", _("A request of this kind for %(year)s is already pending.", year=year), 409
        )
    fields = {"assessment_id": owed["assessment"].id}
    if kind == "relief":
        amount = data.get("amount")
        if amount is None or amount <= 0 or amount > owed["amount_due"]:
            raise _error(
                "amount",
                _(
                    "Ask for an amount above 0 and at most %(due)s yuan.",
                    due=format(owed["amount_due"], ",.2f"),
                ),
            )
        fields["amount_requested"] = amount
    elif kind == "deferral":
        new_date = data.get("deadline")
        if new_date is None or new_date <= owed["deadline"]:
            raise _error(
                "deadline",
                _("Ask for a date after the deadline %(date)s.", date=owed["deadline"].isoformat()),
            )
        fields["deadline_requested"] = new_date
        if owed["amount_due"] <= 0:
            raise _error("kind", _("No levy is due for %(year)s.", year=year))
    elif kind == "review":
        _check_review(employer, data, fields)
    elif kind == "reward":
        assessment = owed["assessment"]
        if not assessment.reward_eligible or not assessment.reward or assessment.reward <= 0:
            raise _error("kind", _("No reward is due for %(year)s.", year=year))
        if rewards_granted(employer.id, year):
            raise _error("kind", _("The reward for %(year)s was already decided.", year=year), 409)
        fields["amount_requested"] = Decimal(assessment.reward)
    checked = check_files(files)
    request = QuotaRequest(
        kind=kind,
        employer_id=employer.id,
        data_year=year,
        reason=data["reason"].strip(),
        status="pending",
        created_by=getattr(user, "id", None),
        **fields,
    )
    db.session.add(request)
    db.session.flush()
    audit.record("apply", request, None, _public(request), actor=user)
    for filename, content_type, body in checked:
        _store_evidence(request, filename, content_type, body, user)
    db.session.commit()
    return request


def check_files(files) -> list[tuple[str, str, bytes]]:
    """(filename, type, body) of each evidence file, or the first file's problem."""
    files = [f for f in files if f[2]]
    if len(files) > rules.EVIDENCE_MAX_FILES:
        raise _error("evidence", _("At most %(n)s files.", n=rules.EVIDENCE_MAX_FILES))
    checked = []
    for filename, _declared_type, body in files:
        name = (filename or "evidence").replace("\\", "/").rsplit("/", 1)[-1][:200]
        if len(body) > rules.EVIDENCE_MAX_BYTES:
            raise _error(
                "evidence",
                _(
                    "%(name)s is larger than %(mb)s MB.",
                    name=name,
                    mb=rules.EVIDENCE_MAX_BYTES // (1024 * 1024),
                ),
                413,
            )
        kind = rules.evidence_type(body)
        if kind is None:
            raise _error("evidence", _("%(name)s is not a PDF, JPEG or PNG file.", name=name), 415)
        checked.append((name, kind, body))
    return checked


def _store_evidence(request: QuotaRequest, filename, content_type, body, user) -> QuotaEvidence:
    evidence = QuotaEvidence(
        request_id=request.id,
        filename=filename,
        content_type=content_type,
        size=len(body),
        data=body,
        uploaded_by=getattr(user, "id", None),
    )
    db.session.add(evidence)
    db.session.flush()
    audit.record("upload", request, None, {"evidence": filename, "size": len(body)}, actor=user)
    return evidence


def add_evidence(request: QuotaRequest, files, user=None) -> QuotaRequest:
    """More evidence for a pending request (within the file limit)."""
    if request.status != "pending":
        raise _error("status", _("This request was already decided."), 409)
    checked = check_files(files)
    if len(request.evidence) + len(checked) > rules.EVIDENCE_MAX_FILES:
        raise _error("evidence", _("At most %(n)s files.", n=rules.EVIDENCE_MAX_FILES))
    for filename, content_type, body in checked:
        _store_evidence(request, filename, content_type, body, user)
    db.session.commit()
    return request


# --- deciding --------------------------------------------------------------------------------------

DECISION_MESSAGES = {
    ("outcome", "invalid"): _l("Choose approve, approve in part or refuse."),
    ("reason", "required"): _l("Give the reason for the decision."),
    (
        "amount",
        "partial_amount",
    ): _l("A partial approval grants an amount above 0 and below the amount asked for."),
    (
        "deadline",
        "partial_deadline",
    ): _l("A partial deferral grants a date after the deadline and before the date asked for."),
}


def decide(request: QuotaRequest, data: dict, user=None) -> QuotaRequest:
    """The federation's decision on a pending request; 409 when it was decided meanwhile."""
    try:
        decision = rules.check_decision(
            request.kind,
            data.get("outcome", ""),
            data.get("reason") or "",
            request.amount_requested,
            request.deadline_requested,
            data.get("amount"),
            data.get("deadline"),
            payment_deadline(request.data_year),
        )
    except rules.DecisionError as error:
        raise _error(error.field, str(DECISION_MESSAGES[(error.field, error.code)])) from None
    now = utcnow()
    changed = db.session.execute(
        update(QuotaRequest)
        .where(QuotaRequest.id == request.id, QuotaRequest.status == "pending")
        .values(
            status=decision.status,
            amount_granted=decision.amount,
            deadline_granted=decision.deadline,
            decision_reason=(data.get("reason") or "").strip() or None,
            decided_by=getattr(user, "id", None),
            decided_at=now,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise _error("status", _("This request was already decided."), 409)
    db.session.expire(request)
    try:
        _effects(request, user)
    except IntegrityError:
        db.session.rollback()
        raise _error(
            "outcome",
            _("Another employer counts this person for the year; resolve that first."),
            409,
        ) from None
    audit.record("decide", request, {"status": "pending"}, _public(request), actor=user)
    db.session.commit()
    return request


def _effects(request: QuotaRequest, user) -> None:
    if request.status not in rules.GRANTED:
        return
    year = request.data_year
    if request.kind in ("relief", "deferral"):
        payments.evaluate_flags(year, user=user, employer_ids={request.employer_id}, commit=False)
    elif request.kind == "review":
        if request.subject == "flag":
            flag = db.session.get(CreditFlag, request.flag_id)
            if flag.lifted_at is None:
                payments.lift_flag(flag, request.decision_reason, user, commit=False)
        elif request.subject == "claim":
            claim = db.session.get(QuotaClaim, request.claim_id)
            before = audit.snapshot(claim)
            claim.verdict, claim.reason = "accepted", None
            claim.resolved_by, claim.resolved_at = getattr(user, "id", None), utcnow()
            db.session.flush()
            audit.record_change(claim, before, action="review_upheld")
            review.assess_filings(year, [claim.filing_id])
        else:
            assessment = dues.current_assessment(request.employer_id, year)
            review.assess_filings(year, [assessment.filing_id])


def record_reward_payment(request: QuotaRequest, data: dict, user=None) -> QuotaRequest:
    """The reward was paid: date and reference; only an approved reward, once."""
    if request.kind != "reward":
        raise _error("kind", _("Only a reward is paid."), 409)
    changed = db.session.execute(
        update(QuotaRequest)
        .where(
            QuotaRequest.id == request.id,
            QuotaRequest.status.in_(("approved", "partly_approved")),
        )
        .values(status="paid", paid_on=data["paid_on"], payment_reference=data["reference"])
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise _error("status", _("Only an approved reward not yet paid can be paid."), 409)
    db.session.expire(request)
    audit.record("pay_reward", request, None, _public(request), actor=user)
    db.session.commit()
    return request


# --- reading ---------------------------------------------------------------------------------------


def _public(request: QuotaRequest) -> dict:
    """What the audit trail keeps of a request (no evidence bodies)."""
    keep = (
        "kind",
        "data_year",
        "subject",
        "claim_id",
        "flag_id",
        "reason",
        "amount_requested",
        "deadline_requested",
        "status",
        "amount_granted",
        "deadline_granted",
        "decision_reason",
        "paid_on",
        "payment_reference",
    )
    snap = audit.snapshot(request)
    return {k: snap.get(k) for k in keep}


def rewards_granted(employer_id: int, year: int) -> QuotaRequest | None:
    return db.session.scalar(
        select(QuotaRequest).where(
            QuotaRequest.employer_id == employer_id,
            QuotaRequest.data_year == year,
            QuotaRequest.kind == "reward",
            QuotaRequest.status.in_(rules.GRANTED),
        )
    )


def visible(user, status: str | None = None, kind: str | None = None):
    stmt = (
        select(QuotaRequest)
        .where(scope_filter(QuotaRequest, user))
        .order_by(QuotaRequest.status != "pending", QuotaRequest.created_at.desc())
    )
    if status:
        stmt = stmt.where(QuotaRequest.status == status)
    if kind:
        stmt = stmt.where(QuotaRequest.kind == kind)
    return stmt


def of_employer(employer_id: int) -> list[QuotaRequest]:
    return list(
        db.session.scalars(
            select(QuotaRequest)
            .where(QuotaRequest.employer_id == employer_id)
            .order_by(QuotaRequest.created_at.desc())
        )
    )


def history(request: QuotaRequest) -> list[AuditEvent]:
    """The request's audit events, oldest first (the employer sees every step)."""
    return list(
        db.session.scalars(
            select(AuditEvent)
            .where(AuditEvent.table_name == "quota_request", AuditEvent.row_id == str(request.id))
            .order_by(AuditEvent.id)
        )
    )


def granted(year: int, employer_ids=None) -> dict[int, dict]:
    """Approved reductions and deferrals of a year per employer: {"reduction", "deadline"}."""
    stmt = select(QuotaRequest).where(
        QuotaRequest.data_year == year,
        QuotaRequest.kind.in_(("relief", "deferral")),
        QuotaRequest.status.in_(rules.GRANTED),
    )
    if employer_ids is not None:
        stmt = stmt.where(QuotaRequest.employer_id.in_(list(employer_ids)))
    found: dict[int, dict] = {}
    for request in db.session.scalars(stmt):
        entry = found.setdefault(request.employer_id, {"reductions": [], "deferrals": []})
        if request.kind == "relief" and request.amount_granted is not None:
            entry["reductions"].append(Decimal(request.amount_granted))
        if request.kind == "deferral" and request.deadline_granted is not None:
            entry["deferrals"].append(request.deadline_granted)
    return {
        employer_id: {
            "reduction": sum(entry["reductions"], Decimal("0")),
            "deadline": max(entry["deferrals"]) if entry["deferrals"] else None,
        }
        for employer_id, entry in found.items()
    }
