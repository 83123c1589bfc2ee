"""Use cases that write posts and seeker profiles: validate, map skills, audit, commit."""

from flask_babel import gettext as _
from sqlalchemy import select

from core import audit
from core.database import ServiceError
from core.extensions import db
from core.i18n import lang
from core.models import Employer, Person
from jobmatch.engine.accessibility import (
    FUNCTION_IDS,
    PostRequirementError,
    default_profile,
    validate_post_requirements,
)
from jobmatch.engine.skills import default_vocabulary
from jobmatch.models import JobPost, SeekerProfile

SKILL_THRESHOLD = 0.8
POST_FIELDS = (
    "title",
    "description",
    "min_education",
    "county_code",
    "address",
    "salary_min",
    "salary_max",
    "work_mode",
    "positions",
    "status",
    "opens_on",
    "closes_on",
)
PROFILE_FIELDS = (
    "skills_text",
    "preferred_modes",
    "min_salary",
    "preferred_counties",
    "max_commute_km",
    "travel_mode",
    "accessibility_needs",
    "active",
)


def map_skills(text: str) -> list[str]:
    """Vocabulary skill ids named in free text (typos and synonyms included), best first."""
    return [
        sid for sid, score in default_vocabulary().map_text(text or "") if score >= SKILL_THRESHOLD
    ]


def unrecognised_words(text: str) -> list[str]:
    """Words of free skill text that name no vocabulary skill (shown so a counselor can rephrase)."""
    return default_vocabulary().unrecognised(text or "")


def skill_names(skill_ids, language: str | None = None) -> list[str]:
    vocab, language = default_vocabulary(), language or lang()
    return [vocab.skill_name(s, language) if s in vocab else s for s in skill_ids or ()]


def _requirement_error(error: PostRequirementError) -> ServiceError:
    from jobmatch.labels import requirement_error_text

    message = requirement_error_text(error)
    field = "description" if error.field == "notes" else error.field
    return ServiceError({field: [message]}, 422)


def check_requirements(data: dict) -> dict[str, int]:
    """The post's function demands, or a ServiceError naming the field that breaks the rules."""
    notes = " ".join(filter(None, [data.get("title"), data.get("description")]))
    try:
        return validate_post_requirements(
            data.get("functions") or {},
            data.get("accommodations") or [],
            data.get("categories") or [],
            notes,
        )
    except PostRequirementError as error:
        raise _requirement_error(error) from None


def _check_post_figures(data: dict, post: JobPost | None) -> None:
    low = data.get("salary_min", post.salary_min if post else 0) or 0
    high = data.get("salary_max", post.salary_max if post else 0) or 0
    if low > high:
        raise ServiceError({"salary_max": [_("The highest salary must not be below the lowest.")]})
    opens, closes = data.get("opens_on"), data.get("closes_on")
    if opens and closes and closes < opens:
        raise ServiceError(
            {"closes_on": [_("The closing date must not be before the opening date.")]}
        )
    positions = data.get("positions", post.positions if post else 1)
    if post is not None and positions < post.filled:
        raise ServiceError({"positions": [_("There are more hires than positions.")]})


def employer_for(user, employer_id: int | None) -> Employer:
    """The employer a post belongs to: the employer's own, or one of a counselor's county."""
    if user.role == "employer":
        return db.session.get(Employer, user.employer_id)
    employer = db.session.get(Employer, employer_id) if employer_id else None
    if employer is None or (user.role == "counselor" and employer.county_code != user.county_code):
        raise ServiceError({"employer_id": [_("Choose an employer of your county.")]})
    return employer


def save_post(user, data: dict, post: JobPost | None = None) -> JobPost:
    """Create or change a job post; a requirement naming a disability category is refused."""
    functions = check_requirements(data) if "functions" in data or post is None else None
    _check_post_figures(data, post)
    before = audit.snapshot(post) if post is not None else None
    if post is None:
        employer = employer_for(user, data.get("employer_id"))
        post = JobPost(
            employer_id=employer.id, created_by=user.id, county_code=employer.county_code
        )
        db.session.add(post)
    for key in POST_FIELDS:
        if key in data and (data[key] is not None or key in ("opens_on", "closes_on")):
            setattr(post, key, data[key])
    if functions is not None:
        post.functions = functions
    if "accommodations" in data:
        post.accommodations = sorted(set(data["accommodations"] or []))
    if "skills_text" in data:
        post.skills = map_skills(data["skills_text"])
    audit.record_saved(post, before)
    db.session.commit()
    return post


def default_functions(person: Person) -> dict[str, int]:
    """What the certificate's category and level suggest, per job function."""
    base = default_profile(person.disability_category, person.disability_level)
    return {f: base.can_meet(f) for f in FUNCTION_IDS}


def ensure_profile(person: Person) -> SeekerProfile:
    profile = db.session.scalar(select(SeekerProfile).where(SeekerProfile.person_id == person.id))
    if profile is None:
        profile = SeekerProfile(person_id=person.id, skills=[], functions={})
        db.session.add(profile)
        db.session.flush()
    return profile


def _adjustments(person: Person, functions: dict) -> dict[str, int]:
    """Only the functions where the counselor's level differs from the certificate's default."""
    base = default_functions(person)
    for function, value in functions.items():
        if function not in base or not 0 <= int(value) <= 3:
            raise ServiceError({"functions": [_("Choose a level from 0 to 3 for each function.")]})
    return {f: int(v) for f, v in functions.items() if int(v) != base[f]}


def save_profile(person: Person, data: dict) -> SeekerProfile:
    """Save a seeker's profile; a change to the functional profile is audited on its own."""
    profile = ensure_profile(person)
    before = audit.snapshot(profile)
    for key in PROFILE_FIELDS:
        if key in data:
            setattr(profile, key, data[key])
    if "skills_text" in data:
        profile.skills = map_skills(data["skills_text"])
    if "functions" in data and data["functions"] is not None:
        adjusted = _adjustments(person, data["functions"])
        if adjusted != (profile.functions or {}):
            audit.record(
                "adjust_functions",
                profile,
                {"functions": profile.functions or {}},
                {"functions": adjusted, "person_id": person.id},
            )
        profile.functions = adjusted
        profile.functions_adjusted = bool(adjusted)
    audit.record_change(profile, before)
    db.session.commit()
    return profile
