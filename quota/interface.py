"""What other packages may ask of the quota review; nothing else in `quota` is imported from outside.

- `employer_shortfalls(ids)`: each employer's shortfall of employees with disabilities (persons) in its
  current assessment, used by matching's "employer needs to hire" factor.
- `shortfall_version()`: changes whenever a current assessment is added or replaced, so that matching
  knows when the shortfalls it holds are stale.
"""

from sqlalchemy import func, select

from core.extensions import db
from quota.models import QuotaAssessment


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
