"""The matching API: hard constraints with reasons, factors, posts, referrals and access rules."""

import pytest
from sqlalchemy import func, select

from core.models import AuditEvent
from jobmatch.engine.factors import FACTORS
from tests import factories
from tests.integration.jobmatch_helpers import (
    XIHU,
    constraint_world,
    make_post,
    make_profile,
    make_referral,
)


@pytest.fixture
def world(app):
    return constraint_world()


def _matches(client, headers, person, **query):
    response = client.get(
        f"/api/v1/seekers/{person.id}/matches", headers=headers, query_string=query
    )
    assert response.status_code == 200, response.json
    return response.json


def test_every_hard_constraint_shows_with_its_reason(client, api_headers, counselor, world):
    body = _matches(client, api_headers(counselor), world["person"], k=10, include_excluded=1)
    posts = world["posts"]
    ranked = {r["post_id"] for r in body["results"]}
    assert ranked == {posts["good"].id, posts["bridged"].id, posts["far_home"].id}
    reasons = {r["post_id"]: [x["code"] for x in r["reasons"]] for r in body["excluded"]}
    assert reasons[posts["closed"].id] == ["closed"]
    assert reasons[posts["full"].id] == ["full"]
    assert reasons[posts["barrier"].id] == ["function"]
    assert reasons[posts["far"].id] == ["location"]
    texts = {r["post_id"]: r["reasons"][0]["text"] for r in body["excluded"]}
    assert "听觉" in texts[posts["barrier"].id] and "手语支持" in texts[posts["barrier"].id]
    assert all(r["excluded"] for r in body["excluded"])


def test_without_include_excluded_only_feasible_posts(client, api_headers, counselor, world):
    body = _matches(client, api_headers(counselor), world["person"])
    assert body["excluded"] == [] and len(body["results"]) == 3
    assert [r["rank"] for r in body["results"]] == [1, 2, 3]


def test_reasons_and_explanations_in_english(client, api_headers, counselor, world):
    headers = api_headers(counselor) | {"Accept-Language": "en"}
    body = _matches(client, headers, world["person"], include_excluded=1)
    barrier = next(r for r in body["excluded"] if r["reasons"][0]["code"] == "function")
    assert barrier["reasons"][0]["text"] == (
        "Hearing: the post needs constant, the seeker can meet up to none needed; "
        "the employer offers no sign-language support"
    )
    assert body["results"][0]["explanation"].startswith("skills")
    assert body["results"][0]["factors"][0]["label"] == "Skills"


def test_each_factor_is_present_with_its_contribution(client, api_headers, counselor, world):
    body = _matches(client, api_headers(counselor), world["person"])
    for result in body["results"]:
        assert [f["factor"] for f in result["factors"]] == list(FACTORS)
        total = sum(f["contribution"] for f in result["factors"])
        assert total == pytest.approx(result["total"], abs=0.01)
        for f in result["factors"]:
            assert f["contribution"] == pytest.approx(f["weight"] * f["value"], abs=0.001)
    good = next(r for r in body["results"] if r["post_id"] == world["posts"]["good"].id)
    factors = {f["factor"]: f for f in good["factors"]}
    assert factors["skills"]["value"] > 0.5 and factors["distance"]["value"] == 1.0
    assert factors["salary"]["value"] == 1.0 and factors["education"]["value"] == 1.0


def test_employer_shortfall_from_the_quota_assessment(client, api_headers, counselor, world, db):
    quota = pytest.importorskip("quota.models")
    near = world["near"]
    filing = quota.QuotaFiling(employer_id=near.id, data_year=2025)
    db.session.add(filing)
    db.session.flush()
    figures = dict.fromkeys(
        ("headcount", "required", "arranged", "arranged_ratio", "wage_base", "capped_wage_base"),
        0,
    )
    db.session.add(
        quota.QuotaAssessment(
            filing_id=filing.id,
            employer_id=near.id,
            data_year=2025,
            filing_version=1,
            rule_set_id="zj",
            unit_type="enterprise",
            shortfall=2,
            capped=False,
            exempt=False,
            factor=1,
            levy=0,
            excess=0,
            reward_eligible=False,
            explanation=[],
            **figures,
        )
    )
    db.session.commit()
    body = _matches(client, api_headers(counselor), world["person"])
    need = {
        r["post_id"]: next(f for f in r["factors"] if f["factor"] == "employer_need")["value"]
        for r in body["results"]
    }
    assert need[world["posts"]["good"].id] == pytest.approx(1 - 2.718281828**-2, abs=0.01)
    assert need[world["posts"]["far_home"].id] == 0.0


