"""The public lists of a data year: employers meeting the quota; after the filing deadline, employers
that did not file (DESIGN 3.2 item 8: their headcount is taken from official data); after the payment
deadline, unpaid levies.

Only employer facts are published (name, credit code, county, unit type, figures); never an
employee's name or number.
"""

from datetime import date
from decimal import Decimal

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select

from core import divisions, listing, pagecache
from core.extensions import db
from core.labels import unit_type_name
from core.models import Employer
from core.spreadsheet import csv_text, xlsx_bytes
from quota.models import LevyPayment, QuotaAssessment, QuotaFiling, QuotaYearSetting
from quota.rules.rule_sets import filing_window, rule_set_for
from quota.services.payments import paid_by
from quota.services.year_settings import payment_deadline

MET_COLUMNS = (
    "credit_code",
    "name",
    "county",
    "unit_type",
    "headcount",
    "required",
    "arranged",
    "status",
)
UNPAID_COLUMNS = ("credit_code", "name", "county", "levy", "paid", "outstanding")
NOT_FILED_COLUMNS = ("credit_code", "name", "county", "unit_type")
# The files people download carry the lists' and columns' titles in their language (the API's JSON
# keeps the codes above).
LIST_TITLES = {
    "met_quota": _l("Employers meeting or exceeding the quota"),
    "unpaid_levy": _l("Employers with an unpaid levy"),
    "not_filed": _l("Employers that did not file"),
}
SHEET_TITLES = {
    "met_quota": _l("Met the quota"),
    "unpaid_levy": _l("Unpaid levy"),
    "not_filed": _l("Not filed"),
}
COLUMN_TITLES = {
    "credit_code": _l("Credit code"),
    "name": _l("Employer name"),
    "county": _l("County"),
    "unit_type": _l("Unit type"),
    "headcount": _l("Headcount N"),
    "required": _l("Required"),
    "arranged": _l("Arranged D"),
    "status": _l("Status"),
    "levy": _l("Levy (yuan)"),
    "paid": _l("Paid (yuan)"),
    "outstanding": _l("Outstanding (yuan)"),
}


FIRST_YEAR, LAST_YEAR = 2000, 2100  # the data years the service can know about


def known_year(year: int) -> bool:
    """A data year the lists can exist for (a far year would overflow the deadline date)."""
    return FIRST_YEAR <= year <= LAST_YEAR


