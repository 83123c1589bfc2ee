"""Registry use cases: register and update people, employers and accounts, in one transaction each."""

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from pypinyin import Style, lazy_pinyin
from sqlalchemy import func, or_, select
from sqlalchemy.exc import IntegrityError

from core import audit, divisions, identity, labels, listing, offers
from core.access import scope_filter
from core.auth import end_all_sessions, hash_password
from core.codes import EMPLOYMENT_TYPES, UNIT_TYPES
from core.crypto import FieldCipher
from core.database import ServiceError
from core.extensions import db
from core.models import Employer, Person, User, utcnow


def cipher() -> FieldCipher:
    return current_app.extensions["field_cipher"]


def person_index(number: str) -> str:
    """The blind index of a resident ID or certificate number."""
    return cipher().blind_index(number)


def pinyin_of(name: str) -> tuple[str, str]:
    """Full pinyin ('zhangsan') and initials ('zs') of a Chinese name, for search."""
    syllables = lazy_pinyin(name)
    initials = lazy_pinyin(name, style=Style.FIRST_LETTER)
    return "".join(syllables).lower(), "".join(initials).lower()


# Consent to data processing is the person's own. Staff register people at the counter, where the
# person signs the paper consent form: a registration records it as given in person, with the staff
# member who witnessed it and when. Nobody changes it afterwards through the registry forms or the
# API (a person's update never touches it).
CONSENT_IN_PERSON = "in_person"


def check_person_county(user, county_code: str | None, moving: bool = False) -> None:
    """A counselor registers and keeps people in their own county only (web and API alike)."""
    if user is None or user.role != "counselor" or county_code == user.county_code:
        return
    message = (
        _("You can move people only within your own county.")
        if moving
        else _("You can register people of your own county only.")
    )
    raise ServiceError({"county_code": [message]}, 403)


def _apply_person_fields(person: Person, data: dict) -> None:
    for key, value in data.items():
        if key not in ("certificate_no", "consent"):
            setattr(person, key, value)
    person.name_pinyin, person.name_initials = pinyin_of(person.name)


def _record_consent(person: Person, user) -> None:
    person.consent = True
    person.consent_at = utcnow()
    person.consent_method = CONSENT_IN_PERSON
    person.consent_recorded_by = getattr(user, "id", None)


# Work that counts only once the county recognised it (认定), through the employment package's
# recognition procedure: never set by an edit of the registry.
RECOGNISED_ONLY = ("flexible", "home_based")


def _refuse_unrecognised_work(person: Person | None, data: dict) -> None:
    wanted = data.get("employment_type")
    current = person.employment_type if person is not None else None
    if wanted in RECOGNISED_ONLY and wanted != current:
        raise ServiceError(
            {
                "employment_type": [
                    _(
                        "Flexible and home-based work count only once recognised: file a work "
                        "recognition application (Work recognition) instead of editing the type."
                    )
                ]
            },
            422,
        )


def new_person(data: dict) -> Person:
    """Build (not save) a person from validated data; ID facts come from the certificate."""
    cert = identity.parse_certificate(data["certificate_no"])
    rid = cert.resident_id
    person = Person(
        id_cipher=cipher().encrypt(rid.number),
        id_index=person_index(rid.number),
        id_masked=identity.mask_number(rid.number),
        cert_cipher=cipher().encrypt(cert.number),
        cert_index=person_index(cert.number),
        cert_masked=identity.mask_number(cert.number),
        disability_category=cert.category,
        disability_level=cert.level,
        sex=rid.sex,
        birth_date=rid.birth_date,
    )
    _apply_person_fields(person, data)
    if data.get("consent"):
        _record_consent(person, audit.current_actor())
    return person


def register_person(data: dict, user=None) -> Person:
    """Register a job-seeker; a person already registered answers 409 on the certificate field.
    `user`: who registers (a counselor only in their county); None for the CLI and demo data."""
    check_person_county(user, data.get("county_code"))
    _refuse_unrecognised_work(None, data)
    person = new_person(data)
    if person_by_number(data["certificate_no"]) is not None:
        raise ServiceError({"certificate_no": [_("This person is already registered.")]}, 409)
    db.session.add(person)
    try:
        audit.record("create", person, None, audit.snapshot(person))
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ServiceError(
            {"certificate_no": [_("This person is already registered.")]}, 409
        ) from None
    return person


