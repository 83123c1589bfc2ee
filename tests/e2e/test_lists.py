"""Long lists with tools in the browser: the public quota lists, the training notice and the
people list are paged, sorted and filtered through the URL, with the range announced and the sort
state in aria-sort, at 1280 and 375 px, in Chinese and English, with the mouse and the keyboard,
and no serious or critical axe finding."""

import re
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import expect

from tests.e2e.pages import Driver, Site, log_in, ui

pytestmark = pytest.mark.e2e

RANGE = re.compile(r"(第 (\d+)–(\d+) 条，共 (\d+) 条)|(Rows (\d+)–(\d+) of (\d+))")


def _range(site: Site) -> tuple[int, int, int]:
    text = site.page.locator("main .list-summary").inner_text()
    found = RANGE.search(text)
    assert found, f"no range in {text!r}"
    numbers = [int(n) for n in found.groups() if n and n.isdigit()]
    return numbers[0], numbers[1], numbers[2]


def _language(site: Site, lang: str) -> None:
    site.page.goto(f"{site.base_url}/lang/{lang}")
    site.open("/")


def _args(site: Site) -> dict:
    return {k: v[0] for k, v in parse_qs(urlparse(site.page.url).query).items()}


def _sort_by(site: Site, label: re.Pattern) -> None:
    headers = site.page.locator("main thead th[data-label]")
    names = [headers.nth(i).get_attribute("data-label") for i in range(headers.count())]
    header = headers.nth(next(i for i, name in enumerate(names) if label.match(name)))
    with site.page.expect_navigation():
        site.driver.activate(header.locator("a.sort-link"))
    site.checkpoint()


def _next_page(site: Site) -> None:
    link = site.page.locator("main nav.pagination a[rel=next]")
    with site.page.expect_navigation():
        site.driver.activate(link)
    site.checkpoint()


@pytest.mark.parametrize(
    ("width", "lang", "mode"),
    [(1280, "zh", "mouse"), (375, "en", "keyboard"), (375, "zh", "mouse")],
)
def test_public_quota_lists(new_page, live_server, auditor, width, lang, mode):
    page = new_page(width=width)
    site = Site(page, live_server.url, Driver(page, mode), auditor)
    _language(site, lang)
    site.open_menu(ui("Quota lists"))
    first, last, total = _range(site)
    rows = site.page.locator("main table tbody tr")
    assert first == 1 and last == min(total, 50) and rows.count() == last
    expect(site.page.locator("main thead th[aria-sort=ascending]")).to_have_count(1)
    if total > 50:
        _next_page(site)
        assert _range(site)[0] == 51 and _args(site)["page"] == "2"
    _sort_by(site, ui("County"))
    assert _args(site).get("sort") == "county" and "page" not in _args(site)
    sorted_header = site.page.locator("main thead th[aria-sort=ascending]")
    assert ui("County").match(sorted_header.get_attribute("data-label"))
    _sort_by(site, ui("County"))
    expect(site.page.locator("main thead th[aria-sort=descending]")).to_have_count(1)
    # filter by the first listed employer's name: the state stays in the URL, the sort kept
    name = site.page.locator("main table tbody th").first.inner_text().strip()
    site.driver.type_into(site.page.locator("main #filter-q"), name)
    site.submit(ui("Search"))
    assert _args(site).get("q") == name and _args(site).get("sort") == "-county"
    expect(site.page.locator("main table tbody th").first).to_have_text(name)
    export = site.page.locator("main a[href*='.csv']").first.get_attribute("href")
    assert "q=" in export and "sort=-county" in export
    site.assert_accessible()


@pytest.mark.parametrize(("width", "lang"), [(1280, "en"), (375, "zh")])
def test_training_notice_is_paged_and_sorted(new_page, live_server, auditor, width, lang):
    page = new_page(width=width)
    site = Site(page, live_server.url, Driver(page, "mouse"), auditor)
    _language(site, lang)
    site.open_menu(ui("Training"))
    first, last, total = _range(site)
    assert first in (0, 1) and last <= 20  # heavy rows: 20 at a time
    assert page.evaluate("document.documentElement.scrollHeight") < 23_000  # was 23,000 px
    if total:
        _sort_by(site, ui("Completion rate"))
        sorted_header = site.page.locator("main thead th[aria-sort=ascending]")
        assert ui("Completion rate").match(sorted_header.get_attribute("data-label"))
    site.follow_link(re.compile(r"^(Providers|培训机构)"), within="main nav")
    assert _args(site)["list"] == "providers"
    site.assert_accessible()


@pytest.mark.parametrize(
    ("width", "lang", "mode"), [(1280, "en", "keyboard"), (375, "zh", "mouse")]
)
def test_people_list_filters_by_status(new_page, live_server, auditor, width, lang, mode):
    page = new_page(width=width)
    site = Site(page, live_server.url, Driver(page, mode), auditor)
    _language(site, lang)
    log_in(site, "counselor", live_server.facts["password"])
    site.open("/people")
    _first, _last, total = _range(site)
    site.driver.choose(site.page.locator("main #filter-employment"), "unemployed")
    site.submit(ui("Search"))
    assert _args(site)["employment"] == "unemployed"
    filtered = _range(site)[2]
    assert filtered <= total
    _sort_by(site, ui("Full name"))  # already by name: now descending
    expect(site.page.locator("main thead th[aria-sort=descending]")).to_have_count(1)
    assert _args(site)["employment"] == "unemployed"
    site.assert_accessible()
