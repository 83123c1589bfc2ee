"""Chinese by default, English on request: catalogue completeness, pages and API messages."""

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir, extract_from_file
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from core import DOMAIN_PACKAGES
from core.config import BASE_DIR
from tests import factories

CJK = re.compile(r"[\u4e00-\u9fff\u3000-\u303f\uff01-\uff5e]")  # ideographs or Chinese punctuation
PLACEHOLDER = re.compile(r"%\((\w+)\)s|%%")


# --- (a) every msgid has a Chinese translation -------------------------------------------------


def _method_map():
    with (BASE_DIR / "babel.cfg").open() as handle:
        return parse_mapping_cfg(handle, filename="babel.cfg")


def _sources() -> tuple[list[Path], list[Path]]:
    """The folders and files whose msgids must be translated, and the catalogues that may do it."""
    sources = [
        BASE_DIR / "core",
        BASE_DIR / "templates" / "core",
        BASE_DIR / "templates" / "errors",
        BASE_DIR / "templates" / "base.html",
        BASE_DIR / "templates" / "macros.html",
    ]
    catalogues = [BASE_DIR / "translations" / "zh" / "LC_MESSAGES" / "messages.po"]
    for package in DOMAIN_PACKAGES:
        catalogue = BASE_DIR / package / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
        if catalogue.exists():
            catalogues.append(catalogue)
            sources += [BASE_DIR / package, BASE_DIR / "templates" / package]
    return [s for s in sources if s.exists()], catalogues


def _extract(sources) -> dict[str, str]:
    """msgid -> first place it is used, by Babel's extractor with the project's babel.cfg."""
    method_map, options_map = _method_map()
    found: dict[str, str] = {}
    for source in sources:
        if source.is_dir():
            messages = (
                (Path(source, filename), message)
                for filename, _line, message, _comments, _context in extract_from_dir(
                    source, method_map, options_map
                )
            )
        else:
            method = "jinja2" if source.suffix == ".html" else "python"
            options = next(
                (options_map[p] for p, m in method_map if m == method and p in options_map), {}
            )
            messages = (
                (source, message)
                for _line, message, _comments, _context in extract_from_file(
                    method, str(source), options=options
                )
            )
        for where, message in messages:
            for msgid in message if isinstance(message, tuple) else (message,):
                if msgid:
                    found.setdefault(msgid, str(where.relative_to(BASE_DIR)))
    return found


def _translations(catalogues) -> dict[str, str]:
    merged: dict[str, str] = {}
    for path in catalogues:
        with path.open("rb") as handle:
            catalog = read_po(handle)
        for message in catalog:
            if message.id and message.string and not message.fuzzy:
                text = message.string if isinstance(message.string, str) else message.string[0]
                merged.setdefault(
                    message.id if isinstance(message.id, str) else message.id[0], text
                )
    return merged


def test_the_extractor_sees_python_lazy_strings_and_templates():
    found = _extract([BASE_DIR / "core", BASE_DIR / "templates" / "base.html"])
    assert "Job counselor" in found  # lazy_gettext (_l) in core/labels.py
    assert "Audit trail" in found  # core/navigation.py
    assert "Not found." in found  # core/errors.py
    assert "Skip to main content" in found  # templates/base.html


def test_every_msgid_has_a_chinese_translation():
    sources, catalogues = _sources()
    found = _extract(sources)
    translations = _translations(catalogues)
    missing = sorted(
        f"{where}: {msgid!r}" for msgid, where in found.items() if msgid not in translations
    )
    assert not missing, "untranslated:\n" + "\n".join(missing)
    # Translated without a Chinese character, rightly: a name, or figures and punctuation only.
    figures_only = {"API documentation", "%(label)s %(value)s (%(num)s of %(den)s)"}
    no_chinese = sorted(
        msgid
        for msgid in found
        if not CJK.search(translations[msgid]) and msgid not in figures_only
    )
    assert not no_chinese, f"translations without Chinese: {no_chinese}"


