"""The matching blueprint: its menu entries, names shown in templates, and helpers shared by its pages.

The pages are in `seekers.py` (counselors: seekers, matches, referrals), `graduate.py` (a graduate's own
recommendations and referrals), `posts.py` (job posts) and `admin.py` (weights, fairness).
"""

from flask import Blueprint, url_for
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from core import navigation, offers, templating
from core.extensions import db
from core.models import Person
from jobmatch.engine.accessibility import FUNCTION_IDS
from jobmatch.engine.functional_model import ACCOMMODATIONS
from jobmatch.labels import (
    accommodation_name,
    demand_names,
    function_name,
    reason_text,
    travel_mode_name,
    travel_mode_options,
    weights_note,
    work_mode_name,
    work_mode_options,
)
from jobmatch.models import WORK_MODES, JobPost
from jobmatch.present import explain_text
from jobmatch.services import batch, records, referrals
from jobmatch.services import matching as services

bp = Blueprint("jobmatch", __name__, url_prefix="/jobmatch")
STAFF = ("admin", "counselor")

navigation.register(_l("Seekers and matches"), "jobmatch.seekers", STAFF, order=30)
navigation.register(_l("Referral pipeline"), "jobmatch.pipeline", (*STAFF, "employer"), order=31)
navigation.register(_l("Job posts"), "jobmatch.posts", (*STAFF, "employer"), order=32)
navigation.register(
    _l("My recommendations"), "jobmatch.my_recommendations", ("graduate",), order=33
)
navigation.register(_l("My referrals"), "jobmatch.my_referrals", ("graduate",), order=34)
navigation.register(_l("Matching weights"), "jobmatch.weights", ("admin",), order=80)
navigation.register(
    _l("Matching fairness"), "jobmatch.fairness_page", ("admin", "counselor"), order=81
)
templating.add_person_section("jobmatch/_person_section.html")
templating.add_home_link(
    "employer", _l("Publish job posts and see matched candidates"), "jobmatch.posts"
)


def _candidate_links(employer_id: int) -> list[dict]:
    """The employer's open posts, each linked to its matched candidates."""
    posts = db.session.scalars(
        select(JobPost)
        .where(JobPost.employer_id == employer_id, JobPost.status == "open")
        .order_by(JobPost.id)
    )
    return [
        {"title": post.title, "url": url_for("jobmatch.post_candidates", post_id=post.id)}
        for post in posts
    ]


offers.offer_employer_post_links(_candidate_links)

POST_STATUS_NAMES = {"draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed")}


@bp.app_context_processor
def _helpers():
    return {"matching_summary": _matching_summary}


def _matching_summary(person: Person) -> dict:
    """The person page's matching section: profile, stored top posts, referral count."""
    run = batch.latest_run()
    stored = batch.stored_results(run, person.id)[:5] if run else []
    ids = [r.post_id for r in stored]
    posts = {p.id: p for p in db.session.scalars(select(JobPost).where(JobPost.id.in_(ids)))}
    count_stmt = referrals.visible(current_user, person_id=person.id).subquery()
    count = db.session.scalar(select(func.count()).select_from(count_stmt))
    return {
        "profile": services.profile_of(person),
        "stored": stored,
        "posts": posts,
        "referrals": count,
    }


@bp.context_processor
def _names():
    return {
        "mode_name": work_mode_name,
        "travel_mode_name": travel_mode_name,
        "travel_mode_options": travel_mode_options,
        "mode_options": work_mode_options(WORK_MODES),
        "status_name": referrals.status_name,
        "function_ids": FUNCTION_IDS,
        "function_label": function_name,
        "accommodation_label": accommodation_name,
        "explain_text": explain_text,
        "reason_text": reason_text,
        "weights_note": weights_note,
        "accommodation_ids": tuple(ACCOMMODATIONS),
        "demand_labels": demand_names(),
        "skill_names": records.skill_names,
        "post_status_name": lambda s: str(POST_STATUS_NAMES.get(s, s)),
        "status_options": [(s, str(POST_STATUS_NAMES[s])) for s in POST_STATUS_NAMES],
        "employer_options": lambda employers: [(e.id, e.name) for e in employers],
    }
