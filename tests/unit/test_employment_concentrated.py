"""The tax-relief conditions of 财税〔2016〕52号, month by month, against hand computations."""

from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

from employment.concentrated import (
    MonthFigures,
    check_figures,
    check_month,
    check_year,
    load_standards,
    minimum_wage,
)

JAN = date(2025, 1, 1)
WAGE = Decimal("2490")
FOUR = Decimal(4)


def _codes(check):
    return [r.code for r in check.reasons]


def test_a_welfare_enterprise_needs_a_quarter_and_ten_persons():
    exact = check_month("welfare_enterprise", MonthFigures(JAN, 40, 10, 10), WAGE, FOUR)
    assert exact.met and exact.placed == 10 and exact.reasons == ()
    assert exact.refund_limit == Decimal("99600.00")  # 10 x 2,490 x 4
    nine = check_month("welfare_enterprise", MonthFigures(JAN, 36, 9, 9), WAGE, FOUR)
    assert not nine.met and _codes(nine) == ["persons"]
    diluted = check_month("welfare_enterprise", MonthFigures(JAN, 41, 10, 10), WAGE, FOUR)
    assert not diluted.met and _codes(diluted) == ["share"]  # 24.4%
    assert diluted.reasons[0].params == {"share": Fraction(10, 41)} and diluted.refund_limit is None


def test_a_blind_massage_institution_needs_five_persons():
    five = check_month("blind_massage", MonthFigures(JAN, 20, 5, 5), WAGE, FOUR)
    assert five.met and five.refund_limit == Decimal("49800.00")
    four = check_month("blind_massage", MonthFigures(JAN, 16, 4, 4), WAGE, FOUR)
    assert not four.met and _codes(four) == ["persons"]


def test_persons_without_contract_insurance_or_wage_are_not_counted():
    check = check_month("welfare_enterprise", MonthFigures(JAN, 40, 12, 9), WAGE, FOUR)
    assert check.placed == 9 and not check.met
    assert _codes(check) == ["conditions", "share", "persons"]  # 9/40 = 22.5%
    assert check.reasons[0].params == {"missing": 3}  # words: employment.institutions


def test_without_a_tier_or_a_multiple_there_is_no_refund_limit_but_the_month_is_judged():
    no_wage = check_month("welfare_enterprise", MonthFigures(JAN, 40, 10, 10), None, FOUR)
    assert no_wage.met and no_wage.refund_limit is None and _codes(no_wage) == ["wage"]
    no_multiple = check_month("welfare_enterprise", MonthFigures(JAN, 40, 10, 10), WAGE, None)
    assert no_multiple.refund_limit is None and _codes(no_multiple) == ["multiple"]


def test_the_year_lists_the_months_that_fail_and_sums_the_limits():
    months = [
        MonthFigures(date(2025, 2, 1), 40, 10, 10),
        MonthFigures(date(2025, 1, 1), 40, 10, 10),
        MonthFigures(date(2025, 3, 1), 40, 9, 9),
    ]
    wages = {m.month: WAGE for m in months}
    year = check_year("welfare_enterprise", months, wages, FOUR)
    assert [m.month.month for m in year.months] == [1, 2, 3]
    assert [m.month.month for m in year.failed] == [3]
    assert year.refund_limit == Decimal("199200.00")


def test_minimum_wage_by_tier_and_effective_date():
    standards = load_standards()
    assert minimum_wage(standards, 1, date(2024, 1, 1)) == Decimal("2490")
    assert minimum_wage(standards, 3, date(2023, 12, 1)) == Decimal("1840")
    assert minimum_wage(standards, 2, date(2021, 7, 1)) is None  # before the first standard
    assert minimum_wage(standards, None, date(2025, 1, 1)) is None


def test_impossible_figures_are_refused():
    for figures in (
        MonthFigures(JAN, 5, 6, 0),
        MonthFigures(JAN, 10, 5, 6),
        MonthFigures(JAN, -1, 0, 0),
    ):
        with pytest.raises(ValueError):
            check_figures(figures)
