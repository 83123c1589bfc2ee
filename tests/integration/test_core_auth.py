"""Login, logout, CSRF, the login rate limit, session invalidation and API bearer tokens."""

import re

import pytest

from core import services
from core.extensions import db as _db
from core.models import User
from tests import conftest, factories
from tests.support import isolated_client


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, "no CSRF token in the page"
    return match.group(1)


def _is_logged_in(client) -> bool:
    response = client.get("/account")
    if response.status_code == 302:
        assert "/login" in response.headers["Location"]
        return False
    assert response.status_code == 200
    return True


def _login_as(client, username):
    response = client.post("/login", data={"username": username, "password": factories.PASSWORD})
    assert response.status_code == 302


_CSRF_APPS: dict = {}


def _csrf_app(backend):
    """One CSRF-enabled app per backend (building an app compiles catalogues and so on)."""
    if backend not in _CSRF_APPS:
        from core import create_app

        _CSRF_APPS[backend] = create_app(conftest.test_config(backend, WTF_CSRF_ENABLED=True))
    return _CSRF_APPS[backend]


class TestLogin:
    def test_login_then_logout(self, client, auth, admin):
        assert not _is_logged_in(client)
        auth.login(admin)
        page = client.get("/account").get_data(as_text=True)
        assert "admin_t" in page
        response = auth.logout()
        assert response.status_code == 302
        assert not _is_logged_in(client)

    def test_login_redirects_to_a_local_next_only(self, client, admin):
        form = {"username": "admin_t", "password": factories.PASSWORD}
        local = client.post("/login?next=/people", data=form)
        assert local.headers["Location"].endswith("/people")
        client.post("/logout")
        external = client.post("/login?next=//evil.example/x", data=form)
        assert "evil.example" not in external.headers["Location"]

    @pytest.mark.parametrize(
        ("username", "password"),
        [("admin_t", "wrong-password"), ("nobody", factories.PASSWORD), ("", "")],
    )
    def test_wrong_credentials_are_refused_with_one_message(
        self, client, admin, username, password
    ):
        response = client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 401
        page = response.get_data(as_text=True)
        assert "用户名或密码不正确。" in page
        assert 'href="#field-username"' in page
        assert not _is_logged_in(client)

    def test_login_page_is_public_and_every_protected_page_sends_there(self, client):
        assert client.get("/login").status_code == 200
        for path in ("/account", "/people", "/employers", "/admin/audit", "/people/new"):
            response = client.get(path)
            assert response.status_code == 302, path
            assert "/login" in response.headers["Location"]


class TestCsrf:
    @pytest.fixture
    def csrf_client(self, app, backend):
        """An app with CSRF on, over the same database as `app`."""
        return isolated_client(_csrf_app(backend))

    def test_post_without_token_is_refused(self, csrf_client, admin):
        form = {"username": "admin_t", "password": factories.PASSWORD}
        response = csrf_client.post("/login", data=form)
        assert response.status_code == 400
        assert "表单已过期" in response.get_data(as_text=True)
        assert not _is_logged_in(csrf_client)

    def test_post_with_a_forged_token_is_refused(self, csrf_client, admin):
        csrf_client.get("/login")
        form = {"username": "admin_t", "password": factories.PASSWORD, "csrf_token": "forged"}
        assert csrf_client.post("/login", data=form).status_code == 400

    def test_post_with_the_token_from_the_page_works(self, csrf_client, admin):
        token = _csrf_token(csrf_client.get("/login").get_data(as_text=True))
        form = {"username": "admin_t", "password": factories.PASSWORD, "csrf_token": token}
        assert csrf_client.post("/login", data=form).status_code == 302
        assert _is_logged_in(csrf_client)

    def test_logout_needs_the_token_too(self, csrf_client, admin):
        token = _csrf_token(csrf_client.get("/login").get_data(as_text=True))
        form = {"username": "admin_t", "password": factories.PASSWORD, "csrf_token": token}
        csrf_client.post("/login", data=form)
        assert csrf_client.post("/logout").status_code == 400
        assert _is_logged_in(csrf_client)
        page_token = _csrf_token(csrf_client.get("/account").get_data(as_text=True))
        assert csrf_client.post("/logout", data={"csrf_token": page_token}).status_code == 302
        assert not _is_logged_in(csrf_client)

    def test_the_api_uses_bearer_tokens_not_csrf(self, csrf_client, admin):
        credentials = {"username": "admin_t", "password": factories.PASSWORD}
        assert csrf_client.post("/api/v1/auth/token", json=credentials).status_code == 200


class TestRateLimit:
    def test_sixth_web_login_within_a_minute_is_refused(self, client, admin):
        for _ in range(5):
            response = client.post("/login", data={"username": "admin_t", "password": "nope"})
            assert response.status_code == 401
        form = {"username": "admin_t", "password": factories.PASSWORD}
        response = client.post("/login", data=form)
        assert response.status_code == 429
        assert "尝试次数过多" in response.get_data(as_text=True)
        assert not _is_logged_in(client)

    def test_viewing_the_login_page_is_not_limited(self, client):
        for _ in range(8):
            assert client.get("/login").status_code == 200

    def test_sixth_token_request_within_a_minute_is_refused(self, client, admin):
        for _ in range(5):
            response = client.post(
                "/api/v1/auth/token", json={"username": "admin_t", "password": "nope"}
            )
            assert response.status_code == 401
        response = client.post(
            "/api/v1/auth/token", json={"username": "admin_t", "password": factories.PASSWORD}
        )
        assert response.status_code == 429
        assert list(response.json["errors"]) == ["_request"]
        assert "Retry-After" in response.headers


