"""Auxiliary employment: who may take part, and a centre's year, by hand."""

from datetime import date
from decimal import Decimal

from employment.auxiliary_rules import MonthWork, centre_year, is_eligible


def test_eligibility_by_category_and_level():
    assert is_eligible(5, 4) and is_eligible(6, 3)  # intellectual, mental: any level
    assert is_eligible(4, 1) and is_eligible(1, 2)  # severe physical or visual
    assert not is_eligible(4, 3) and not is_eligible(2, 4)


def test_a_centres_year():
    work = [
        MonthWork(1, date(2025, 1, 1), Decimal("80"), Decimal("600")),
        MonthWork(1, date(2025, 2, 1), Decimal("60.5"), Decimal("450.50")),
        MonthWork(2, date(2025, 1, 1), Decimal("0"), Decimal("0")),  # enrolled, did not work
        MonthWork(3, date(2024, 12, 1), Decimal("90"), Decimal("700")),  # last year
    ]
    year = centre_year(work, 2025, Decimal("3000"))
    assert (year.participants, year.hours, year.earnings) == (
        1,
        Decimal("140.5"),
        Decimal("1050.50"),
    )
    assert year.average_monthly_earnings == Decimal("350.17")  # 1,050.50 over 3 recorded months
    assert year.subsidy == Decimal("3000.00")
    assert centre_year(work, 2025, None).subsidy is None  # no parameter, no figure
    assert centre_year([], 2025, Decimal(1)).average_monthly_earnings is None
