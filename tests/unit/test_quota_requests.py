"""Decisions on requests after the assessment (relief, deferral, review, reward) and the review period."""

from datetime import date
from decimal import Decimal

import pytest

from quota.rules.requests import (
    DecisionError,
    check_decision,
    evidence_type,
    review_deadline,
    review_period_open,
)

DEADLINE = date(2026, 12, 31)


def test_relief_in_full_in_part_or_refused():
    asked = Decimal("50000.00")
    full = check_decision("relief", "approve", "", asked, None)
    assert (full.status, full.amount) == ("approved", asked)
    part = check_decision("relief", "partly", "损失核实为一半", asked, None, Decimal("25000.00"))
    assert (part.status, part.amount) == ("partly_approved", Decimal("25000.00"))
    refused = check_decision("relief", "refuse", "未提供损失证明", asked, None)
    assert (refused.status, refused.amount) == ("refused", None)
    for amount in (None, Decimal("0"), asked, Decimal("60000"), Decimal("1.001")):
        with pytest.raises(DecisionError) as error:
            check_decision("relief", "partly", "理由", asked, None, amount)
        assert error.value.field == "amount"
    with pytest.raises(DecisionError) as error:
        check_decision("relief", "refuse", " ", asked, None)
    assert (error.value.field, error.value.code) == ("reason", "required")


def test_deferral_in_part_lies_between_the_deadline_and_the_date_asked():
    asked = date(2027, 6, 30)
    assert check_decision("deferral", "approve", "", None, asked).deadline == asked
    part = check_decision(
        "deferral",
        "partly",
        "理由",
        None,
        asked,
        deadline=date(2027, 3, 31),
        standard_deadline=DEADLINE,
    )
    assert part.deadline == date(2027, 3, 31)
    for bad in (DEADLINE, asked, date(2027, 7, 1), None):
        with pytest.raises(DecisionError):
            check_decision(
                "deferral", "partly", "理由", None, asked, deadline=bad, standard_deadline=DEADLINE
            )


def test_review_is_upheld_or_refused_with_a_reason():
    assert check_decision("review", "approve", "核实后认定", None, None).status == "approved"
    with pytest.raises(DecisionError):
        check_decision("review", "approve", "", None, None)
    with pytest.raises(DecisionError):
        check_decision("review", "partly", "理由", None, None)
    with pytest.raises(DecisionError):
        check_decision("review", "maybe", "理由", None, None)


def test_review_period_is_an_admin_parameter():
    issued = date(2026, 8, 1)
    assert review_deadline(issued, 30) == date(2026, 8, 31)
    assert review_period_open(issued, 30, date(2026, 8, 31))
    assert not review_period_open(issued, 30, date(2026, 9, 1))
    assert review_period_open(issued, None, date(2030, 1, 1))  # no period set


def test_evidence_type_from_the_first_bytes():
    assert evidence_type(b"%PDF-1.7 ...") == "application/pdf"
    assert evidence_type(b"\x89PNG\r\n\x1a\n") == "image/png"
    assert evidence_type(b"\xff\xd8\xff\xe0") == "image/jpeg"
    assert evidence_type(b"MZ\x90\x00") is None