class TestSessionInvalidation:
    def test_a_cookie_replayed_after_logout_is_refused(self, app, client, auth, admin):
        auth.login(admin)
        stolen = client.get_cookie("session").value
        auth.logout()
        client.set_cookie("session", stolen)
        assert not _is_logged_in(client)
        thief = isolated_client(app)
        thief.set_cookie("session", stolen)
        assert not _is_logged_in(thief)

    def test_logout_ends_the_other_sessions_of_the_user(self, app, client, auth, admin):
        other = isolated_client(app)
        _login_as(other, "admin_t")
        auth.login(admin)
        auth.logout()
        assert not _is_logged_in(other)

    def test_a_disabled_account_loses_its_session_and_token(self, app, client, auth, api_headers):
        user = factories.make_user("counselor", username="leaving", county_code="330106")
        headers = api_headers(user)
        auth.login(user)
        assert _is_logged_in(client)
        assert client.get("/api/v1/me", headers=headers).status_code == 200

        services.set_user_active(_db.session.get(User, user.id), False)

        assert not _is_logged_in(client)
        assert client.get("/api/v1/me", headers=headers).status_code == 401
        response = client.post(
            "/login", data={"username": "leaving", "password": factories.PASSWORD}
        )
        # whoever knows the password is told why (and nobody else: a wrong one is just wrong)
        assert response.status_code == 403 and "已停用" in response.get_data(as_text=True)
        token = client.post(
            "/api/v1/auth/token", json={"username": "leaving", "password": factories.PASSWORD}
        )
        assert token.status_code == 403
        wrong = client.post("/login", data={"username": "leaving", "password": "not-it-123"})
        assert wrong.status_code == 401 and "已停用" not in wrong.get_data(as_text=True)

    def test_enabling_again_does_not_revive_old_sessions(self, app, client, auth, api_headers):
        user = factories.make_user("admin", username="returning")
        headers = api_headers(user)
        services.set_user_active(user, False)
        services.set_user_active(user, True)
        assert client.get("/api/v1/me", headers=headers).status_code == 401
        auth.login(user)
        assert _is_logged_in(client)

    def test_the_cli_disables_an_account(self, runner, client, auth):
        user = factories.make_user("admin", username="cli_target")
        auth.login(user)
        result = runner.invoke(args=["users", "disable", "cli_target"])
        assert result.exit_code == 0, result.output
        assert not _is_logged_in(client)
        assert runner.invoke(args=["users", "disable", "ghost"]).exit_code != 0


class TestBearerTokens:
    def _token(self, client, username="admin_t"):
        response = client.post(
            "/api/v1/auth/token", json={"username": username, "password": factories.PASSWORD}
        )
        assert response.status_code == 200
        body = response.json
        assert body["token_type"] == "Bearer"
        assert body["role"] == "admin"
        assert body["expires_in"] > 0
        return body["access_token"]

    def test_a_valid_token_names_its_user(self, client, admin):
        token = self._token(client)
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 200
        assert response.json["username"] == "admin_t"
        assert "password_hash" not in response.json

    @pytest.mark.parametrize(
        "header", [None, "Bearer", "Bearer ", "Basic YWRtaW5fdDp4", "Bearer not-a-token"]
    )
    def test_missing_or_malformed_credentials_answer_401(self, client, admin, header):
        headers = {"Authorization": header} if header is not None else {}
        response = client.get("/api/v1/me", headers=headers)
        assert response.status_code == 401
        assert response.json == {"errors": {"_request": ["请先登录。"]}}

    def test_a_tampered_token_answers_401(self, client, admin):
        token = self._token(client)
        payload, timestamp, signature = token.rsplit(".", 2)
        forged_signature = ("A" if signature[0] != "A" else "B") + signature[1:]
        for forged in (f"{payload}.{timestamp}.{forged_signature}", token[:-2]):
            headers = {"Authorization": f"Bearer {forged}"}
            assert client.get("/api/v1/me", headers=headers).status_code == 401

    def test_a_token_signed_with_another_secret_answers_401(self, client, admin):
        from itsdangerous import URLSafeTimedSerializer

        forged = URLSafeTimedSerializer("guessed", salt="api-token").dumps(
            {"uid": admin.id, "ver": 1}
        )
        assert (
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {forged}"}).status_code
            == 401
        )

    def test_an_expired_token_answers_401(self, app, client, admin, monkeypatch):
        token = self._token(client)
        monkeypatch.setitem(app.config, "API_TOKEN_MAX_AGE", -1)
        response = client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401

    def test_a_revoked_token_answers_401(self, client, auth, admin):
        token = self._token(client)
        headers = {"Authorization": f"Bearer {token}"}
        auth.login(admin)
        assert client.post("/api/v1/auth/revoke", headers=headers).status_code == 204
        assert client.get("/api/v1/me", headers=headers).status_code == 401
        assert client.post("/api/v1/auth/revoke", headers=headers).status_code == 401
        assert not _is_logged_in(client), "revoking ends the web sessions too"
        fresh = self._token(client)
        assert (
            client.get("/api/v1/me", headers={"Authorization": f"Bearer {fresh}"}).status_code
            == 200
        )

    def test_wrong_password_answers_401_without_a_token(self, client, admin):
        response = client.post(
            "/api/v1/auth/token", json={"username": "admin_t", "password": "wrong"}
        )
        assert response.status_code == 401
        assert "access_token" not in response.json
