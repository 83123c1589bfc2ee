"""The employment package's long lists: what each is filtered and sorted by (core.listing), the
filters applied to its query, and the CSV exports of exactly the filtered rows.

A counselor's lists stay limited to their county by the services' queries (`scope_filter`); the
county filter only narrows an administrator's province-wide view further.
"""

from datetime import date

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import and_, extract, or_

from core import divisions, listing
from core.models import Person
from core.spreadsheet import csv_text
from employment import auxiliary, labels, welfare, welfare_rules
from employment.models import (
    INSTITUTION_KINDS,
    AuxiliaryCentre,
    Competition,
    HouseholdIncome,
    IncomeDisregard,
    Institution,
    StartupApplication,
    WelfarePost,
)

FIRST_YEAR, LAST_YEAR = 2000, 2100  # the years a list's year filter accepts


def _counties():
    """The counties the user may see: a counselor's own, every county for an administrator."""
    own = current_user.county_code if current_user.role == "counselor" else None
    return [
        (c.code, divisions.division_name(c.code))
        for c in divisions.counties()
        if own is None or c.code == own
    ]


def _years():
    return [(str(y), str(y)) for y in range(date.today().year + 1, FIRST_YEAR - 1, -1)]


def _kinds():
    from employment.views import INSTITUTION_NAMES

    return [(k, str(INSTITUTION_NAMES[k])) for k in INSTITUTION_KINDS]


def _open_closed():
    return [("open", _("In operation")), ("closed", _("Closed down"))]


def _terms():
    return [("current", _("Running")), ("upcoming", _("Not started")), ("ended", _("Ended"))]


def _startup_statuses():
    from employment.views import STATUS_NAMES

    return [(s, str(STATUS_NAMES[s])) for s in ("pending", "approved", "rejected")]


def _levels():
    return list(labels.names(labels.COMPETITION_LEVEL_NAMES).items())


def _like(column, text: str):
    return column.contains(text, autoescape=True)


COUNTY = listing.Filter("county", _l("County"), "choice", _counties)

INSTITUTIONS = listing.ListSpec(
    "institutions",
    {
        "name": Institution.name,
        "kind": Institution.kind,
        "county": Institution.county_code,
        "registered": Institution.registered_on,
    },
    "county",
    (
        listing.Filter("q", _l("Name or credit code")),
        listing.Filter("kind", _l("Kind"), "choice", _kinds),
        COUNTY,
        listing.Filter("state", _l("In operation or closed down"), "choice", _open_closed),
    ),
    tiebreak=Institution.id,
)


def institutions(stmt, state: listing.ListState):
    q = state.get("q")
    if q:
        stmt = stmt.where(or_(_like(Institution.name, q), Institution.credit_code == q.upper()))
    if state.get("kind"):
        stmt = stmt.where(Institution.kind == state.get("kind"))
    if state.get("county"):
        stmt = stmt.where(Institution.county_code == state.get("county"))
    if state.get("state") == "open":
        stmt = stmt.where(Institution.closed_on.is_(None))
    elif state.get("state") == "closed":
        stmt = stmt.where(Institution.closed_on.is_not(None))
    return stmt


def institutions_csv(rows) -> str:
    from employment.views import INSTITUTION_NAMES

    head = [
        _("Name"),
        _("Unified social credit code"),
        _("Kind"),
        _("County"),
        _("Registered on"),
        _("Closed on"),
    ]
    body = [
        [
            r.name,
            r.credit_code,
            str(INSTITUTION_NAMES[r.kind]),
            divisions.division_name(r.county_code),
            r.registered_on.isoformat(),
            r.closed_on.isoformat() if r.closed_on else "",
        ]
        for r in rows
    ]
    return csv_text([head, *body])


WELFARE_POSTS = listing.ListSpec(
    "welfare_posts",
    {
        "title": WelfarePost.title,
        "county": WelfarePost.county_code,
        "starts": WelfarePost.starts_on,
        "ends": WelfarePost.ends_on,
        "taken": welfare.occupied_column(),
    },
    "-ends",
    (
        listing.Filter("q", _l("Post or where the work is done")),
        COUNTY,
        listing.Filter("term", _l("Term"), "choice", _terms),
        listing.Filter("year", _l("Running in the year"), "choice", _years),
    ),
    tiebreak=WelfarePost.id,
)


