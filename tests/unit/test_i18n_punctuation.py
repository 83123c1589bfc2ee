"""Chinese text uses full-width punctuation: no half-width comma, colon, semicolon, question or
exclamation mark, or bracket beside a Chinese character in any catalogue's translations."""

import re

from babel.messages.pofile import read_po

from core.config import BASE_DIR

PLACEHOLDER = re.compile(r"%\(\w+\)s|%%")
HAN = r"\u4e00-\u9fff"
# A half-width mark right after or right before a Chinese character (spaces between allowed).
HALF_WIDTH_BESIDE_HAN = re.compile(rf"(?<=[{HAN}])\s*[,;:!?()]|[,;:!?()]\s*(?=[{HAN}])")


def _catalogues():
    return sorted(
        path
        for path in BASE_DIR.glob("**/translations/zh/LC_MESSAGES/messages.po")
        if ".venv" not in path.parts
    )


def half_width_marks(text: str) -> list[str]:
    """The half-width marks beside Chinese characters, placeholders (%(name)s) left out."""
    return [m.group(0).strip() for m in HALF_WIDTH_BESIDE_HAN.finditer(PLACEHOLDER.sub("X", text))]


def test_the_check_finds_half_width_marks_and_spares_placeholders_and_english():
    assert half_width_marks("金额须为正数(元),最多两位小数。") == ["(", ")", ","]
    assert half_width_marks("表头须为:%(columns)s。") == [":"]
    assert half_width_marks("新增 %(raised)s 条，解除 %(lifted)s 条。") == []
    assert half_width_marks("Levy (yuan), per year: 2025") == []


def test_every_chinese_translation_uses_full_width_punctuation():
    catalogues = _catalogues()
    assert len(catalogues) >= 6  # the core catalogue and one per package
    found = []
    for path in catalogues:
        with path.open("rb") as handle:
            for message in read_po(handle):
                strings = message.string if isinstance(message.string, tuple) else (message.string,)
                for text in strings:
                    if text and half_width_marks(text):
                        found.append(f"{path.relative_to(BASE_DIR)}: {text!r}")
    assert not found, "half-width punctuation in Chinese:\n" + "\n".join(found)
