"""Journeys of the shared kernel, each with the mouse and with the keyboard alone, in zh and en.

The mouse runs also audit every page they reach (axe, 320 px reflow, 200% zoom); the keyboard
runs prove the same steps work with Tab, Enter, Space and the arrow keys only.
"""

import itertools
from datetime import date

import pytest
from playwright.sync_api import expect

from core import identity
from tests.e2e import pages

pytestmark = pytest.mark.e2e

MODES = [
    pytest.param("mouse", "zh", id="mouse-zh"),
    pytest.param("mouse", "en", id="mouse-en"),
    pytest.param("keyboard", "zh", id="keyboard-zh"),
    pytest.param("keyboard", "en", id="keyboard-en"),
]
_serial = itertools.count(1)


@pytest.mark.parametrize("mode", ["mouse", "keyboard"])
def test_language_switch(make_site, mode):
    site = make_site(mode)
    site.open("/")
    expect(site.page.locator("html")).to_have_attribute("lang", "zh-CN")
    pages.switch_language(site, "en")
    expect(site.page.locator("h1")).to_contain_text("Employment services")
    site.page.reload()  # the choice is kept in the session
    expect(site.page.locator("html")).to_have_attribute("lang", "en")
    pages.switch_language(site, "zh")
    expect(site.page.locator("h1")).to_contain_text("就业")
    site.assert_accessible()


@pytest.mark.parametrize(("mode", "lang"), MODES)
def test_counselor_finds_a_seeker(make_site, live_server, mode, lang):
    facts = live_server.facts
    seeker = facts["seeker"]
    site = pages.start(make_site, mode, lang)
    pages.log_in(site, "counselor", facts["password"])
    site.open_menu(pages.ui("People"))
    pages.search_people(site, seeker["name"])
    pages.open_person(site, seeker["name"])
    page_text = site.page.locator("main dl.facts").first.inner_text()
    assert seeker["cert_masked"] in page_text and "*" in seeker["cert_masked"]
    site.open_menu(pages.ui("People"))
    pages.search_people(site, seeker["initials"])
    pages.open_person(site, seeker["name"])
    assert f"/people/{seeker['id']}" in site.page.url
    site.assert_accessible()


def _certificate() -> str:
    """A certificate born 1960 (the demo's people are born from 1966, so never a duplicate)."""
    rid = identity.make_resident_id("330106", date(1960, 3, 1 + next(_serial) % 27), 7, True)
    return f"{rid}42"


def _broken(certificate: str) -> str:
    """The same number with a wrong check character of the resident ID."""
    check = certificate[17]
    return certificate[:17] + ("0" if check != "0" else "1") + certificate[18:]


@pytest.mark.parametrize(("mode", "lang"), MODES)
def test_counselor_registers_a_seeker(make_site, live_server, mode, lang):
    site = pages.start(make_site, mode, lang)
    pages.log_in(site, "counselor", live_server.facts["password"])
    site.open_menu(pages.ui("People"))
    site.follow_link(pages.ui("Register a job-seeker"), within="main")
    good = _certificate()
    name = f"测试{'键盘' if mode == 'keyboard' else '鼠标'}{lang}"
    pages.fill_person_form(
        site,
        {
            "certificate_no": _broken(good),
            "name": name,
            "county_code": live_server.facts["county"],
            "education": "bachelor",
            "employment_type": "unemployed",
            "low_income": "0",
            "wish_to_work": "1",
            "able_to_work": "1",
            "consent": True,
        },
    )
    site.submit(pages.ui("Save"))
    assert site.page.locator(".error-summary").count() == 1, "a bad certificate was accepted"
    problems = pages.failed_form_problems(site, ["certificate_no"])
    assert not problems, problems
    pages.follow_error_link(site, "certificate_no")
    site.driver.type_into(site.field("certificate_no"), good)
    site.submit(pages.ui("Save"))
    expect(site.page.locator("h1")).to_have_text(name)
    expect(site.page.locator("main .notice[role=status]")).to_be_visible()
    site.assert_accessible()
