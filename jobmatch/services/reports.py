"""Read models for admins: the fairness audit of the latest batch run."""

from sqlalchemy import or_, select

from core.extensions import db
from core.models import Person
from jobmatch.engine import fairness
from jobmatch.models import MatchResult, Referral
from jobmatch.services.batch import latest_run


def fairness_report() -> tuple[list[fairness.GroupRow], object]:
    """The audit's rows and the run they come from (rows are empty before any batch run)."""
    run = latest_run()
    referred_ids = select(Referral.person_id).where(Referral.status != "proposed")
    people = db.session.execute(
        select(Person.id, Person.disability_category, Person.disability_level).where(
            Person.wish_to_work.is_(True),
            or_(Person.employment_type == "unemployed", Person.id.in_(referred_ids)),
        )
    ).all()
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
