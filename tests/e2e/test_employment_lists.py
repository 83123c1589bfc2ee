"""The concentrated-employment institutions list in a real browser, at 1280 and 375 px, in Chinese
and English, with the mouse and the keyboard: filtered by county and kind, sorted by a column, the
state in the URL, the CSV carrying exactly the filtered rows with titled headers, no serious or
critical axe finding."""

import csv
import re

import pytest
from playwright.sync_api import expect

from tests.e2e import pages
from tests.e2e.pages import Driver, Site, ui
from tests.e2e.test_lists import _args, _range, _sort_by

pytestmark = pytest.mark.e2e


@pytest.mark.parametrize(
    ("width", "lang", "mode"), [(1280, "zh", "mouse"), (375, "en", "keyboard")]
)
def test_institutions_list_filters_sorts_and_exports(
    new_page, live_server, auditor, tmp_path, width, lang, mode
):
    page = new_page(width=width)
    site = Site(page, live_server.url, Driver(page, mode), auditor)
    site.open("/")
    if lang == "en":
        pages.switch_language(site, "en")
    pages.log_in(site, "admin", live_server.facts["password"])
    site.open_menu(ui("Concentrated employment"))
    first, last, total = _range(site)
    assert first == 1 and last == total and total >= 4  # the demo's institutions, province-wide
    site.driver.choose(site.page.locator("main #filter-county"), "330106")
    site.driver.choose(site.page.locator("main #filter-kind"), "blind_massage")
    site.submit(ui("Search"))
    assert _args(site) == {"county": "330106", "kind": "blind_massage"}
    names = site.page.locator("main table tbody th")
    count = names.count()
    assert 1 <= count < total and _range(site)[2] == count
    _sort_by(site, ui("Name"))
    _sort_by(site, ui("Name"))  # a second activation sorts descending
    expect(site.page.locator("main thead th[aria-sort=descending]")).to_have_count(1)
    assert _args(site) == {"county": "330106", "kind": "blind_massage", "sort": "-name"}
    shown = [names.nth(i).inner_text().strip() for i in range(count)]
    assert shown == sorted(shown, reverse=True)
    link = site.page.locator("main a[href*='institutions.csv']")
    href = link.get_attribute("href")
    assert "kind=blind_massage" in href and "sort=-name" in href
    saved = pages.download(site, link, tmp_path)
    with saved.open(encoding="utf-8-sig") as handle:
        table = list(csv.reader(handle))
    assert table[0][0] == ("名称" if lang == "zh" else "Name")
    assert [row[0] for row in table[1:]] == [
        re.sub(r"\s*(已关闭|Closed down)$", "", s) for s in shown
    ]
    site.assert_accessible()