POST = {
    "title": "仓库管理员",
    "skills_text": "仓管, 叉车操作, Exel",
    "functions": {"lifting": 2, "walking": 1},
    "accommodations": ["lifting_aid"],
    "work_mode": "full_time",
    "salary_min": 4000,
    "salary_max": 6000,
    "positions": 3,
}


def test_employer_creates_a_post_with_mapped_skills(client, api_headers, db):
    employer = factories.make_employer(county=XIHU)
    user = factories.make_user("employer", employer_id=employer.id)
    response = client.post("/api/v1/posts", json=POST, headers=api_headers(user))
    assert response.status_code == 201, response.json
    body = response.json
    assert body["employer_id"] == employer.id and body["county_code"] == XIHU
    assert {"warehouse_management", "forklift", "excel"} <= set(body["skills"])
    assert body["functions"] == {"lifting": 2, "walking": 1}
    assert db.session.scalar(
        select(func.count()).where(
            AuditEvent.table_name == "job_post", AuditEvent.action == "create"
        )
    )


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"excluded_categories": [2]}, "categories"),
        ({"functions": {"听力残疾": 3}}, "functions"),
        ({"description": "本岗位不招聋人"}, "description"),
        ({"description": "Deaf applicants need not apply"}, "description"),
    ],
)
def test_a_post_excluding_by_category_is_refused(client, api_headers, change, field):
    employer = factories.make_employer(county=XIHU)
    user = factories.make_user("employer", employer_id=employer.id)
    headers = api_headers(user)
    response = client.post("/api/v1/posts", json=POST | change, headers=headers)
    assert response.status_code == 422
    assert "岗位要求不得以残疾类别作为条件" in response.json["errors"][field][0]
    english = client.post(
        "/api/v1/posts", json=POST | change, headers=headers | {"Accept-Language": "en"}
    )
    assert "may not name disability categories" in english.json["errors"][field][0]


def test_counselor_posts_only_for_county_employers(client, api_headers, counselor):
    far = factories.make_employer(county="330212")
    near = factories.make_employer(county=XIHU)
    headers = api_headers(counselor)
    refused = client.post("/api/v1/posts", json=POST | {"employer_id": far.id}, headers=headers)
    assert refused.status_code == 422 and "employer_id" in refused.json["errors"]
    ok = client.post("/api/v1/posts", json=POST | {"employer_id": near.id}, headers=headers)
    assert ok.status_code == 201


def test_post_visibility(client, api_headers, world):
    a = factories.make_user("employer", employer_id=world["near"].id)
    b = factories.make_user("employer", employer_id=world["far"].id)
    post = world["posts"]["good"]
    assert client.get(f"/api/v1/posts/{post.id}", headers=api_headers(a)).status_code == 200
    assert client.get(f"/api/v1/posts/{post.id}", headers=api_headers(b)).status_code == 404
    patch = client.patch(f"/api/v1/posts/{post.id}", json={"title": "偷改"}, headers=api_headers(b))
    assert patch.status_code == 404
    own = client.get("/api/v1/posts", headers=api_headers(b)).json
    assert {p["employer_id"] for p in own} == {world["far"].id}
    graduate = factories.make_user("graduate", person_id=world["person"].id)
    seen = client.get("/api/v1/posts", headers=api_headers(graduate)).json
    assert world["posts"]["closed"].id not in {p["id"] for p in seen}


def test_employer_sees_anonymous_candidates_until_consent(client, api_headers, db):
    employer = factories.make_employer(county=XIHU)
    user = factories.make_user("employer", employer_id=employer.id)
    post = make_post(employer)
    people = [
        factories.make_person(county=XIHU, name=n, phone="13800001111") for n in ("李四", "王五")
    ]
    for person in people:
        make_profile(person)
    url = f"/api/v1/posts/{post.id}/candidates?k=10"
    body = client.get(url, headers=api_headers(user))
    assert body.status_code == 200
    text = body.get_data(as_text=True)
    assert len(body.json) == 2 and all(c["anonymous"] for c in body.json)
    assert all(c["name"] is None and c["person_id"] is None for c in body.json)
    for person in people:
        assert person.name not in text and person.cert_masked not in text
        assert person.id_masked not in text and "1380" not in text
    assert body.json[0]["skills"] and body.json[0]["county_name"] and body.json[0]["factors"]
    make_referral(people[0], post, seeker_consented=True)
    named = client.get(url, headers=api_headers(user)).json
    shown = {c["name"] for c in named if not c["anonymous"]}
    assert shown == {"李四"}


