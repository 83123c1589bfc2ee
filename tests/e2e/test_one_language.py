"""One language at a time: a Chinese page shows no code (snake_case) and no English msgid,
checked on each role's home and menu pages (and a person's and an employer's page)."""

import re
from functools import cache

import pytest
from babel.messages.pofile import read_po

from tests.e2e.pages import ROOT

pytestmark = pytest.mark.e2e

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
# Visible text nodes, outside code samples and passages marked as another language.
_TEXTS_JS = """() => { const out = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode, parent = node.parentElement;
    if (!parent || parent.closest('code, script, style, [lang]:not(html), .visually-hidden')) continue;
    if (!parent.getClientRects().length) continue;
    const text = node.textContent.replace(/\\s+/g, ' ').trim();
    if (text) out.push(text);
  }
  return out; }"""


@cache
def _english_msgids() -> frozenset[str]:
    """Sentences and phrases of the catalogues (one word could be a name, so two words up)."""
    ids = set()
    for path in ROOT.glob("**/translations/zh/LC_MESSAGES/messages.po"):
        if ".venv" in path.parts:
            continue
        with path.open("rb") as handle:
            for message in read_po(handle):
                if isinstance(message.id, str) and " " in message.id and "%(" not in message.id:
                    ids.add(message.id)
    return frozenset(ids)


def _problems(page, path: str) -> list[str]:
    texts = page.evaluate(_TEXTS_JS)
    codes = sorted({code for text in texts for code in SNAKE.findall(text)})
    english = sorted({text for text in texts if text in _english_msgids()})
    return [f"{path}: code {c!r}" for c in codes] + [f"{path}: English {e!r}" for e in english]


@pytest.mark.parametrize("role", [None, "admin", "counselor", "employer1", "graduate1"])
def test_chinese_pages_show_no_codes_and_no_english(new_page, live_server, role):
    page = new_page()
    base = live_server.url
    page.goto(base + "/lang/zh")
    if role:
        page.goto(base + "/login")
        page.fill("#field-username", role)
        page.fill("#field-password", live_server.facts["password"])
        with page.expect_navigation():
            page.locator("main button[type=submit]").click()
    page.goto(base + "/")
    paths = page.eval_on_selector_all(
        "#main-nav-list a", "els => els.map(a => a.getAttribute('href'))"
    )
    if role in ("admin", "counselor"):
        paths.append(f"/people/{live_server.facts['seeker']['id']}")
    if role in ("admin", "employer1") and live_server.facts["employer"].get("id"):
        paths.append(f"/quota/employers/{live_server.facts['employer']['id']}")
    problems = []
    for path in dict.fromkeys(["/", *paths]):
        if path.startswith("/account"):
            continue
        page.goto(base + path)
        assert page.evaluate("document.documentElement.lang") == "zh-CN", path
        problems += _problems(page, path)
    assert not problems, "\n".join(problems)
