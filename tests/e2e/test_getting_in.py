"""Getting in, in the browser: an employer registers itself (a mistyped credit code first), the
federation approves it, the employer resets its password with the code the outbox sent; a
counselor invites a graduate, who makes their account from the link. Mouse and keyboard, zh and
en, 1280 and 375 px; the mouse runs audit every page (axe, reflow, zoom)."""

import itertools
import re
import sqlite3

import pytest
from playwright.sync_api import expect

from core import identity
from tests.e2e import pages

pytestmark = pytest.mark.e2e

RUNS = [
    pytest.param("mouse", "zh", 1280, id="mouse-zh-1280"),
    pytest.param("mouse", "en", 375, id="mouse-en-375"),
    pytest.param("keyboard", "zh", 375, id="keyboard-zh-375"),
    pytest.param("keyboard", "en", 1280, id="keyboard-en-1280"),
]
_serial = itertools.count(1)


def start(make_site, mode: str, lang: str, width: int):
    site = make_site(mode, audit=mode == "mouse")
    site.page.set_viewport_size({"width": width, "height": 900 if width > 400 else 812})
    site.open("/")
    if mode == "keyboard":
        site.skip_to_content()
    if lang == "en":
        pages.switch_language(site, "en")
    return site


def _outbox(live_server, sql: str, *args):
    """What the outbox holds (the code or link a person would receive by e-mail or SMS)."""
    with sqlite3.connect(live_server.facts["database"]) as connection:
        return connection.execute(sql, args).fetchone()


def _last_body(live_server, column: str, value) -> str:
    row = _outbox(
        live_server,
        f"SELECT m.body FROM message m JOIN user_account u ON u.id = m.user_id "
        f"WHERE u.{column} = ? ORDER BY m.id DESC LIMIT 1",
        value,
    )
    return row[0]


def _go_to_login(site) -> None:
    site.open_menu(pages.ui("Log in"))


@pytest.mark.parametrize(("mode", "lang", "width"), RUNS)
def test_employer_registers_is_approved_and_resets_its_password(
    make_site, new_page, live_server, auditor, mode, lang, width
):
    n = next(_serial)
    username = f"selfreg_{mode}_{lang}_{n}"
    code = identity.make_credit_code(f"91330106MA2E2E{n:03d}")
    name = f"自助注册{n}号有限公司"
    site = start(make_site, mode, lang, width)
    _go_to_login(site)
    site.follow_link(pages.ui("Register as an employer"), within="main")
    fields = {
        "credit_code": code[:9] + "O" + code[10:],  # a letter O typed for a digit
        "name": name,
        "unit_type": "enterprise",
        "county_code": live_server.facts["county"],
        "contact_name": "王经理",
        "contact_email": f"{username}@example.org",
        "username": username,
        "password": "first-pass-1",
        "password_confirm": "first-pass-1",
    }
    pages.fill_person_form(site, fields)
    site.submit(pages.ui("Send the registration"))
    summary = site.page.locator(".error-summary")
    expect(summary).to_contain_text("10")  # the message names the tenth character
    expect(summary).to_contain_text("O")
    pages.follow_error_link(site, "credit_code")
    pages.fill_person_form(
        site, {"credit_code": code, "password": "first-pass-1", "password_confirm": "first-pass-1"}
    )
    site.submit(pages.ui("Send the registration"))
    expect(site.page.locator("h1")).to_have_text(pages.ui("Registration received"))

    admin = make_site(mode, audit=mode == "mouse")
    admin.page.set_viewport_size(site.page.viewport_size)
    admin.open("/")
    if lang == "en":
        pages.switch_language(admin, "en")
    pages.log_in(admin, "admin", live_server.facts["password"])
    admin.open_menu(pages.ui("Employer registrations"))
    approve = admin.page.get_by_role("button", name=re.compile(re.escape(name)))
    expect(approve.first).to_be_visible()
    pages.press(admin, approve.first)  # "Approve …" comes before "Refuse …"
    expect(pages.notice(admin)).to_contain_text(name)

    _go_to_login(site)
    site.follow_link(pages.ui("Forgot your password?"), within="main")
    site.driver.type_into(site.field("username"), username)
    site.submit(pages.ui("Send the code"))
    expect(site.page.locator("h1")).to_have_text(pages.ui("Choose a new password"))
    sent = re.search(r"\b(\d{8})\b", _last_body(live_server, "username", username)).group(1)
    site.driver.type_into(site.field("code"), sent)
    site.driver.type_into(site.field("password"), "second-pass-2")
    site.driver.type_into(site.field("password_confirm"), "second-pass-2")
    site.submit(pages.ui("Change the password"))
    expect(site.page).to_have_url(re.compile(r"/login"))
    site.driver.type_into(site.field("username"), username)
    site.driver.type_into(site.field("password"), "second-pass-2")
    site.submit(pages.ui("Log in"))
    expect(site.page.locator("nav.main-nav form button")).to_have_count(1)
    site.assert_accessible()
    admin.assert_accessible()