def test_catalogues_agree_on_shared_msgids():
    """All catalogues share one domain, so one msgid has one Chinese text (or the last one loaded wins)."""
    _, catalogues = _sources()
    seen: dict[str, tuple[str, str]] = {}
    conflicts = []
    for path in catalogues:
        with path.open("rb") as handle:
            for message in read_po(handle):
                if not (message.id and message.string) or not isinstance(message.id, str):
                    continue
                first = seen.setdefault(message.id, (message.string, path.parts[-5]))
                if first[0] != message.string:
                    conflicts.append(
                        f"{message.id!r}: {first} vs {(message.string, path.parts[-5])}"
                    )
    assert not conflicts, "\n".join(conflicts)


def test_translations_keep_their_placeholders():
    _sources_, catalogues = _sources()
    for msgid, text in _translations(catalogues).items():
        assert sorted(PLACEHOLDER.findall(msgid)) == sorted(PLACEHOLDER.findall(text)), msgid


def test_marshmallow_messages_are_in_the_core_catalogue():
    translations = _translations([BASE_DIR / "translations" / "zh" / "LC_MESSAGES" / "messages.po"])
    for msgid in (
        "Missing data for required field.",
        "Not a valid string.",
        "Not a valid integer.",
        "Not a valid number.",
        "Not a valid email address.",
        "Not a valid boolean.",
        "Not a valid date.",
        "Field may not be null.",
        "Unknown field.",
        "Invalid input type.",
        "Invalid JSON body.",
    ):
        assert CJK.search(translations.get(msgid, "")), msgid


# --- (b) pages --------------------------------------------------------------------------------


class _NavText(HTMLParser):
    """The text of each link and button inside <nav> and <header>."""

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.current: list[str] | None = None
        self.labels: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in ("nav", "header"):
            self.depth += 1
        elif self.depth and tag in ("a", "button"):
            self.current = []

    def handle_endtag(self, tag):
        if tag in ("nav", "header"):
            self.depth -= 1
        elif tag in ("a", "button") and self.current is not None:
            self.labels.append("".join(self.current).strip())
            self.current = None

    def handle_data(self, data):
        if self.current is not None:
            self.current.append(data)


def _nav_labels(page: str) -> list[str]:
    parser = _NavText()
    parser.feed(page)
    return [label for label in parser.labels if label]


def test_the_home_page_is_chinese_by_default(client):
    page = client.get("/").get_data(as_text=True)
    assert '<html lang="zh-CN">' in page
    assert "浙江省残疾人就业服务" in page and "跳到主要内容" in page
    assert "Skip to main content" not in page


def test_the_home_page_in_english(client):
    page = client.get("/?lang=en").get_data(as_text=True)
    assert '<html lang="en">' in page
    assert (
        "Skip to main content" in page
        and "Employment services for persons with disabilities" in page
    )
    assert "跳到主要内容" not in page


def test_the_language_switch_is_remembered(client):
    switch = client.get("/lang/en?next=/login")
    assert switch.status_code == 302 and switch.headers["Location"].endswith("/login")
    assert '<html lang="en">' in client.get("/").get_data(as_text=True)
    assert '<html lang="en">' in client.get("/login").get_data(as_text=True)
    client.get("/lang/zh")
    assert '<html lang="zh-CN">' in client.get("/").get_data(as_text=True)


def test_the_language_switch_ignores_unknown_languages_and_foreign_targets(client):
    assert client.get("/lang/fr").status_code == 302
    assert '<html lang="zh-CN">' in client.get("/").get_data(as_text=True)
    for target in ("//evil.example/", "https://evil.example/"):
        response = client.get(f"/lang/en?next={target}")
        assert "evil.example" not in response.headers["Location"]


