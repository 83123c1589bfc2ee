"""Journeys through the domain packages, each with the mouse and with the keyboard alone.

A counselor reads a seeker's matches and refers; an employer files its quota review by the web
form and by Excel upload and reads its assessment; a graduate reads recommendations, enrols in a
course and reads a follow-up message; anyone uses the public quota and training pages. Each runs
in Chinese with the mouse and with the keyboard, and once in English. The mouse runs audit every
page state they reach (axe at 1280 and 320 px, reflow at 320 px and 200% zoom); the keyboard runs
prove the same steps work with Tab, Enter, Space and the arrow keys only.
"""

import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from tests.e2e import pages
from tests.e2e.pages import contains, notice, press, start, ui

pytestmark = pytest.mark.e2e

MODES = [
    pytest.param("mouse", "zh", id="mouse-zh"),
    pytest.param("keyboard", "zh", id="keyboard-zh"),
    pytest.param("mouse", "en", id="mouse-en"),
]
NUMBER = re.compile(r"-?\d{1,3}(,\d{3})*(\.\d+)?")  # grouped by thousands


def ui_in(msgid: str) -> re.Pattern:
    """Text containing the English msgid or one of its Chinese translations."""
    return re.compile(ui(msgid).pattern.removeprefix("^").removesuffix("$"))


# 1. A counselor reads the matches of a seeker and refers them -------------------------------


def _check_ranked(card) -> None:
    """A ranked post: reasons in words and a factor table whose contributions add up."""
    assert card.locator("p").first.inner_text().strip(), "a ranked post has no reasons"
    rows = card.locator("table.factors tbody tr")
    assert rows.count() >= 3, "the factor table lists no factors"
    cells = [rows.nth(i).locator("td").last.inner_text() for i in range(rows.count())]
    *parts, total = (float(c) for c in cells)
    assert abs(sum(parts) - total) <= 0.0006 * len(parts) + 1e-9, (parts, total)


def _check_excluded(site) -> None:
    expect(site.page.locator("main h2#excluded")).to_be_visible()
    rows = site.page.locator("main h2#excluded + .table-wrap tbody tr")
    for i in range(rows.count()):
        assert rows.nth(i).locator("li").count() >= 1, "an excluded post gives no reason"


@pytest.mark.parametrize(("mode", "lang"), MODES)
def test_counselor_reads_matches_refers_and_records_outcome(make_site, live_server, mode, lang):
    facts = live_server.facts
    seeker = facts["seeker"]
    site = start(make_site, mode, lang, "counselor", facts["password"])
    site.open_menu(ui("Seekers and matches"))
    pages.search_people(site, seeker["name"])
    site.follow_link(contains(seeker["name"]), within="main table", exact=False)
    expect(site.page.locator("h1")).to_contain_text(seeker["name"])
    cards = site.page.locator("main section.card")
    if cards.count() == 0:
        pytest.skip(
            "jobmatch demo data: no open post fits the demo seeker "
            f"{seeker['name']} (needs open posts and a matching profile)"
        )
    _check_ranked(cards.first)
    _check_excluded(site)

    card = site.page.locator("main section.card:has(form[action$='/refer'])").first
    if card.count() == 0:
        pytest.skip("jobmatch demo data: the seeker was already referred to every ranked post")
    title = card.locator("h3 a").inner_text().strip()
    site.driver.type_into(card.locator("input[name=reason]"), "E2E 推荐")
    site.driver.tick(card.locator("input[name=seeker_consented]"))
    press(site, card.locator("button[type=submit]"))
    expect(site.page.locator("h1")).to_contain_text(title)
    expect(notice(site)).to_contain_text(seeker["name"])

    # A refusal needs a reason: the form says so, and the summary leads to the field.
    site.driver.choose(site.field("status"), "not_hired")
    site.submit(ui("Record the outcome"))
    pages.announced_errors(site, ["reason"])
    pages.follow_error_link(site, "reason")
    site.driver.type_into(site.field("reason"), "岗位要求驾驶执照")
    site.submit(ui("Record the outcome"))
    expect(notice(site)).to_be_visible()
    expect(site.page.locator("main dl.facts")).to_contain_text(ui_in("Not hired"))
    expect(site.page.locator("main form[action$='/outcome']")).to_have_count(0)
    site.assert_accessible()


# 2. An employer files its quota review and reads its assessment -----------------------------


def _employer(live_server) -> dict:
    employer = live_server.facts.get("employer") or {}
    if not employer:
        pytest.skip("core demo data: no account employer1 linked to an employer")
    return employer


def _open_review(site, employer: dict) -> None:
    site.open_menu(ui("My quota review"))
    expect(site.page.locator("h1")).to_contain_text(employer["name"])


