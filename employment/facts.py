"""Load the plain records the pure indicators need, from the registry and the other packages.

Other packages answer through their interface modules (jobmatch: recorded hires; training:
completions; quota: the review's assessments and payments).
"""

from datetime import date
from decimal import Decimal

from sqlalchemy import func, select

from core.extensions import db
from core.models import Employer, Person
from employment import indicators, rules
from employment.competition_rules import EntryRecord
from employment.models import (
    AuxiliaryCentre,
    AuxiliaryMonth,
    AuxiliaryParticipant,
    Competition,
    CompetitionEntry,
    HouseholdIncome,
    HouseholdRelative,
    HouseholdRural,
    IndicatorSnapshot,
    Institution,
    PersonRural,
    RecognitionApplication,
    StartupApplication,
    StartupFollowUp,
    WelfareAssignment,
    WelfarePost,
)
from jobmatch import interface as matching
from quota import interface as quota
from training import interface as training


def reference_date(year: int, today: date | None = None) -> date:
    """The day ages are taken on for a year's indicators: today in the current year, else 31 December."""
    today = today or date.today()
    return min(today, date(year, 12, 31))


# The employment type a recorded hire gives by the post's work mode (as jobmatch's
# referrals.EMPLOYMENT_BY_MODE; a test keeps the two equal): a hire is recorded employment.
HIRE_TYPES = {"part_time": "flexible", "flexible": "flexible", "home_based": "home_based"}


def recognised_ids(on: date | None = None) -> set[tuple[int, str]]:
    """(person, kind) of every flexible or home-based work that counts: recognised (认定) by a
    decision, or a recorded hire into such a post, by the day `on`."""
    stmt = select(RecognitionApplication.person_id, RecognitionApplication.kind).where(
        RecognitionApplication.status == "approved"
    )
    if on is not None:
        stmt = stmt.where(RecognitionApplication.work_started_on <= on)
    found = {(person_id, kind) for person_id, kind in db.session.execute(stmt)}
    return found | _hires(on)


def _hires(on: date | None) -> set[tuple[int, str]]:
    return {
        (person_id, HIRE_TYPES[mode]) for person_id, mode in matching.recorded_hires(HIRE_TYPES, on)
    }


def is_recognised(person: Person, on: date | None = None) -> bool:
    """Whether this person's flexible or home-based work was recognised (False for other types)."""
    if person.employment_type not in rules.NEEDS_RECOGNITION:
        return False
    return (person.id, person.employment_type) in recognised_ids(on)


def person_facts(person: Person, recognised: bool | None = None) -> rules.PersonFacts:
    """The facts deciding whether this person is hard to employ."""
    return rules.PersonFacts(
        certified=person.cert_index is not None,
        birth_date=person.birth_date,
        sex=person.sex,
        able_to_work=bool(person.able_to_work),
        wishes_to_work=person.wish_to_work,
        employment_type=person.employment_type,
        recognised=is_recognised(person) if recognised is None else recognised,
    )


def employed(person: Person, recognised: set[tuple[int, str]]) -> bool:
    """Employed as the plan counts it: recognised flexible or home-based work only."""
    return rules.is_employed(
        person.employment_type, (person.id, person.employment_type) in recognised
    )


def area_filter(column, area: str | None):
    """Rows of a province (None or 330000), a city (xxxx00) or a county."""
    if not area or area == "330000":
        return None
    if area.endswith("00"):
        return column.like(area[:4] + "%")
    return column == area


def person_records(year: int, area: str | None = None, on: date | None = None):
    """Every registered person as the indicators count them on a day of the year."""
    on = on or reference_date(year)
    recognised = recognised_ids(on)
    stmt = select(
        Person.id,
        Person.county_code,
        Person.cert_index,
        Person.birth_date,
        Person.sex,
        Person.employment_type,
        Person.able_to_work,
        Person.wish_to_work,
        Person.education,
        Person.graduation_year,
        Person.household_id,
        PersonRural.rural,
    ).outerjoin(PersonRural, PersonRural.person_id == Person.id)
    where = area_filter(Person.county_code, area)
    if where is not None:
        stmt = stmt.where(where)
    return tuple(_person_record(row, year, on, recognised) for row in db.session.execute(stmt))


def _person_record(row, year: int, on: date, recognised) -> indicators.PersonRecord:
    return indicators.PersonRecord(
        person_id=str(row.id),
        county_code=row.county_code,
        certified=row.cert_index is not None,
        working_age=rules.is_working_age(row.birth_date, row.sex, on),
        employment_type=row.employment_type,
        recognised=(row.id, row.employment_type) in recognised,
        able_to_work=bool(row.able_to_work),
        wishes_to_work=row.wish_to_work,  # None stays unknown
        new_graduate=indicators.is_new_graduate(row.graduation_year, row.education, year),
        household_id=row.household_id,
        rural=row.rural,
    )


