"""The plan's indicator dashboard and the employment services' lists, read by a counselor and an
admin in a real browser: every chart has a data table and a takeaway, and axe finds nothing serious."""

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import start, ui
from tests.e2e.test_module_journeys import MODES

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(("mode", "lang"), MODES)
def test_counselor_reads_the_dashboard_and_the_service_lists(make_site, live_server, mode, lang):
    site = start(make_site, mode, lang, "counselor", live_server.facts["password"])
    site.open_menu(ui("Plan dashboard"))
    charts = site.page.locator("main svg[role=img]")
    assert charts.count() >= 5, "the dashboard shows its indicator charts"
    tables = site.page.locator("main table")
    assert tables.count() >= charts.count(), "every chart has a data table beside it"
    for index in range(charts.count()):
        labelled_by = charts.nth(index).get_attribute("aria-labelledby")
        assert labelled_by, "a chart is named for screen readers"
        expect(site.page.locator(f"#{labelled_by.split()[0]}")).to_have_count(1)
    for menu in ("Hard to employ", "Zero-employment households", "Income disregard"):
        site.open_menu(ui(menu))
    site.assert_accessible()


def test_admin_reads_the_province_dashboard(make_site, live_server):
    site = start(make_site, "mouse", "zh", "admin", live_server.facts["password"])
    site.open_menu(ui("Plan dashboard"))
    assert site.page.locator("main svg[role=img]").count() >= 5
    site.assert_accessible()


def test_the_new_measures_pages_are_accessible_and_fit(make_site, live_server):
    """Concentrated employment, public-welfare posts, auxiliary employment, start-ups, income."""
    site = start(make_site, "mouse", "zh", "admin", live_server.facts["password"])
    for menu in (
        "Concentrated employment",
        "Tax-relief parameters",
        "Household income figures",
        "Public-welfare posts",
        "Auxiliary employment",
        "Start-up support",
    ):
        site.open_menu(ui(menu))
        assert site.page.locator("main table").count() >= 1, menu
    site.open_menu(ui("Concentrated employment"))
    details = site.page.locator("main table tbody th a")
    if details.count():
        site.follow_link(details.first.inner_text(), within="main")
        assert site.page.locator("main table caption").count() >= 1
    site.assert_accessible()
