"""Skills competitions and a household's registration in a real browser, zh and en, at 1280 and
375 px: record a competition, enter a person, record an award, read it on the person's page, record
a household's registration; every page state audited (axe 0 serious or critical, reflow)."""

import pytest
from playwright.sync_api import expect

from tests.e2e import pages
from tests.e2e.pages import Driver, Site, ui

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("lang", "width"), [("zh", 1280), ("en", 375), ("zh", 375), ("en", 1280)])
def test_counselor_records_a_competition_and_an_award(live_server, new_page, auditor, lang, width):
    facts = live_server.facts
    page = new_page(width, 900)
    site = Site(page, live_server.url, Driver(page, "mouse"), auditor)
    site.open("/")
    if lang == "en":
        pages.switch_language(site, "en")
    pages.log_in(site, "counselor", facts["password"])
    site.open_menu(ui("Skills competitions"))
    assert site.page.locator("main table tbody tr").count() >= 2, "the demo's competitions"
    site.submit(ui("Record the competition"))  # empty: the error summary names the fields
    expect(site.page.locator("#error-summary")).to_be_visible()
    site.driver.type_into(site.field("name"), f"测试竞赛 {lang} {width}")
    site.driver.choose(site.field("level"), "city")
    site.driver.type_into(site.field("organiser"), "杭州市残疾人联合会")
    site.driver.type_into(site.field("held_on"), "2026-05-20")
    site.driver.type_into(site.field("trades"), "中式面点、电子商务")
    site.submit(ui("Record the competition"))
    expect(site.page.locator("h1")).to_have_text(f"测试竞赛 {lang} {width}")
    site.driver.type_into(site.field("person_id"), str(facts["seeker"]["id"]))
    site.driver.choose(site.field("trade"), "电子商务")
    site.submit(ui("Enter the person"))
    expect(site.page.locator("main table")).to_contain_text(facts["seeker"]["name"])
    entry = site.page.locator("#field-entry_id option").nth(1).get_attribute("value")
    site.driver.choose(site.field("entry_id"), entry)
    site.driver.type_into(site.field("rank"), "1")
    site.driver.choose(site.field("award"), "first")
    site.submit(ui("Record the result"))
    site.follow_link(facts["seeker"]["name"], within="main table")
    award = "一等奖" if lang == "zh" else "First prize"
    expect(site.page.locator("main")).to_contain_text(award)
    site.assert_accessible()


def test_counselor_records_a_households_registration(make_site, live_server):
    site = make_site("mouse")
    site.open("/")
    pages.log_in(site, "counselor", live_server.facts["password"])
    site.open_menu(ui("Zero-employment households"))
    links = site.page.locator("main a[href*='/relatives']")
    if not links.count():
        pytest.skip("the demo has no zero-employment household in the counselor's county")
    with site.page.expect_navigation():
        site.driver.activate(links.first)
    site.checkpoint()
    site.driver.choose(site.field("registration"), "urban")
    site.driver.type_into(site.field("source"), "户口簿 2026-03")
    site.submit(ui("Record the registration"))
    expect(site.page.locator("main")).to_contain_text("户口簿 2026-03")
    site.assert_accessible()
