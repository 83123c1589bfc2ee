"""Load the plain records the pure indicators need, from the registry and the other packages.

The training and quota packages are optional: when their models are missing, their indicators
simply have no records (and say "no data yet").
"""

import importlib.util
from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from core.extensions import db
from core.models import Employer, Person
from employment import rules

# A graduate counts for the plan's graduate indicator in the year of graduation and the two after.
GRADUATE_YEARS = 3
# Enrolment statuses of people who finished a course (a certificate is a completion too).
COMPLETED = ("completed", "certified")


def reference_date(year: int, today: date | None = None) -> date:
    """The day ages are taken on for a year's indicators: today in the current year, else 31 December."""
    today = today or date.today()
    return min(today, date(year, 12, 31))


def person_facts(person: Person) -> rules.PersonFacts:
    """The facts deciding whether this person is hard to employ."""
    return rules.PersonFacts(
        certified=person.cert_index is not None,
        birth_date=person.birth_date,
        sex=person.sex,
        able_to_work=bool(person.able_to_work),
        wishes_to_work=bool(person.wish_to_work),
        employment_type=person.employment_type,
    )


def _area_filter(column, area: str | None):
    """Rows of a province (None or 330000), a city (xxxx00) or a county."""
    if not area or area == "330000":
        return None
    if area.endswith("00"):
        return column.like(area[:4] + "%")
    return column == area


def person_records(year: int, area: str | None = None, on: date | None = None):
    """Every registered person as the indicators count them."""
    on = on or reference_date(year)
    stmt = select(
        Person.id,
        Person.county_code,
        Person.cert_index,
        Person.birth_date,
        Person.sex,
        Person.employment_type,
        Person.wish_to_work,
        Person.graduation_year,
        Person.household_id,
    )
    where = _area_filter(Person.county_code, area)
    if where is not None:
        stmt = stmt.where(where)
    return tuple(_person_record(row, year, on) for row in db.session.execute(stmt))


def _person_record(row, year: int, on: date) -> rules.PersonRecord:
    graduate = (
        row.graduation_year is not None and year - GRADUATE_YEARS < row.graduation_year <= year
    )
    return rules.PersonRecord(
        person_id=str(row.id),
        county_code=row.county_code,
        certified=row.cert_index is not None,
        working_age=rules.is_working_age(row.birth_date, row.sex, on),
        employment_type=row.employment_type,
        wishes_to_work=bool(row.wish_to_work),
        graduate=graduate,
        household_id=row.household_id,
    )


def _module(name: str):
    try:
        found = importlib.util.find_spec(name)
    except ModuleNotFoundError:
        return None
    return importlib.import_module(name) if found else None


def training_records(year: int, area: str | None = None) -> tuple:
    """Completed enrolments of the year (training.models), one record per completion."""
    models = _module("training.models")
    enrolment = getattr(models, "Enrolment", None) if models else None
    if enrolment is None:
        return ()
    return tuple(
        rules.TrainingRecord(str(person_id), county, completed_on)
        for person_id, county, completed_on in db.session.execute(
            _training_query(enrolment, year, area)
        )
    )


def _training_query(enrolment, year: int, area: str | None):
    completed = enrolment.completed_on
    stmt = (
        select(enrolment.person_id, Person.county_code, completed)
        .join(Person, Person.id == enrolment.person_id)
        .where(
            completed.is_not(None), completed >= date(year, 1, 1), completed <= date(year, 12, 31)
        )
    )
    if hasattr(enrolment, "status"):
        stmt = stmt.where(enrolment.status.in_(COMPLETED))
    where = _area_filter(Person.county_code, area)
    return stmt if where is None else stmt.where(where)


def latest_data_year(assessment, year: int) -> int | None:
    """The latest data year up to `year` that has current quota assessments."""
    return db.session.scalar(
        select(func.max(assessment.data_year)).where(
            assessment.current.is_(True), assessment.data_year <= year
        )
    )


def filing_records(year: int, area: str | None = None) -> tuple:
    """Each employer's current assessment of the latest data year, with the levy it paid."""
    models = _module("quota.models")
    assessment = getattr(models, "QuotaAssessment", None) if models else None
    if assessment is None:
        return ()
    data_year = latest_data_year(assessment, year)
    if data_year is None:
        return ()
    paid = _levy_paid(models.LevyPayment, data_year)
    stmt = (
        select(assessment, Employer.county_code)
        .join(Employer, Employer.id == assessment.employer_id)
        .where(assessment.current.is_(True), assessment.data_year == data_year)
        .order_by(assessment.employer_id, assessment.id)
    )
    where = _area_filter(Employer.county_code, area)
    if where is not None:
        stmt = stmt.where(where)
    records = {}
    for row, county in db.session.execute(stmt):
        records[row.employer_id] = rules.FilingRecord(
            employer_id=str(row.employer_id),
            county_code=county,
            meets_quota=row.shortfall <= 0,
            levy_collected=paid.get(row.employer_id, Decimal(0)),
            reward_paid=(row.reward or Decimal(0)) if row.reward_eligible else Decimal(0),
        )
    return tuple(records.values())


def _levy_paid(payment, data_year: int) -> dict[int, Decimal]:
    stmt = (
        select(payment.employer_id, func.sum(payment.amount))
        .where(payment.data_year == data_year)
        .group_by(payment.employer_id)
    )
    return {employer_id: Decimal(total or 0) for employer_id, total in db.session.execute(stmt)}


def plan_facts(year: int, area: str | None = None, on: date | None = None) -> rules.PlanFacts:
    """All records behind the plan's indicators for one year and area."""
    return rules.PlanFacts(
        year=year,
        persons=person_records(year, area, on),
        trainings=training_records(year, area),
        filings=filing_records(year, area),
    )
