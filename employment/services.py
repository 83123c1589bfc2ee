"""Use cases of the plan's services: hard-to-employ status, zero-employment households, snapshots
and the indicator report. Recognition and income disregard live in recognition.py and disregard.py.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core import audit, divisions
from core.database import ServiceError
from core.extensions import db
from core.models import Person
from employment import access as _access  # noqa: F401  (registers the access rules)
from employment import facts, indicators, rules
from employment.models import PROVINCE, HouseholdRelative, IndicatorSnapshot


def is_hard_to_employ(person: Person, on: date | None = None) -> bool:
    """Whether the registry's records make this person hard to employ (就业困难) on a day."""
    return rules.is_hard_to_employ(facts.person_facts(person), on or date.today())


def _candidates(county: str | None):
    """People who may be hard to employ; working age is checked in Python from birth date and sex."""
    stmt = select(Person).where(
        Person.cert_index.is_not(None),
        Person.able_to_work.is_(True),
        Person.wish_to_work.is_(True),
        Person.employment_type.in_(("unemployed", *rules.NEEDS_RECOGNITION)),
    )
    if county:
        stmt = stmt.where(Person.county_code == county)
    return db.session.scalars(stmt.order_by(Person.county_code, Person.id))


def hard_to_employ(county: str | None, on: date | None = None) -> list[Person]:
    """Everyone flagged hard to employ in a county (the province when county is None)."""
    on = on or date.today()
    recognised = facts.recognised_ids(on)
    return [
        p
        for p in _candidates(county)
        if rules.is_hard_to_employ(
            facts.person_facts(p, (p.id, p.employment_type) in recognised), on
        )
    ]


@dataclass
class Household:
    """A zero-employment household of a county: its members with disabilities and the others."""

    household_id: str
    members: list[Person] = field(default_factory=list)
    relatives: list[HouseholdRelative] = field(default_factory=list)


def zero_employment_households(county: str, on: date | None = None) -> list[Household]:
    """The county's households in which no working-age member able and wishing to work has a job."""
    on = on or date.today()
    recognised = facts.recognised_ids(on)
    people = db.session.scalars(
        select(Person)
        .where(Person.county_code == county, Person.household_id.is_not(None))
        .order_by(Person.household_id, Person.id)
    ).all()
    relatives = db.session.scalars(
        select(HouseholdRelative)
        .where(HouseholdRelative.county_code == county)
        .order_by(HouseholdRelative.household_id, HouseholdRelative.id)
    ).all()
    members = [
        rules.HouseholdMember(
            p.household_id,
            rules.is_working_age(p.birth_date, p.sex, on),
            bool(p.able_to_work),
            bool(p.wish_to_work),
            facts.employed(p, recognised),
        )
        for p in people
    ] + [facts.relative_member(r, on) for r in relatives]
    zero = set(rules.zero_employment_households(members))
    by_household: dict[str, Household] = {}
    for person in people:
        if person.household_id in zero:
            by_household.setdefault(person.household_id, Household(person.household_id))
            by_household[person.household_id].members.append(person)
    for relative in relatives:
        if relative.household_id in by_household:
            by_household[relative.household_id].relatives.append(relative)
    return list(by_household.values())


# ---- snapshots of the counts over time ----------------------------------------------------------


def _area_keys(county: str) -> tuple[str, ...]:
    return (county, rules.city_of(county), PROVINCE)


SNAPSHOT_FIELDS = (
    "working_age",
    "employed",
    "hard_to_employ",
    "zero_employment_households",
    "certified_working_age",
    "employed_certified",
    "graduates",
    "graduates_employed",
)


def area_counts(on: date) -> dict[str, dict[str, int]]:
    """Per area (county, city, province): the counts a snapshot stores, as the indicators count them."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    records: dict[str, list] = defaultdict(list)
    relatives: dict[str, list] = defaultdict(list)
    recognised = facts.recognised_ids(on)
    for person in db.session.scalars(select(Person)):
        working_age = rules.is_working_age(person.birth_date, person.sex, on)
        is_recognised = (person.id, person.employment_type) in recognised
        hard = rules.is_hard_to_employ(facts.person_facts(person, is_recognised), on)
        employed = rules.is_employed(person.employment_type, is_recognised)
        for area in _area_keys(person.county_code):
            row = counts[area]
            row["working_age"] += working_age
            row["employed"] += working_age and employed
            row["hard_to_employ"] += hard
    for record in facts.person_records(on.year, on=on):
        for area in _area_keys(record.county_code):
            records[area].append(record)
    for county, member in facts.relative_records(on):
        for area in _area_keys(county):
            relatives[area].append(member)
    for area, area_records in records.items():
        plan = indicators.person_counts(area_records, relatives.get(area, ()), on)
        counts[area]["certified_working_age"] = plan.adults
        counts[area]["employed_certified"] = plan.employed_adults
        counts[area]["graduates"] = plan.graduates
        counts[area]["graduates_employed"] = plan.employed_graduates
        counts[area]["zero_employment_households"] = plan.zero_households
    return counts


def take_snapshot(on: date | None = None) -> int:
    """Store the day's counts for every area (a rerun on the same day updates them); returns rows.
    The snapshot of 31 December is the year-end figure a past year's indicators are read from."""
    on = on or date.today()
    counts = area_counts(on)
    existing = {
        s.area_code: s
        for s in db.session.scalars(
            select(IndicatorSnapshot).where(IndicatorSnapshot.taken_on == on)
        )
    }
    for area, values in counts.items():
        snapshot = existing.get(area) or IndicatorSnapshot(taken_on=on, area_code=area)
        for key in SNAPSHOT_FIELDS:
            setattr(snapshot, key, int(values.get(key, 0)))
        snapshot.year_end = (on.month, on.day) == (12, 31)
        db.session.add(snapshot)
    province = counts.get(PROVINCE, {})
    audit.record(
        "snapshot", IndicatorSnapshot.__tablename__, None, {"on": on.isoformat(), **province}
    )
    db.session.commit()
    return len(counts)


