"""Use cases of auxiliary employment (辅助性就业): centres, participants (intellectual, mental or severe
disabilities only), their monthly hours and earnings, the subsidy parameter and a centre's year.
The rules and their source are in auxiliary_rules.py.
"""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from core import audit, divisions
from core.access import scope_filter
from core.database import ServiceError
from core.extensions import db
from core.models import Person
from employment import access as _access  # noqa: F401  (registers the access rules)
from employment import auxiliary_rules
from employment.institutions import parse_month
from employment.models import (
    AuxiliaryCentre,
    AuxiliaryMonth,
    AuxiliaryParticipant,
    AuxiliarySubsidy,
)


def _refuse(field: str, message: str, status: int = 422):
    raise ServiceError({field: [message]}, status)


def create_centre(user, data: dict) -> AuxiliaryCentre:
    if user.role == "counselor" and data["county_code"] != user.county_code:
        _refuse("county_code", _("You can register institutions of your own county only."), 403)
    if not divisions.is_county(data["county_code"]):
        _refuse("county_code", _("Choose a county-level division of Zhejiang."))
    if data["opened_on"] > date.today():
        _refuse("opened_on", _("The date cannot be in the future."))
    centre = AuxiliaryCentre(recorded_by_id=user.id, **data)
    db.session.add(centre)
    audit.record("create", centre, None, audit.snapshot(centre), actor=user)
    db.session.commit()
    return centre


def centres_query(user):
    """The centres the user may see (a counselor: their county), unordered."""
    return select(AuxiliaryCentre).where(scope_filter(AuxiliaryCentre, user))


def participants_column():
    """The number of participants of each centre, as a column of a query of centres."""
    return (
        select(func.count(AuxiliaryParticipant.id))
        .where(AuxiliaryParticipant.centre_id == AuxiliaryCentre.id)
        .correlate(AuxiliaryCentre)
        .scalar_subquery()
    )


def centres(user) -> list[AuxiliaryCentre]:
    stmt = centres_query(user)
    return list(db.session.scalars(stmt.order_by(AuxiliaryCentre.county_code, AuxiliaryCentre.id)))


def add_participant(user, centre: AuxiliaryCentre, person: Person, joined_on: date):
    """Enrol a person of the centre's county whose disability makes them eligible."""
    if person.county_code != centre.county_code:
        _refuse("person_id", _("The person does not live in the centre's county."))
    if not auxiliary_rules.is_eligible(person.disability_category, person.disability_level):
        _refuse(
            "person_id",
            _(
                "Auxiliary employment is for intellectual, mental or severe (level 1-2) disabilities."
            ),
        )
    if joined_on > date.today():
        _refuse("joined_on", _("The date cannot be in the future."))
    participant = AuxiliaryParticipant(
        centre_id=centre.id, person_id=person.id, joined_on=joined_on, recorded_by_id=user.id
    )
    db.session.add(participant)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        _refuse("person_id", _("This person already takes part in the centre."), 409)
    audit.record("create", participant, None, audit.snapshot(participant), actor=user)
    db.session.commit()
    return participant


def record_month(user, participant: AuxiliaryParticipant, data: dict) -> AuxiliaryMonth:
    """Record or correct a participant's hours and earnings of a month (audited)."""
    user_id = user.id  # read before the new row is added: a refresh would flush it half-filled
    month = parse_month(data["month"])
    if month > date.today().replace(day=1):
        _refuse("month", _("The month cannot be in the future."))
    if month < participant.joined_on.replace(day=1):
        _refuse("month", _("The month is before the person joined."))
    row = db.session.scalar(
        select(AuxiliaryMonth).where(
            AuxiliaryMonth.participant_id == participant.id, AuxiliaryMonth.month == month
        )
    )
    before = audit.snapshot(row) if row else None
    if row is None:
        row = AuxiliaryMonth(participant_id=participant.id, month=month)
        db.session.add(row)
    row.hours, row.earnings, row.recorded_by_id = data["hours"], data["earnings"], user_id
    db.session.flush()
    audit.record_saved(row, before, actor=user)
    db.session.commit()
    return row


def set_subsidy(user, year: int, amount, source: str) -> AuxiliarySubsidy:
    if user.role != "admin":
        _refuse("amount", _("Only an administrator sets this parameter."), 403)
    row = db.session.get(AuxiliarySubsidy, year)
    before = audit.snapshot(row) if row else None
    if row is None:
        row = AuxiliarySubsidy(year=year)
        db.session.add(row)
    row.amount, row.source = amount, source.strip()
    db.session.flush()
    audit.record_saved(row, before, actor=user)
    db.session.commit()
    return row


def subsidies() -> list[AuxiliarySubsidy]:
    return list(db.session.scalars(select(AuxiliarySubsidy).order_by(AuxiliarySubsidy.year.desc())))


def centre_year(centre: AuxiliaryCentre, year: int) -> auxiliary_rules.CentreYear:
    work = [
        auxiliary_rules.MonthWork(p.id, m.month, m.hours, m.earnings)
        for p in centre.participants
        for m in p.months
    ]
    subsidy = db.session.get(AuxiliarySubsidy, year)
    return auxiliary_rules.centre_year(work, year, subsidy.amount if subsidy else None)
