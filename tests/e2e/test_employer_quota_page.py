"""The employer's quota page (/quota/employers/<id>) in Chinese at 1280 and 375 px: each credit
flag is a card whose grade and status read on one line (they were squeezed to one character a
line in a six-column table), the page fits a phone, the rule cited is a regulation (not the design
document), and axe finds nothing serious or critical. Screenshots go to $SCREENSHOT_DIR (or the
test's temporary folder)."""

import os
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.a11y import Auditor

pytestmark = pytest.mark.e2e

_FLAG_JS = """() => [...document.querySelectorAll('main .card dl.facts')].map(dl => {
  const cells = {};
  for (const dt of dl.querySelectorAll('dt')) {
    const dd = dt.nextElementSibling, box = dd.getBoundingClientRect();
    const line = parseFloat(getComputedStyle(dd).lineHeight) || 24;
    cells[dt.textContent.trim()] = {text: dd.textContent.trim(), width: box.width,
                                    lines: Math.round(box.height / line)};
  }
  return cells; })"""
_OVERFLOW_JS = """(width) => [...document.body.querySelectorAll('main *')].filter(el => {
  if (el.closest('.table-wrap, .visually-hidden')) return false;
  const box = el.getBoundingClientRect();
  return box.width > 0 && box.right > width + 1; }).map(el => el.tagName.toLowerCase()).slice(0, 6)"""


def _flagged_employer_page(page, base: str, password: str) -> None:
    page.goto(base + "/login?lang=zh")
    page.fill("#field-username", "admin")
    page.fill("#field-password", password)
    with page.expect_navigation():
        page.locator("main button[type=submit]").click()
    page.goto(base + "/quota/admin/flags?lang=zh")
    link = page.locator("main table a[href*='/quota/employers/']").first
    expect(link).to_have_count(1)
    with page.expect_navigation():
        link.click()


@pytest.mark.parametrize("width", [1280, 375])
def test_credit_flags_read_on_one_line_and_cite_the_regulation(
    new_page, live_server, tmp_path, width
):
    page = new_page(width=width, height=900)
    _flagged_employer_page(page, live_server.url, live_server.facts["password"])
    assert page.evaluate("document.documentElement.lang") == "zh-CN"
    flags = page.evaluate(_FLAG_JS)
    assert flags, "the demo employer shows no credit flag"
    for cells in flags:
        for label in ("等级", "状态"):
            cell = cells[label]
            assert cell["lines"] == 1 and cell["width"] >= 4 * 14, (width, label, cell)
        rule = cells["依据"]["text"]
        assert "DESIGN" not in rule and ("条例" in rule or "财税〔2015〕72号" in rule), rule
    assert not page.evaluate(_OVERFLOW_JS, width), "wider than the screen"
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    section = page.locator("main h2", has_text="信用标记")
    section.scroll_into_view_if_needed()
    page.screenshot(path=str(folder / f"employer-quota-flags-zh-{width}.png"), full_page=True)
    problems = Auditor().audit(page, f"employer quota page {width}px")
    assert not problems, problems
