"""A logging filter that masks resident ID and certificate numbers in every log line."""

import logging
import re

# 17 digits + digit/X, optionally followed by category and level digits (certificate). Only
# digits bound the match, so a number glued to a word ("ID330106...", "...123Xabc") is masked too.
_ID_PATTERN = re.compile(r"(?<!\d)(\d{6})\d{8}(\d{3}[\dXx])(\d{2})?(?!\d)")


def mask_numbers_in_text(text: str) -> str:
    """Replace each ID-like number in free text with its masked form."""

    def _mask(match: re.Match) -> str:
        tail = match.group(3) or ""
        return f"{match.group(1)}{'*' * 8}{match.group(2)}{tail}"

    return _ID_PATTERN.sub(_mask, text)


class MaskingFilter(logging.Filter):
    """Masks the message and any traceback (an exception's text may quote the number)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_numbers_in_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_numbers_in_text(record.exc_text)
        return True
