"""The quota's long lists for staff (core.listing): what each may be filtered and sorted by."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import or_

from core import listing
from core.models import Employer
from quota.models import FILING_STATUSES, CreditFlag, QuotaFiling
from quota.web.blueprint import GRADE_NAMES, STATUS_NAMES

FILINGS = listing.ListSpec(
    "filings",
    {
        "employer": Employer.name,
        "year": QuotaFiling.data_year,
        "status": QuotaFiling.status,
        "version": QuotaFiling.version,
        "submitted": QuotaFiling.submitted_at,
    },
    "-year",
    (
        listing.Filter("q", _l("Employer name or credit code")),
        listing.Filter("year", _l("Data year"), "int"),
        listing.Filter(
            "status",
            _l("Status"),
            "choice",
            lambda: [(code, str(STATUS_NAMES[code])) for code in FILING_STATUSES],
        ),
    ),
    tiebreak=QuotaFiling.id,
)

FLAG_STATES = {"open": _l("In force"), "lifted": _l("Lifted")}
FLAGS = listing.ListSpec(
    "flags",
    {
        "state": CreditFlag.lifted_at.is_not(None),
        "employer": Employer.name,
        "year": CreditFlag.data_year,
        "grade": CreditFlag.grade,
        "raised": CreditFlag.raised_at,
    },
    "state",
    (
        listing.Filter("q", _l("Employer name or credit code")),
        listing.Filter("year", _l("Data year"), "int"),
        listing.Filter(
            "grade", _l("Grade"), "choice", lambda: [(k, str(v)) for k, v in GRADE_NAMES.items()]
        ),
        listing.Filter(
            "state", _l("Status"), "choice", lambda: [(k, str(v)) for k, v in FLAG_STATES.items()]
        ),
    ),
    tiebreak=CreditFlag.id.desc(),
)


def employer_text(stmt, q: str):
    """An employer whose name contains the text or whose credit code is the text."""
    if not q:
        return stmt
    return stmt.where(or_(Employer.name.contains(q), Employer.credit_code == q.upper()))


def filter_flags(stmt, state: listing.ListState):
    stmt = employer_text(stmt, state.get("q"))
    if state.get("year"):
        stmt = stmt.where(CreditFlag.data_year == state.get("year"))
    if state.get("grade"):
        stmt = stmt.where(CreditFlag.grade == state.get("grade"))
    if state.get("state") == "open":
        stmt = stmt.where(CreditFlag.lifted_at.is_(None))
    elif state.get("state") == "lifted":
        stmt = stmt.where(CreditFlag.lifted_at.is_not(None))
    return stmt
