"""Reachability: on-site posts within the seeker's commute, or the admin-set default of their level."""

from sqlalchemy import select

from core.models import AuditEvent
from jobmatch.models import MatchSetting
from tests import factories
from tests.integration.jobmatch_helpers import JINGNING, XIHU, make_post, make_profile

BINJIANG = "330108"  # same city as Xihu


def _world():
    near = factories.make_employer(county=BINJIANG, name="滨江超市")
    far = factories.make_employer(county=JINGNING, name="景宁超市")
    return {
        "near": make_post(near, title="滨江收银员"),
        "far": make_post(far, title="景宁收银员"),
        "far_home": make_post(far, title="景宁居家客服", work_mode="home_based"),
    }


def _matches(client, headers, person) -> dict:
    response = client.get(
        f"/api/v1/seekers/{person.id}/matches",
        headers=headers,
        query_string={"include_excluded": 1},
    )
    assert response.status_code == 200, response.json
    return response.json


def test_without_a_limit_of_their_own_a_seeker_reaches_the_default_of_their_level(
    client, api_headers, counselor
):
    posts = _world()
    person = factories.make_person(county=XIHU, category=4, level=1, name="一级肢残")
    make_profile(person)  # no max_commute_km
    body = _matches(client, api_headers(counselor), person)
    ranked = {r["post_id"] for r in body["results"]}
    assert ranked == {posts["near"].id, posts["far_home"].id}
    far = next(r for r in body["excluded"] if r["post_id"] == posts["far"].id)
    assert [x["code"] for x in far["reasons"]] == ["location"]
    assert "默认通勤上限30公里" in far["reasons"][0]["text"]


def test_own_limit_wins_and_candidates_come_from_where_they_can_reach(client, auth, admin, db):
    posts = _world()
    near = factories.make_person(county=XIHU, name="西湖求职者")
    make_profile(near)
    far = factories.make_person(county=JINGNING, name="景宁求职者")
    make_profile(far)
    mover = factories.make_person(county=JINGNING, name="愿意远行")
    make_profile(mover, max_commute_km=500.0)
    auth.login(admin)
    page = client.get(f"/jobmatch/posts/{posts['near'].id}/candidates").get_data(as_text=True)
    assert "西湖求职者" in page and "愿意远行" in page and "景宁求职者" not in page


def test_admin_sets_the_default_commute_limits(client, auth, admin, counselor, db):
    auth.login(counselor)
    assert client.post("/jobmatch/admin/commute", data={"level_1": "100"}).status_code == 403
    auth.login(admin)
    bad = {"level_1": "2", "level_2": "x", "level_3": "80", "level_4": "80"}
    response = client.post("/jobmatch/admin/commute", data=bad, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "1级：请填写 5 至 500 公里之间的通勤上限" in text and "2级" in text
    assert db.session.get(MatchSetting, "commute_km_by_level") is None
    good = {"level_1": "200", "level_2": "60", "level_3": "90", "level_4": "120"}
    assert client.post("/jobmatch/admin/commute", data=good).status_code == 302
    row = db.session.get(MatchSetting, "commute_km_by_level")
    assert row.value == {"1": 200.0, "2": 60.0, "3": 90.0, "4": 120.0}
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.table_name == "match_setting")).row_id
        == "commute_km_by_level"
    )
    page = client.get("/jobmatch/admin/weights").get_data(as_text=True)
    assert 'name="level_1"' in page and 'value="200"' in page
