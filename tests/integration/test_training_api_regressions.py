"""Regressions found by fuzzing the training API (tests/integration/test_api_fuzz.py).

Each answered 500 (mostly on PostgreSQL) or did not match its documented schema.
"""

from decimal import Decimal

import pytest

from tests import factories
from tests.integration.test_training_support import credit_code, make_course
from training import services
from training.models import Course

NUL = "a\x00b"
SURROGATE = "a\ud800b"  # a lone surrogate: valid as a JSON escape, not encodable as UTF-8
INVALID = "请删除文本中的无效字符。"
HUGE = "99999999999999999999"


@pytest.fixture
def headers(api_headers, admin):
    return api_headers(admin)


def test_a_course_cost_is_documented_as_the_string_it_is(client, headers):
    """The cost is answered as an exact decimal string; the schema said "number"."""
    course = make_course(cost=Decimal("1280.50"))
    spec = client.get("/api/openapi.json").json
    cost = spec["components"]["schemas"]["CourseOut"]["properties"]["cost"]
    assert (cost["type"], cost["format"]) == ("string", "decimal")
    assert client.get(f"/api/v1/courses/{course.id}").json["cost"] == "1280.50"
    # The input stays numeric, with its range checked in code (no string minimum/maximum).
    cost_in = spec["components"]["schemas"]["CourseIn"]["properties"]["cost"]
    assert cost_in["type"] == "number" and "minimum" not in cost_in


@pytest.mark.parametrize("text", [NUL, SURROGATE])
def test_text_the_database_cannot_store_is_a_422_on_its_field(client, headers, text):
    """A NUL character (PostgreSQL: "string literal cannot contain NUL") or a lone surrogate
    (cannot be encoded) in a query or body answered 500."""
    course = make_course()
    provider = course.provider
    if text == NUL:  # a query string cannot carry a lone surrogate
        response = client.get("/api/v1/courses", query_string={"q": text})
        assert response.status_code == 422
        assert response.json["errors"]["q"] == [INVALID]
        county = client.get("/api/v1/courses", query_string={"county_code": text})
        assert county.status_code == 422 and "county_code" in county.json["errors"]
    new_provider = {"name": text, "credit_code": credit_code(), "county_code": "330106"}
    response = client.post("/api/v1/providers", json=new_provider, headers=headers)
    assert response.status_code == 422 and response.json["errors"] == {"name": [INVALID]}
    response = client.patch(
        f"/api/v1/providers/{provider.id}", json={"address": text}, headers=headers
    )
    assert response.status_code == 422 and response.json["errors"] == {"address": [INVALID]}
    response = client.patch(f"/api/v1/courses/{course.id}", json={"title": text}, headers=headers)
    assert response.status_code == 422 and response.json["errors"] == {"title": [INVALID]}
    assert client.get("/api/v1/providers").json[0]["address"] == ""
    assert client.get(f"/api/v1/courses/{course.id}").json["title"] == course.title


def test_a_transition_with_a_nul_in_its_details_is_refused(client, headers):
    person = factories.make_person()
    course = make_course()
    enrolment = client.post(
        "/api/v1/enrolments", json={"course_id": course.id, "person_id": person.id}, headers=headers
    ).json
    url = f"/api/v1/enrolments/{enrolment['id']}/transitions"
    response = client.post(url, json={"action": "drop", "reason": NUL}, headers=headers)
    assert response.status_code == 422 and response.json["errors"] == {"reason": [INVALID]}
    assert (
        client.get(f"/api/v1/enrolments/{enrolment['id']}", headers=headers).json["status"]
        == "applied"
    )


def test_web_lists_survive_nul_characters_huge_pages_and_years(client, auth, admin, db):
    """The same inputs on the web pages: NUL in searches, pages and ids beyond the integer
    columns, years outside the calendar all answered 500."""
    course = make_course()
    assert client.get("/training/notice", query_string={"q": NUL}).status_code == 200
    # a city that is not one of the choices is refused by name (core.listing), never a 500
    refused = client.get("/training/notice", query_string={"q": NUL, "county": "\x00"})
    assert refused.status_code == 400
    assert client.get("/training/notice.csv", query_string={"q": NUL}).status_code == 200
    auth.login(admin)
    for url in (
        "/training/admin/courses?q=%00",
        "/training/admin/providers?q=%00",
        "/training/admin?year=99999",
        "/training/admin?year=0",
    ):
        assert client.get(url).status_code == 200, url
    for url in (  # a page or id beyond any that exists is refused by name (core.listing)
        f"/training/admin/courses?q=%00&page={HUGE}",
        f"/training/enrolments?page={HUGE}",
        f"/training/enrolments?course_id={HUGE}",
    ):
        assert client.get(url).status_code == 400, url
    person = factories.make_person()
    enrolment = services.enrol(person, db.session.get(Course, course.id), admin)
    response = client.post(
        f"/training/enrolments/{enrolment.id}/action", data={"action": "drop", "reason": NUL}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert (enrolment.status, enrolment.drop_reason) == ("dropped", "ab")
