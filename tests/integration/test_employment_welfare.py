"""Public-welfare posts through the API and the pages: priority, seats, terms, the county limit,
the indicator, and the functions job matching may call."""

from datetime import date

from core.extensions import db
from core.models import Person
from employment import services, welfare
from tests import factories

YEAR = date.today().year
TERM = {"starts_on": f"{YEAR}-01-01", "ends_on": f"{YEAR}-12-31"}
POST = {"title": "社区助残协管员", "host": "西湖区文新街道", "funding": "县就业补助资金",
        "county_code": "330106", "seats": 1, **TERM}  # fmt: skip


def _seeker(**fields):
    return factories.make_person(birth=date(1990, 1, 1), **fields)


def test_priority_seats_and_terms(client, api_headers, counselor, other_counselor):
    plain = _seeker(name="普通求职者")
    zero = _seeker(name="零就业家庭成员", household_id="HH-Z")
    rural = _seeker(name="农村残疾人")
    headers = api_headers(counselor)
    post = client.post("/api/v1/welfare-posts", json={**POST, "seats": 2}, headers=headers)
    assert post.status_code == 201, post.json
    url = f"/api/v1/welfare-posts/{post.json['id']}"
    assert (
        client.put(
            f"/api/v1/people/{rural.id}/rural", json={"rural": "yes"}, headers=headers
        ).status_code
        == 200
    )
    ranked = client.get(f"{url}/candidates", headers=headers).json
    assert [(c["person_id"], c["priority_group"]) for c in ranked] == [
        (zero.id, 1), (rural.id, 1), (plain.id, 2),
    ]  # fmt: skip
    passed_over = client.post(
        f"{url}/assignments", json={"person_id": plain.id, **TERM}, headers=headers
    )
    assert passed_over.status_code == 422 and "reason" in passed_over.json["errors"]
    given = client.post(f"{url}/assignments", json={"person_id": zero.id, **TERM}, headers=headers)
    assert given.status_code == 201 and given.json["priority_group"] == 1
    assert db.session.get(Person, zero.id).employment_type == "full_time"  # a recorded hire
    twice = client.post(f"{url}/assignments", json={"person_id": zero.id, **TERM}, headers=headers)
    assert twice.status_code == 422  # holds a post already: no longer a candidate
    with_reason = client.post(
        f"{url}/assignments",
        json={"person_id": plain.id, **TERM, "reason": "农村候选人已另行就业，待核实"},
        headers=headers,
    )
    assert with_reason.status_code == 201
    full = client.post(f"{url}/assignments", json={"person_id": rural.id, **TERM}, headers=headers)
    assert full.status_code == 409 and "post_id" in full.json["errors"]
    outside = client.post(
        "/api/v1/welfare-posts", json={**POST, "county_code": "330212"}, headers=headers
    )
    assert outside.status_code == 403
    far = api_headers(other_counselor)
    assert client.get(f"{url}/candidates", headers=far).status_code == 404
    end_url = f"/api/v1/welfare-assignments/{given.json['id']}/end"
    ended = client.post(end_url, json={"ended_on": f"{YEAR}-01-31"}, headers=headers)
    assert ended.status_code == 200 and ended.json["status"] == "ended"
    assert db.session.get(Person, zero.id).employment_type == "unemployed"
    again = client.post(end_url, json={"ended_on": f"{YEAR}-01-31"}, headers=headers)
    assert again.status_code == 409
    holders = {i.code: i for i in services.indicator_report(YEAR, "330106").indicators}
    assert holders["welfare_post_holders"].value == 2  # both held a seat this year
    assert welfare.open_posts("330106") == [
        {"id": post.json["id"], "title": "社区助残协管员", "host": "西湖区文新街道",
         "county_code": "330106", "seats_left": 1, "ends_on": date(YEAR, 12, 31),
         "endpoint": "employment.welfare_post_detail",
         "args": {"welfare_post_id": post.json["id"]}}
    ]  # fmt: skip
    assert welfare.candidate_ids("330106")[:2] == [zero.id, rural.id]


def test_a_term_outside_the_posts_is_refused(client, api_headers, counselor):
    person = _seeker()
    headers = api_headers(counselor)
    post = client.post("/api/v1/welfare-posts", json=POST, headers=headers).json
    late = client.post(
        f"/api/v1/welfare-posts/{post['id']}/assignments",
        json={"person_id": person.id, "starts_on": f"{YEAR}-06-01", "ends_on": f"{YEAR + 1}-06-01"},
        headers=headers,
    )
    assert late.status_code == 422 and "ends_on" in late.json["errors"]
    backwards = client.post(
        "/api/v1/welfare-posts",
        json={**POST, "starts_on": f"{YEAR}-12-01", "ends_on": f"{YEAR}-01-01"},
        headers=headers,
    )
    assert backwards.status_code == 422 and "ends_on" in backwards.json["errors"]


def test_the_pages(client, auth, counselor):
    person = _seeker(name="页面求职者")
    auth.login(counselor)
    page = client.get("/employment/welfare-posts")
    assert page.status_code == 200 and page.get_data(as_text=True).count("<h1>") == 1
    assert client.post("/employment/welfare-posts", data={"title": "x"}).status_code == 422
    created = client.post("/employment/welfare-posts", data=POST)
    assert created.status_code == 302
    detail = created.headers["Location"]
    html = client.get(detail + "?lang=zh").get_data(as_text=True)
    assert "页面求职者" in html and "其他就业困难残疾人" in html
    rural = client.post(
        f"/employment/people/{person.id}/rural",
        data={"rural": "yes", "post_id": detail.split("/")[-1]},
    )
    assert rural.status_code == 302
    html = client.get(detail + "?lang=zh").get_data(as_text=True)
    assert "农村残疾人或零就业家庭成员" in html
    given = client.post(detail + "/assign", data={"person_id": str(person.id), **TERM})
    assert given.status_code == 302
    html = client.get(detail + "?lang=zh").get_data(as_text=True)
    assert (
        "1 / 1" in html
        and "页面求职者" in html.split('id="occupants-title"')[1].split('id="candidates-title"')[0]
    )
