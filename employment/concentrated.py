"""Concentrated employment (集中就业) in welfare enterprises and blind-massage institutions: the monthly
check of the VAT refund conditions, as pure rules.

Source: 财政部 国家税务总局《关于促进残疾人就业增值税优惠政策的通知》(财税〔2016〕52号), art. 2 (the conditions):
1. in the month, persons with disabilities placed are at least 25% (inclusive) of the staff on the
   payroll, and at least 10 persons (inclusive); a blind-massage institution at least 5 persons;
2. each placed person has a labour contract or service agreement of at least one year;
3. each placed person's social insurance (pension, medical, unemployment, injury, maternity) is paid
   in full for the month;
4. each placed person is paid through a bank at least the monthly minimum wage that the province
   approved for the county.
A person who does not meet 2-4 is not counted as placed. The monthly refund limit is the number of
placed persons x the county's monthly minimum wage x a multiple (4 in 财税〔2016〕52号 art. 1); the
multiple is an administrator's parameter per year, and so is the county's minimum-wage tier (each
city assigns its counties to the province's tiers). Minimum wages: data/zhejiang_minimum_wages.csv.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from pathlib import Path

MIN_SHARE = Fraction(1, 4)  # 25%, inclusive
MIN_PERSONS = {"welfare_enterprise": 10, "blind_massage": 5}
TIERS = (1, 2, 3)
WAGE_FILE = Path(__file__).with_name("data") / "zhejiang_minimum_wages.csv"


@dataclass(frozen=True)
class WageStandard:
    """The province's monthly minimum wages by tier from a date."""

    effective_from: date
    monthly: dict[int, Decimal]


def load_standards(path: Path = WAGE_FILE) -> tuple[WageStandard, ...]:
    with path.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return tuple(
        sorted(
            (
                WageStandard(
                    date.fromisoformat(row["effective_from"]),
                    {t: Decimal(row[f"tier{t}_monthly_yuan"]) for t in TIERS},
                )
                for row in rows
            ),
            key=lambda s: s.effective_from,
        )
    )


def minimum_wage(standards, tier: int | None, month: date) -> Decimal | None:
    """The monthly minimum wage of a tier in force on the first day of the month (None: unknown)."""
    if tier not in TIERS:
        return None
    in_force = [s for s in standards if s.effective_from <= month.replace(day=1)]
    return in_force[-1].monthly[tier] if in_force else None


@dataclass(frozen=True)
class MonthFigures:
    """One month of an institution: staff on the payroll, persons with disabilities employed, and
    those of them meeting conditions 2-4 (contract, social insurance, minimum wage through a bank)."""

    month: date
    staff: int
    disabled: int
    qualifying: int


@dataclass(frozen=True)
class Reason:
    """Why a month fails or has no refund limit, as a code and its parameters (the sentence is
    employment.institutions.reason_text's): conditions (missing: employees not counted), share
    (share: Fraction or None), persons (placed, minimum), wage, multiple."""

    code: str
    params: dict = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class MonthCheck:
    """Whether the month meets the refund conditions, why not, and the month's refund limit."""

    month: date
    met: bool
    placed: int
    share: Fraction | None
    reasons: tuple[Reason, ...]
    refund_limit: Decimal | None
    minimum_wage: Decimal | None


def check_figures(figures: MonthFigures) -> None:
    """Refuse impossible figures (the caller turns this into a field error)."""
    if min(figures.staff, figures.disabled, figures.qualifying) < 0:
        raise ValueError("negative count")
    if figures.disabled > figures.staff:
        raise ValueError("disabled > staff")
    if figures.qualifying > figures.disabled:
        raise ValueError("qualifying > disabled")


def check_month(
    kind: str, figures: MonthFigures, wage: Decimal | None, multiple: Decimal | None
) -> MonthCheck:
    """The conditions of 财税〔2016〕52号 for one month, with every failure and its reason."""
    check_figures(figures)
    placed = figures.qualifying
    minimum = MIN_PERSONS[kind]
    share = Fraction(placed, figures.staff) if figures.staff else None
    reasons = []
    if figures.qualifying < figures.disabled:
        reasons.append(Reason("conditions", {"missing": figures.disabled - figures.qualifying}))
    if share is None or share < MIN_SHARE:
        reasons.append(Reason("share", {"share": share}))
    if placed < minimum:
        reasons.append(Reason("persons", {"placed": placed, "minimum": minimum}))
    met = not [r for r in reasons if r.code in ("share", "persons")]
    limit = None
    if met and wage is not None and multiple is not None:
        limit = (placed * wage * multiple).quantize(Decimal("0.01"), ROUND_HALF_UP)
    if met and wage is None:
        reasons.append(Reason("wage"))
    if met and multiple is None:
        reasons.append(Reason("multiple"))
    return MonthCheck(figures.month, met, placed, share, tuple(reasons), limit, wage)


@dataclass(frozen=True)
class YearCheck:
    months: tuple[MonthCheck, ...]

    @property
    def failed(self) -> tuple[MonthCheck, ...]:
        return tuple(m for m in self.months if not m.met)

    @property
    def refund_limit(self) -> Decimal | None:
        limits = [m.refund_limit for m in self.months if m.met]
        if any(limit is None for limit in limits):
            return None
        return sum(limits, Decimal(0))


def check_year(
    kind: str, months: list[MonthFigures], wages: dict[date, Decimal | None], multiple
) -> YearCheck:
    """Every recorded month of a year, in order."""
    ordered = sorted(months, key=lambda m: m.month)
    return YearCheck(tuple(check_month(kind, m, wages.get(m.month), multiple) for m in ordered))
