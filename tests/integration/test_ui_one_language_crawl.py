"""One language at a time (#16 item 6): every GET page a role reaches by following links, in
Chinese, shows no code (snake_case) and no untranslated English msgid.

The demo seed (the factories' province-wide data: people, employers, filings, assessments, flags,
courses, posts, referrals) is loaded once per backend; each role (anonymous, admin, counselor,
employer, graduate) logs in through the login form and follows every link of the pages it reaches,
at most PER_ENDPOINT pages of one route (a list of 2,000 people links 2,000 person pages of one
template). The visible text is what a reader meets: text nodes and the labels a screen reader reads
(aria-label, title, alt, placeholder), outside <script>, <style>, <code> and passages marked with
another language (lang="en" on the language switch)."""

import re
from functools import cache
from html.parser import HTMLParser
from urllib.parse import urldefrag, urlsplit

import pytest
from babel.messages.pofile import read_po
from sqlalchemy import select

from core.config import BASE_DIR
from core.demo import DEMO_PASSWORD
from core.extensions import db as _db
from core.models import User
from tests.support import fast_passwords, isolated_client

SNAKE = re.compile(r"\b[a-z]+(?:_[a-z0-9]+)+\b")
LOWER_WORD = re.compile(r"[a-z]{3,}")  # a text node of one lowercase word: a status code ("sent")
# Words that are names, not English sentences (a one-word msgid may be a product or a format).
PROPER = {"English", "Excel", "CSV", "JSON", "PDF", "API", "Wilson", "OpenAPI", "WPS"}
# Text that may look like a code and is not one a reader should not see.
ALLOWED = (
    re.compile(r"https?://\S+"),  # addresses
    re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+"),  # e-mail addresses
)
PER_ENDPOINT = 3  # pages of one route (one template) per role
MAX_PAGES = 400  # per role, a guard against a crawl that does not end
SKIP_PREFIXES = ("/lang/", "/logout", "/api/", "/static/", "/verify/")
DOWNLOADS = re.compile(r"\.(csv|xlsx|pdf|json|png|jpg)$")
ROLES = (None, "admin", "counselor", "employer1", "graduate1")


@pytest.fixture(autouse=True)
def _fast_passwords(monkeypatch):
    fast_passwords(monkeypatch)


@cache
def english_msgids() -> frozenset[str]:
    """The catalogues' msgids (no placeholder; product names left out): shown as is, untranslated."""
    ids = set()
    for path in BASE_DIR.glob("**/translations/zh/LC_MESSAGES/messages.po"):
        if ".venv" in path.parts:
            continue
        with path.open("rb") as handle:
            for message in read_po(handle):
                if isinstance(message.id, str) and "%" not in message.id:
                    text = " ".join(message.id.split())
                    if re.search(r"[A-Za-z]{2,}", text) and text not in PROPER:
                        ids.add(text)
    return frozenset(ids)


class VisibleText(HTMLParser):
    """The text a reader meets, and the links of the page."""

    SKIP = {"script", "style", "code", "template"}
    LABELS = ("aria-label", "title", "alt", "placeholder")

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.skipping: list[str] = []
        self.texts: list[str] = []
        self.links: list[str] = []

    def handle_starttag(self, tag, attrs):
        values = dict(attrs)
        if tag == "a" and values.get("href"):
            self.links.append(values["href"])
        if self.skipping or tag in self.SKIP or (values.get("lang") and tag != "html"):
            if tag not in ("br", "img", "input", "meta", "link", "hr", "source", "wbr"):
                self.skipping.append(tag)
            return
        self.texts += [values[name] for name in self.LABELS if values.get(name)]

    def handle_startendtag(self, tag, attrs):
        values = dict(attrs)
        if not self.skipping:
            self.texts += [values[name] for name in self.LABELS if values.get(name)]

    def handle_endtag(self, tag):
        if self.skipping and self.skipping[-1] == tag:
            self.skipping.pop()

    def handle_data(self, data):
        text = " ".join(data.split())
        if text and not self.skipping:
            self.texts.append(text)


