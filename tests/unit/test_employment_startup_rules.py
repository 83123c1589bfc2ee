"""Self-employment follow-ups and survival, by hand."""

from datetime import date
from decimal import Decimal

from employment.startup_rules import FollowUp, follow_up_dates, survival


def test_follow_ups_fall_12_and_36_months_after_the_start():
    assert follow_up_dates(date(2024, 2, 29)) == {12: date(2025, 2, 28), 36: date(2027, 2, 28)}


def test_survival_counts_only_checked_follow_ups_that_fell_due():
    rows = [
        FollowUp(12, date(2025, 3, 1), True),
        FollowUp(12, date(2025, 4, 1), False),
        FollowUp(12, date(2025, 5, 1), None),  # due, not checked yet
        FollowUp(12, date(2026, 1, 1), None),  # not due
        FollowUp(36, date(2025, 1, 1), True),
    ]
    year = survival(rows, 12, date(2025, 12, 31))
    assert (year.due, year.checked, year.operating, year.rate) == (3, 2, 1, Decimal("0.5000"))
    assert survival(rows, 36, date(2025, 12, 31)).rate == Decimal("1.0000")
    assert survival([], 12, date(2025, 1, 1)).rate is None
