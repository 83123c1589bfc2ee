"""Support for the training tests: providers, courses and enrolments with sensible defaults."""

import itertools
from datetime import date, timedelta

from core import identity
from core.extensions import db
from training.models import Course, Provider

_serial = itertools.count(1)
SOON = date.today() + timedelta(days=14)


def credit_code(county: str = "330106") -> str:
    return identity.make_credit_code(f"52{county}MJ{next(_serial):07d}")


def make_provider(county: str = "330106", name: str | None = None, **fields) -> Provider:
    provider = Provider(
        name=name or f"测试培训学校{next(_serial)}",
        credit_code=fields.pop("credit_code", None) or credit_code(county),
        licence="浙人社培00001",
        county_code=county,
        counties_served=[county],
        venue_accessibility=["step_free"],
        **fields,
    )
    db.session.add(provider)
    db.session.commit()
    return provider


def make_course(provider: Provider | None = None, **fields) -> Course:
    provider = provider or make_provider()
    starts = fields.pop("starts_on", SOON)
    values = {
        "title": f"测试课程{next(_serial)}",
        "skills": ["livestream_selling"],
        "mode": "in_person",
        "county_code": provider.county_code,
        "venue": "培训教室",
        "starts_on": starts,
        "ends_on": starts + timedelta(days=28),
        "seats": 20,
        "accessibility": [],
        **fields,
    }
    course = Course(provider_id=provider.id, seats_taken=0, **values)
    db.session.add(course)
    db.session.commit()
    return course


def test_support_builds_valid_records(app):
    course = make_course()
    assert identity.validate_credit_code(course.provider.credit_code)
    assert course.seats_left == 20