def test_counselor_sees_candidate_names(client, api_headers, counselor):
    employer = factories.make_employer(county=XIHU)
    post = make_post(employer)
    make_profile(factories.make_person(county=XIHU, name="赵六"))
    body = client.get(f"/api/v1/posts/{post.id}/candidates", headers=api_headers(counselor)).json
    assert body[0]["name"] == "赵六" and not body[0]["anonymous"]


def test_referral_api_flow_and_access(client, api_headers, counselor, other_counselor, db, world):
    headers = api_headers(counselor)
    person, post = world["person"], world["posts"]["good"]
    created = client.post(
        "/api/v1/referrals",
        json={"person_id": person.id, "post_id": post.id, "reason": "技能匹配"},
        headers=headers,
    )
    assert created.status_code == 201, created.json
    rid = created.json["id"]
    again = client.post(
        "/api/v1/referrals", json={"person_id": person.id, "post_id": post.id}, headers=headers
    )
    assert again.status_code == 409
    closed = client.post(
        "/api/v1/referrals",
        json={"person_id": person.id, "post_id": world["posts"]["closed"].id},
        headers=headers,
    )
    assert closed.status_code == 409
    no_reason = client.post(
        f"/api/v1/referrals/{rid}/outcome", json={"status": "not_hired"}, headers=headers
    )
    assert no_reason.status_code == 422 and "reason" in no_reason.json["errors"]
    hired = client.post(
        f"/api/v1/referrals/{rid}/outcome", json={"status": "hired"}, headers=headers
    )
    assert hired.status_code == 200 and hired.json["status"] == "hired"
    assert (
        client.get(f"/api/v1/referrals/{rid}", headers=api_headers(other_counselor)).status_code
        == 404
    )
    employer_a = factories.make_user("employer", employer_id=world["near"].id)
    employer_b = factories.make_user("employer", employer_id=world["far"].id)
    seen = client.get(f"/api/v1/referrals/{rid}", headers=api_headers(employer_a)).json
    assert seen["person_name"] is None and seen["person_id"] is None
    assert (
        client.get(f"/api/v1/referrals/{rid}", headers=api_headers(employer_b)).status_code == 404
    )
    assert client.get("/api/v1/referrals", headers=api_headers(employer_b)).json == []


def test_graduate_sees_only_their_own(client, api_headers, world):
    mine = world["person"]
    other = factories.make_person(county=XIHU, name="别人")
    make_profile(other)
    graduate = factories.make_user("graduate", person_id=mine.id)
    headers = api_headers(graduate)
    own_ref = make_referral(mine, world["posts"]["good"])
    other_ref = make_referral(other, world["posts"]["good"])
    assert client.get(f"/api/v1/seekers/{mine.id}/matches", headers=headers).status_code == 200
    assert client.get(f"/api/v1/seekers/{other.id}/matches", headers=headers).status_code == 404
    assert client.get(f"/api/v1/seekers/{other.id}", headers=headers).status_code == 404
    listed = client.get("/api/v1/referrals", headers=headers).json
    assert [r["id"] for r in listed] == [own_ref.id]
    assert client.get(f"/api/v1/referrals/{other_ref.id}", headers=headers).status_code == 404
    assert (
        client.post(f"/api/v1/referrals/{other_ref.id}/consent", headers=headers).status_code == 404
    )
    consent = client.post(f"/api/v1/referrals/{own_ref.id}/consent", headers=headers)
    assert consent.status_code == 200 and consent.json["seeker_consented"] is True


def test_profile_adjustment_is_audited(client, api_headers, counselor, db, world):
    person = world["person"]
    body = {"skills_text": "收银员, 理货", "functions": {"hearing": 1}, "max_commute_km": 80}
    response = client.put(f"/api/v1/seekers/{person.id}", json=body, headers=api_headers(counselor))
    assert response.status_code == 200, response.json
    assert response.json["functions"]["hearing"] == 1 and response.json["adjustments"] == {
        "hearing": 1
    }
    assert {"cashier", "shelf_stocking"} <= set(response.json["skills"])
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "adjust_functions"))
    assert event.new["functions"] == {"hearing": 1} and event.actor_name == counselor.username
    bad = client.put(
        f"/api/v1/seekers/{person.id}",
        json={"functions": {"hearing": 7}},
        headers=api_headers(counselor),
    )
    assert bad.status_code == 422
