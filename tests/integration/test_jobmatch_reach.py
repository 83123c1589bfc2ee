"""Reachability: on-site posts within the seeker's commute, or the admin-set default of their
disability level and usual travel mode (the level's most conservative one when the mode is not
recorded); no default ships with the code."""

from sqlalchemy import select

from core.models import AuditEvent
from jobmatch.engine.geography import LEVELS, TRAVEL_MODES
from jobmatch.models import MatchSetting, SeekerProfile
from jobmatch.services import matching
from tests import factories
from tests.integration.jobmatch_helpers import JINGNING, XIHU, make_post, make_profile

BINJIANG = "330108"  # same city as Xihu
# An administrator's table for the tests: on foot 5 km, public transport 30 (the city), accessible
# transport 40, own vehicle 300 (other cities too).
KM = {"on_foot": 5, "public_transport": 30, "accessible_transport": 40, "own_vehicle": 300}


def _table(**overrides) -> dict:
    return {
        f"level_{level}_{mode}": overrides.get(f"level_{level}_{mode}", KM[mode])
        for level in LEVELS
        for mode in TRAVEL_MODES
    }


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


def test_no_default_ships_a_seeker_without_a_limit_reaches_every_post(
    client, api_headers, counselor
):
    posts = _world()
    person = factories.make_person(county=XIHU, category=4, level=1, name="一级肢残")
    make_profile(person, travel_mode="public_transport")
    assert matching.commute_table() == {}
    body = _matches(client, api_headers(counselor), person)
    assert {r["post_id"] for r in body["results"]} == set(p.id for p in posts.values())


def test_the_default_of_level_and_travel_mode_applies_and_says_so(
    client, api_headers, counselor, admin
):
    matching.set_commute_table(admin, _table(level_1_public_transport=30))
    posts = _world()
    person = factories.make_person(county=XIHU, category=4, level=1, name="一级肢残")
    make_profile(person, travel_mode="public_transport")
    body = _matches(client, api_headers(counselor), person)
    assert {r["post_id"] for r in body["results"]} == {posts["near"].id, posts["far_home"].id}
    far = next(r for r in body["excluded"] if r["post_id"] == posts["far"].id)
    assert [x["code"] for x in far["reasons"]] == ["location"]
    assert "30公里，1级、出行方式为“公共交通”的默认上限" in far["reasons"][0]["text"]
    near = next(r for r in body["results"] if r["post_id"] == posts["near"].id)
    assert "距离：同市，在通勤上限30公里内（出行方式“公共交通”的默认值）" in near["explanation"]
    # By own vehicle the same level reaches Jingning (300 km in this table).
    db_profile = matching.profile_of(person)
    db_profile.travel_mode = "own_vehicle"
    from core.extensions import db

    db.session.commit()
    body = _matches(client, api_headers(counselor), person)
    assert posts["far"].id in {r["post_id"] for r in body["results"]}


def test_an_unrecorded_travel_mode_takes_the_most_conservative_default(
    client, api_headers, counselor, admin
):
    matching.set_commute_table(admin, _table())
    posts = _world()
    person = factories.make_person(county=XIHU, category=4, level=2, name="未答出行")
    make_profile(person)  # travel_mode not recorded
    headers = api_headers(counselor) | {"Accept-Language": "en"}
    body = _matches(client, headers, person)
    assert {r["post_id"] for r in body["results"]} == {posts["far_home"].id}  # 5 km: own county
    near = next(r for r in body["excluded"] if r["post_id"] == posts["near"].id)
    assert near["reasons"][0]["text"] == (
        "workplace 滨江区 (same city) is beyond the commute limit (5 km, the most conservative "
        "default of level 2 (travel mode not recorded)) and the post is not home-based"
    )


