"""Training use cases: providers, courses and enrolments, each in one audited transaction."""

from datetime import date

from flask_babel import gettext as _
from sqlalchemy import String, cast, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from core import audit, identity
from core.access import scope_filter
from core.database import ServiceError
from core.extensions import db
from core.i18n import lang
from core.models import Person, utcnow
from jobmatch.interface import default_vocabulary
from training import states
from training.labels import action_name, status_name
from training.models import Course, Enrolment, Provider

TRAINING_TARGET = 20_000  # people trained a year, the province's target


def _credit_code(value: str) -> str:
    try:
        return identity.validate_credit_code(value)
    except identity.IdentityError as error:
        raise ServiceError({"credit_code": [error.message(lang())]}) from None


def create_provider(data: dict) -> Provider:
    """Register a provider; its credit code must be valid and not yet registered."""
    data = {**data, "credit_code": _credit_code(data["credit_code"])}
    if db.session.scalar(select(Provider.id).where(Provider.credit_code == data["credit_code"])):
        raise ServiceError({"credit_code": [_("This provider is already registered.")]}, 409)
    provider = Provider(**data)
    db.session.add(provider)
    audit.record("create", provider, None, audit.snapshot(provider))
    db.session.commit()
    return provider


def update_provider(provider: Provider, data: dict) -> Provider:
    before = audit.snapshot(provider)
    for key, value in data.items():
        if key != "credit_code":
            setattr(provider, key, value)
    audit.record_change(provider, before)
    db.session.commit()
    return provider


def list_providers(q: str = "") -> list[Provider]:
    stmt = select(Provider).order_by(Provider.county_code, Provider.id)
    if q:
        stmt = stmt.where(or_(Provider.name.contains(q), Provider.credit_code == q.upper()))
    return list(db.session.scalars(stmt))


def resolve_skills(entries: list[str]) -> list[str]:
    """Vocabulary ids for skill entries (ids or free Chinese/English text); unknown ones refused."""
    vocab = default_vocabulary()
    ids, unknown = [], []
    for entry in (e.strip() for e in entries):
        if not entry:
            continue
        found = vocab.resolve([entry])
        if not found:
            unknown.append(entry)
        ids.extend(i for i in found if i not in ids)
    if unknown:
        message = _("Not in the skill vocabulary: %(skills)s", skills="、".join(unknown))
        raise ServiceError({"skills": [message]})
    return ids


def _course_fields(data: dict) -> dict:
    data = dict(data)
    if "skills" in data:
        data["skills"] = resolve_skills(data["skills"])
    if data.get("mode") == "online" and not data.get("venue"):
        data["venue"] = ""
    return data


def create_course(data: dict) -> Course:
    """Add a course; its skills are mapped onto the vocabulary."""
    provider = db.session.get(Provider, data.get("provider_id"))
    if provider is None:
        raise ServiceError({"provider_id": [_("Choose a registered provider.")]})
    course = Course(**_course_fields(data), seats_taken=0)
    db.session.add(course)
    audit.record("create", course, None, audit.snapshot(course))
    db.session.commit()
    return course


def update_course(course: Course, data: dict) -> Course:
    """Change a course; seats never drop below the seats already taken."""
    data = _course_fields(data)
    if data.get("seats") is not None and data["seats"] < course.seats_taken:
        message = _("%(taken)s seats are already taken.", taken=course.seats_taken)
        raise ServiceError({"seats": [message]}, 409)
    before = audit.snapshot(course)
    for key, value in data.items():
        if key not in ("seats_taken", "id"):
            setattr(course, key, value)
    if course.starts_on > course.ends_on:
        db.session.rollback()
        raise ServiceError({"ends_on": [_("The course cannot end before it starts.")]})
    audit.record_change(course, before)
    db.session.commit()
    return course


def search_courses(filters: dict, page: int = 1, per_page: int = 50):
    """Courses matching a title, provider, skill, county, mode or accessibility filter."""
    return db.paginate(courses_query(filters), page=page, per_page=per_page, error_out=False)