def welfare_posts(stmt, state: listing.ListState, today: date | None = None):
    today = today or date.today()
    q = state.get("q")
    if q:
        stmt = stmt.where(or_(_like(WelfarePost.title, q), _like(WelfarePost.host, q)))
    if state.get("county"):
        stmt = stmt.where(WelfarePost.county_code == state.get("county"))
    term = state.get("term")
    if term == "current":
        stmt = stmt.where(WelfarePost.starts_on <= today, WelfarePost.ends_on >= today)
    elif term == "upcoming":
        stmt = stmt.where(WelfarePost.starts_on > today)
    elif term == "ended":
        stmt = stmt.where(WelfarePost.ends_on < today)
    if state.get("year"):
        year = int(state.get("year"))
        stmt = stmt.where(
            and_(
                WelfarePost.starts_on <= date(year, 12, 31), WelfarePost.ends_on >= date(year, 1, 1)
            )
        )
    return stmt


def welfare_posts_csv(rows) -> str:
    head = [
        _("Post"),
        _("Where the work is done"),
        _("Funded by"),
        _("County"),
        _("Seats"),
        _("Seats taken"),
        _("Term starts"),
        _("Term ends"),
    ]
    body = [
        [
            r.title,
            r.host,
            r.funding,
            divisions.division_name(r.county_code),
            r.seats,
            welfare.occupied(r.id),
            r.starts_on.isoformat(),
            r.ends_on.isoformat(),
        ]
        for r in rows
    ]
    return csv_text([head, *body])


CENTRES = listing.ListSpec(
    "auxiliary_centres",
    {
        "name": AuxiliaryCentre.name,
        "operator": AuxiliaryCentre.operator,
        "county": AuxiliaryCentre.county_code,
        "participants": auxiliary.participants_column(),
    },
    "county",
    (listing.Filter("q", _l("Name or operator")), COUNTY),
    tiebreak=AuxiliaryCentre.id,
)


def centres(stmt, state: listing.ListState):
    q = state.get("q")
    if q:
        stmt = stmt.where(or_(_like(AuxiliaryCentre.name, q), _like(AuxiliaryCentre.operator, q)))
    if state.get("county"):
        stmt = stmt.where(AuxiliaryCentre.county_code == state.get("county"))
    return stmt


STARTUPS = listing.ListSpec(
    "startups",
    {
        "business": StartupApplication.business_name,
        "applicant": Person.name_pinyin,
        "amount": StartupApplication.amount_requested,
        "status": StartupApplication.status,
        "applied": StartupApplication.created_at,
    },
    "-applied",
    (
        listing.Filter("q", _l("Business or applicant")),
        listing.Filter("status", _l("Status"), "choice", _startup_statuses),
        COUNTY,
        listing.Filter("year", _l("Year applied"), "choice", _years),
    ),
    tiebreak=StartupApplication.id.desc(),
)


def startups(stmt, state: listing.ListState):
    q = state.get("q")
    if q:
        stmt = stmt.where(or_(_like(StartupApplication.business_name, q), _like(Person.name, q)))
    if state.get("status"):
        stmt = stmt.where(StartupApplication.status == state.get("status"))
    if state.get("county"):
        stmt = stmt.where(Person.county_code == state.get("county"))
    if state.get("year"):
        stmt = stmt.where(extract("year", StartupApplication.created_at) == int(state.get("year")))
    return stmt


COMPETITIONS = listing.ListSpec(
    "competitions",
    {
        "name": Competition.name,
        "level": Competition.level,
        "held": Competition.held_on,
    },
    "-held",
    (
        listing.Filter("q", _l("Competition or organiser")),
        listing.Filter("level", _l("Level"), "choice", _levels),
        listing.Filter("year", _l("Year held"), "choice", _years),
    ),
    tiebreak=Competition.id.desc(),
)


