"""The pages of reachability in a real browser: the administrator's default commute table (per
disability level and travel mode) and the travel mode on a seeker's matching profile; axe at 1280
and 320 px, in Chinese and English."""

import pytest
from playwright.sync_api import expect

from tests.e2e.test_module_journeys import start, ui_in

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_admin_reads_the_commute_table_and_counselor_the_travel_mode(make_site, live_server, lang):
    facts = live_server.facts
    site = start(make_site, "mouse", lang, "admin", facts["password"])
    site.open("/jobmatch/admin/weights")
    table = site.page.locator("form[action$='/admin/commute']")
    expect(table.locator("fieldset")).to_have_count(4)  # one per disability level
    expect(table.locator("input[type=number]")).to_have_count(16)  # x 4 travel modes
    expect(site.page.locator("main")).to_contain_text(
        ui_in("example values seeded with the demo data, not a finding: set your own")
    )
    site.assert_accessible()

    site = start(make_site, "mouse", lang, "counselor", facts["password"])
    site.open(f"/jobmatch/seekers/{facts['seeker']['id']}/profile")
    mode = site.page.locator("select[name=travel_mode]")
    expect(mode).to_be_visible()
    expect(mode.locator("option").first).to_have_attribute("value", "")
    site.assert_accessible()