def test_own_limit_wins_and_candidates_come_from_where_they_can_reach(client, auth, admin, db):
    matching.set_commute_table(admin, _table())
    posts = _world()
    near = factories.make_person(county=XIHU, name="西湖求职者")
    make_profile(near, travel_mode="public_transport")
    far = factories.make_person(county=JINGNING, name="景宁求职者")
    make_profile(far, travel_mode="public_transport")
    mover = factories.make_person(county=JINGNING, name="愿意远行")
    make_profile(mover, max_commute_km=500.0, travel_mode="on_foot")
    auth.login(admin)
    page = client.get(f"/jobmatch/posts/{posts['near'].id}/candidates").get_data(as_text=True)
    assert "西湖求职者" in page and "愿意远行" in page and "景宁求职者" not in page


def test_admin_sets_the_default_commute_table(client, auth, admin, counselor, db):
    auth.login(counselor)
    assert client.post("/jobmatch/admin/commute", data=_table()).status_code == 403
    auth.login(admin)
    page = client.get("/jobmatch/admin/weights").get_data(as_text=True)
    assert "尚未设定默认值" in page and 'name="level_1_on_foot"' in page
    bad = _table(level_1_on_foot="2", level_2_own_vehicle="x")
    response = client.post("/jobmatch/admin/commute", data=bad, follow_redirects=True)
    text = response.get_data(as_text=True)
    assert "1级、步行或轮椅：请填写5至500公里之间的通勤上限。" in text
    assert "2级、自有车辆" in text
    assert db.session.get(MatchSetting, "commute_km_by_level_mode") is None
    good = _table(level_3_public_transport="90")
    assert client.post("/jobmatch/admin/commute", data=good).status_code == 302
    row = db.session.get(MatchSetting, "commute_km_by_level_mode")
    assert row.value["source"] == "admin"
    assert row.value["table"]["3"]["public_transport"] == 90.0
    assert row.value["table"]["1"] == {k: float(v) for k, v in KM.items()}
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.table_name == "match_setting"))
    assert event.row_id == "commute_km_by_level_mode"
    page = client.get("/jobmatch/admin/weights").get_data(as_text=True)
    assert 'id="level_3_public_transport"' in page and 'value="90"' in page
    assert "由管理员设定" in page


def test_the_profile_form_asks_the_travel_mode_and_presets_none(client, auth, counselor, db):
    person = factories.make_person(county=counselor.county_code, name="出行方式")
    auth.login(counselor)
    page = client.get(f"/jobmatch/seekers/{person.id}/profile").get_data(as_text=True)
    assert 'name="travel_mode"' in page
    assert '<option value="" selected>' in page  # "Choose…": no answer preset
    data = {"skills_text": "收银", "travel_mode": "accessible_transport", "min_salary": "0"}
    response = client.post(f"/jobmatch/seekers/{person.id}/profile", data=data)
    assert response.status_code == 302
    profile = db.session.scalar(select(SeekerProfile).where(SeekerProfile.person_id == person.id))
    assert profile.travel_mode == "accessible_transport"
    bad = data | {"travel_mode": "teleport"}
    assert client.post(f"/jobmatch/seekers/{person.id}/profile", data=bad).status_code == 422
    page = client.get(f"/jobmatch/seekers/{person.id}").get_data(as_text=True)
    assert "无障碍车辆或出租车" in page


def test_the_batch_run_applies_the_same_reach(admin, db):
    from jobmatch.services import batch

    matching.set_commute_table(admin, _table(level_3_public_transport=30))
    posts = _world()
    bus = factories.make_person(county=XIHU, level=3, name="坐公交")
    make_profile(bus, travel_mode="public_transport")
    car = factories.make_person(county=XIHU, level=3, name="自己开车")
    make_profile(car, travel_mode="own_vehicle")  # 300 km in this table
    bare = factories.make_person(county=XIHU, level=3, name="无档案")  # no profile: conservative
    run = batch.run(k=5)
    stored = {p.id: {r.post_id for r in batch.stored_results(run, p.id)} for p in (bus, car, bare)}
    assert stored[bus.id] == {posts["near"].id, posts["far_home"].id}
    assert stored[car.id] == {p.id for p in posts.values()}
    assert stored[bare.id] == {posts["far_home"].id}  # 5 km on foot: Xihu only
