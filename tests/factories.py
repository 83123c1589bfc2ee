"""Test data factories: valid people, employers and accounts with sensible defaults."""

import itertools
from datetime import date

from core import identity
from core.auth import hash_password
from core.extensions import db
from core.models import Employer, User
from core.services import new_person

PASSWORD = "Test-pass-2026"
_serial = itertools.count(1)
_PASSWORD_HASH = None


def certificate_number(
    county="330106", birth=date(1998, 5, 17), male=True, category=4, level=3, serial=None
):
    rid = identity.make_resident_id(
        county, birth, serial if serial is not None else next(_serial), male
    )
    return f"{rid}{category}{level}"


def person_form(county="330106", **changes) -> dict:
    """The web registration form of a person, every fact chosen, with `changes`."""
    return {
        "certificate_no": certificate_number(county),
        "name": "周八",
        "county_code": county,
        "education": "senior",
        "employment_type": "unemployed",
        "low_income": "0",
        "wish_to_work": "1",
        "able_to_work": "1",
        "consent": "1",
        **changes,
    }


def make_person(county="330106", category=4, level=3, birth=date(1998, 5, 17), male=True, **fields):
    data = {
        "certificate_no": certificate_number(county, birth, male, category, level),
        "name": fields.pop("name", "张三"),
        "county_code": county,
        "consent": True,
        **fields,
    }
    person = new_person(data)
    db.session.add(person)
    db.session.commit()
    return person


def make_employer(county="330106", unit_type="enterprise", name=None, **fields):
    serial = next(_serial)
    code = identity.make_credit_code(f"91{county}MA{serial:07d}")
    employer = Employer(
        credit_code=code,
        name=name or f"测试企业{serial}有限公司",
        unit_type=unit_type,
        county_code=county,
        **fields,
    )
    db.session.add(employer)
    db.session.commit()
    return employer


def make_user(role, username=None, **links):
    global _PASSWORD_HASH
    _PASSWORD_HASH = _PASSWORD_HASH or hash_password(PASSWORD)
    user = User(
        username=username or f"{role}{next(_serial)}",
        password_hash=_PASSWORD_HASH,
        role=role,
        **links,
    )
    db.session.add(user)
    db.session.commit()
    return user
