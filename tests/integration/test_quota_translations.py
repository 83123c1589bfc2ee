"""Every message of quota/ and templates/quota/ has a Chinese translation in the package catalogue."""

from pathlib import Path

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[2]
KEYWORDS = {"_": None, "gettext": None, "_l": None, "lazy_gettext": None}


def _msgids(folder: str, method: str, pattern: str) -> set[str]:
    found = extract_from_dir(
        ROOT / folder,
        method_map=[(pattern, method)],
        keywords=KEYWORDS,
        options_map={pattern: {"extensions": "jinja2.ext.do"}} if method == "jinja2" else None,
    )
    return {message if isinstance(message, str) else message[0] for _f, _l, message, *_ in found}


def test_quota_catalogue_is_complete():
    wanted = _msgids("quota", "python", "**.py") | _msgids("templates/quota", "jinja2", "**.html")
    with (ROOT / "quota/translations/zh/LC_MESSAGES/messages.po").open("rb") as handle:
        catalogue = {m.id: m.string for m in read_po(handle) if m.id}
    missing = sorted(m for m in wanted if not catalogue.get(m))
    assert missing == []
    assert len(wanted) > 200


def test_pages_are_chinese(client):
    text = client.get("/quota/calculator").get_data(as_text=True)
    assert "残疾人就业保障金计算器" in text