def update_person(person: Person, data: dict, user=None) -> Person:
    """Change registry fields (audited); consent is not among them (see CONSENT_IN_PERSON)."""
    if "county_code" in data:
        check_person_county(user, data["county_code"], moving=True)
    _refuse_unrecognised_work(person, data)
    before = audit.snapshot(person)
    _apply_person_fields(person, data)
    audit.record_change(person, before)
    if person.employment_type != before.get("employment_type"):
        offers.employment_changed(person.id, "status_edited")  # e.g. the plan switches phase
    db.session.commit()
    return person


def person_by_number(number: str) -> Person | None:
    """Find a person by resident ID or certificate number through the blind indexes."""
    compact = number.strip().upper()
    rid = compact[:18]
    return db.session.scalar(select(Person).where(Person.id_index == person_index(rid)))


def full_numbers(person: Person, user) -> dict:
    """The unmasked numbers, for the roles that need them (admin; counselor of the county)."""
    audit.record("reveal", person, None, {"fields": ["resident_id", "certificate_no"]}, actor=user)
    db.session.commit()
    return {
        "resident_id": cipher().decrypt(person.id_cipher),
        "certificate_no": cipher().decrypt(person.cert_cipher),
    }


def _full_number_index(q: str) -> str | None:
    """The blind index of the resident ID in `q`, when `q` is a full valid ID or certificate."""
    compact = q.replace(" ", "").upper()
    try:
        if len(compact) == 20:
            return person_index(identity.parse_certificate(compact).resident_id.number)
        if len(compact) == 18:
            return person_index(identity.parse_resident_id(compact).number)
    except identity.IdentityError:
        return None
    return None


def search_people(user, q: str = "", page: int = 1, per_page: int = 50):
    """People the user may see, matching a name, pinyin, initials or masked certificate."""
    stmt = _people_matching(user, q)
    return db.paginate(stmt.order_by(Person.id), page=page, per_page=per_page, error_out=False)


def _people_matching(user, q: str):
    stmt = select(Person).where(scope_filter(Person, user))
    q = (q or "").strip()
    exact = _full_number_index(q)
    if exact is not None:
        # A full, valid ID or certificate number is looked up by its blind index (never stored or
        # compared in clear); the masked columns could not match it.
        stmt = stmt.where(Person.id_index == exact)
    elif q:
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(
                Person.name.contains(q),
                Person.name_pinyin.like(like),
                Person.name_initials == q.lower(),
                Person.cert_masked.like(f"%{q}%"),
                Person.id_masked.like(f"%{q}%"),
            )
        )
    return stmt


def register_employer(data: dict) -> Employer:
    data = {**data, "credit_code": identity.validate_credit_code(data["credit_code"])}
    if db.session.scalar(select(Employer.id).where(Employer.credit_code == data["credit_code"])):
        raise ServiceError({"credit_code": [_("This employer is already registered.")]}, 409)
    employer = Employer(**data)
    db.session.add(employer)
    audit.record("create", employer, None, audit.snapshot(employer))
    db.session.commit()
    return employer


def update_employer(employer: Employer, data: dict) -> Employer:
    before = audit.snapshot(employer)
    for key, value in data.items():
        if key != "credit_code":
            setattr(employer, key, value)
    audit.record_change(employer, before)
    db.session.commit()
    return employer


def search_employers(user, q: str = "", page: int = 1, per_page: int = 50):
    stmt = select(Employer).where(scope_filter(Employer, user))
    if q:
        stmt = stmt.where(or_(Employer.name.contains(q), Employer.credit_code == q.upper()))
    return db.paginate(stmt.order_by(Employer.id), page=page, per_page=per_page, error_out=False)


