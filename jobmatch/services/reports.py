"""Read models for admins: the fairness audit of the latest batch run."""

from sqlalchemy import or_, select

from core.extensions import db
from core.models import Person
from jobmatch.engine import fairness
from jobmatch.models import MatchResult, Referral
from jobmatch.services.batch import latest_run


def report_county(user) -> str | None:
    """The county whose figures a user may see: a counselor's own; None (the province) for an admin."""
    return user.county_code if user.role == "counselor" else None


def fairness_report(county: str | None = None) -> tuple[list[fairness.GroupRow], object]:
    """The audit's rows and the run they come from (rows are empty before any batch run).

    With a county, only that county's seekers are audited (their exposure still counts every post).
    """
    run = latest_run()
    referred_ids = select(Referral.person_id).where(Referral.status != "proposed")
    stmt = select(Person.id, Person.disability_category, Person.disability_level).where(
        Person.wish_to_work.is_(True),
        or_(Person.employment_type == "unemployed", Person.id.in_(referred_ids)),
    )
    if county:
        stmt = stmt.where(Person.county_code == county)
    people = db.session.execute(stmt).all()
    statuses: dict[int, set[str]] = {}
    for person_id, status in db.session.execute(
        select(Referral.person_id, Referral.status).where(Referral.status != "proposed")
    ):
        statuses.setdefault(person_id, set()).add(status)
    seekers = [
        fairness.SeekerFacts(
            pid, cat, lvl, referred=pid in statuses, hired="hired" in statuses.get(pid, ())
        )
        for pid, cat, lvl in people
    ]
    pairs = []
    if run is not None:
        rows = db.session.execute(
            select(MatchResult.person_id, MatchResult.post_id, MatchResult.total).where(
                MatchResult.run_id == run.id
            )
        )
        pairs = [fairness.Scored(a, b, float(t)) for a, b, t in rows]
    if not seekers:
        return [], run
    return fairness.audit(seekers, pairs), run
