"""Every public page, in Chinese and English: axe-core, reflow at 320 px, 200% zoom, form errors.

The public pages are discovered from the URL map (GET routes without parameters whose view is
marked `anonymous`), so each package's public pages are checked as soon as they exist.
"""

import pytest

from tests.e2e.a11y import error_announcement_problems
from tests.e2e.pages import Driver, Site, ui

pytestmark = pytest.mark.e2e

LANGS = ["zh", "en"]


def _with_lang(path: str, lang: str) -> str:
    return f"{path}{'&' if '?' in path else '?'}lang={lang}"


def _is_html(site: Site, path: str) -> bool:
    response = site.page.request.get(site.base_url + path)
    return response.ok and response.headers.get("content-type", "").startswith("text/html")


@pytest.mark.parametrize("lang", LANGS)
def test_public_pages(make_site, live_server, lang):
    site = make_site("mouse")
    checked = []
    for path in live_server.public_pages:
        if not _is_html(site, path):
            continue
        site.page.goto(site.base_url + _with_lang(path, lang))
        site.page.wait_for_load_state("networkidle")
        site.checkpoint(f"{path} ({lang})")
        checked.append(path)
    assert "/" in checked and "/login" in checked, checked
    site.assert_accessible()


def _empty_submit_problems(site: Site, path: str) -> list[str]:
    """Submit a page's first data form empty; a failed form must announce its errors."""
    form = site.page.locator("main form.form").first
    if form.count() == 0:
        return []
    button = form.locator("button[type=submit], input[type=submit]").first
    if button.count() == 0:
        return []
    with site.page.expect_navigation():
        button.click()
    site.checkpoint(f"{path} (empty form)")
    if site.page.locator(".error-summary").count() == 0:
        return []
    fields = site.page.evaluate(
        """() => [...document.querySelectorAll('.error-summary a[href^="#field-"]')]
                 .map(a => a.getAttribute('href').slice('#field-'.length))
                 .filter(name => document.getElementById('field-' + name))"""
    )
    return [f"{path}: {p}" for p in error_announcement_problems(site.page, fields)]


@pytest.mark.parametrize("lang", LANGS)
def test_public_forms_announce_errors(make_site, live_server, lang):
    site = make_site("mouse")
    problems = []
    for path in live_server.public_pages:
        if path == "/login" or not _is_html(site, path):
            continue
        site.page.goto(site.base_url + _with_lang(path, lang))
        problems += _empty_submit_problems(site, path)
    assert not problems, problems
    site.assert_accessible()


@pytest.mark.parametrize("mode", ["mouse", "keyboard"])
def test_login_errors_are_announced(new_page, live_server, mode):
    page = new_page()
    site = Site(page, live_server.url, Driver(page, mode), None)
    site.open("/login")
    site.driver.type_into(site.field("username"), "counselor")
    site.driver.type_into(site.field("password"), "not-the-password")
    site.submit(ui("Log in"))
    problems = error_announcement_problems(page, ["username"])
    assert not problems, problems
    assert page.locator("#field-password").input_value() == ""
