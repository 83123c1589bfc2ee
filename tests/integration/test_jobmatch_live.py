"""No cold waits: a worker's fitted tables follow post changes in place (no refit)."""

from sqlalchemy import func, select

from jobmatch.models import MatchPostChange
from jobmatch.services import matching
from tests.integration.jobmatch_helpers import constraint_world


def _ranked(client, headers, person) -> list[int]:
    response = client.get(f"/api/v1/seekers/{person.id}/matches", headers=headers)
    assert response.status_code == 200, response.json
    return [r["post_id"] for r in response.json["results"]]


def test_post_changes_update_the_fitted_tables_in_place(client, api_headers, counselor, db):
    world = constraint_world()
    person, posts, headers = world["person"], world["posts"], api_headers(counselor)
    before = _ranked(client, headers, person)
    live = matching._LIVE["posts"]
    matcher, model = live.matcher, live.matcher.text_model_
    assert posts["good"].id in before and posts["closed"].id not in before
    assert live.version[0] == db.session.scalar(select(func.max(MatchPostChange.id)))

    posts["good"].status = "closed"  # closed: dropped from the ranking
    posts["closed"].status = "open"  # reopened: ranked again
    posts["bridged"].salary_min, posts["bridged"].salary_max = 9000, 9500  # edited
    db.session.commit()
    assert db.session.scalar(select(func.count(MatchPostChange.id))) > len(posts)

    after = _ranked(client, headers, person)
    assert posts["good"].id not in after and posts["closed"].id in after
    assert matching._LIVE["posts"].matcher is matcher  # updated in place, not refitted
    assert matcher.text_model_ is model
    bridged = matcher.posts_[matcher.post_index_[posts["bridged"].id]]
    assert bridged.salary_min == 9000
    assert live.version[0] == db.session.scalar(select(func.max(MatchPostChange.id)))


def test_a_worker_whose_version_is_unknown_rebuilds(client, api_headers, counselor, db):
    world = constraint_world()
    _ranked(client, api_headers(counselor), world["person"])
    live = matching._LIVE["posts"]
    live.version = (live.version[0], None)  # as if the log were restored from elsewhere
    _ranked(client, api_headers(counselor), world["person"])
    assert matching._LIVE["posts"] is not live
