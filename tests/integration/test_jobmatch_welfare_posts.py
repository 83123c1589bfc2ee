"""Public-welfare posts (employment's) appear in matching like any other post, with their rule:
only for persons hard to employ, priority to rural persons and zero-employment households."""

from datetime import date

from core.extensions import db
from tests import factories
from tests.integration.jobmatch_helpers import XIHU, make_post, make_profile

YEAR = date.today().year
POST = {"title": "社区助残协管员", "host": "西湖区文新街道", "funding": "县就业补助资金",
        "county_code": XIHU, "seats": 1, "starts_on": f"{YEAR}-01-01",
        "ends_on": f"{YEAR}-12-31"}  # fmt: skip


def _seeker(**fields):
    person = factories.make_person(county=XIHU, birth=date(1990, 1, 1), **fields)
    make_profile(person)
    return person


def _matches(client, headers, person):
    response = client.get(
        f"/api/v1/seekers/{person.id}/matches", headers=headers, query_string={"k": 20}
    )
    assert response.status_code == 200, response.json
    return response.json["results"]


def test_welfare_posts_are_ranked_with_their_priority_rule(client, api_headers, auth, counselor):
    employer = factories.make_employer(county=XIHU, name="西湖超市")
    job = make_post(employer, title="收银员")
    headers = api_headers(counselor)
    created = client.post("/api/v1/welfare-posts", json=POST, headers=headers)
    assert created.status_code == 201, created.json
    welfare_id = created.json["id"]
    rural = _seeker(name="农村求职者")
    assert (
        client.put(
            f"/api/v1/people/{rural.id}/rural", json={"rural": "yes"}, headers=headers
        ).status_code
        == 200
    )
    employed = _seeker(name="已就业者", employment_type="full_time")

    results = _matches(client, headers, rural)
    kinds = {r["kind"]: r for r in results}
    assert kinds["job_post"]["post_id"] == job.id
    welfare = kinds["welfare_post"]
    assert welfare["post_id"] is None and welfare["welfare_post_id"] == welfare_id
    assert welfare["welfare_priority_group"] == 1 and welfare["employer_name"] == "西湖区文新街道"
    assert welfare["explanation"].startswith(
        "公益性岗位，优先安排农村残疾人和零就业家庭成员；农村残疾人或零就业家庭成员：优先"
    )
    english = _matches(client, headers | {"Accept-Language": "en"}, rural)
    assert "public-welfare post, allocated with priority to rural persons" in next(
        r["explanation"] for r in english if r["kind"] == "welfare_post"
    )
    # Not hard to employ: the welfare post is left out, and says why.
    left = client.get(
        f"/api/v1/seekers/{employed.id}/matches",
        headers=headers,
        query_string={"include_excluded": 1, "k": 20},
    ).json
    assert all(r["kind"] == "job_post" for r in left["results"])
    barred = next(r for r in left["excluded"] if r["kind"] == "welfare_post")
    assert [x["text"] for x in barred["reasons"]] == ["公益性岗位只面向就业困难人员"]

    # The counselor's page shows it, marked, with a link to the post's allocation page.
    auth.login(counselor)
    page = client.get(f"/jobmatch/seekers/{rural.id}").get_data(as_text=True)
    assert "公益性岗位</span>" in page and f"/employment/welfare-posts/{welfare_id}" in page

    # The seat is given: the post leaves every worker's matcher at the next request.
    given = client.post(
        f"/api/v1/welfare-posts/{welfare_id}/assignments",
        json={"person_id": rural.id, "starts_on": POST["starts_on"], "ends_on": POST["ends_on"]},
        headers=headers,
    )
    assert given.status_code == 201, given.json
    other = _seeker(name="另一位求职者")
    assert all(r["kind"] == "job_post" for r in _matches(client, headers, other))
    db.session.rollback()
