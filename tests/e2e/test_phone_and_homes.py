"""Each role's day on a phone: every menu page fits 375 px (outside named scroll regions) under
a header of at most 120 px; each role's home is reached and used with the mouse and the keyboard
alone, in Chinese and English, with no serious or critical axe finding."""

import re

import pytest
from playwright.sync_api import expect

from tests.e2e import pages
from tests.e2e.pages import ui

pytestmark = pytest.mark.e2e

PHONE = 375
MAX_HEADER = 120
ROLES = ["admin", "counselor", "employer1", "graduate1"]
# An element may be wider than the screen only inside a named scroll region (a table that
# scrolls in its .table-wrap, which site.js names and makes focusable) or when it is hidden.
_WIDE_JS = """(width) => {
  const wide = [];
  for (const el of document.body.querySelectorAll('*')) {
    if (el.closest('.table-wrap[role=region][aria-label], .visually-hidden, .skip-link, table.stacked thead')) continue;
    const box = el.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    if (box.right > width + 1 || box.left < -1) {
      const cls = typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '';
      wide.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + cls);
    }
  }
  return {wide: wide.slice(0, 6), scrollWidth: document.documentElement.scrollWidth,
          header: document.querySelector('.site-header').getBoundingClientRect().height};
}"""


def _phone_problems(page, label: str, menu_open: bool = False) -> list[str]:
    state = page.evaluate(_WIDE_JS, PHONE)
    problems = []
    if state["wide"] or state["scrollWidth"] > PHONE + 1:
        problems.append(f"{label}: wider than {PHONE} px: {state['wide']} ({state['scrollWidth']})")
    if state["header"] > MAX_HEADER and not menu_open:
        problems.append(f"{label}: header {state['header']:.0f} px high")
    return problems


def _log_in_directly(page, base_url: str, username: str, password: str) -> None:
    page.goto(base_url + "/login")
    page.fill("#field-username", username)
    page.fill("#field-password", password)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()


@pytest.mark.parametrize("role", [None, *ROLES])
def test_every_menu_page_fits_a_phone(new_page, live_server, role):
    page = new_page(width=PHONE, height=800)
    base = live_server.url
    if role:
        _log_in_directly(page, base, role, live_server.facts["password"])
    page.goto(base + "/?lang=zh")
    # on a phone the menu is one button; it opens the task groups (at most seven)
    toggle = page.locator("button.menu-button")
    expect(toggle).to_be_visible()
    expect(page.locator("#main-nav-list")).to_be_hidden()
    toggle.click()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#main-nav-list")).to_be_visible()
    assert page.locator("#main-nav-list > li.nav-group").count() <= 7
    paths = page.eval_on_selector_all(
        "#main-nav-list a", "els => els.map(a => a.getAttribute('href'))"
    )
    problems = _phone_problems(page, "/ (menu open)", menu_open=True)
    visited = 0
    for path in dict.fromkeys(["/", *paths]):
        if path.startswith("/account"):
            continue
        page.goto(base + path)
        page.wait_for_load_state("load")
        problems += _phone_problems(page, path)
        visited += 1
    assert visited >= (4 if role else 3)
    assert not problems, "\n".join(problems)


def test_a_data_table_becomes_cards_on_a_phone(new_page, live_server):
    page = new_page(width=PHONE, height=800)
    _log_in_directly(page, live_server.url, "counselor", live_server.facts["password"])
    page.goto(live_server.url + "/people?lang=zh")
    first = page.locator("main table tbody tr").first
    assert page.locator("main table.stacked").count() == 1
    assert first.locator("td").first.get_attribute("data-label") == "残疾人证号"
    assert first.evaluate("row => getComputedStyle(row).display") == "block"
    box = first.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= PHONE
    page.set_viewport_size({"width": 1280, "height": 800})
    assert first.evaluate("row => getComputedStyle(row).display") == "table-row"


# The homes --------------------------------------------------------------------------------

FIRST_TASK = {
    "admin": "Annual review",
    "counselor": "Follow-ups overdue",
    "employer1": "Your quota filing",
    "graduate1": "Your next step",
}


@pytest.mark.parametrize("mode", ["mouse", "keyboard"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("role", ROLES)
def test_each_home_by_mouse_and_keyboard(make_site, live_server, role, lang, mode):
    site = make_site(mode)
    site.open(f"/?lang={lang}")
    pages.log_in(site, role, live_server.facts["password"])
    expect(site.page.locator("h1")).to_have_text(ui("Your work today"))
    # the auditor checks a page state once (by path and heading); every role's home differs
    home_problems = site.auditor._axe(site.page, f"{role} home ({lang})", "1280px")
    site.page.set_viewport_size({"width": PHONE, "height": 800})
    home_problems += site.auditor._axe(site.page, f"{role} home ({lang})", f"{PHONE}px")
    home_problems += _phone_problems(site.page, f"{role} home")
    site.page.set_viewport_size({"width": 1280, "height": 900})
    assert not home_problems, "\n".join(home_problems)
    tiles = site.page.locator("ul.tasks > li.task a")
    assert tiles.count() >= 3
    # a task's figure or status is in its link's name, so it is read with it
    task = site.page.locator("ul.tasks a").filter(
        has=site.page.locator(".task-label", has_text=ui(FIRST_TASK[role]))
    )
    expect(task).to_have_count(1)
    name = task.inner_text()
    assert re.search(r"\S+\s+\S+", name), name
    target = task.get_attribute("href")
    with site.page.expect_navigation():
        site.driver.activate(task)
    site.checkpoint()
    assert site.page.url.removeprefix(live_server.url).split("?")[0] in (
        target.split("?")[0],
        "/quota/employers/" + str(live_server.facts["employer"].get("id")),
    )
    # the task groups open from the keyboard or the mouse and lead to their pages
    site.open(f"/?lang={lang}")
    group = site.page.locator("details.nav-menu").first
    site.driver.activate(group.locator("summary"))
    expect(group).to_have_attribute("open", "")
    if mode == "keyboard":
        site.page.keyboard.press("Escape")
        expect(group).not_to_have_attribute("open", "")
    site.assert_accessible()