def courses_query(filters: dict):
    """The select of courses (joined with their provider) that `search_courses` pages."""
    stmt = select(Course).join(Provider).order_by(Course.starts_on.desc(), Course.id)
    q = (filters.get("q") or "").strip()
    if q:
        skill_ids = [sid for sid, score in default_vocabulary().map_text(q) if score >= 0.8]
        conditions = [Course.title.contains(q), Provider.name.contains(q)]
        conditions += [_json_has(Course.skills, sid) for sid in skill_ids]
        stmt = stmt.where(or_(*conditions))
    if filters.get("county_code"):
        stmt = stmt.where(Course.county_code == filters["county_code"])
    if filters.get("mode"):
        stmt = stmt.where(Course.mode == filters["mode"])
    if filters.get("provider_id"):
        stmt = stmt.where(Course.provider_id == filters["provider_id"])
    if filters.get("open_only"):
        stmt = stmt.where(Course.status == "open", Course.ends_on >= date.today())
    for code in filters.get("accessibility") or ():
        stmt = stmt.where(_json_has(Course.accessibility, code))
    return stmt


def _json_has(column, code: str):
    """A JSON list column holds this code (portable across SQLite and PostgreSQL)."""
    return cast(column, String).contains(f'"{code}"')


def enrolment_closed_reason(course: Course, today: date) -> str | None:
    """Why nobody can enrol in this course today, or None when enrolment is open."""
    if course.status != "open" or not course.provider.active:
        return _("This course is not open for enrolment.")
    if course.ends_on < today:
        return _("This course has ended.")
    if course.mode == "in_person" and course.starts_on <= today:
        return _("This in-person course has already started.")
    return None


