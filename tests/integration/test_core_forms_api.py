"""Form errors, the API's one error shape (never a 500 for bad input), headers and the API docs."""

import re

import pytest
from sqlalchemy import func, select

from core.extensions import db as _db
from core.models import AuditEvent, Employer, Person
from tests import factories


def _counts():
    return tuple(
        _db.session.scalar(select(func.count()).select_from(model))
        for model in (Person, Employer, AuditEvent)
    )


class TestPersonForm:
    def _bad_certificate(self):
        """A certificate whose embedded resident ID has a wrong check character."""
        good = factories.certificate_number("330106", serial=5)
        wrong = "0" if good[17] != "0" else "1"
        return good[:17] + wrong + good[18:]

    def test_a_bad_certificate_gets_the_error_summary_in_chinese(self, client, auth, admin):
        auth.login(admin)
        before = _counts()
        response = client.post(
            "/people/new", data=factories.person_form(certificate_no=self._bad_certificate())
        )
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        summary = page[
            page.index('class="error-summary"') : page.index(
                "</div>", page.index('class="error-summary"')
            )
        ]
        assert "提交的信息有误" in summary
        assert '<a href="#field-certificate_no">残疾人证号：身份证号码校验位不正确。</a>' in summary
        assert 'id="field-certificate_no"' in page
        assert re.search(r'id="field-certificate_no"[^>]*aria-invalid="true"', page)
        assert "周八" in page, "the typed values are kept"
        assert _counts() == before, "nothing is written"

    def test_the_same_error_in_english(self, client, auth, admin):
        auth.login(admin)
        form = factories.person_form(certificate_no=self._bad_certificate())
        response = client.post("/people/new?lang=en", data=form)
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert "There is a problem" in page
        assert (
            '<a href="#field-certificate_no">Disability certificate number：'
            "The check character of the resident ID is wrong.</a>"
        ) in page
        assert _counts() == (0, 0, 0)

    @pytest.mark.parametrize(
        ("changes", "field", "message"),
        [
            (
                {"certificate_no": "3301061998"},
                "certificate_no",
                "残疾人证号应为 20 位，当前为 10 位。",
            ),
            (
                {"certificate_no": factories.certificate_number(category=8)},
                "certificate_no",
                "残疾类别应为 1-7，当前为 8。",
            ),
            (
                {"certificate_no": factories.certificate_number(level=5)},
                "certificate_no",
                "残疾等级应为 1-4，当前为 5。",
            ),
            ({"certificate_no": ""}, "certificate_no", "此项为必填项。"),
            ({"consent": ""}, "consent", "须取得本人同意处理其个人信息。"),
            ({"county_code": "330100"}, "county_code", "请选择浙江省的县级行政区划。"),
            ({"phone": "12345"}, "phone", "请输入 11 位手机号码。"),
            ({"email": "not-an-email"}, "email", "不是有效的电子邮箱地址。"),
            ({"graduation_year": "next year"}, "graduation_year", "不是有效的整数。"),
            ({"education": "kindergarten"}, "education", None),
        ],
    )
    def test_each_field_error_links_to_its_field(
        self, client, auth, admin, changes, field, message
    ):
        auth.login(admin)
        response = client.post("/people/new", data=factories.person_form(**changes))
        assert response.status_code == 422
        page = response.get_data(as_text=True)
        assert f'<a href="#field-{field}">' in page
        assert message is None or message in page
        assert _counts() == (0, 0, 0)

    def test_a_good_form_registers_and_a_second_time_is_refused(self, client, auth, admin):
        auth.login(admin)
        form = factories.person_form()
        assert client.post("/people/new", data=form).status_code == 302
        again = client.post(
            "/people/new", data={**form, "certificate_no": form["certificate_no"][:18] + "11"}
        )
        assert again.status_code == 422
        assert "该人员已登记。" in again.get_data(as_text=True)
        assert _counts()[0] == 1

    def test_a_bad_credit_code_on_the_employer_form(self, client, auth, admin):
        auth.login(admin)
        form = {
            "credit_code": "91110000600037341M",
            "name": "错误代码公司",
            "unit_type": "enterprise",
            "county_code": "330106",
        }
        response = client.post("/employers/new", data=form)
        assert response.status_code == 422
        assert (
            '<a href="#field-credit_code">统一社会信用代码：统一社会信用代码校验位不正确。</a>'
            in response.get_data(as_text=True)
        )
        assert _counts() == (0, 0, 0)


