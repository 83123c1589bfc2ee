"""Page helpers for the journeys: one Driver for the mouse or the keyboard alone, and the pages.

A journey is written once against these helpers and run in both modes. In keyboard mode no
element is clicked: focus moves with Tab, links and buttons are pressed with Enter, check boxes
with Space, and select boxes change with the arrow keys. New module pages add a few functions
here (see `open_menu`, `follow_link`, `submit`) rather than new machinery.
"""

import re
from functools import cache
from pathlib import Path

from babel.messages.pofile import read_po
from playwright.sync_api import Locator, Page, expect

from tests.e2e.a11y import error_announcement_problems

MAX_TABS = 120
_IS_FOCUSED = "el => el === document.activeElement"
_FOCUS_VISIBLE = """el => { const s = getComputedStyle(el);
  return (s.outlineStyle !== 'none' && parseFloat(s.outlineWidth) > 0) || s.boxShadow !== 'none'; }"""


ROOT = Path(__file__).resolve().parents[2]


@cache
def _chinese() -> dict[str, set[str]]:
    """Every msgid's Chinese texts, from the shared and the domain packages' catalogues."""
    texts: dict[str, set[str]] = {}
    for po_path in sorted(ROOT.glob("**/translations/zh/LC_MESSAGES/messages.po")):
        if ".venv" in po_path.parts:
            continue
        with po_path.open("rb") as handle:
            for message in read_po(handle):
                if message.id and message.string and isinstance(message.id, str):
                    texts.setdefault(message.id, set()).add(message.string)
    return texts


def ui(msgid: str) -> re.Pattern:
    """An accessible name in either language: the English msgid or a Chinese translation of it."""
    options = {msgid, *_chinese().get(msgid, ())}
    return re.compile("^(" + "|".join(re.escape(o) for o in sorted(options)) + ")$")


class Driver:
    """Operate the page like a user with a mouse, or with the keyboard alone."""

    def __init__(self, page: Page, mode: str):
        assert mode in ("mouse", "keyboard"), mode
        self.page = page
        self.mode = mode

    @property
    def keyboard_only(self) -> bool:
        return self.mode == "keyboard"

    def focus(self, target: Locator) -> None:
        """Tab (forwards) until `target` has focus; its focus must be visible."""
        target.wait_for(state="visible")
        for _ in range(MAX_TABS):
            self.page.keyboard.press("Tab")
            if target.evaluate(_IS_FOCUSED):
                assert target.evaluate(_FOCUS_VISIBLE), "keyboard focus is not visible"
                return
        raise AssertionError(f"could not reach {target} with Tab in {MAX_TABS} presses")

    def activate(self, target: Locator) -> None:
        """Follow a link or press a button."""
        if self.keyboard_only:
            self.focus(target)
            self.page.keyboard.press("Enter")
        else:
            target.click()

    def type_into(self, target: Locator, text: str) -> None:
        if self.keyboard_only:
            if not target.evaluate(_IS_FOCUSED):
                self.focus(target)
            self.page.keyboard.press("ControlOrMeta+a")
            self.page.keyboard.press("Backspace")
            self.page.keyboard.type(text)
        else:
            target.click()
            target.fill(text)

    def choose(self, target: Locator, value: str) -> None:
        """Pick an option of a select box by value (arrow keys in keyboard mode)."""
        if not self.keyboard_only:
            target.select_option(value)
            return
        self.focus(target)
        values = target.evaluate("el => [...el.options].map(o => o.value)")
        assert value in values, f"{value} is not an option"
        steps = values.index(value) - target.evaluate("el => el.selectedIndex")
        key = "ArrowDown" if steps > 0 else "ArrowUp"
        for _ in range(abs(steps)):
            self.page.keyboard.press(key)
        assert target.input_value() == value

    def tick(self, target: Locator, on: bool = True) -> None:
        if target.is_checked() == on:
            return
        if self.keyboard_only:
            self.focus(target)
            self.page.keyboard.press("Space")
        else:
            target.click()
        assert target.is_checked() == on


