"""Issue #14: per-account login limit (web and API together), proxies trusted only from their
configured addresses, web session idle and absolute timeouts, no-store downloads, CSV defusing."""

import time

from flask import Flask, request

from core.auth import TrustedProxyFix
from core.spreadsheet import safe_cell
from tests import factories


def _web_attempt(client, username, password, address):
    return client.post(
        "/login",
        data={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def _api_attempt(client, username, password, address):
    return client.post(
        "/api/v1/auth/token",
        json={"username": username, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )


def test_failed_logins_are_limited_per_account_across_addresses_web_and_api(client, app, admin):
    app.config["RATELIMIT_LOGIN_ACCOUNT"] = "6 per 5 minutes"
    try:
        statuses = []
        for attempt in range(6):  # one address each: the per-address limit never applies
            send = _web_attempt if attempt % 2 else _api_attempt
            statuses.append(send(client, admin.username, "wrong", f"10.1.0.{attempt}").status_code)
        assert statuses == [401] * 6
        # The right password from a fresh address is refused too while the window lasts ...
        locked_web = _web_attempt(client, admin.username, factories.PASSWORD, "10.2.0.1")
        locked_api = _api_attempt(client, admin.username, factories.PASSWORD, "10.2.0.2")
        assert locked_web.status_code == locked_api.status_code == 429
        # ... another account is not affected.
        other = factories.make_user("admin", username="admin_other")
        assert (
            _web_attempt(client, other.username, factories.PASSWORD, "10.2.0.3").status_code == 302
        )
    finally:
        app.config["RATELIMIT_LOGIN_ACCOUNT"] = "10 per 5 minutes"


def test_right_passwords_do_not_count_against_the_account(client, app, admin):
    app.config["RATELIMIT_LOGIN_ACCOUNT"] = "2 per 5 minutes"
    try:
        for attempt in range(4):
            response = _api_attempt(client, admin.username, factories.PASSWORD, f"10.3.0.{attempt}")
            assert response.status_code == 200
    finally:
        app.config["RATELIMIT_LOGIN_ACCOUNT"] = "10 per 5 minutes"


def _echo_app(trusted):
    app = Flask("echo")

    @app.get("/")
    def echo():
        return request.remote_addr

    app.wsgi_app = TrustedProxyFix(app.wsgi_app, trusted)
    return app.test_client()


def test_forwarded_for_is_read_only_from_a_trusted_proxy():
    client = _echo_app("10.0.0.1, 192.168.5.0/24")
    spoofed = {"X-Forwarded-For": "203.0.113.9"}
    direct = client.get("/", headers=spoofed, environ_base={"REMOTE_ADDR": "198.51.100.7"})
    assert direct.get_data(as_text=True) == "198.51.100.7"
    for proxy in ("10.0.0.1", "192.168.5.20"):
        proxied = client.get("/", headers=spoofed, environ_base={"REMOTE_ADDR": proxy})
        assert proxied.get_data(as_text=True) == "203.0.113.9"


def test_a_web_session_ends_after_the_idle_timeout(client, auth, admin, app):
    auth.login(admin)
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - app.config["SESSION_IDLE_SECONDS"] - 5
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_a_web_session_ends_after_the_absolute_timeout_even_when_busy(client, auth, admin, app):
    auth.login(admin)
    with client.session_transaction() as session:
        session["login_at"] = time.time() - app.config["SESSION_ABSOLUTE_SECONDS"] - 5
        session["seen_at"] = time.time()
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_an_active_session_goes_on(client, auth, admin):
    auth.login(admin)
    with client.session_transaction() as session:
        session["seen_at"] = time.time() - 600
    assert client.get("/account").status_code == 200
    with client.session_transaction() as session:
        assert time.time() - session["seen_at"] < 5  # the request counted as activity


def test_downloads_are_no_store_and_csv_has_one_charset(client):
    response = client.get("/training/notice.csv")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    xlsx = client.get("/training/notice.xlsx")
    assert xlsx.headers["Cache-Control"] == "no-store"


def test_authenticated_pages_and_api_answers_are_no_store(client, auth, admin, api_headers):
    assert client.get("/api/v1/me", headers=api_headers(admin)).headers["Cache-Control"] == (
        "no-store"
    )
    auth.login(admin)
    assert client.get("/people").headers["Cache-Control"] == "no-store"


def test_a_duplicated_charset_is_reduced_to_one(app):
    from core.security import _one_charset

    response = app.response_class("a,b", mimetype="text/csv; charset=utf-8")
    _one_charset(response)
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"


def test_formulas_behind_leading_blanks_are_defused():
    for value in (" =1+1", '\t=HYPERLINK("x")', "  +1", " -1", " @SUM(A1)", "\u3000=1"):
        assert safe_cell(value) == "'" + value
    assert safe_cell(" plain") == " plain"


def test_error_workbooks_are_private_and_short_lived(app, tmp_path, monkeypatch):
    import os
    import stat

    from quota.services import uploads

    monkeypatch.setattr(app, "instance_path", str(tmp_path))
    token = uploads.keep(b"workbook", user_id=7)
    (path,) = (tmp_path / "quota-uploads").glob("*.xlsx")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(path.parent.stat().st_mode) == 0o700
    assert uploads.load(token, 7) == b"workbook"
    assert uploads.load(token, 8) is None
    old = time.time() - app.config.get("QUOTA_ERROR_WORKBOOK_SECONDS", uploads.MAX_AGE_SECONDS) - 5
    os.utime(path, (old, old))
    assert uploads.load(token, 7) is None
    assert not path.exists()
