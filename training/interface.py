"""What other packages may ask of training; nothing else in `training` is imported from outside.

- `completions(year)`: (person id, completion day) of every enrolment completed in the year, used by
  the plan's training indicator (person-times).
"""

from datetime import date

from sqlalchemy import select

from core.extensions import db
from training.evaluation import COMPLETED
from training.models import Enrolment


def completions(year: int) -> list[tuple[int, date]]:
    """(person id, completion day) of the enrolments completed in the calendar year."""
    stmt = select(Enrolment.person_id, Enrolment.completed_on).where(
        Enrolment.status.in_(COMPLETED),
        Enrolment.completed_on.is_not(None),
        Enrolment.completed_on >= date(year, 1, 1),
        Enrolment.completed_on <= date(year, 12, 31),
    )
    return [(person_id, day) for person_id, day in db.session.execute(stmt)]
