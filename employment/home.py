"""Employment tasks on the home pages: work recognitions waiting for a decision (registered into
core.templating, imported by views.py); the count is the length of the list its link opens."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.access import scope_filter
from core.templating import add_home_task, count_rows
from employment.models import RecognitionApplication


def pending_recognitions(user) -> int:
    return count_rows(
        select(RecognitionApplication.id).where(
            scope_filter(RecognitionApplication, user), RecognitionApplication.status == "pending"
        )
    )


add_home_task(
    ("counselor", "admin"),
    _l("Work recognitions to decide"),
    "employment.recognitions",
    pending_recognitions,
    order=40,
    status="pending",
)
