"""Quota tasks on the home pages: an employer's filing of the last data year and its deadlines,
the review and publication status and the flags for the administrator, double claims to decide
(registered into core.templating, imported by web/__init__.py)."""

from datetime import date

from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from core.extensions import db
from core.templating import add_home_task, add_template_global, count_rows
from quota.models import CreditFlag, QuotaFiling, QuotaReviewRun
from quota.services import filings as services
from quota.services import publication
from quota.services.year_settings import filing_window_for, payment_deadline

RUN_STATUS_NAMES = {
    "queued": _l("Review queued"),
    "running": _l("Review running"),
    "done": _l("Review finished"),
    "failed": _l("Review failed"),
}


def run_status_name(code: str) -> str:
    return str(RUN_STATUS_NAMES.get(code, code))


# The items of a review run's summary (quota.services.review), as the admin reads them.
SUMMARY_NAMES = {
    "non_filers": _l("Employers that did not file"),
    "accepted": _l("Claims accepted"),
    "rejected": _l("Claims rejected"),
    "conflicts": _l("Double claims"),
    "to_verify": _l("Certificates to verify"),
    "assessed": _l("Filings assessed"),
    "without_data": _l("Filings without the data to assess them"),
    "awaiting_verification": _l("Employers waiting for certificates to be verified"),
    "awaiting_employers": _l("Waiting employers"),
}


def summary_name(code: str) -> str:
    return str(SUMMARY_NAMES.get(code, code))


def _last_data_year() -> int:
    return date.today().year - 1


def filing_status(user) -> str | None:
    """The employer's filing of the last data year: its status, or that none was made."""
    if not user.employer_id:
        return None
    from quota.web.blueprint import STATUS_NAMES

    year = _last_data_year()
    filing = db.session.scalar(
        select(QuotaFiling).where(
            QuotaFiling.employer_id == user.employer_id, QuotaFiling.data_year == year
        )
    )
    status = str(STATUS_NAMES.get(filing.status, filing.status)) if filing else _("Not filed yet")
    return _("%(year)s: %(status)s", year=year, status=status)


def deadlines(user) -> str:
    """When the last data year's filing window closes and the levy must be paid."""
    year = _last_data_year()
    window = filing_window_for(year)
    paid_by = _("pay by %(date)s", date=format_date(payment_deadline(year)))
    if window is None:
        return _("Filing open; %(paid)s", paid=paid_by)
    if window[0] > window[1]:
        return _("Filing closed; %(paid)s", paid=paid_by)
    return _(
        "File from %(opens)s to %(closes)s; %(paid)s",
        opens=format_date(window[0]),
        closes=format_date(window[1]),
        paid=paid_by,
    )


def review_status(user) -> str:
    run = db.session.scalar(select(QuotaReviewRun).order_by(QuotaReviewRun.id.desc()).limit(1))
    if run is None:
        return _("No review run yet")
    return _(
        "%(year)s: %(status)s (%(done)s of %(total)s)",
        year=run.data_year,
        status=run_status_name(run.status),
        done=run.done,
        total=run.total,
    )


def publication_status(user) -> str:
    year = _last_data_year()
    if publication.unpaid_published(year):
        return _("%(year)s: published", year=year)
    return _(
        "%(year)s: unpaid levies published after %(date)s",
        year=year,
        date=format_date(payment_deadline(year)),
    )


def open_flags(user) -> int:
    return count_rows(select(CreditFlag.id).where(CreditFlag.lifted_at.is_(None)))


def conflicts_to_decide(user) -> int:
    return len(services.conflicts(user))


add_template_global("run_status_name", run_status_name)
add_template_global("summary_name", summary_name)
add_home_task(
    "employer", _l("Your quota filing"), "quota.mine", filing_status, order=10, kind="info"
)
add_home_task("employer", _l("Deadlines"), "quota.mine", deadlines, order=11, kind="info")
add_home_task(
    ("counselor", "admin"),
    _l("Double claims to decide"),
    "quota.conflicts",
    conflicts_to_decide,
    order=41,
)
add_home_task(
    "admin", _l("Annual review"), "quota.admin_home", review_status, order=10, kind="info"
)
add_home_task(
    "admin",
    _l("Public lists"),
    "quota.publication_page",
    publication_status,
    order=11,
    kind="info",
)
add_home_task("admin", _l("Credit flags to decide"), "quota.admin_flags", open_flags, order=20)