def _read_assessment(site, year: int) -> None:
    """The assessment of the year: its figures and the explanation, step by step."""
    section = site.page.locator(f"main section[aria-labelledby='year-{year}']")
    if section.count() == 0:
        pytest.skip(f"quota demo data: employer1 has no assessment for {year} yet")
    figures = section.locator("table tbody tr")
    assert figures.count() >= 5, "the assessment lists no figures"
    levy = figures.nth(6).locator("td").inner_text()
    assert NUMBER.fullmatch(levy.strip()), levy
    steps = section.locator("ol.explanation li")
    assert steps.count() >= 3, "the assessment is not explained"
    assert "=" in steps.nth(1).inner_text()  # after the line naming the data and its sources


@pytest.mark.parametrize(("mode", "lang"), MODES)
def test_employer_files_by_web_form_and_reads_assessment(make_site, live_server, mode, lang):
    employer = _employer(live_server)
    year = employer["year"]
    site = start(make_site, mode, lang, "employer1", live_server.facts["password"])
    _open_review(site, employer)
    _read_assessment(site, year)
    press(site, site.page.locator(f"main a[href$='/quota/filings/form/{year}']"))

    amending = site.field("reason").count() == 1
    headcount = site.field("m1").input_value() or "120"
    for month in range(1, 13):
        if not site.field(f"m{month}").input_value():
            site.driver.type_into(site.field(f"m{month}"), headcount)
    if not site.field("wage_total").input_value():
        site.driver.type_into(site.field("wage_total"), "9600000")
    rows = site.page.locator("main fieldset.row")
    shown, typed = rows.count(), site.field("wage_total").input_value()
    press(site, site.page.locator("main form button[value=more_rows]"))
    expect(rows).to_have_count(shown + 10)  # what was typed stays, focus goes to the first new row
    expect(site.field("wage_total")).to_have_value(typed)
    expect(site.field(f"emp-{shown}-certificate_no")).to_be_focused()
    site.driver.type_into(site.field("m1"), "一百")  # not a number
    submit = site.page.locator("main form button[value=submit]")
    press(site, submit)
    pages.announced_errors(site, ["m1"])
    pages.follow_error_link(site, "m1")
    site.driver.type_into(site.field("m1"), headcount)
    if amending:
        site.driver.type_into(site.field("reason"), "更正：补报一名残疾职工的在岗月数")
    press(site, submit)
    # check your answers, then the receipt with its reference and what happens next
    expect(site.page.locator("h1")).to_have_text(ui("Check your answers before submitting"))
    press(site, site.page.locator("main form button[value=submit]"))
    expect(site.page.locator("h1")).to_have_text(
        ui("Amendment received") if amending else ui("Filing received")
    )
    expect(site.page.locator("main .reference")).to_have_text(re.compile(r"^QR\d{4}-\d{6}-"))
    expect(site.page.locator("main ol.steps li")).to_have_count(4)

    _open_review(site, employer)
    _read_assessment(site, year)
    site.assert_accessible()


@pytest.mark.parametrize(("mode", "lang"), MODES)
def test_counselor_records_and_withdraws_a_nominal_hire(make_site, live_server, mode, lang):
    filing_id = live_server.facts.get("counselor_filing")
    if filing_id is None:
        pytest.skip("the demo has no filing with an accepted claim in the counselor's county")
    site = start(make_site, mode, lang, "counselor", live_server.facts["password"])
    site.open(f"/quota/filings/{filing_id}")
    section = site.page.locator("main section[aria-labelledby=nominal-hires]")
    site.driver.type_into(site.field("note"), "走访核查：本人长期未到岗")
    site.submit(ui("Record a nominal hire"))
    expect(notice(site)).to_contain_text(
        ui_in("The nominal hire was recorded; the filing was verified again.")
    )
    reason = section.locator("form.inline input[name=reason]").first
    site.driver.type_into(reason, "复核：本人确在岗")
    press(site, section.locator("form.inline button").first)
    expect(notice(site)).to_contain_text(
        ui_in("The finding was withdrawn; the filing was verified again.")
    )
    site.assert_accessible()


def _fill_template(path, folder, certificate: str, months: int, name: str):
    """The downloaded template with one employee row; months and wages kept or filled in."""
    book = load_workbook(path)
    filing, people = book.worksheets[:2]  # titled in the language it was downloaded in
    for row in filing.iter_rows(min_row=3, max_row=15):
        if row[1].value is None:
            row[1].value = 9_600_000 if row[0].row == 15 else 120  # row 15: the wage total
    filed = {row[0] for row in people.iter_rows(min_row=2, values_only=True)}
    if certificate not in filed:  # the template of a filed year already carries its employees
        people.append([certificate, None, months, "是", "是", "是"])
    target = folder / name
    book.save(target)
    return target


