"""The test harness itself: requests made by the conftest's client do not share `g`."""

from tests.support import isolated_client


def test_requests_do_not_share_g(app, admin):
    """The harness itself: a login's cached user must not survive into the next request."""
    client = isolated_client(app)
    client.post("/login", data={"username": "admin_t", "password": "Test-pass-2026"})
    cookie = client.get_cookie("session").value
    stranger = isolated_client(app)
    assert stranger.get("/account").status_code == 302
    stranger.set_cookie("session", cookie)
    assert stranger.get("/account").status_code == 200
