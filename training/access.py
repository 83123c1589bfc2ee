"""Who may see training records: providers and courses are public; enrolments follow the person."""

from sqlalchemy import false, select, true

from core import access
from core.models import Person
from training.models import Course, Enrolment, Provider


def _everyone(user, obj) -> bool:
    return True


def _enrolment_visible(user, enrolment: Enrolment) -> bool:
    if user.role == "counselor":
        return enrolment.person.county_code == user.county_code
    if user.role == "graduate":
        return enrolment.person_id == user.person_id
    return False


def _enrolment_scope(user):
    if user.role == "counselor":
        county = select(Person.id).where(Person.county_code == user.county_code)
        return Enrolment.person_id.in_(county)
    if user.role == "graduate":
        return Enrolment.person_id == user.person_id
    return false()


access.register(Provider, _everyone, lambda user: true())
access.register(Course, _everyone, lambda user: true())
access.register(Enrolment, _enrolment_visible, _enrolment_scope)
