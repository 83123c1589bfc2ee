"""Late fees and credit flags for the quota review."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from quota.rules.credit import CreditFacts, Flag, grade_flags, late_fee

DUE = date(2025, 9, 30)


@pytest.mark.parametrize(
    ("principal", "paid_on", "fee"),
    [
        ("10000", date(2025, 10, 10), "500.00"),  # 10 days x 50
        ("10000", DUE, "0.00"),  # paid on the due date
        ("10000", date(2025, 9, 1), "0.00"),  # paid early
        ("10000", date(2025, 10, 1), "50.00"),  # counting starts the day after the due date
        ("10000", date(2026, 4, 18), "10000.00"),  # 200 days: exactly the principal
        ("10000", date(2026, 12, 31), "10000.00"),  # capped at the principal
        ("123.45", date(2025, 10, 3), "1.85"),  # 123.45 x 0.015 = 1.85175
        ("1.00", date(2025, 10, 1), "0.01"),  # 0.005 rounds half up
        ("0.70", date(2025, 10, 1), "0.00"),  # 0.0035 rounds down
    ],
)
def test_late_fee(principal, paid_on, fee):
    assert late_fee(Decimal(principal), DUE, paid_on) == Decimal(fee)


def test_late_fee_rejects_negative_principal():
    with pytest.raises(ValueError, match="principal"):
        late_fee(Decimal("-1"), DUE, date(2025, 10, 1))


def codes(facts: CreditFacts) -> list[tuple[str, str]]:
    return [(flag.grade, flag.code) for flag in grade_flags(facts)]


def test_clean_record_has_no_flags():
    assert grade_flags(CreditFacts()) == []


@pytest.mark.parametrize(
    ("facts", "expected"),
    [
        (CreditFacts(years_unpaid=1), [("general", "levy_unpaid")]),
        (CreditFacts(years_unpaid=2), [("serious", "levy_unpaid_two_years")]),
        (CreditFacts(years_unpaid=3), [("serious", "levy_unpaid_two_years")]),
        (
            CreditFacts(uninsured_disabled_employees=1),
            [("general", "disabled_without_social_insurance")],
        ),
        (CreditFacts(nominal_hires=1), [("general", "nominal_hire")]),
        (CreditFacts(nominal_hires=2), [("serious", "nominal_hires")]),
        (
            CreditFacts(declared_headcount=Decimal("94"), verified_headcount=Decimal("100")),
            [("general", "headcount_under_declared")],
        ),
        (
            CreditFacts(declared_headcount=Decimal("95"), verified_headcount=Decimal("100")),
            [],
        ),  # exactly 5%
        (CreditFacts(declared_headcount=Decimal("120"), verified_headcount=Decimal("100")), []),
        (
            CreditFacts(
                declared_wage_total=Decimal("940000"), verified_wage_total=Decimal("1000000")
            ),
            [("general", "wages_under_declared")],
        ),
        (
            CreditFacts(years_unpaid=2, nominal_hires=1, uninsured_disabled_employees=2),
            [
                ("serious", "levy_unpaid_two_years"),
                ("general", "disabled_without_social_insurance"),
                ("general", "nominal_hire"),
            ],
        ),
    ],
)
def test_grade_flags(facts, expected):
    assert codes(facts) == expected


def test_flag_reasons_are_bilingual_and_show_the_gap():
    (flag,) = grade_flags(
        CreditFacts(declared_headcount=Decimal("94"), verified_headcount=Decimal("100"))
    )
    assert isinstance(flag, Flag)
    assert "6%" in flag.reason_zh and "6%" in flag.reason_en


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"years_unpaid": -1}, "years_unpaid"),
        ({"nominal_hires": 1.5}, "nominal_hires"),
        ({"declared_headcount": Decimal("90")}, "declared_headcount"),
        (
            {"declared_wage_total": Decimal("-1"), "verified_wage_total": Decimal("1")},
            "declared_wage_total",
        ),
    ],
)
def test_credit_facts_validation(kwargs, field):
    with pytest.raises(ValueError, match=field):
        CreditFacts(**kwargs)


@pytest.mark.parametrize(
    ("due", "today", "years"),
    [
        (date(2024, 12, 31), date(2025, 1, 6), 0),  # six days late: a late fee, no flag
        (date(2024, 12, 31), date(2025, 12, 31), 0),  # the anniversary itself
        (date(2024, 12, 31), date(2026, 1, 1), 1),  # 366 days
        (date(2024, 12, 31), date(2027, 1, 1), 2),  # 731 days
        (date(2024, 2, 29), date(2025, 3, 1), 1),  # 29 February: anniversary on 28 February
        (date(2024, 12, 31), date(2024, 6, 1), 0),  # before the deadline
    ],
)
def test_full_years_since(due, today, years):
    from quota.rules.credit import full_years_since

    assert full_years_since(due, today) == years


def test_unpaid_flag_quotes_the_deadline_and_has_a_rule_and_remedy():
    from quota.rules.credit import FLAG_RULES

    (flag,) = grade_flags(CreditFacts(years_unpaid=1, levy_due=date(2024, 12, 31)))
    assert "2024-12-31" in flag.reason_zh and "2024-12-31" in flag.reason_en
    assert "a year or more" in flag.reason_en
    for code in (
        "levy_unpaid",
        "levy_unpaid_two_years",
        "nominal_hire",
        "nominal_hires",
        "disabled_without_social_insurance",
        "headcount_under_declared",
        "wages_under_declared",
    ):
        assert FLAG_RULES[code].remedy_zh and FLAG_RULES[code].rule_en
