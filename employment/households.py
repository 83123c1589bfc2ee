"""Use cases of the data behind two indicators: the household members without a registered disability
(they count for the zero-employment household) and the entered disposable income figures.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import select

from core import audit, divisions
from core.access import scope_filter
from core.database import ServiceError
from core.extensions import db
from core.models import Person
from employment import access as _access  # noqa: F401  (registers the access rules)
from employment.models import PROVINCE, HouseholdIncome, HouseholdRelative, HouseholdRural


def household_county(user, household_id: str) -> str:
    """The county of a household with a registered person the user may see, or a refusal."""
    household_id = (household_id or "").strip()
    stmt = select(Person.county_code).where(
        Person.household_id == household_id, scope_filter(Person, user)
    )
    county = db.session.scalar(stmt.limit(1))
    if county is None:
        raise ServiceError(
            {"household_id": [_("No registered person of your area belongs to this household.")]},
            404,
        )
    return county


def relatives(user, household_id: str) -> list[HouseholdRelative]:
    """The household's members without a registered disability, if the user may see it."""
    household_county(user, household_id)
    stmt = (
        select(HouseholdRelative)
        .where(HouseholdRelative.household_id == household_id.strip())
        .order_by(HouseholdRelative.id)
    )
    return list(db.session.scalars(stmt))


def add_relative(user, data: dict) -> HouseholdRelative:
    """Record a member without a registered disability in a household of the user's county."""
    county = household_county(user, data["household_id"])
    if data["birth_date"] > date.today():
        raise ServiceError({"birth_date": [_("The date cannot be in the future.")]})
    relative = HouseholdRelative(
        household_id=data["household_id"].strip(),
        county_code=county,
        relation=data["relation"],
        birth_date=data["birth_date"],
        sex=data["sex"],
        able_to_work=data["able_to_work"],
        wish_to_work=data["wish_to_work"],
        employed=data["employed"],
        recorded_by_id=user.id,
    )
    db.session.add(relative)
    audit.record("create", relative, None, audit.snapshot(relative), actor=user)
    db.session.commit()
    return relative


def update_relative(user, relative: HouseholdRelative, data: dict) -> HouseholdRelative:
    """Change a member's facts (work, ability, wish to work), audited."""
    before = audit.snapshot(relative)
    for key in ("relation", "birth_date", "sex", "able_to_work", "wish_to_work", "employed"):
        if key in data:
            setattr(relative, key, data[key])
    if relative.birth_date > date.today():
        raise ServiceError({"birth_date": [_("The date cannot be in the future.")]})
    audit.record_change(relative, before)
    db.session.commit()
    return relative


def remove_relative(user, relative: HouseholdRelative) -> None:
    audit.record("delete", relative, audit.snapshot(relative), None, actor=user)
    db.session.delete(relative)
    db.session.commit()


# ---- disposable income of households with persons with disabilities ----------------------------


def check_income_area(area: str) -> str:
    if area != PROVINCE and area not in divisions.all_divisions():
        raise ServiceError({"area_code": [_("Choose a city or county of Zhejiang.")]})
    return area


def set_income(user, data: dict) -> HouseholdIncome:
    """Enter (or correct) a year's figure of an area with its source; only an administrator."""
    if user.role != "admin":
        raise ServiceError({"area_code": [_("Only an administrator enters statistics.")]}, 403)
    user_id = user.id  # read before a new row is added (a refresh would flush it half-filled)
    area = check_income_area(data["area_code"])
    if data["year"] > date.today().year:
        raise ServiceError({"year": [_("Choose a year from 2000 to this year.")]})
    row = db.session.scalar(
        select(HouseholdIncome).where(
            HouseholdIncome.year == data["year"], HouseholdIncome.area_code == area
        )
    )
    before = audit.snapshot(row) if row else None
    if row is None:
        row = HouseholdIncome(year=data["year"], area_code=area)
        db.session.add(row)
    row.amount, row.source, row.entered_by_id = data["amount"], data["source"].strip(), user_id
    audit.record_saved(row, before, actor=user)
    db.session.commit()
    return row


def incomes_query():
    """Every entered figure (they are published statistics), unordered."""
    return select(HouseholdIncome)


def incomes() -> list[HouseholdIncome]:
    stmt = select(HouseholdIncome).order_by(HouseholdIncome.year.desc(), HouseholdIncome.area_code)
    return list(db.session.scalars(stmt))


def registration(user, household_id: str) -> HouseholdRural | None:
    """The household's recorded registration (rural or urban, with its source), if visible."""
    household_county(user, household_id)
    return db.session.get(HouseholdRural, household_id.strip())


def set_registration(user, household_id: str, rural: bool, source: str) -> HouseholdRural:
    """Record or correct whether a household's registration (户籍) is rural, and from what (audited)."""
    household_county(user, household_id)
    user_id, household_id = user.id, household_id.strip()
    row = db.session.get(HouseholdRural, household_id)
    before = audit.snapshot(row) if row else None
    if row is None:
        row = HouseholdRural(household_id=household_id)
        db.session.add(row)
    row.rural, row.source, row.recorded_by_id = rural, source.strip(), user_id
    db.session.flush()
    audit.record_saved(row, before, actor=user)
    db.session.commit()
    return row