def _current(year: int, q: str = ""):
    stmt = (
        select(QuotaAssessment, Employer)
        .join(Employer, Employer.id == QuotaAssessment.employer_id)
        .where(QuotaAssessment.data_year == year, QuotaAssessment.current.is_(True))
        .order_by(Employer.name)
    )
    q = (q or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL in a query
    if q:
        stmt = stmt.where(or_(Employer.name.contains(q), Employer.credit_code == q.upper()))
    return db.session.execute(stmt)


def met_quota(year: int, q: str = "") -> list[dict]:
    """Filers whose arranged count reaches the required number (shortfall zero)."""
    rows = []
    for assessment, employer in _current(year, q):
        if assessment.non_filer or Decimal(assessment.shortfall) > 0:
            continue
        rows.append(
            {
                "employer_id": employer.id,
                "credit_code": employer.credit_code,
                "name": employer.name,
                "county_code": employer.county_code,
                "county": divisions.full_name(employer.county_code),
                "unit_type": employer.unit_type,
                "headcount": str(assessment.headcount),
                "required": str(assessment.required),
                "arranged": str(assessment.arranged),
                "status": "exceeded" if Decimal(assessment.excess) > 0 else "met",
            }
        )
    return rows


def unpaid_published(year: int, today: date | None = None) -> bool:
    return (today or date.today()) > payment_deadline(year)


def unpaid_levies(year: int, q: str = "", today: date | None = None) -> list[dict]:
    """Employers with levy still owed, once the payment deadline has passed (else empty)."""
    if not unpaid_published(year, today):
        return []
    paid = paid_by(year)
    rows = []
    for assessment, employer in _current(year, q):
        levy = Decimal(assessment.levy)
        settled = paid.get(employer.id, Decimal("0"))
        if levy > settled:
            rows.append(
                {
                    "employer_id": employer.id,
                    "credit_code": employer.credit_code,
                    "name": employer.name,
                    "county_code": employer.county_code,
                    "county": divisions.full_name(employer.county_code),
                    "levy": str(levy),
                    "paid": str(settled),
                    "outstanding": str(levy - settled),
                }
            )
    return rows


def filing_deadline(year: int) -> date:
    """The last day of the year's filing window under its rule set (an admin opening the window
    for a demonstration does not move it)."""
    return filing_window(rule_set_for(year))[1]


def _deadline_text(year: int) -> str | None:
    try:
        return filing_deadline(year).isoformat()
    except ValueError:
        return None


def not_filed_published(year: int, today: date | None = None) -> bool:
    try:
        return (today or date.today()) > filing_deadline(year)
    except ValueError:  # no rule set covers the year
        return False


def not_filed(year: int, q: str = "", today: date | None = None) -> list[dict]:
    """Employers recorded as not filing for the year, once the filing deadline has passed."""
    if not not_filed_published(year, today):
        return []
    stmt = (
        select(Employer)
        .join(QuotaFiling, QuotaFiling.employer_id == Employer.id)
        .where(QuotaFiling.data_year == year, QuotaFiling.status == "not_filed")
        .order_by(Employer.name)
    )
    q = (q or "").replace("\x00", "").strip()
    if q:
        stmt = stmt.where(or_(Employer.name.contains(q), Employer.credit_code == q.upper()))
    return [
        {
            "employer_id": employer.id,
            "credit_code": employer.credit_code,
            "name": employer.name,
            "county_code": employer.county_code,
            "county": divisions.full_name(employer.county_code),
            "unit_type": employer.unit_type,
        }
        for employer in db.session.scalars(stmt)
    ]


def published_status(employer_id: int, year: int) -> str | None:
    """'met', 'exceeded', 'unpaid' or None: how the employer appears on the year's public page."""
    for row in met_quota(year):
        if row["employer_id"] == employer_id:
            return row["status"]
    if any(row["employer_id"] == employer_id for row in unpaid_levies(year)):
        return "unpaid"
    if any(row["employer_id"] == employer_id for row in not_filed(year)):
        return "not_filed"
    return None


def as_json(year: int, q: str = "") -> dict:
    hidden = ("employer_id", "county_code")
    strip = lambda rows: [{k: v for k, v in r.items() if k not in hidden} for r in rows]  # noqa: E731
    return {
        "data_year": year,
        "met_quota": strip(met_quota(year, q)),
        "unpaid_published": unpaid_published(year),
        "payment_deadline": payment_deadline(year).isoformat(),
        "unpaid_levy": strip(unpaid_levies(year, q)),
        "not_filed_published": not_filed_published(year),
        "filing_deadline": _deadline_text(year),
        "not_filed": strip(not_filed(year, q)),
    }


COLUMNS = {"met_quota": MET_COLUMNS, "unpaid_levy": UNPAID_COLUMNS, "not_filed": NOT_FILED_COLUMNS}


def _tables(year: int, q: str) -> list[tuple[str, tuple, list[dict]]]:
    tables = [("met_quota", MET_COLUMNS, met_quota(year, q))]
    if unpaid_published(year):
        tables.append(("unpaid_levy", UNPAID_COLUMNS, unpaid_levies(year, q)))
    if not_filed_published(year):
        tables.append(("not_filed", NOT_FILED_COLUMNS, not_filed(year, q)))
    return tables


def _shown(column: str, value):
    """A cell as a reader sees it: a unit type or status by its name, not its code."""
    if column == "unit_type":
        return unit_type_name(value)
    if column == "status":
        return _("Exceeded") if value == "exceeded" else _("Met")
    return value


def _file_rows(columns, records) -> list[list]:
    return [
        [str(COLUMN_TITLES[c]) for c in columns],
        *([_shown(c, r[c]) for c in columns] for r in records),
    ]


def as_csv(year: int, q: str = "", tables=None) -> str:
    """Each list under its title and its column titles (in the user's language), a blank row
    between them (`tables`: the (name, columns, rows) to write, by default every published list of
    the year matching `q`)."""
    rows = []
    for name, columns, records in tables if tables is not None else _tables(year, q):
        rows += [[str(LIST_TITLES[name])], *_file_rows(columns, records), []]
    return csv_text(rows)


def as_xlsx(year: int, q: str = "", tables=None) -> bytes:
    """A sheet per list, titled in the user's language."""
    return xlsx_bytes(
        (str(SHEET_TITLES[name]), _file_rows(columns, records))
        for name, columns, records in (tables if tables is not None else _tables(year, q))
    )


# --- the lists as the public page shows them: cached per data version, filtered, sorted, paged ---

LISTS = ("met_quota", "unpaid_levy", "not_filed")


def _number(key):
    return lambda row: Decimal(row[key])


PUBLIC_FILTERS = (
    listing.Filter("q", _l("Employer name or credit code")),
    listing.Filter(
        "city", _l("City"), "choice", choices=lambda: [(d.code, d.name) for d in divisions.cities()]
    ),
)
_by_name = lambda row: row["name"]  # noqa: E731
_by_county = lambda row: row["county_code"] or ""  # noqa: E731
PUBLIC_LISTS = {
    "met_quota": listing.ListSpec(
        "met_quota",
        {
            "name": _by_name,
            "county": _by_county,
            "required": _number("required"),
            "arranged": _number("arranged"),
            "status": lambda row: row["status"],
        },
        "name",
        PUBLIC_FILTERS,
        tiebreak=lambda row: row["credit_code"],
    ),
    "unpaid_levy": listing.ListSpec(
        "unpaid_levy",
        {
            "name": _by_name,
            "county": _by_county,
            "levy": _number("levy"),
            "paid": _number("paid"),
            "outstanding": _number("outstanding"),
        },
        "-outstanding",
        PUBLIC_FILTERS,
        tiebreak=lambda row: row["credit_code"],
    ),
    "not_filed": listing.ListSpec(
        "not_filed",
        {"name": _by_name, "county": _by_county, "unit_type": lambda row: row["unit_type"]},
        "name",
        PUBLIC_FILTERS,
        tiebreak=lambda row: row["credit_code"],
    ),
}


def published_lists(year: int) -> dict:
    """Every list of the year as published today (an unpublished list is None), from the page cache
    while no assessment, filing, payment, employer or year setting has changed."""
    today = date.today()
    version = pagecache.data_version(
        QuotaAssessment, QuotaFiling, LevyPayment, Employer, QuotaYearSetting
    )

    def compute() -> dict:
        return {
            "met_quota": met_quota(year),
            "unpaid_levy": unpaid_levies(year, today=today)
            if unpaid_published(year, today)
            else None,
            "not_filed": not_filed(year, today=today) if not_filed_published(year, today) else None,
            "payment_deadline": payment_deadline(year).isoformat(),
            "filing_deadline": _deadline_text(year),
        }

    return pagecache.cached("quota.publication", version, {"year": year, "today": today}, compute)


def matching(rows: list[dict], state: listing.ListState) -> list[dict]:
    """The rows a public list's filters keep: a name containing the text or the exact credit code,
    and the city."""
    q, city = state.get("q"), state.get("city")
    if q:
        rows = [r for r in rows if q in r["name"] or r["credit_code"] == q.upper()]
    if city:
        rows = [r for r in rows if (r["county_code"] or "")[:4] == city[:4]]
    return rows


def filtered_table(lists: dict, name: str, state: listing.ListState) -> tuple[str, tuple, list]:
    """One published list, filtered and sorted as on the page, as (name, columns, rows)."""
    return name, COLUMNS[name], listing.sorted_rows(matching(lists[name] or [], state), state)
