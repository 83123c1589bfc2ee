"""Numbers of the quota documents: receipt references and verification numbers."""

import secrets

import pytest

from quota.rules.documents import (
    document_number,
    normalise_verification,
    parse_receipt_reference,
    receipt_reference,
    verification_code,
)


def test_receipt_reference_is_unique_per_version_and_checked():
    first, second = receipt_reference(2025, 123, 1), receipt_reference(2025, 123, 2)
    assert first.startswith("QR2025-000123-01-") and first != second
    assert parse_receipt_reference(second.lower()) == (2025, 123, 2)
    body, check = first.rsplit("-", 1)
    wrong = next(c for c in "0123456789" if c != check)
    assert parse_receipt_reference(f"{body}-{wrong}") is None  # a typo is recognised
    assert parse_receipt_reference("QR2025-000123-01") is None
    with pytest.raises(ValueError):
        receipt_reference(2025, 0, 1)


def test_document_number_names_the_kind():
    assert document_number("assessment_notice", 2026, 42) == "SH2026-0000042"
    assert document_number("payment_notice", 2026, 42) == "JK2026-0000042"


def test_verification_codes_are_random_and_read_back_leniently():
    codes = {verification_code(secrets.token_bytes(10)) for _ in range(200)}
    assert len(codes) == 200
    code = verification_code(bytes(range(10)))
    assert len(code) == 19 and code.count("-") == 3
    typed = code.replace("-", "").lower().replace("1", "l").replace("0", "o")
    assert normalise_verification(typed) == code
    assert normalise_verification(code[:-1]) is None
    assert normalise_verification(code[:-1] + "U") is None  # U is not in the alphabet
    with pytest.raises(ValueError):
        verification_code(b"short")
