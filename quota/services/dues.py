"""What an employer owes for a data year, and by when: the assessed levy after relief and deferral.

The assessed levy is the current assessment's. An approved relief request (减免, 财税〔2015〕72号
art. 8: a major direct economic loss from a natural disaster or another emergency) reduces it; an
approved deferral (缓缴) moves the deadline. Late fees (quota.rules.credit.late_fee) and the unpaid-levy
flags run from the deadline given here, so they follow the federation's decision.
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import select

from core.extensions import db
from quota.models import QuotaAssessment
from quota.services.year_settings import payment_deadline


def current_assessment(employer_id: int, year: int) -> QuotaAssessment | None:
    return db.session.scalar(
        select(QuotaAssessment).where(
            QuotaAssessment.employer_id == employer_id,
            QuotaAssessment.data_year == year,
            QuotaAssessment.current.is_(True),
        )
    )


def adjustments(year: int, employer_ids=None) -> dict[int, dict]:
    """Approved reductions and deferrals of a year, per employer: {"reduction", "deadline"}."""
    from quota.services import requests  # requests decide; this module only reads the outcome

    return requests.granted(year, employer_ids)


def due(employer_id: int, year: int, assessment: QuotaAssessment | None = None) -> dict | None:
    """Levy, reduction, amount due and deadline of one employer's year (None: not assessed)."""
    assessment = assessment or current_assessment(employer_id, year)
    if assessment is None:
        return None
    granted = adjustments(year, [employer_id]).get(employer_id, {})
    levy = Decimal(assessment.levy)
    reduction = min(levy, granted.get("reduction") or Decimal("0"))
    standard = payment_deadline(year)
    deadline = granted.get("deadline") or standard
    return {
        "assessment": assessment,
        "levy": levy,
        "reduction": reduction,
        "amount_due": levy - reduction,
        "deadline": deadline,
        "standard_deadline": standard,
        "deferred": deadline != standard,
    }


def deadline_of(employer_id: int, year: int) -> date:
    granted = adjustments(year, [employer_id]).get(employer_id, {})
    return granted.get("deadline") or payment_deadline(year)
