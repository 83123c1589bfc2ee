"""Training tasks on the home pages: applications waiting for a decision, a graduate's courses
(registered into core.templating, imported by views.py)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.access import scope_filter
from core.templating import add_home_task, count_rows
from training.models import Enrolment

CURRENT = ("applied", "accepted", "attending")


def applications_waiting(user) -> int:
    return count_rows(
        select(Enrolment.id).where(scope_filter(Enrolment, user), Enrolment.status == "applied")
    )


def current_courses(user) -> int | None:
    if not user.person_id:
        return None
    return count_rows(
        select(Enrolment.id).where(
            Enrolment.person_id == user.person_id, Enrolment.status.in_(CURRENT)
        )
    )


add_home_task(
    "counselor",
    _l("Training applications to decide"),
    "training.enrolments",
    applications_waiting,
    order=30,
    status="applied",
)
add_home_task(
    "graduate", _l("Your current courses"), "training.my", current_courses, order=30, kind="info"
)