def _invitee(live_server) -> tuple[int, str]:
    """A person of the counselor's county with a mobile number and no account, unique by name."""
    return _outbox(
        live_server,
        "SELECT p.id, p.name FROM person p WHERE p.county_code = ? AND p.phone IS NOT NULL "
        "AND p.id NOT IN (SELECT person_id FROM user_account WHERE person_id IS NOT NULL) "
        "AND p.id NOT IN (SELECT person_id FROM access_code WHERE person_id IS NOT NULL) "
        "ORDER BY p.id LIMIT 1",
        live_server.facts["county"],
    )


@pytest.mark.parametrize(("mode", "lang", "width"), RUNS)
def test_counselor_invites_and_the_graduate_makes_the_account(
    make_site, live_server, mode, lang, width
):
    person_id, name = _invitee(live_server)
    site = start(make_site, mode, lang, width)
    pages.log_in(site, "counselor", live_server.facts["password"])
    site.open(f"/people/{person_id}")
    pages.choose_radio(site, site.page.locator("#invite input[name=channel]"), "sms")
    pages.press(site, site.page.locator("#invite").get_by_role("button"))
    expect(pages.notice(site)).to_contain_text(name)
    body = _outbox(
        live_server,
        "SELECT body FROM message WHERE person_id = ? AND kind = 'invitation' ORDER BY id DESC",
        person_id,
    )[0]
    link = re.search(r"(/activate/[A-Za-z0-9_-]+)", body).group(1)

    graduate = start(make_site, mode, lang, width)
    graduate.open(link)
    expect(graduate.page.locator("h1")).to_have_text(pages.ui("Make your account"))
    username = f"invited_{person_id}"
    graduate.driver.type_into(graduate.field("username"), username)
    graduate.driver.type_into(graduate.field("password"), "invited-pass")
    graduate.driver.type_into(graduate.field("password_confirm"), "invited-pazz")
    graduate.submit(pages.ui("Make my account"))
    expect(graduate.page.locator(".error-summary")).to_be_visible()  # the two did not match
    graduate.driver.type_into(graduate.field("password"), "invited-pass")
    graduate.driver.type_into(graduate.field("password_confirm"), "invited-pass")
    graduate.submit(pages.ui("Make my account"))
    expect(graduate.page).to_have_url(re.compile(r"/login"))
    graduate.driver.type_into(graduate.field("username"), username)
    graduate.driver.type_into(graduate.field("password"), "invited-pass")
    graduate.submit(pages.ui("Log in"))
    expect(graduate.page.locator("nav.main-nav form button")).to_have_count(1)
    graduate.open(link)  # single use
    gone = pages.ui("This invitation link is not valid: it has expired or was already used.")
    expect(graduate.page.locator("main")).to_contain_text(re.compile(gone.pattern[1:-1]))
    site.assert_accessible()
    graduate.assert_accessible()
