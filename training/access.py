"""Who may see training records: providers and courses are public; enrolments follow the person."""

from sqlalchemy import true

from core import access
from training.models import Course, Enrolment, Provider


def _everyone(user, obj) -> bool:
    return True


access.register(Provider, _everyone, lambda user: true())
access.register(Course, _everyone, lambda user: true())
access.register_personal(Enrolment)