class Site:
    """One visitor's browser tab on the live server, with page checks at each checkpoint."""

    def __init__(self, page: Page, base_url: str, driver: Driver, auditor=None):
        self.page = page
        self.base_url = base_url
        self.driver = driver
        self.auditor = auditor
        self.problems: list[str] = []
        self.visited: list[str] = []

    def open(self, path: str = "/") -> None:
        """Type an address into the browser (the only step that is not a click or a key)."""
        self.page.goto(self.base_url + path)
        self.checkpoint()

    def checkpoint(self, label: str | None = None) -> None:
        """The page has loaded: one <h1>, then axe and reflow checks when auditing."""
        self.page.wait_for_load_state("load")
        path = self.page.url.removeprefix(self.base_url)
        self.visited.append(path)
        try:
            expect(self.page.locator("h1")).to_have_count(1, timeout=5_000)
        except AssertionError:
            headings = self.page.locator("h1").count()
            self.problems.append(f"{label or path}: {headings} <h1> elements, not one")
        if self.auditor is not None:
            self.problems += self.auditor.audit(self.page, label or path)

    def assert_accessible(self) -> None:
        assert not self.problems, "accessibility problems:\n" + "\n".join(self.problems)

    # navigation -----------------------------------------------------------------------------
    def follow_link(self, name: str | re.Pattern, within: str = "body", exact: bool = True) -> None:
        link = self.page.locator(within).get_by_role("link", name=name, exact=exact).first
        with self.page.expect_navigation():
            self.driver.activate(link)
        self.checkpoint()

    def open_menu(self, name: str | re.Pattern) -> None:
        """Follow a menu entry: open the phone's menu and the entry's task group first."""
        nav = self.page.locator("nav.main-nav")
        toggle = self.page.locator("button.menu-button")
        if toggle.is_visible() and toggle.get_attribute("aria-expanded") != "true":
            self.driver.activate(toggle)
        link = nav.get_by_role("link", name=name, exact=True).first
        if not link.is_visible():
            # a link in a closed <details> is hidden, so it is looked up with hidden ones
            entry = self.page.get_by_role("link", name=name, exact=True, include_hidden=True)
            group = nav.locator("details.nav-menu").filter(has=entry).first
            self.driver.activate(group.locator("summary"))
        with self.page.expect_navigation():
            self.driver.activate(link)
        self.checkpoint()

    def submit(self, name: str | re.Pattern, within: str = "main") -> None:
        button = self.page.locator(within).get_by_role("button", name=name).first
        with self.page.expect_navigation():
            self.driver.activate(button)
        self.checkpoint()

    def field(self, name: str) -> Locator:
        return self.page.locator(f"#field-{name}")

    def skip_to_content(self) -> None:
        """The first Tab reaches the skip link; Enter moves focus to the main content."""
        self.page.keyboard.press("Tab")
        skip = self.page.locator("a.skip-link")
        assert skip.evaluate(_IS_FOCUSED), "the first Tab does not reach the skip link"
        assert skip.bounding_box()["x"] >= 0, "the focused skip link is not visible"
        self.page.keyboard.press("Enter")
        assert self.page.evaluate("document.activeElement.id") == "main"


# The pages of the shared kernel ---------------------------------------------------------------

LANGUAGE_LINK = {"en": "English", "zh": "中文"}


def switch_language(site: Site, code: str) -> None:
    site.follow_link(LANGUAGE_LINK[code], within="nav.lang-switch")
    expect(site.page.locator("html")).to_have_attribute("lang", "en" if code == "en" else "zh-CN")


def log_in(site: Site, username: str, password: str) -> None:
    """From any page: the menu's login link, the form, then back on the home page."""
    site.open_menu(ui("Log in"))
    site.driver.type_into(site.field("username"), username)
    site.driver.type_into(site.field("password"), password)
    site.submit(ui("Log in"))
    expect(site.page.locator("nav.main-nav form button")).to_have_count(1)  # "Log out"


