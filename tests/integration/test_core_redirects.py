"""Issue #14, open redirect: every `next` target is a same-site path after the browser's own
normalisation (tabs and newlines removed, backslashes read as slashes), or the home page."""

import pytest

from core.security import safe_next
from tests import factories

HOSTILE = [
    "/%09/evil.example/phish",  # a tab the browser drops: //evil.example
    "/%0a/evil.example/phish",
    "/%0d%0a/evil.example/phish",
    "//evil.example/phish",
    "/\\evil.example/phish",
    "\\\\evil.example/phish",
    "/%5Cevil.example",
    "https://evil.example/",
    "%20//evil.example/",
    "javascript:alert(1)",
    "/%00/evil.example",
    "%09https://evil.example",
]


def _location_is_local(location: str) -> bool:
    from urllib.parse import urlsplit

    cleaned = location.replace("\t", "").replace("\n", "").replace("\r", "").replace("\\", "/")
    parts = urlsplit(cleaned)
    return parts.netloc in ("", "localhost") and not cleaned.lstrip().startswith("//")


@pytest.mark.parametrize("target", HOSTILE)
def test_language_switch_never_leaves_the_site(client, target):
    response = client.get(f"/lang/en?next={target}")
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]
    assert _location_is_local(response.headers["Location"])


@pytest.mark.parametrize("target", HOSTILE)
def test_login_never_leaves_the_site(client, admin, target):
    form = {"username": admin.username, "password": factories.PASSWORD}
    response = client.post(f"/login?next={target}", data=form)
    assert response.status_code == 302
    assert "evil.example" not in response.headers["Location"]


def test_a_local_next_is_kept(client):
    response = client.get("/lang/en?next=/people%3Fq%3Dx")
    assert response.headers["Location"] == "/people?q=x"


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("/people", "/people"),
        ("/pe\tople", "/people"),
        ("/\t/evil.example", "/home"),
        ("/\\evil.example", "/home"),
        ("\\/evil.example", "/home"),
        (" /people", "/people"),
        ("/people\x00", "/people"),
        ("/a\x01b", "/home"),
        ("http:/evil.example", "/home"),
        ("", "/home"),
        (None, "/home"),
    ],
)
def test_safe_next_normalises_like_a_browser(target, expected):
    assert safe_next(target, "/home") == expected
