"""An employer's requests to the federation after the assessment, and how a decision is checked.

Kinds:
- relief (减免) and deferral (缓缴) of the levy: 财税〔2015〕72号 art. 8 lets an employer that suffers a
  major direct economic loss from a natural disaster or another emergency apply to reduce or defer the
  levy; the federation (with the tax bureau) decides. A relief asks for an amount (at most the levy),
  a deferral for a new payment date (after the standard deadline).
- review (复核): the employer contests an assessment figure, a rejected claim, or a credit flag within
  the period the federation sets (an admin parameter: QuotaYearTerms.review_request_days).
- reward (超比例奖励): an employer over the quota applies for (or is offered) the reward the year's
  rule set gives (DESIGN 3.2 item 6); the federation approves and records the payment.

Outcomes: approve (in full), partly (relief and reward: a smaller amount; deferral: an earlier date
than asked), refuse. A refusal and a partial decision need a reason; so does every review decision.
No Flask or database imports.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

REQUEST_KINDS = ("relief", "deferral", "review", "reward")
REVIEW_SUBJECTS = ("assessment", "claim", "flag")
STATUSES = ("pending", "approved", "partly_approved", "refused", "paid")
OUTCOMES = ("approve", "partly", "refuse")
OUTCOME_STATUS = {"approve": "approved", "partly": "partly_approved", "refuse": "refused"}
GRANTED = ("approved", "partly_approved", "paid")

# Evidence files: what an upload may be, and how much of it (no regulation sets these).
EVIDENCE_SIGNATURES = {
    "application/pdf": b"%PDF",
    "image/png": b"\x89PNG",
    "image/jpeg": b"\xff\xd8\xff",
}
EVIDENCE_EXTENSIONS = {"application/pdf": ".pdf", "image/png": ".png", "image/jpeg": ".jpg"}
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_MAX_FILES = 5
REASON_MAX = 2000
EVIDENCE_UPLOAD_LIMIT = EVIDENCE_MAX_FILES * EVIDENCE_MAX_BYTES + 64 * 1024  # files and form fields


class DecisionError(ValueError):
    """A decision that does not fit the request: `field` names what is wrong, `code` why."""

    def __init__(self, field: str, code: str):
        super().__init__(f"{field}: {code}")
        self.field, self.code = field, code


@dataclass(frozen=True)
class Decision:
    status: str
    amount: Decimal | None = None
    deadline: date | None = None


def check_decision(
    kind: str,
    outcome: str,
    reason: str,
    requested_amount: Decimal | None,
    requested_deadline: date | None,
    amount: Decimal | None = None,
    deadline: date | None = None,
    standard_deadline: date | None = None,
) -> Decision:
    """The decision to store, or DecisionError when it does not fit the request."""
    if outcome not in OUTCOMES or (kind == "review" and outcome == "partly"):
        raise DecisionError("outcome", "invalid")
    reason = (reason or "").strip()
    if (outcome != "approve" or kind == "review") and not reason:
        raise DecisionError("reason", "required")
    status = OUTCOME_STATUS[outcome]
    if outcome == "refuse" or kind == "review":
        return Decision(status)
    if kind in ("relief", "reward"):
        if outcome == "approve":
            return Decision(status, amount=requested_amount)
        if amount is None or amount <= 0 or amount >= (requested_amount or Decimal("0")):
            raise DecisionError("amount", "partial_amount")
        if amount != amount.quantize(Decimal("0.01")):
            raise DecisionError("amount", "partial_amount")
        return Decision(status, amount=amount)
    if kind == "deferral":
        if outcome == "approve":
            return Decision(status, deadline=requested_deadline)
        earliest = standard_deadline + timedelta(days=1) if standard_deadline else None
        if deadline is None or deadline >= requested_deadline or (earliest and deadline < earliest):
            raise DecisionError("deadline", "partial_deadline")
        return Decision(status, deadline=deadline)
    raise DecisionError("kind", "invalid")


def review_period_open(issued_on: date, days: int | None, today: date) -> bool:
    """Whether a review may still be asked for: within `days` of the notice (no period set: yes)."""
    return days is None or today <= issued_on + timedelta(days=days)


def review_deadline(issued_on: date, days: int | None) -> date | None:
    return None if days is None else issued_on + timedelta(days=days)


def evidence_type(body: bytes) -> str | None:
    """The type of an evidence file from its first bytes (PDF, PNG, JPEG), or None."""
    return next((t for t, magic in EVIDENCE_SIGNATURES.items() if body.startswith(magic)), None)
