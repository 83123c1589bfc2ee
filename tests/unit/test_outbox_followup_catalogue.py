"""Every English msgid of the followup package and its templates has a Chinese translation."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "_l": None, "gettext": None, "lazy_gettext": None}


def msgids() -> set[str]:
    found = set()
    sources = (("followup", [("**.py", "python")]), ("templates/followup", [("**.html", "jinja2")]))
    for folder, mapping in sources:
        for _file, _line, message, _comments, _context in extract_from_dir(
            ROOT / folder, mapping, keywords=KEYWORDS
        ):
            found.add(message if isinstance(message, str) else message[0])
    return found


def test_the_followup_catalogue_translates_every_msgid():
    with (ROOT / "followup/translations/zh/LC_MESSAGES/messages.po").open("rb") as handle:
        catalog = read_po(handle)
    translated = {m.id for m in catalog if m.id and m.string}
    missing = sorted(msgids() - translated)
    assert not missing, missing