class TestApiErrors:
    @pytest.fixture
    def headers(self, api_headers, admin):
        return api_headers(admin)

    def _post(self, client, headers, body, path="/api/v1/people"):
        response = client.post(
            path, data=body, headers={**headers, "Content-Type": "application/json"}
        )
        assert response.status_code in (400, 422), (response.status_code, response.data[:300])
        assert response.is_json
        errors = response.json["errors"]
        assert isinstance(errors, dict) and errors
        for field, messages in errors.items():
            assert isinstance(field, str)
            assert isinstance(messages, list) and all(isinstance(m, str) for m in messages), errors
        return response.status_code, errors

    def test_bad_json(self, client, headers):
        status, errors = self._post(client, headers, "{not json")
        assert status == 400
        assert errors == {"json": ["JSON 请求正文格式无效。"]}

    def test_missing_fields(self, client, headers):
        status, errors = self._post(client, headers, "{}")
        assert status == 422
        assert set(errors) == {"certificate_no", "name", "county_code", "consent"}
        assert errors["name"] == ["此项为必填项。"]

    def test_wrong_types(self, client, headers):
        body = '{"certificate_no": 5, "name": ["x"], "county_code": {}, "consent": "perhaps", "graduation_year": "2025年", "low_income": 3}'
        status, errors = self._post(client, headers, body)
        assert status == 422
        assert errors["certificate_no"] == ["不是有效的字符串。"]
        assert errors["consent"] == ["不是有效的布尔值。"]
        assert errors["graduation_year"] == ["不是有效的整数。"]
        assert errors["low_income"] == ["不是有效的布尔值。"]

    @pytest.mark.parametrize(
        "body", ["[]", "null", '"text"', "42", "true", '{"certificate_no": null}', "{" * 50]
    )
    def test_never_a_500_for_odd_bodies(self, client, headers, body):
        self._post(client, headers, body)

    def test_identity_messages_through_the_api(self, client, headers):
        body = {
            "certificate_no": factories.certificate_number(level=0),
            "name": "x",
            "county_code": "330106",
            "consent": True,
        }
        response = client.post("/api/v1/people", json=body, headers=headers)
        assert response.status_code == 422
        assert response.json == {"errors": {"certificate_no": ["残疾等级应为 1-4，当前为 0。"]}}

    def test_a_duplicate_answers_409(self, client, headers):
        body = {
            "certificate_no": factories.certificate_number(),
            "name": "钱九",
            "county_code": "330106",
            "consent": True,
        }
        assert client.post("/api/v1/people", json=body, headers=headers).status_code == 201
        again = client.post("/api/v1/people", json=body, headers=headers)
        assert again.status_code == 409
        assert again.json == {"errors": {"certificate_no": ["该人员已登记。"]}}

    def test_bad_query_parameters(self, client, headers):
        for query in ("page=abc", "per_page=0", "per_page=100000", "page=-1"):
            response = client.get(f"/api/v1/people?{query}", headers=headers)
            assert response.status_code == 422, query
            assert set(response.json["errors"]) <= {"page", "per_page"}

    def test_token_request_errors(self, client):
        response = client.post("/api/v1/auth/token", json={"username": "x"})
        assert response.status_code == 422
        assert response.json == {"errors": {"password": ["此项为必填项。"]}}

    def test_unknown_path_and_wrong_method(self, client, headers):
        missing = client.get("/api/v1/nothing-here", headers=headers)
        assert (missing.status_code, missing.json) == (
            404,
            {"errors": {"_request": ["未找到相关内容。"]}},
        )
        wrong = client.delete("/api/v1/people", headers=headers)
        assert wrong.status_code == 405
        assert wrong.json == {"errors": {"_request": ["此处不允许该请求方法。"]}}

    def test_wrong_role_answers_403_in_the_same_shape(self, client, api_headers):
        user = factories.make_user("graduate", person_id=factories.make_person().id)
        response = client.get("/api/v1/people", headers=api_headers(user))
        assert response.status_code == 403
        assert response.json == {"errors": {"_request": ["您没有执行此操作的权限。"]}}


SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
    "X-Frame-Options": "DENY",
}


def _assert_security_headers(response):
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (name, response.request.path)
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "frame-ancestors 'none'" in csp
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp


class TestHeaders:
    def test_on_pages_errors_and_api_answers(self, client, auth, admin):
        responses = [
            client.get("/"),
            client.get("/login"),
            client.get("/no-such-page"),
            client.get("/people"),  # redirect to login
            client.get("/api/v1/me"),  # 401 JSON
            client.get("/api/v1/nothing"),  # 404 JSON
            client.post("/api/v1/people", data="{", headers={"Content-Type": "application/json"}),
            client.get("/api/openapi.json"),
            client.get("/healthz"),
        ]
        assert [r.status_code for r in responses] == [200, 200, 404, 302, 401, 404, 401, 200, 200]
        for response in responses:
            _assert_security_headers(response)
            assert "Strict-Transport-Security" not in response.headers

    def test_the_404_page_is_an_accessible_page(self, client):
        response = client.get("/no-such-page")
        page = response.get_data(as_text=True)
        assert page.count("<h1>") == 1 and "未找到相关内容。" in page
        assert '<html lang="zh-CN">' in page

    def test_html_and_api_answers_are_not_cached(self, client, auth, admin):
        auth.login(admin)
        assert client.get("/people").headers["Cache-Control"] == "no-store"
        assert client.get("/api/v1/me").headers["Cache-Control"] == "no-store"

    def test_hsts_over_https(self, client):
        for path in ("/", "/no-such-page", "/api/v1/me"):
            response = client.get(path, base_url="https://localhost")
            assert response.headers["Strict-Transport-Security"].startswith("max-age=31536000")
            _assert_security_headers(response)

    def test_session_cookie_is_httponly_and_lax(self, client, auth, admin):
        response = auth.login(admin)
        cookie = response.headers["Set-Cookie"]
        assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


class TestApiDocs:
    def test_docs_page_points_to_the_local_spec_and_assets(self, client):
        response = client.get("/api/docs")
        assert response.status_code == 200
        page = response.get_data(as_text=True)
        assert 'data-spec-url="/api/openapi.json"' in page
        scripts = re.findall(r"<script([^>]*)>", page)
        assert scripts and all("src=" in attrs for attrs in scripts), "no inline scripts (CSP)"
        assert "//cdn" not in page and "https://" not in page
        for src in re.findall(r'(?:src|href)="(/[^"]+)"', page):
            assert client.get(src).status_code == 200, src

    def test_spec_lists_the_auth_endpoints(self, client):
        spec = client.get("/api/openapi.json").json
        assert spec["openapi"].startswith("3.")
        assert "post" in spec["paths"]["/api/v1/auth/token"]
        assert "post" in spec["paths"]["/api/v1/auth/revoke"]
        assert spec["paths"]["/api/v1/auth/revoke"]["post"]["security"] == [{"bearerAuth": []}]
        assert spec["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"
        assert {"/api/v1/me", "/api/v1/people", "/api/v1/employers"} <= set(spec["paths"])