def _take_seat(course_id: int) -> bool:
    """Take one seat if one is free: a conditional update, checked by its row count."""
    result = db.session.execute(
        update(Course)
        .where(Course.id == course_id, Course.seats_taken < Course.seats)
        .values(seats_taken=Course.seats_taken + 1)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _already() -> ServiceError:
    return ServiceError({"course_id": [_("Already enrolled in this course.")]}, 409)


def enrol(person: Person, course: Course, user=None, today: date | None = None) -> Enrolment:
    """Enrol a person: take a seat and add the enrolment in one transaction (never overbooked)."""
    today = today or date.today()
    reason = enrolment_closed_reason(course, today)
    if reason:
        raise ServiceError({"course_id": [reason]}, 409)
    taken = select(Enrolment.id).where(
        Enrolment.person_id == person.id, Enrolment.course_id == course.id
    )
    if db.session.scalar(taken):
        raise _already()
    if not _take_seat(course.id):
        db.session.rollback()
        raise ServiceError({"course_id": [_("No seats are left on this course.")]}, 409)
    enrolment = Enrolment(
        person_id=person.id,
        course_id=course.id,
        status="applied",
        applied_on=today,
        created_by=getattr(user, "id", None),
        history=[_history_entry("applied", user)],
    )
    db.session.add(enrolment)
    try:
        audit.record("create", enrolment, None, audit.snapshot(enrolment), actor=user)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise _already() from None
    return enrolment


def _history_entry(status: str, user, reason: str = "") -> dict:
    by = getattr(user, "username", None) or "system"
    return {
        "status": status,
        "at": utcnow().isoformat(timespec="seconds"),
        "by": by,
        "reason": reason,
    }


def refusal(enrolment: Enrolment, action: str) -> ServiceError:
    """The clear error for an action the enrolment's status does not allow."""
    chinese = lang() == "zh"
    joiner = "、" if chinese else ", "
    allowed = joiner.join(action_name(a) for a in states.allowed_actions(enrolment.status))
    message = _(
        "An enrolment that is “%(status)s” cannot be changed with “%(action)s”.",
        status=status_name(enrolment.status),
        action=action_name(action),
    )
    if allowed:
        message += ("" if chinese else " ") + _("Possible now: %(actions)s.", actions=allowed)
    return ServiceError({"action": [message]}, 409)


def transition(enrolment: Enrolment, action: str, user=None, **details) -> Enrolment:
    """Move an enrolment along (accept, attend, complete, certify, drop), audited."""
    try:
        new = states.next_status(enrolment.status, action)
    except states.TransitionRefused:
        raise refusal(enrolment, action) from None
    if user is not None and user.role == "graduate" and action != "drop":
        raise ServiceError({"action": [_("Only the provider's staff can record this.")]}, 403)
    reason = (details.get("reason") or "").strip()
    if action == "drop" and not reason:
        raise ServiceError({"reason": [_("Say why the person is dropping out.")]})
    before, old = audit.snapshot(enrolment), enrolment.status
    if not _claim_status(enrolment.id, old, new):
        db.session.rollback()
        raise ServiceError({"action": [_("Someone else changed this enrolment; reload it.")]}, 409)
    _apply_details(enrolment, action, reason, details)
    enrolment.status = new
    enrolment.history = [*enrolment.history, _history_entry(new, user, reason)]
    if states.releases_seat(old, new):
        _release_seat(enrolment.course_id)
    audit.record_change(enrolment, before, action=action)
    db.session.commit()
    return enrolment


def _claim_status(enrolment_id: int, old: str, new: str) -> bool:
    result = db.session.execute(
        update(Enrolment)
        .where(Enrolment.id == enrolment_id, Enrolment.status == old)
        .values(status=new)
        .execution_options(synchronize_session=False)
    )
    return result.rowcount == 1


def _apply_details(enrolment: Enrolment, action: str, reason: str, details: dict) -> None:
    today = details.get("today") or date.today()
    if action == "complete":
        completed_on = details.get("completed_on") or today
        if completed_on > today:
            db.session.rollback()
            raise ServiceError(
                {"completed_on": [_("The completion date cannot be in the future.")]}
            )
        enrolment.completed_on = completed_on
    elif action == "certify":
        enrolment.certificate = True
        enrolment.certificate_no = (details.get("certificate_no") or "").strip()[:60]
    elif action == "drop":
        enrolment.drop_reason = reason[:300]


def _release_seat(course_id: int) -> None:
    db.session.execute(
        update(Course)
        .where(Course.id == course_id, Course.seats_taken > 0)
        .values(seats_taken=Course.seats_taken - 1)
        .execution_options(synchronize_session=False)
    )


def search_enrolments(user, filters: dict, page: int = 1, per_page: int = 50):
    """Enrolments the user may see, by course or status."""
    stmt = enrolments_query(user, filters)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def enrolments_query(user, filters: dict):
    """The select of the enrolments the user may see, by course, status or person, newest first."""
    stmt = select(Enrolment).where(scope_filter(Enrolment, user)).order_by(Enrolment.id.desc())
    if filters.get("course_id"):
        stmt = stmt.where(Enrolment.course_id == filters["course_id"])
    if filters.get("status"):
        stmt = stmt.where(Enrolment.status == filters["status"])
    if filters.get("person_id"):
        stmt = stmt.where(Enrolment.person_id == filters["person_id"])
    return stmt


def my_enrolments(person_id: int) -> list[Enrolment]:
    stmt = select(Enrolment).where(Enrolment.person_id == person_id).order_by(Enrolment.id.desc())
    return list(db.session.scalars(stmt))


def trained_in_year(year: int) -> dict:
    """People trained in `year` (completed a course) and people enrolled, against the target."""
    start, end = date(year, 1, 1), date(year, 12, 31)
    completed = select(func.count(func.distinct(Enrolment.person_id))).where(
        Enrolment.status.in_(("completed", "certified")),
        Enrolment.completed_on.between(start, end),
    )
    enrolled = select(func.count(func.distinct(Enrolment.person_id))).where(
        Enrolment.applied_on.between(start, end)
    )
    trained = db.session.scalar(completed) or 0
    return {
        "year": year,
        "trained": trained,
        "enrolled": db.session.scalar(enrolled) or 0,
        "target": TRAINING_TARGET,
        "share": trained / TRAINING_TARGET,
    }