def create_user(username: str, password: str, role: str, **links) -> User:
    """Create an account; the role decides which link (employer, person, county) it needs."""
    required = {"employer": "employer_id", "graduate": "person_id", "counselor": "county_code"}
    if role in required and not links.get(required[role]):
        raise ServiceError({required[role]: [_("This role needs this field.")]})
    if db.session.scalar(select(func.count()).where(User.username == username)):
        raise ServiceError({"username": [_("This username is taken.")]}, 409)
    if len(password) < 8:
        raise ServiceError({"password": [_("Use at least 8 characters.")]})
    user = User(username=username, password_hash=hash_password(password), role=role, **links)
    db.session.add(user)
    audit.record("create", user, None, audit.snapshot(user))
    db.session.commit()
    return user


def set_user_active(user: User, active: bool) -> None:
    """Enable or disable an account; disabling ends its sessions and tokens at once."""
    before = audit.snapshot(user)
    user.active = active
    if not active:
        end_all_sessions(user)
    audit.record_change(user, before)
    db.session.commit()


def logout_everywhere(user: User) -> None:
    end_all_sessions(user)
    db.session.commit()


def set_work_contact(user, phone: str | None, email: str | None) -> None:
    """A staff member sets the work telephone and e-mail their messages name (audited)."""
    before = audit.snapshot(user)
    user.phone, user.email = phone, email
    audit.record_change(user, before)
    db.session.commit()


# --- the people and employers lists (core.listing): filters, sort and paging from the URL ------


def category_options():
    from core.i18n import lang

    return [(str(c), identity.category_name(c, lang())) for c in sorted(identity.CATEGORIES)]


def _employment_options():
    return labels.option_pairs(EMPLOYMENT_TYPES, labels.employment_name)


def _city_options():
    return [(d.code, d.name) for d in divisions.cities()]


PEOPLE_LIST = listing.ListSpec(
    "people",
    {
        "name": Person.name_pinyin,
        "county": Person.county_code,
        "category": Person.disability_category,
        "employment": Person.employment_type,
        "registered": Person.created_at,
    },
    "name",
    (
        listing.Filter("q", _l("Name, pinyin, initials or masked certificate number")),
        listing.Filter("employment", _l("Employment status"), "choice", _employment_options),
        listing.Filter("category", _l("Disability category"), "choice", category_options),
        listing.Filter("city", _l("City"), "choice", _city_options),
    ),
    tiebreak=Person.id,
)


def people_list(user, state: listing.ListState) -> listing.Page:
    """A page of the people the user may see, filtered and sorted by the list state."""
    stmt = _people_matching(user, state.get("q"))
    if state.get("employment"):
        stmt = stmt.where(Person.employment_type == state.get("employment"))
    if state.get("category"):
        stmt = stmt.where(Person.disability_category == int(state.get("category")))
    if state.get("city"):
        stmt = stmt.where(Person.county_code.startswith(state.get("city")[:4]))
    return listing.query_page(stmt, state)


EMPLOYERS_LIST = listing.ListSpec(
    "employers",
    {
        "name": Employer.name,
        "credit_code": Employer.credit_code,
        "unit_type": Employer.unit_type,
        "county": Employer.county_code,
    },
    "name",
    (
        listing.Filter("q", _l("Employer name or credit code")),
        listing.Filter(
            "unit_type",
            _l("Unit type"),
            "choice",
            lambda: labels.option_pairs(UNIT_TYPES, labels.unit_type_name),
        ),
        listing.Filter("city", _l("City"), "choice", _city_options),
    ),
    tiebreak=Employer.id,
)


def employers_list(user, state: listing.ListState) -> listing.Page:
    stmt = select(Employer).where(scope_filter(Employer, user))
    q = state.get("q")
    if q:
        stmt = stmt.where(or_(Employer.name.contains(q), Employer.credit_code == q.upper()))
    if state.get("unit_type"):
        stmt = stmt.where(Employer.unit_type == state.get("unit_type"))
    if state.get("city"):
        stmt = stmt.where(Employer.county_code.startswith(state.get("city")[:4]))
    return listing.query_page(stmt, state)
