"""Auxiliary employment (辅助性就业) as pure rules: who may take part, and a centre's year in figures.

Source: 中国残联等部门《关于发展残疾人辅助性就业的意见》(2015): auxiliary employment is for persons
of working age wishing to work who find it hard to enter the open labour market, with intellectual
(category 5) or mental (category 6) disabilities or severe physical disabilities (重度肢体, category 4,
level 1 or 2). The project admits severe disabilities (level 1 or 2) of every category, as issue #18
asks ("intellectual, mental and severe disabilities"): broader than the opinion's words; working hours, pay and
conditions are flexible. The subsidy per participant is set locally: an administrator's parameter per
year, never a constant here. A participant counts for the subsidy in a year when they worked some
hours in at least one recorded month of it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

CATEGORIES = frozenset({5, 6})  # intellectual, mental
SEVERE_LEVELS = frozenset({1, 2})


def is_eligible(category: int, level: int) -> bool:
    """Intellectual or mental disability of any level, or any severe (level 1-2) disability."""
    return category in CATEGORIES or level in SEVERE_LEVELS


@dataclass(frozen=True)
class MonthWork:
    """One participant's work in one month."""

    participant_id: int
    month: date
    hours: Decimal
    earnings: Decimal


@dataclass(frozen=True)
class CentreYear:
    """A centre's year: who worked, how much, what they earned, and the subsidy due."""

    participants: int
    hours: Decimal
    earnings: Decimal
    average_monthly_earnings: Decimal | None
    subsidy: Decimal | None


def centre_year(work: Iterable[MonthWork], year: int, subsidy_each: Decimal | None) -> CentreYear:
    """Sum a centre's recorded months of the year; the subsidy is participants x the parameter."""
    rows = [w for w in work if w.month.year == year]
    worked = {w.participant_id for w in rows if w.hours > 0}
    hours = sum((w.hours for w in rows), Decimal(0))
    earnings = sum((w.earnings for w in rows), Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    average = (earnings / len(rows)).quantize(Decimal("0.01"), ROUND_HALF_UP) if rows else None
    subsidy = None
    if subsidy_each is not None:
        subsidy = (len(worked) * subsidy_each).quantize(Decimal("0.01"), ROUND_HALF_UP)
    return CentreYear(len(worked), hours, earnings, average, subsidy)
