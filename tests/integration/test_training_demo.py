"""The demo seed: providers in all 11 cities, 60+ courses, outcomes that spread; a rerun adds nothing."""

from sqlalchemy import func, select

from core import divisions, identity
from core.cli import seed_demo_data
from core.extensions import db
from jobmatch.engine.skills import default_vocabulary
from training.gap import ACCESSIBILITY_CODES
from training.models import Course, CourseEvaluation, Enrolment, Provider


def test_demo_seed_is_varied_and_idempotent(app):
    first = seed_demo_data()
    assert first["training courses"] >= 60
    providers = db.session.scalars(select(Provider)).all()
    assert {p.county_code[:4] for p in providers} == {c.code[:4] for c in divisions.cities()}
    for provider in providers:
        identity.validate_credit_code(provider.credit_code)
    courses = db.session.scalars(select(Course)).all()
    vocab = default_vocabulary()
    assert all(c.skills and all(s in vocab for s in c.skills) for c in courses)
    assert set().union(*(c.accessibility for c in courses)) == ACCESSIBILITY_CODES
    assert {c.mode for c in courses} == {"online", "in_person"}
    assert all(c.seats_taken <= c.seats for c in courses)
    statuses = set(db.session.scalars(select(Enrolment.status)))
    assert {"applied", "attending", "completed", "certified", "dropped"} <= statuses
    rates = db.session.scalars(
        select(CourseEvaluation.employment_rate).where(
            CourseEvaluation.scope == "course", CourseEvaluation.employment_due >= 5
        )
    ).all()
    assert len(rates) >= 10 and max(rates) - min(rates) >= 0.3
    enrolments = db.session.scalar(select(func.count(Enrolment.id)))
    second = seed_demo_data()
    assert "training courses" not in second
    assert db.session.scalar(select(func.count(Enrolment.id))) == enrolments