def test_the_switch_link_offers_the_other_language(client):
    page = client.get("/").get_data(as_text=True)
    assert re.search(r'<a href="/lang/en\?next=[^"]*"[^>]*lang="en"[^>]*>English</a>', page)
    page = client.get("/?lang=en").get_data(as_text=True)
    assert re.search(r'<a href="/lang/zh\?next=[^"]*"[^>]*>中文</a>', page)


@pytest.mark.parametrize("role", ["admin", "counselor", "employer", "graduate"])
def test_the_menu_of_every_role_is_chinese(client, auth, role):
    links = {
        "counselor": {"county_code": "330106"},
        "employer": {"employer_id": lambda: factories.make_employer().id},
        "graduate": {"person_id": lambda: factories.make_person().id},
    }.get(role, {})
    user = factories.make_user(role, **{k: v() if callable(v) else v for k, v in links.items()})
    auth.login(user)
    for path in ("/", "/account"):
        page = client.get(path).get_data(as_text=True)
        labels = _nav_labels(page)
        assert "退出登录" in labels and "首页" in labels
        english = [
            label
            for label in labels
            if not CJK.search(label) and label not in {"English", user.username, user.display_name}
        ]
        assert not english, f"untranslated menu entries on {path}: {english}"


def test_the_admin_pages_have_chinese_headings(client, auth, admin):
    auth.login(admin)
    for path in (
        "/people",
        "/employers",
        "/admin/audit",
        "/people/new",
        "/employers/new",
        "/account",
    ):
        page = client.get(path).get_data(as_text=True)
        heading = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1)
        assert CJK.search(heading), (path, heading)
        assert page.count("<h1>") == 1, path


# --- (c) API messages -------------------------------------------------------------------------


def test_api_validation_errors_are_chinese_by_default_and_english_on_request(
    client, api_headers, admin
):
    headers = api_headers(admin)
    body = {"name": 5, "county_code": "330106", "consent": True}
    chinese = client.post("/api/v1/people", json=body, headers=headers).json["errors"]
    assert chinese == {"certificate_no": ["此项为必填项。"], "name": ["不是有效的字符串。"]}
    english = client.post(
        "/api/v1/people", json=body, headers={**headers, "Accept-Language": "en-GB,en;q=0.9"}
    ).json["errors"]
    assert english == {
        "certificate_no": ["Missing data for required field."],
        "name": ["Not a valid string."],
    }
    by_query = client.post("/api/v1/people?lang=en", json=body, headers=headers).json["errors"]
    assert by_query == english
    preferred = client.post(
        "/api/v1/people",
        json=body,
        headers={**headers, "Accept-Language": "zh-CN,zh;q=0.9,en;q=0.5"},
    ).json["errors"]
    assert preferred == chinese


def test_api_identity_messages_follow_the_language(client, api_headers, admin):
    headers = api_headers(admin)
    body = {"certificate_no": "123", "name": "x", "county_code": "330106", "consent": True}
    zh = client.post("/api/v1/people", json=body, headers=headers).json
    en = client.post("/api/v1/people", json=body, headers={**headers, "Accept-Language": "en"}).json
    assert zh == {"errors": {"certificate_no": ["残疾人证号应为 20 位，当前为 3 位。"]}}
    assert en == {
        "errors": {"certificate_no": ["A disability certificate number has 20 characters, not 3."]}
    }


def test_api_status_messages_follow_the_language(client):
    assert client.get("/api/v1/me").json == {"errors": {"_request": ["请先登录。"]}}
    english = client.get("/api/v1/me", headers={"Accept-Language": "en"}).json
    assert english == {"errors": {"_request": ["Please log in."]}}


def test_the_core_catalogue_wins_for_its_own_msgids(app):
    """Package catalogues share the gettext domain; a core msgid keeps the core's wording."""
    from flask_babel import gettext

    core = _translations([BASE_DIR / "translations" / "zh" / "LC_MESSAGES" / "messages.po"])
    with app.test_request_context("/"):
        wrong = {msgid: gettext(msgid) for msgid, text in core.items() if gettext(msgid) != text}
    assert not wrong