def relative_records(on: date, area: str | None = None):
    """(county, member) of the household members without a registered disability."""
    stmt = select(HouseholdRelative)
    where = area_filter(HouseholdRelative.county_code, area)
    if where is not None:
        stmt = stmt.where(where)
    return tuple((r.county_code, relative_member(r, on)) for r in db.session.scalars(stmt))


def relative_member(relative: HouseholdRelative, on: date) -> rules.HouseholdMember:
    return rules.HouseholdMember(
        relative.household_id,
        rules.is_working_age(relative.birth_date, relative.sex, on),
        relative.able_to_work,
        relative.wish_to_work,
        relative.employed,
    )


def training_records(year: int, area: str | None = None) -> tuple:
    """Completed enrolments of the year (training's interface), one record per completion."""
    completed = training.completions(year)
    counties = _counties({person_id for person_id, _ in completed}, area)
    return tuple(
        indicators.TrainingRecord(str(person_id), counties[person_id], day)
        for person_id, day in completed
        if person_id in counties
    )


def _counties(person_ids: set[int], area: str | None) -> dict[int, str]:
    """The county of each of these people who lives in the area."""
    stmt = select(Person.id, Person.county_code).where(Person.id.in_(person_ids))
    where = area_filter(Person.county_code, area)
    return dict(db.session.execute(stmt if where is None else stmt.where(where)).all())


def filing_records(year: int, area: str | None = None) -> tuple:
    """Each employer's current assessment of the review held in `year` (data year `year - 1`)."""
    data_year = indicators.quota_data_year(year)
    assessments = quota.current_assessments(data_year)
    counties = _employer_counties({a.employer_id for a in assessments}, area)
    paid = quota.levy_paid(data_year)
    records = {}
    for row in assessments:
        if row.employer_id not in counties:
            continue
        records[row.employer_id] = indicators.FilingRecord(
            employer_id=str(row.employer_id),
            county_code=counties[row.employer_id],
            non_filer=bool(row.non_filer),
            meets_quota=row.shortfall <= 0,
            levy_assessed=row.levy or Decimal(0),
            levy_paid=paid.get(row.employer_id, Decimal(0)),
            reward_eligible=bool(row.reward_eligible),
            reward_computed=(row.reward or Decimal(0)) if row.reward_eligible else Decimal(0),
        )
    return tuple(records.values())


def _employer_counties(employer_ids: set[int], area: str | None) -> dict[int, str]:
    """The county of each of these employers that is in the area."""
    stmt = select(Employer.id, Employer.county_code).where(Employer.id.in_(employer_ids))
    where = area_filter(Employer.county_code, area)
    return dict(db.session.execute(stmt if where is None else stmt.where(where)).all())


def quota_reviewed(year: int) -> bool:
    """Whether the review held in `year` has any current assessment, anywhere in the province."""
    return quota.reviewed(indicators.quota_data_year(year))


def lead_unit_records(year: int, area: str | None = None) -> tuple:
    """Every lead public body of the registry with what its assessment of the review counted."""
    data_year = indicators.quota_data_year(year)
    arranged = {a.employer_id: a.arranged for a in quota.current_assessments(data_year)}
    stmt = select(Employer).where(Employer.is_lead_unit.is_(True)).order_by(Employer.name)
    where = area_filter(Employer.county_code, area)
    if where is not None:
        stmt = stmt.where(where)
    return tuple(
        indicators.LeadUnitRecord(str(e.id), e.name, e.county_code, arranged.get(e.id))
        for e in db.session.scalars(stmt)
    )


def institution_records(year: int, kind: str = "blind_massage", area: str | None = None):
    """Registered institutions of a kind in operation at some time during the year."""
    stmt = select(Institution.id, Institution.county_code).where(
        Institution.kind == kind,
        Institution.registered_on <= date(year, 12, 31),
        (Institution.closed_on.is_(None)) | (Institution.closed_on >= date(year, 1, 1)),
    )
    where = area_filter(Institution.county_code, area)
    if where is not None:
        stmt = stmt.where(where)
    return tuple(
        indicators.InstitutionRecord(str(i), county) for i, county in db.session.execute(stmt)
    )


def welfare_records(year: int, area: str | None = None) -> tuple:
    """Persons holding a public-welfare post at some time during the year."""
    stmt = (
        select(WelfareAssignment.person_id, WelfarePost.county_code)
        .join(WelfarePost, WelfarePost.id == WelfareAssignment.post_id)
        .where(
            WelfareAssignment.starts_on <= date(year, 12, 31),
            func.coalesce(WelfareAssignment.ended_on, WelfareAssignment.ends_on)
            >= date(year, 1, 1),
        )
    )
    where = area_filter(WelfarePost.county_code, area)
    if where is not None:
        stmt = stmt.where(where)
    return tuple(
        indicators.WelfareRecord(str(person_id), county)
        for person_id, county in db.session.execute(stmt)
    )


