"""Numbers of the quota review's documents: filing receipts, official notices and their verification.

- A filing receipt's reference (回执编号) names one version of one filing:
  `QR<data year>-<filing id, 6 digits>-<version, 2 digits>` and an ISO 7064 MOD 37-36 check
  character over the digits and letters, so a mistyped reference is recognised as such. It is derived,
  never stored: the pair (filing, version) is unique, so the reference is too.
- An official notice's number (文书编号) is `<prefix><year of issue>-<document id, 7 digits>`, where the
  prefix names the kind (SH 审核结果通知书, JK 缴款通知书, JL 奖励通知书, JM 减免缓缴决定书, FH 复核决定书).
- A notice's verification number (验证码) is 80 random bits from the caller's source of randomness
  (`secrets`), written as 16 characters of Crockford's base-32 alphabet in four groups: it cannot be
  guessed from another notice's number. Readers may type it in lower case, with or without dashes, and
  with I, L or O for 1, 1 or 0.

No Flask or database imports.
"""

from __future__ import annotations

import re

from stdnum.iso7064 import mod_37_36

DOCUMENT_KINDS = ("assessment_notice", "payment_notice", "reward_notice", "relief_decision")
KIND_PREFIX = {
    "assessment_notice": "SH",
    "payment_notice": "JK",
    "reward_notice": "JL",
    "relief_decision": "JM",
}
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
VERIFICATION_BYTES = 10  # 80 bits
VERIFICATION_LENGTH = 16  # characters of base 32
_RECEIPT = re.compile(r"QR(\d{4})-(\d{6,})-(\d{2,})-([0-9A-Z])")


def receipt_reference(data_year: int, filing_id: int, version: int) -> str:
    """The reference of one version of one filing, with its check character."""
    if filing_id < 1 or version < 1:
        raise ValueError("filing_id and version count from 1")
    body = f"QR{data_year:04d}-{filing_id:06d}-{version:02d}"
    return f"{body}-{mod_37_36.calc_check_digit(body.replace('-', ''))}"


def parse_receipt_reference(text: str) -> tuple[int, int, int] | None:
    """(data year, filing id, version) of a well-formed reference with a right check character."""
    match = _RECEIPT.fullmatch((text or "").strip().upper())
    if match is None:
        return None
    year, filing_id, version = (int(g) for g in match.groups()[:3])
    if int(filing_id) < 1 or version < 1:
        return None
    if receipt_reference(year, filing_id, version) != match.group(0):
        return None
    return year, filing_id, version


def document_number(kind: str, issued_year: int, document_id: int) -> str:
    """The number printed on an official notice, e.g. SH2026-0000123."""
    return f"{KIND_PREFIX[kind]}{issued_year:04d}-{document_id:07d}"


def verification_code(random_bytes: bytes) -> str:
    """A verification number from 10 random bytes: 16 base-32 characters, grouped by four."""
    if len(random_bytes) != VERIFICATION_BYTES:
        raise ValueError(f"expected {VERIFICATION_BYTES} random bytes")
    value = int.from_bytes(random_bytes, "big")
    chars = [CROCKFORD[(value >> (5 * i)) & 31] for i in reversed(range(VERIFICATION_LENGTH))]
    text = "".join(chars)
    return "-".join(text[i : i + 4] for i in range(0, VERIFICATION_LENGTH, 4))


def normalise_verification(text: str) -> str | None:
    """The stored form of a typed verification number, or None when it cannot be one."""
    cleaned = re.sub(r"[\s-]", "", (text or "")).upper()
    cleaned = cleaned.translate(str.maketrans({"I": "1", "L": "1", "O": "0"}))
    if len(cleaned) != VERIFICATION_LENGTH or any(c not in CROCKFORD for c in cleaned):
        return None
    return "-".join(cleaned[i : i + 4] for i in range(0, VERIFICATION_LENGTH, 4))
