"""Every English msgid of training/ and templates/training/ has a Chinese translation."""

import re

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from core.config import BASE_DIR
from tests.integration.test_core_support import isolated_client

KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
SOURCES = (("training", "**.py", "python"), ("templates/training", "**.html", "jinja2"))
CATALOGUE = BASE_DIR / "training" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def _msgids() -> set[str]:
    found = set()
    for folder, pattern, method in SOURCES:
        for _file, _line, message, _comments, _context in extract_from_dir(
            str(BASE_DIR / folder), method_map=[(pattern, method)], keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def _catalogue():
    with CATALOGUE.open("rb") as handle:
        return read_po(handle)


def test_every_msgid_has_a_chinese_translation():
    catalogue = _catalogue()
    msgids = _msgids()
    assert len(msgids) > 100
    missing = sorted(m for m in msgids if not (catalogue.get(m) and catalogue.get(m).string))
    assert missing == []


def test_translations_keep_their_placeholders_and_are_not_fuzzy():
    for message in _catalogue():
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        assert sorted(PLACEHOLDER.findall(message.id)) == sorted(
            PLACEHOLDER.findall(message.string)
        ), message.id


def test_pages_render_in_both_languages(app):
    client = isolated_client(app)
    zh = client.get("/training/notice").get_data(as_text=True)
    en = client.get("/training/notice?lang=en").get_data(as_text=True)
    assert (
        "培训机构和培训项目公示" in zh and "Public notice of training providers and courses" in en
    )
    home = client.get("/").get_data(as_text=True)
    assert 'href="/training/notice"' in home