def _upload(site, workbook, reason: str | None) -> None:
    """Choose the workbook, give the amendment's reason (or submit at once), upload."""
    pages.pick_file(site, site.field("workbook"), workbook)
    if reason and site.field("reason").count():
        site.driver.type_into(site.field("reason"), reason)
    elif site.field("submit").count():
        site.driver.tick(site.field("submit"))
    press(site, site.page.locator("main form[enctype] button[type=submit]"))


@pytest.mark.parametrize(("mode", "lang"), MODES)
def test_employer_files_by_excel_upload(make_site, live_server, tmp_path, mode, lang):
    employer = _employer(live_server)
    year = employer["year"]
    certificate = employer.get("certificate")
    if not certificate:
        pytest.skip(f"quota demo data: employer1 claims no employee for {year}")
    site = start(make_site, mode, lang, "employer1", live_server.facts["password"])
    _open_review(site, employer)
    press(site, site.page.locator("main a[href*='/quota/filings/upload']"))
    template = pages.download(
        site, site.page.locator(f"main a[href$='/quota/filings/template/{year}.xlsx']"), tmp_path
    )
    good = _fill_template(template, tmp_path, certificate, 12, "good.xlsx")
    broken = certificate[:17] + ("0" if certificate[17] != "0" else "1") + certificate[18:]
    bad = _fill_template(template, tmp_path, broken, 13, "bad.xlsx")

    # A bad row: nothing is saved, the rows at fault are listed and announced.
    _upload(site, bad, "更正：按模板重新申报")
    summary = site.page.locator(".error-summary")
    expect(summary).to_have_count(1)
    problems = pages.failed_form_problems(site, [])
    assert not problems, problems
    expect(summary.locator("li")).to_contain_text([re.compile(r"(“职工”|\"Employees\").*2")])
    marked = pages.download(site, summary.locator("a[href*='/upload/errors/']"), tmp_path)
    # The template of a filed year carries its employees: the added bad row follows them.
    notes = [
        row[6] for row in load_workbook(marked).worksheets[1].iter_rows(min_row=2, values_only=True)
    ]
    assert notes[-1] and not any(notes[:-1]), "the bad row's error is not marked (or others are)"

    # An amendment without its reason: the summary names the field and leads to it.
    if site.field("reason").count():
        _upload(site, good, None)
        pages.announced_errors(site, ["reason"])
        pages.follow_error_link(site, "reason")
        site.driver.type_into(site.field("reason"), "更正：按模板重新申报")

    # The good workbook is read and saved; the assessment can be read again.
    _upload(site, good, "更正：按模板重新申报")
    expect(notice(site)).to_be_visible()
    source = "Excel upload" if lang == "en" else "Excel 上传"
    expect(site.page.locator("main dl.facts").first).to_contain_text(source)  # the receipt
    _open_review(site, employer)
    _read_assessment(site, year)
    site.assert_accessible()


@pytest.mark.parametrize(("mode", "lang"), MODES)
def test_employer_downloads_the_notice_and_applies_for_relief(
    make_site, live_server, tmp_path, mode, lang
):
    employer = _employer(live_server)
    year = employer["year"]
    site = start(make_site, mode, lang, "employer1", live_server.facts["password"])
    _open_review(site, employer)
    section = site.page.locator(f"main section[aria-labelledby='year-{year}']")
    link = section.locator("a[href$='/assessment_notice']")
    if link.count() == 0:
        pytest.skip(f"quota demo data: employer1 has no assessment for {year}")
    press(site, link)
    expect(site.page.locator("main .doc-number")).to_contain_text(re.compile(r"SH\d{4}-\d{7}"))
    pdf = pages.download(site, site.page.locator("main a[href$='.pdf']"), tmp_path)
    assert pdf.read_bytes().startswith(b"%PDF")
    site.assert_accessible()

    _open_review(site, employer)
    relief = section.locator("a[href*='kind=relief']")
    if relief.count() == 0:
        pytest.skip(f"quota demo data: employer1 owes no levy for {year}")
    press(site, relief)
    evidence = tmp_path / "loss.pdf"
    evidence.write_bytes(b"%PDF-1.4 flood damage report")
    site.driver.type_into(site.field("amount"), "1000")
    site.driver.type_into(site.field("reason"), "台风导致厂房受损，直接经济损失重大")
    pages.pick_file(site, site.field("evidence"), evidence)
    press(site, site.page.locator("main form button[type=submit]"))
    if site.page.locator(".error-summary").count():  # a request of this kind is already pending
        expect(site.page.locator(".error-summary")).to_contain_text(str(year))
        return
    expect(notice(site)).to_be_visible()
    expect(site.page.locator("main dl.facts")).to_contain_text(ui_in("Waiting for a decision"))
    expect(site.page.locator("main a[href*='/evidence/']")).to_contain_text("loss.pdf")
    site.assert_accessible()