def auxiliary_records(year: int, area: str | None = None) -> tuple:
    """Persons who worked some hours in auxiliary employment in a month of the year."""
    stmt = (
        select(AuxiliaryParticipant.person_id, AuxiliaryCentre.county_code)
        .join(AuxiliaryCentre, AuxiliaryCentre.id == AuxiliaryParticipant.centre_id)
        .join(AuxiliaryMonth, AuxiliaryMonth.participant_id == AuxiliaryParticipant.id)
        .where(
            AuxiliaryMonth.hours > 0,
            AuxiliaryMonth.month >= date(year, 1, 1),
            AuxiliaryMonth.month <= date(year, 12, 31),
        )
        .distinct()
    )
    where = area_filter(AuxiliaryCentre.county_code, area)
    if where is not None:
        stmt = stmt.where(where)
    return tuple(
        indicators.AuxiliaryRecord(str(person_id), county)
        for person_id, county in db.session.execute(stmt)
    )


def startup_records(year: int, area: str | None = None) -> tuple:
    """The one-year follow-ups of supported businesses that fell due in the year."""
    stmt = (
        select(Person.county_code, StartupFollowUp.operating)
        .join(StartupApplication, StartupApplication.id == StartupFollowUp.application_id)
        .join(Person, Person.id == StartupApplication.person_id)
        .where(
            StartupFollowUp.milestone == 12,
            StartupFollowUp.due_on >= date(year, 1, 1),
            StartupFollowUp.due_on <= date(year, 12, 31),
        )
    )
    where = area_filter(Person.county_code, area)
    if where is not None:
        stmt = stmt.where(where)
    return tuple(
        indicators.StartupCheck(county, operating) for county, operating in db.session.execute(stmt)
    )


def income_figures(year: int) -> dict:
    """The entered disposable income figures of the year, by area."""
    stmt = select(HouseholdIncome).where(HouseholdIncome.year == year)
    return {
        row.area_code: indicators.IncomeFigure(row.area_code, row.amount, row.source)
        for row in db.session.scalars(stmt)
    }


def snapshot_counts(year: int) -> dict:
    """The person-based figures of each area from the year's last stored snapshot."""
    last = (
        select(IndicatorSnapshot.area_code, func.max(IndicatorSnapshot.taken_on).label("day"))
        .where(
            IndicatorSnapshot.taken_on >= date(year, 1, 1),
            IndicatorSnapshot.taken_on <= date(year, 12, 31),
        )
        .group_by(IndicatorSnapshot.area_code)
        .subquery()
    )
    stmt = select(IndicatorSnapshot).join(
        last,
        (IndicatorSnapshot.area_code == last.c.area_code)
        & (IndicatorSnapshot.taken_on == last.c.day),
    )
    return {s.area_code: snapshot_to_counts(s) for s in db.session.scalars(stmt)}


def snapshot_to_counts(snapshot: IndicatorSnapshot) -> indicators.PersonCounts:
    return indicators.PersonCounts(
        adults=snapshot.certified_working_age,
        employed_adults=snapshot.employed_certified,
        graduates=snapshot.graduates,
        employed_graduates=snapshot.graduates_employed,
        zero_households=snapshot.zero_employment_households,
        as_of=snapshot.taken_on,
        basis="snapshot",
    )


def plan_facts(year: int, area: str | None = None, today: date | None = None):
    """All records behind the plan's indicators for one year and area: the person-based figures
    from the records in the current year, from the year's stored snapshots for a past year."""
    today = today or date.today()
    on = reference_date(year, today)
    current = year == today.year
    return indicators.PlanFacts(
        year=year,
        as_of=on,
        persons=person_records(year, area, on) if current else (),
        relatives=relative_records(on, area) if current else (),
        counts=None if current else snapshot_counts(year),
        trainings=training_records(year, area),
        filings=filing_records(year, area),
        lead_units=lead_unit_records(year, area),
        institutions=institution_records(year, area=area),
        incomes=income_figures(year),
        welfare=welfare_records(year, area),
        auxiliary=auxiliary_records(year, area),
        startups=startup_records(year, area),
        quota_reviewed=quota_reviewed(year),
        rural_households=rural_households() if current else {},
        competitions=competition_records(year, area),
    )


def rural_households() -> dict[str, bool]:
    """Household id -> whether its registration (户籍) is rural, as recorded with its source."""
    return dict(db.session.execute(select(HouseholdRural.household_id, HouseholdRural.rural)).all())


def competition_records(year: int, area: str | None = None) -> tuple:
    """The entries of the competitions held in the year, with the entrant's county and award."""
    stmt = (
        select(CompetitionEntry.person_id, Person.county_code, CompetitionEntry.award)
        .join(Competition, Competition.id == CompetitionEntry.competition_id)
        .join(Person, Person.id == CompetitionEntry.person_id)
        .where(Competition.held_on >= date(year, 1, 1), Competition.held_on <= date(year, 12, 31))
    )
    where = area_filter(Person.county_code, area)
    if where is not None:
        stmt = stmt.where(where)
    return tuple(
        EntryRecord(str(person_id), county, year, award)
        for person_id, county, award in db.session.execute(stmt)
    )