def competitions(stmt, state: listing.ListState):
    q = state.get("q")
    if q:
        stmt = stmt.where(or_(_like(Competition.name, q), _like(Competition.organiser, q)))
    if state.get("level"):
        stmt = stmt.where(Competition.level == state.get("level"))
    if state.get("year"):
        year = int(state.get("year"))
        stmt = stmt.where(
            Competition.held_on >= date(year, 1, 1), Competition.held_on <= date(year, 12, 31)
        )
    return stmt


RUNNING_DISREGARDS = listing.ListSpec(
    "disregards",
    {
        "person": Person.name_pinyin,
        "started": IncomeDisregard.start_date,
        "county": Person.county_code,
    },
    "-started",
    (
        listing.Filter("q", _l("Full name")),
        COUNTY,
        listing.Filter("year", _l("Year the job started"), "choice", _years),
    ),
    tiebreak=IncomeDisregard.id.desc(),
)


def running_disregards(stmt, state: listing.ListState):
    if state.get("q"):
        stmt = stmt.where(_like(Person.name, state.get("q")))
    if state.get("county"):
        stmt = stmt.where(Person.county_code == state.get("county"))
    if state.get("year"):
        year = int(state.get("year"))
        stmt = stmt.where(
            IncomeDisregard.start_date >= date(year, 1, 1),
            IncomeDisregard.start_date <= date(year, 12, 31),
        )
    return stmt


def _income_years():
    return [(str(y), str(y)) for y in range(date.today().year, FIRST_YEAR - 1, -1)]


INCOMES = listing.ListSpec(
    "household_incomes",
    {
        "year": HouseholdIncome.year,
        "area": HouseholdIncome.area_code,
        "amount": HouseholdIncome.amount,
    },
    "-year",
    (
        listing.Filter("year", _l("Year"), "choice", _income_years),
        listing.Filter("area", _l("Division code"), max_length=6),
    ),
    tiebreak=HouseholdIncome.area_code,
)


def incomes(stmt, state: listing.ListState):
    if state.get("year"):
        stmt = stmt.where(HouseholdIncome.year == int(state.get("year")))
    if state.get("area"):
        stmt = stmt.where(HouseholdIncome.area_code.startswith(state.get("area"), autoescape=True))
    return stmt


def _groups():
    return [(str(code), labels.priority_group_name(code)) for code in welfare_rules.GROUPS]


def _rural_answers():
    return [("yes", _("Yes")), ("no", _("No")), ("unknown", _("not recorded"))]


CANDIDATES = listing.ListSpec(
    "welfare_candidates",
    {"priority": lambda c: c[0], "name": lambda c: c[1].name_pinyin},
    "priority",
    (
        listing.Filter("q", _l("Full name")),
        listing.Filter("group", _l("Priority"), "choice", _groups),
        listing.Filter("rural", _l("Rural household registration"), "choice", _rural_answers),
    ),
)


def candidates(rows, state: listing.ListState) -> list:
    """The (priority group, person, facts) rows a post's candidates list shows."""
    if state.get("q"):
        rows = [r for r in rows if state.get("q") in r[1].name]
    if state.get("group"):
        rows = [r for r in rows if r[0] == int(state.get("group"))]
    rural = state.get("rural")
    if rural:
        wanted = {"yes": True, "no": False, "unknown": None}[rural]
        rows = [r for r in rows if r[2].rural is wanted]
    return rows


def _awarded():
    return [("1", _("Yes")), ("0", _("No"))]


ENTRIES = listing.ListSpec(
    "competition_entries",
    {
        "entrant": lambda e: e.person.name_pinyin,
        "trade": lambda e: e.trade,
        "rank": lambda e: e.rank,
    },
    "trade",
    (
        listing.Filter("q", _l("Full name")),
        listing.Filter("trade", _l("Trade")),
        listing.Filter("awarded", _l("Award recorded"), "choice", _awarded),
    ),
    tiebreak=lambda e: (e.rank is None, e.rank or 0, e.id),
)


def entries(rows, state: listing.ListState) -> list:
    if state.get("q"):
        rows = [e for e in rows if state.get("q") in e.person.name]
    if state.get("trade"):
        rows = [e for e in rows if state.get("trade") in e.trade]
    if state.get("awarded"):
        rows = [e for e in rows if bool(e.award) == (state.get("awarded") == "1")]
    return rows