def snapshot_series(area: str, since: date | None = None) -> list[IndicatorSnapshot]:
    """The stored snapshots of an area in date order (the last one of each month when thinned)."""
    stmt = select(IndicatorSnapshot).where(IndicatorSnapshot.area_code == area)
    if since:
        stmt = stmt.where(IndicatorSnapshot.taken_on >= since)
    return list(db.session.scalars(stmt.order_by(IndicatorSnapshot.taken_on)))


def monthly_series(
    area: str, months: int = 12, today: date | None = None
) -> list[IndicatorSnapshot]:
    """The last snapshot of each of the last `months` months of an area."""
    today = today or date.today()
    since = rules.add_months(today.replace(day=1), -(months - 1))
    last_of_month: dict[tuple[int, int], IndicatorSnapshot] = {}
    for snapshot in snapshot_series(area, since):
        last_of_month[(snapshot.taken_on.year, snapshot.taken_on.month)] = snapshot
    return [last_of_month[key] for key in sorted(last_of_month)]


# ---- the indicator report -----------------------------------------------------------------------


@dataclass
class AreaReport:
    """The plan's indicators of one area and year, with the same indicators of its sub-areas."""

    year: int
    area_code: str
    indicators: tuple[indicators.Indicator, ...]
    breakdown: list[tuple[str, tuple[indicators.Indicator, ...]]]
    # Every city and county with records inside the area (for the Excel export).
    areas: list[tuple[str, tuple[indicators.Indicator, ...]]] = field(default_factory=list)
    lead_units: tuple[indicators.LeadUnitRecord, ...] = ()

    @property
    def area_name(self) -> str:
        return area_name(self.area_code)


def area_name(code: str) -> str:
    return divisions.division_name(code) if code != PROVINCE else "浙江省"


def check_area(area: str | None) -> str:
    """The province, a city or a county code of Zhejiang, or a 422 refusal."""
    area = (area or PROVINCE).strip()
    if area != PROVINCE and area not in divisions.all_divisions():
        raise ServiceError({"county": [_("Choose a city or county of Zhejiang.")]}, 422)
    return area


def check_year(year: int | None, today: date | None = None) -> int:
    today = today or date.today()
    year = year or today.year
    if not 2000 <= year <= today.year:
        raise ServiceError({"year": [_("Choose a year from 2000 to this year.")]}, 422)
    return year


def indicator_report(
    year: int | None = None, area: str | None = None, today: date | None = None
) -> AreaReport:
    """The plan's indicators for an area and its sub-areas: the current year from the records, a
    past year from its stored snapshots (or "no data recorded for that year")."""
    today = today or date.today()
    year, area = check_year(year, today), check_area(area)
    plan = facts.plan_facts(year, area, today)
    report = indicators.indicators(plan)

    def empty(code: str):
        blank = indicators.PlanFacts(
            year=year,
            as_of=plan.as_of,
            counts=plan.counts,
            incomes=plan.incomes,
            quota_reviewed=plan.quota_reviewed,
        )
        counts = indicators.person_counts((), (), plan.as_of) if plan.counts is None else None
        if plan.counts is not None:
            counts = plan.counts.get(code)
        return indicators.area_indicators(blank, code, indicators.Targets(), counts)

    if area == PROVINCE:
        own = report.province
        breakdown = [
            (c.code, report.cities.get(c.code) or empty(c.code)) for c in divisions.cities()
        ]
    elif divisions.all_divisions()[area].level == "city":
        own = report.cities.get(area) or empty(area)
        breakdown = [
            (c.code, report.counties.get(c.code) or empty(c.code)) for c in divisions.counties(area)
        ]
    else:
        own, breakdown = report.counties.get(area) or empty(area), []
    if area == PROVINCE:  # every city, then every county with records
        areas = [*breakdown, *report.counties.items()]
    else:  # the area itself, then its counties
        areas = [(area, own), *breakdown]
    return AreaReport(year, area, own, breakdown, areas, plan.lead_units)
