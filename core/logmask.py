"""A logging filter that masks resident ID and certificate numbers in every log line."""

import logging
import re

# 17 digits + digit/X, optionally followed by category and level digits (certificate).
_ID_PATTERN = re.compile(r"(?<![0-9A-Za-z])(\d{6})\d{8}(\d{3}[\dXx])(\d{2})?(?![0-9A-Za-z])")


def mask_numbers_in_text(text: str) -> str:
    """Replace each ID-like number in free text with its masked form."""

    def _mask(match: re.Match) -> str:
        tail = match.group(3) or ""
        return f"{match.group(1)}{'*' * 8}{match.group(2)}{tail}"

    return _ID_PATTERN.sub(_mask, text)


class MaskingFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        masked = mask_numbers_in_text(message)
        if masked != message:
            record.msg, record.args = masked, None
        return True