def start(make_site, mode: str, lang: str, username: str | None = None, password: str = "") -> Site:
    """The home page (the skip link first in keyboard mode), the language, then the login when a
    user is given: how every journey begins."""
    site = make_site(mode, audit=mode == "mouse")
    site.open("/")
    if mode == "keyboard":
        site.skip_to_content()
    if lang == "en":
        switch_language(site, "en")
    if username:
        log_in(site, username, password)
    return site


def failed_form_problems(site: Site, fields: list[str]) -> list[str]:
    return error_announcement_problems(site.page, fields)


def search_people(site: Site, query: str) -> None:
    site.driver.type_into(site.page.locator("form[role=search] input[type=search]"), query)
    site.submit(ui("Search"))


def open_person(site: Site, name: str) -> None:
    site.follow_link(name, within="main table")
    expect(site.page.locator("h1")).to_have_text(name)


def fill_person_form(site: Site, person: dict) -> None:
    """Fill the registration form; `person` maps field names to values (bool for check boxes,
    "1"/"0" for a yes/no choice)."""
    for name, value in person.items():
        radios = site.page.locator(f"input[type=radio][name='{name}']")
        if radios.count():
            choose_radio(site, radios, value)
            continue
        target = site.field(name)
        kind = target.evaluate("el => el.tagName.toLowerCase() + ':' + (el.type || '')")
        if kind.startswith("select"):
            site.driver.choose(target, value)
        elif kind == "input:checkbox":
            site.driver.tick(target, bool(value))
        else:
            site.driver.type_into(target, value)


def choose_radio(site: Site, radios: Locator, value: str) -> None:
    """Tick one radio of a group: a click, or Tab to the group then the arrow keys."""
    wanted = radios.and_(site.page.locator(f"[value='{value}']"))
    if not site.driver.keyboard_only:
        wanted.click()
    else:
        site.driver.focus(radios.first)
        values = [radios.nth(i).get_attribute("value") for i in range(radios.count())]
        if values.index(value) == 0:
            site.page.keyboard.press("Space")
        for _ in range(values.index(value)):
            site.page.keyboard.press("ArrowRight")
    assert wanted.is_checked()


def follow_error_link(site: Site, field: str) -> None:
    """Use the error summary's link to reach a field: focus lands on the field."""
    link = site.page.locator(f".error-summary a[href='#field-{field}']")
    site.driver.activate(link)
    assert site.page.evaluate("document.activeElement.id") == f"field-{field}"


# The pages of the domain packages -------------------------------------------------------------


def press(site: Site, target: Locator) -> None:
    """Press a button or follow a link that loads a new page, then check that page."""
    with site.page.expect_navigation():
        site.driver.activate(target)
    site.checkpoint()


def notice(site: Site) -> Locator:
    """The flashed message of the page (a polite live region)."""
    return site.page.locator("main .notice[role=status]")


def download(site: Site, link: Locator, folder: Path) -> Path:
    """Download what a link offers (Enter on the focused link in keyboard mode); returns the file."""
    with site.page.expect_download() as info:
        site.driver.activate(link)
    target = folder / info.value.suggested_filename
    info.value.save_as(target)
    return target


def pick_file(site: Site, target: Locator, path: Path) -> None:
    """Choose a file for an <input type=file>: the chooser opens by click, or Space on focus."""
    with site.page.expect_file_chooser() as chooser:
        if site.driver.keyboard_only:
            site.driver.focus(target)
            site.page.keyboard.press("Space")
        else:
            target.click()
    chooser.value.set_files(path)


def contains(text: str) -> re.Pattern:
    """An accessible name that contains `text` (for names built from a record's title)."""
    return re.compile(re.escape(text))


def announced_errors(site: Site, fields: list[str]) -> None:
    """A failed form: one error summary, focused, role=alert, linking to each field."""
    assert site.page.locator(".error-summary").count() == 1, "the form did not fail"
    problems = failed_form_problems(site, fields)
    assert not problems, problems
