"""Matching tasks on the home pages: new interests, referrals awaiting an outcome, candidates
sent to an employer, a graduate's recommendations and referrals (registered into core.templating,
imported by web/__init__.py). Each count is the length of the list its link opens."""

from flask_babel import lazy_gettext as _l

from core.templating import add_home_task, count_rows
from jobmatch.services.referrals import FINAL, visible


def _at(status: str):
    return lambda user: count_rows(visible(user, status))


def open_referrals(user) -> int | None:
    if not user.person_id:
        return None
    stmt = visible(user, person_id=user.person_id)
    from jobmatch.models import Referral

    return count_rows(stmt.where(Referral.status.not_in(FINAL)))


STAFF = ("admin", "counselor")
add_home_task(
    "counselor",
    _l("New interests to act on"),
    "jobmatch.pipeline",
    _at("proposed"),
    order=20,
    status="proposed",
)
add_home_task(
    "counselor",
    _l("Referred, awaiting an outcome"),
    "jobmatch.pipeline",
    _at("referred"),
    order=21,
    status="referred",
)
add_home_task(
    "counselor",
    _l("Interviewed, awaiting an outcome"),
    "jobmatch.pipeline",
    _at("interviewed"),
    order=22,
    status="interviewed",
)
add_home_task(
    "employer",
    _l("Candidates referred to you"),
    "jobmatch.pipeline",
    _at("referred"),
    order=20,
    status="referred",
)
add_home_task(
    "employer",
    _l("Candidates interviewed, awaiting your decision"),
    "jobmatch.pipeline",
    _at("interviewed"),
    order=21,
    status="interviewed",
)
add_home_task("employer", _l("Your job posts"), "jobmatch.posts", None, order=22, kind="info")
add_home_task(
    "graduate",
    _l("Jobs recommended for you"),
    "jobmatch.my_recommendations",
    None,
    order=20,
    kind="info",
)
add_home_task(
    "graduate",
    _l("Your referrals in progress"),
    "jobmatch.my_referrals",
    open_referrals,
    order=21,
    kind="info",
)
