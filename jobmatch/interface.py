"""What other packages may ask of matching; nothing else in `jobmatch` is imported from outside.

- `default_vocabulary()`: the skill vocabulary (names, groups, text resolution), used by training.
- `seeker_skills(person)`: a person's vocabulary skills and accessibility needs from their profile.
- `ranked_posts(person, k)`: the person's k best feasible open posts, best first.
- `recorded_hires(modes, on)`: (person, work mode) of every hire recorded into a post of those modes.
"""

from datetime import date, timedelta

from sqlalchemy import select

from core.extensions import db
from core.models import Person
from jobmatch.engine.skills import default_vocabulary
from jobmatch.models import JobPost, Referral, SeekerProfile
from jobmatch.services.matching import ranked_posts

__all__ = ["default_vocabulary", "ranked_posts", "recorded_hires", "seeker_skills"]


def seeker_skills(person: Person) -> tuple[list[str], list[str]]:
    """The person's skills as vocabulary ids (listed and resolved from free text) and their needs."""
    profile = db.session.scalar(select(SeekerProfile).where(SeekerProfile.person_id == person.id))
    if profile is None:
        return [], []
    vocab = default_vocabulary()
    skills = [s for s in profile.skills or [] if s in vocab]
    if profile.skills_text:
        skills += vocab.resolve([profile.skills_text])
    return skills, list(profile.accessibility_needs or [])


def recorded_hires(modes, on: date | None = None) -> set[tuple[int, str]]:
    """(person id, post work mode) of every hire recorded into a post of `modes`, by the day `on`."""
    stmt = (
        select(Referral.person_id, JobPost.work_mode)
        .join(JobPost, JobPost.id == Referral.post_id)
        .where(Referral.status == "hired", JobPost.work_mode.in_(tuple(modes)))
    )
    if on is not None:
        stmt = stmt.where(Referral.outcome_at < on + timedelta(days=1))
    return set(db.session.execute(stmt))
