"""Skill-gap course recommendations for a seeker: a service around the pure `training.gap`.

It takes the seeker's best compatible posts from the matching engine, the seeker's skills and
accessibility needs (profile first, certificate default), the open courses and their measured
effectiveness, and returns the ranked courses with reasons in the request's language.
"""

from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import select

from core.extensions import db
from core.i18n import lang as current_lang
from core.models import Person
from jobmatch import interface as matching
from jobmatch.interface import default_vocabulary
from training import gap, needs
from training.labels import reason_text
from training.models import Course, Enrolment, Provider
from training.notice import latest_rows

BEST_POSTS = 20


@dataclass(frozen=True)
class RecommendedCourse:
    course: Course
    score: float
    gap_share: float
    effectiveness: float
    measured: bool
    closes: tuple[str, ...]
    posts_helped: int
    reason: str


@dataclass
class SeekerCourses:
    person: Person
    needs: frozenset[str]
    skills: tuple[str, ...]
    posts: list = field(default_factory=list)  # the ranked posts (objects with .post and .total)
    gap: list[tuple[str, int]] = field(default_factory=list)  # (skill name, posts needing it)
    courses: list[RecommendedCourse] = field(default_factory=list)


def _skill_name(lang: str):
    vocab = default_vocabulary()
    return lambda sid: vocab.skill_name(sid, lang) if sid in vocab else sid


def seeker_of(person: Person) -> gap.Seeker:
    """The seeker as the gap module sees them: vocabulary skills, county, accessibility needs."""
    skills, profile_needs = matching.seeker_skills(person)
    return gap.Seeker(
        skills=frozenset(skills),
        county_code=person.county_code,
        accessibility_needs=needs.seeker_needs(
            profile_needs, person.disability_category, person.disability_level
        ),
    )


def best_posts(person: Person, k: int = BEST_POSTS) -> list:
    """The seeker's best compatible posts from the matching engine."""
    return list(matching.ranked_posts(person, k=k))


def open_courses(today: date, person_id: int | None = None) -> list[gap.Course]:
    """Every open course of an active provider that has not ended, with its effectiveness,
    leaving out the courses the person already has an enrolment in (one per person and course)."""
    stored = latest_rows()["course"]
    stmt = (
        select(Course)
        .join(Provider)
        .where(Course.status == "open", Course.ends_on >= today, Provider.active.is_(True))
    )
    if person_id is not None:
        enrolled = select(Enrolment.course_id).where(Enrolment.person_id == person_id)
        stmt = stmt.where(Course.id.not_in(enrolled))
    out = []
    for course in db.session.scalars(stmt):
        row = stored.get(course.id)
        measured = needs.effectiveness(row.employed_6m, row.employment_due) if row else None
        out.append(
            gap.Course(
                id=str(course.id),
                title=course.title,
                skills=frozenset(course.skills or ()),
                mode=course.mode,
                county_code=course.county_code,
                starts_on=course.starts_on,
                ends_on=course.ends_on,
                seats_left=course.seats_left,
                accessibility=frozenset(course.accessibility or ()) & gap.ACCESSIBILITY_CODES,
                effectiveness=measured,
            )
        )
    return out


def course_recommendations(
    person: Person, k: int = 5, today: date | None = None, lang: str | None = None
) -> SeekerCourses:
    """The courses that close most of the seeker's skill gap, best first, each with its reason."""
    today, lang = today or date.today(), lang or current_lang()
    seeker = seeker_of(person)
    posts = best_posts(person)
    name = _skill_name(lang)
    result = gap.recommend_courses(
        seeker,
        [default_vocabulary().resolve(list(p.post.skills or [])) for p in posts],
        open_courses(today, person.id),
        today,
        same_city=True,
        limit=k,
    )
    by_id = {str(c.id): c for c in _load([r.course.id for r in result.courses])}
    return SeekerCourses(
        person=person,
        needs=seeker.accessibility_needs,
        skills=tuple(sorted(seeker.skills)),
        posts=posts,
        gap=[(name(g.skill_id), g.posts_needing) for g in result.gap],
        courses=[_recommended(r, by_id[r.course.id], name) for r in result.courses],
    )


def _load(ids: list[str]) -> list[Course]:
    if not ids:
        return []
    return list(db.session.scalars(select(Course).where(Course.id.in_([int(i) for i in ids]))))


def _recommended(r: gap.CourseRecommendation, course: Course, name):
    return RecommendedCourse(
        course=course,
        score=r.score,
        gap_share=r.gap_share,
        effectiveness=r.effectiveness,
        measured=r.course.effectiveness is not None,
        closes=tuple(name(s) for s in r.closes),
        posts_helped=r.posts_helped,
        reason=reason_text(r.reason, name),
    )
