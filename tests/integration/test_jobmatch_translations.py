"""Every English msgid of jobmatch/ and templates/jobmatch/ has a Chinese translation."""

import re

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po
from flask_babel import refresh

from core.config import BASE_DIR

KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}
SOURCES = (("jobmatch", "**.py", "python"), ("templates/jobmatch", "**.html", "jinja2"))
CATALOGUE = BASE_DIR / "jobmatch" / "translations" / "zh" / "LC_MESSAGES" / "messages.po"
PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")


def msgids() -> set[str]:
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
    found = msgids()
    assert len(found) > 150
    missing = sorted(m for m in found if not (catalogue.get(m) and catalogue.get(m).string))
    assert missing == []


def test_translations_keep_their_placeholders_and_are_not_fuzzy():
    for message in _catalogue():
        if not message.id:
            continue
        assert not message.fuzzy, message.id
        assert sorted(PLACEHOLDER.findall(message.id)) == sorted(
            PLACEHOLDER.findall(message.string)
        ), message.id


def test_pages_render_in_both_languages(client, auth, counselor):
    auth.login(counselor)
    zh = client.get("/jobmatch/referrals").get_data(as_text=True)
    refresh()  # the test's app context is shared by its requests; forget the cached locale
    en = client.get("/jobmatch/referrals?lang=en").get_data(as_text=True)
    assert "各状态的推荐数" in zh and "Referrals by status" in en
