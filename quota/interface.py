"""What other packages may ask of the quota review; nothing else in `quota` is imported from outside.

- `employer_shortfalls(ids)`: each employer's shortfall of employees with disabilities (persons) in its
  current assessment, used by matching's "employer needs to hire" factor.
- `shortfall_version()`: changes whenever a current assessment is added or replaced, so that matching
  knows when the shortfalls it holds are stale.
- `reviewed(data_year)`, `current_assessments(data_year)`, `levy_paid(data_year)`: whether the
  review has results, the results, and the payments received, for the plan's indicators.
"""

from decimal import Decimal

from sqlalchemy import func, select

from core.extensions import db
from quota.models import LevyPayment, QuotaAssessment


def employer_shortfalls(employer_ids) -> dict[int, float]:
    """Each employer's quota shortfall (persons) in its latest current assessment; absent if none."""
    ids = set(employer_ids)
    if not ids:
        return {}
    stmt = (
        select(QuotaAssessment.employer_id, QuotaAssessment.shortfall)
        .where(QuotaAssessment.employer_id.in_(ids), QuotaAssessment.current.is_(True))
        .order_by(QuotaAssessment.data_year, QuotaAssessment.id)
    )
    return {
        employer_id: max(0.0, float(shortfall or 0))
        for employer_id, shortfall in db.session.execute(stmt)
    }


def shortfall_version() -> tuple:
    """(highest id, count) of the current assessments: a new or replaced assessment changes it."""
    stmt = select(func.max(QuotaAssessment.id), func.count(QuotaAssessment.id)).where(
        QuotaAssessment.current.is_(True)
    )
    return tuple(db.session.execute(stmt).one())


def current_assessments(data_year: int) -> list[QuotaAssessment]:
    """The current assessment of each employer for the data year, by employer."""
    stmt = (
        select(QuotaAssessment)
        .where(QuotaAssessment.current.is_(True), QuotaAssessment.data_year == data_year)
        .order_by(QuotaAssessment.employer_id, QuotaAssessment.id)
    )
    return list(db.session.scalars(stmt))


def levy_paid(data_year: int) -> dict[int, Decimal]:
    """Each employer's levy payments of the data year, summed."""
    stmt = (
        select(LevyPayment.employer_id, func.sum(LevyPayment.amount))
        .where(LevyPayment.data_year == data_year)
        .group_by(LevyPayment.employer_id)
    )
    return {employer_id: Decimal(total or 0) for employer_id, total in db.session.execute(stmt)}


def reviewed(data_year: int) -> bool:
    """Whether the data year has any current assessment."""
    stmt = select(QuotaAssessment.id).where(
        QuotaAssessment.current.is_(True), QuotaAssessment.data_year == data_year
    )
    return db.session.scalar(stmt.limit(1)) is not None