# 3. A graduate reads recommendations, enrols in a course and reads a follow-up --------------


def _course_to_enrol(site, graduate: dict):
    """From My training: the page of a recommended course not enrolled in yet, and its button.

    Each run enrols once and a person enrols in a course only once, so when the recommended
    courses are all taken a later run opens another open course by its address (as from a
    link in a message).
    """
    enrolled = set(site.page.locator("main #enrolments ~ .table-wrap tbody th").all_inner_texts())
    rows = site.page.locator("main .table-wrap:has(form[action$='/enrol']) tbody tr th a")
    for i in range(rows.count()):
        if rows.nth(i).inner_text().strip() not in enrolled:
            press(site, rows.nth(i))
            button = site.page.locator("main form[action$='/enrol'] button")
            if button.count():
                return button
            site.open_menu(ui("My training"))
    for course_id in graduate.get("courses", []):
        site.open(f"/training/courses/{course_id}")
        title = site.page.locator("h1").inner_text().strip()
        button = site.page.locator("main form[action$='/enrol'] button")
        if title not in enrolled and button.count():
            return button
    pytest.skip("training demo data: no open course left for graduate1 to enrol in")


@pytest.mark.parametrize(("mode", "lang"), MODES)
def test_graduate_reads_recommendations_enrols_and_reads_followup(
    make_site, live_server, mode, lang
):
    graduate = live_server.facts.get("graduate") or {}
    if not graduate:
        pytest.skip("core demo data: no account graduate1 linked to a person")
    site = start(make_site, mode, lang, "graduate1", live_server.facts["password"])

    site.open_menu(ui("My recommendations"))
    cards = site.page.locator("main section.card")
    if cards.count() == 0:
        pytest.skip("jobmatch demo data: no recommendation for graduate1")
    assert cards.first.locator("li").count() >= 1, "a recommendation gives no reasons"
    site.follow_link(ui("Show the easy-read version"), within="main")
    assert cards.first.locator("p").count() >= 3, "the easy-read version gives no reasons"

    site.open_menu(ui("My training"))
    course = _course_to_enrol(site, graduate)
    title = site.page.locator("h1").inner_text().strip()
    press(site, course)
    expect(notice(site)).to_contain_text(title)
    expect(site.page.locator("main #enrolments ~ .table-wrap tbody th")).to_contain_text([title])

    site.open_menu(ui("My plan"))
    messages = site.page.locator("main ul.messages > li")
    if messages.count() == 0:
        pytest.skip("followup demo data: no message in the inbox of graduate1")
    assert messages.first.locator("p").first.inner_text().strip(), "an empty message"
    unread = site.page.locator("main ul.messages > li:has(form.mark-read)")
    if unread.count():
        message_id = unread.first.get_attribute("id")
        press(site, unread.first.locator("form.mark-read button"))
        expect(site.page.locator(f"#{message_id}")).to_be_visible()
        expect(site.page.locator(f"#{message_id} form.mark-read")).to_have_count(0)
    site.assert_accessible()


# 4. The public pages of the modules --------------------------------------------------------


@pytest.mark.parametrize(("mode", "lang"), MODES)
def test_public_quota_and_training_pages(make_site, live_server, mode, lang):
    site = start(make_site, mode, lang)

    site.open_menu(ui("Quota calculator"))
    site.driver.choose(site.field("unit_type"), "enterprise")
    site.driver.type_into(site.field("headcount"), "一百二十")
    site.driver.type_into(site.field("average_wage"), "96000")
    site.submit(ui("Calculate"))
    pages.announced_errors(site, ["headcount"])
    pages.follow_error_link(site, "headcount")
    site.driver.type_into(site.field("headcount"), "120")
    site.submit(ui("Calculate"))
    result = site.page.locator("main section[aria-labelledby=result-title]")
    expect(result).to_be_visible()
    assert result.locator("ol.explanation li").count() >= 3, "the result is not explained"

    site.open_menu(ui("Quota lists"))
    listed = site.page.locator("main table tbody th")
    if listed.count():
        name = listed.first.inner_text().strip()
        site.driver.type_into(site.page.locator("main #filter-q"), name)
        site.submit(ui("Search"))
        expect(site.page.locator("main table tbody th").first).to_have_text(name)

    site.open_menu(ui("Training"))
    courses = site.page.locator("main #courses ~ .table-wrap tbody th a")
    if courses.count():
        title = courses.first.inner_text().strip()
        press(site, courses.first)
        expect(site.page.locator("h1")).to_have_text(title)
    site.assert_accessible()
