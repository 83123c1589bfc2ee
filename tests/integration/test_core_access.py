"""Each role sees what it should, on the web and the API; another party's record answers 404."""

import pytest

from tests import factories


@pytest.fixture
def world(app):
    """Two counties (Xihu 330106, Yinzhou 330212), a person and an employer in each."""
    near = factories.make_person(county="330106", name="西湖人")
    far = factories.make_person(county="330212", name="鄞州人")
    near_employer = factories.make_employer(county="330106", name="西湖测试有限公司")
    far_employer = factories.make_employer(county="330212", name="鄞州测试有限公司")
    return {
        "near": near.id,
        "far": far.id,
        "near_employer": near_employer.id,
        "far_employer": far_employer.id,
    }


def _main(response) -> str:
    page = response.get_data(as_text=True)
    return page[page.index("<main") : page.index("</main>")]


def _page(client, path):
    response = client.get(path)
    return response.status_code, response.get_data(as_text=True)


def test_admin_sees_everything(client, auth, api_headers, admin, world):
    auth.login(admin)
    for path in ("/people", "/employers", "/admin/audit", "/people/new", "/employers/new"):
        assert client.get(path).status_code == 200, path
    for key in ("near", "far"):
        assert client.get(f"/people/{world[key]}").status_code == 200
    for key in ("near_employer", "far_employer"):
        assert client.get(f"/employers/{world[key]}").status_code == 200
    status, page = _page(client, "/people")
    assert "西湖人" in page and "鄞州人" in page
    headers = api_headers(admin)
    names = {p["name"] for p in client.get("/api/v1/people", headers=headers).json}
    assert names == {"西湖人", "鄞州人"}
    assert len(client.get("/api/v1/employers", headers=headers).json) == 2


def test_counselor_sees_only_their_county(client, auth, api_headers, counselor, world):
    auth.login(counselor)
    status, page = _page(client, "/people")
    assert status == 200
    assert "西湖人" in page and "鄞州人" not in page
    status, page = _page(client, "/employers")
    assert "西湖测试有限公司" in page and "鄞州测试有限公司" not in page
    assert client.get(f"/people/{world['near']}").status_code == 200
    assert client.get(f"/employers/{world['near_employer']}").status_code == 200
    status, page = _page(client, f"/people/{world['far']}")
    assert status == 404 and "鄞州人" not in page
    assert client.get(f"/people/{world['far']}/edit").status_code == 404
    assert client.post(f"/people/{world['far']}/reveal").status_code == 404
    assert client.get(f"/employers/{world['far_employer']}").status_code == 404
    assert client.get("/admin/audit").status_code == 403
    assert client.get("/employers/new").status_code == 403

    headers = api_headers(counselor)
    assert [p["name"] for p in client.get("/api/v1/people", headers=headers).json] == ["西湖人"]
    assert client.get(f"/api/v1/people/{world['far']}", headers=headers).status_code == 404
    assert (
        client.get(f"/api/v1/employers/{world['far_employer']}", headers=headers).status_code == 404
    )
    response = client.patch(
        f"/api/v1/people/{world['far']}", json={"name": "改名"}, headers=headers
    )
    assert response.status_code == 404


def test_a_missing_and_a_forbidden_record_look_the_same(
    client, auth, api_headers, counselor, world
):
    auth.login(counselor)
    missing = client.get("/people/999999")
    forbidden = client.get(f"/people/{world['far']}")
    assert missing.status_code == forbidden.status_code == 404
    assert _main(missing) == _main(forbidden)
    headers = api_headers(counselor)
    assert (
        client.get("/api/v1/people/999999", headers=headers).json
        == client.get(f"/api/v1/people/{world['far']}", headers=headers).json
    )


def test_counselor_cannot_register_people_of_another_county(client, auth, api_headers, counselor):
    auth.login(counselor)
    form = factories.person_form("330212", name="外县人")
    response = client.post("/people/new", data=form)
    assert response.status_code == 422
    assert "您只能登记本县（市、区）的人员。" in response.get_data(as_text=True)
    body = {**form, "consent": True, "certificate_no": factories.certificate_number("330212")}
    response = client.post("/api/v1/people", json=body, headers=api_headers(counselor))
    assert response.status_code == 403


def test_employer_sees_only_its_own_record(client, auth, api_headers, world):
    user = factories.make_user("employer", employer_id=world["near_employer"])
    auth.login(user)
    status, page = _page(client, f"/employers/{world['near_employer']}")
    assert status == 200 and "西湖测试有限公司" in page
    status, page = _page(client, f"/employers/{world['far_employer']}")
    assert status == 404 and "鄞州测试有限公司" not in page
    for path in ("/people", "/employers", f"/people/{world['near']}", "/admin/audit"):
        assert client.get(path).status_code == 403, path

    headers = api_headers(user)
    own = client.get(f"/api/v1/employers/{world['near_employer']}", headers=headers)
    assert own.status_code == 200 and own.json["name"] == "西湖测试有限公司"
    other = client.get(f"/api/v1/employers/{world['far_employer']}", headers=headers)
    assert other.status_code == 404
    assert "鄞州" not in other.get_data(as_text=True)
    assert [e["id"] for e in client.get("/api/v1/employers", headers=headers).json] == [
        world["near_employer"]
    ]
    assert client.get(f"/api/v1/people/{world['near']}", headers=headers).status_code == 404
    assert client.get("/api/v1/people", headers=headers).status_code == 403


def test_graduate_sees_only_their_own_person_record(client, auth, api_headers, world):
    user = factories.make_user("graduate", person_id=world["near"])
    auth.login(user)
    status, page = _page(client, f"/people/{world['near']}")
    assert status == 200 and "西湖人" in page
    assert "330106********" in page
    other = factories.make_person(county="330106", name="同县他人")
    assert client.get(f"/people/{other.id}").status_code == 404
    assert client.get(f"/people/{world['far']}").status_code == 404
    assert client.post(f"/people/{world['near']}/reveal").status_code == 403
    for path in ("/people", "/employers", f"/employers/{world['near_employer']}"):
        assert client.get(path).status_code == 403, path

    headers = api_headers(user)
    assert client.get(f"/api/v1/people/{world['near']}", headers=headers).json["name"] == "西湖人"
    assert client.get(f"/api/v1/people/{other.id}", headers=headers).status_code == 404
    assert (
        client.get(f"/api/v1/employers/{world['near_employer']}", headers=headers).status_code
        == 404
    )
    assert (
        client.patch(
            f"/api/v1/people/{world['near']}", json={"name": "x"}, headers=headers
        ).status_code
        == 403
    )


def test_anonymous_visitors_reach_only_public_pages(client, world):
    for path in ("/", "/login", "/healthz", "/api/docs", "/api/openapi.json", "/api/v1/divisions"):
        assert client.get(path).status_code == 200, path
    assert client.get(f"/people/{world['near']}").status_code == 302
    assert client.get(f"/api/v1/people/{world['near']}").status_code == 401
    assert client.get("/api/v1/employers").status_code == 401


def test_public_division_list_has_all_of_zhejiang(client):
    divisions = client.get("/api/v1/divisions").json
    assert len([d for d in divisions if d["level"] == "city"]) == 11
    assert len([d for d in divisions if d["level"] == "county"]) == 90
    assert {
        "code": "330113",
        "name": "临平区",
        "level": "county",
        "parent_code": "330100",
    } in divisions