def problems_of(texts: list[str], names: frozenset[str] = frozenset()) -> list[str]:
    """The codes and the untranslated msgids among a page's texts (`names`: the accounts' user
    names, which are data a person chose, not codes)."""
    found = []
    for text in texts:
        if text in names:
            continue
        cleaned = text
        for pattern in ALLOWED:
            cleaned = pattern.sub(" ", cleaned)
        found += [f"code {code!r} in {text[:80]!r}" for code in SNAKE.findall(cleaned)]
        if text in english_msgids():
            found.append(f"English {text!r}")
        elif LOWER_WORD.fullmatch(text):
            found.append(f"code {text!r}")
    return found


def test_the_visible_text_check_finds_codes_and_english_and_spares_the_rest():
    parser = VisibleText()
    parser.feed(
        '<h1>状态：non_filers</h1><p lang="en">English</p><code>person_id</code>'
        '<a href="/x" aria-label="Skip to main content">跳过</a><p>https://a.example/b_c d@e_f.cn</p>'
        "<script>var some_code = 1;</script><p>CN-ZJ-2025-v1</p><td>sent</td><td>Excel</td>"
        "<td>Done</td>"
    )
    assert problems_of(parser.texts) == [
        "code 'non_filers' in '状态：non_filers'",
        "English 'Skip to main content'",
        "code 'sent'",
        "English 'Done'",
    ]
    assert parser.links == ["/x"]


def _login(client, username):
    response = client.post("/login", data={"username": username, "password": DEMO_PASSWORD})
    assert response.status_code == 302, (username, response.data[:300])


def _crawl(app, client, names: frozenset[str]) -> tuple[list[str], int]:
    adapter = app.url_map.bind("localhost")
    per_endpoint: dict[str, int] = {}
    queue, seen, problems, pages = ["/"], {"/"}, [], 0
    while queue and pages < MAX_PAGES:
        path = queue.pop(0)
        response = client.get(path)
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        pages += 1
        page = response.get_data(as_text=True)
        if '<html lang="zh-CN">' not in page:
            problems.append(f"{path}: not a Chinese page")
        parser = VisibleText()
        parser.feed(page)
        problems += [f"{path}: {p}" for p in problems_of(parser.texts, names)]
        for href in parser.links:
            url = urldefrag(href)[0]
            parts = urlsplit(url)
            if parts.scheme or parts.netloc or not parts.path.startswith("/"):
                continue
            if parts.path.startswith(SKIP_PREFIXES) or DOWNLOADS.search(parts.path):
                continue
            if url in seen:
                continue
            seen.add(url)
            try:
                endpoint, _args = adapter.match(parts.path, method="GET")
            except Exception:  # noqa: BLE001  (no GET route: not a page to read)
                continue
            per_endpoint[endpoint] = per_endpoint.get(endpoint, 0) + 1
            if per_endpoint[endpoint] <= PER_ENDPOINT:
                queue.append(url)
    return problems, pages


def test_no_chinese_page_shows_a_code_or_an_english_msgid(app):
    from core.cli import seed_demo_data

    seed_demo_data()
    names = frozenset(_db.session.scalars(select(User.username)))
    report, reached = [], {}
    for role in ROLES:
        client = isolated_client(app)
        client.get("/lang/zh")
        if role:
            _login(client, role)
        problems, pages = _crawl(app, client, names)
        reached[role or "anonymous"] = pages
        report += [f"[{role or 'anonymous'}] {p}" for p in dict.fromkeys(problems)]
    print("pages reached:", reached)
    assert min(reached.values()) >= 5, reached  # each role reached its pages
    assert reached["admin"] >= 60 and reached["counselor"] >= 30, reached
    assert not report, f"{len(report)} problems:\n" + "\n".join(report)
