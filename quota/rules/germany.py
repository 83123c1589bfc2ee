"""Germany's compensatory levy (Ausgleichsabgabe, SGB IX sections 154-160) as a second jurisdiction.

Per year: J = sum of the twelve monthly job counts (Arbeitsplätze, section 156), O = sum of the monthly
occupied mandatory places after multiple counting (section 159). Employers with on average fewer than
20 jobs a month are exempt. Mandatory place-months M (section 154 (1)):
- at least 60 jobs on average: 5% of J, rounded to a whole number with .5 and above rounded up
  (section 157 (2));
- under 40 jobs on average: one place per month on average, so M = 12 (section 154 (1) sentence 3);
- 40 to under 60 jobs: two places per month on average, so M = 24.
Unfilled = max(0, M - O); the quota band is O / J x 100; levy = unfilled x the monthly rate.

Rates (section 160 (2), adjusted under section 160 (3) by notices in the Bundesanzeiger, e.g. BAnz AT
30.11.2020 B1 for 2021; the 0% band from 2024 by the Gesetz zur Förderung eines inklusiven Arbeitsmarkts,
BGBl. 2023 I Nr. 146; 2025 rates as published by the BMAS/BIH). Small-employer rates checked against
REHADAT/IW-Elan and BIH summaries for 2016-2020, 2021-2023, 2024 and 2025; 2012-2015 follow the same
structure of the then section 77 (2) SGB IX (lowest band below one/two places, second band below one
place at under 60 jobs).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction

from quota.rules.assessment import ExplanationLine
from quota.rules.numbers import (
    money,
    round_half_up_int,
    show,
    show_percent,
    to_decimal,
    to_fraction,
)

MIN_AVERAGE_JOBS = 20
QUOTA = Fraction(5, 100)


@dataclass(frozen=True)
class RatePeriod:
    """Monthly euro rates per unfilled place for a span of years (last_year None: open-ended)."""

    first_year: int
    last_year: int | None
    band_3_to_5: int
    band_2_to_3: int
    band_above_0_to_2: int
    band_0: int
    under_40_below_1: int
    under_40_at_0: int
    under_60_below_2: int
    under_60_below_1: int
    under_60_at_0: int

    def covers(self, year: int) -> bool:
        """Say whether the period's rates apply to the given year."""
        return self.first_year <= year and (self.last_year is None or year <= self.last_year)


RATE_PERIODS = (
    RatePeriod(2012, 2015, 115, 200, 290, 290, 115, 115, 115, 200, 200),
    RatePeriod(2016, 2020, 125, 220, 320, 320, 125, 125, 125, 220, 220),
    RatePeriod(2021, 2023, 140, 245, 360, 360, 140, 140, 140, 245, 245),
    RatePeriod(2024, 2024, 140, 245, 360, 720, 140, 210, 140, 245, 410),
    RatePeriod(2025, None, 155, 275, 405, 815, 155, 235, 155, 275, 465),
)


@dataclass(frozen=True)
class GermanAssessment:
    """Every figure of a German levy assessment, plus the explanation."""

    year: int
    jobs: Decimal
    average_jobs: Decimal
    occupied: Decimal
    mandatory: int
    unfilled: Decimal
    quota_band: Decimal
    size_class: str
    exempt: bool
    rate: Decimal
    levy: Decimal
    explanation: tuple[ExplanationLine, ...]


def rate_period_for(year: int) -> RatePeriod:
    """Return the rate period for a year, or raise a ValueError naming the year."""
    for period in RATE_PERIODS:
        if period.covers(year):
            return period
    raise ValueError(f"year: no German levy rates on file for {year!r} (known from 2012)")


def size_class(average_jobs: Fraction) -> str:
    """Classify an employer by average monthly jobs: exempt, under_40, under_60 or regular."""
    if average_jobs < MIN_AVERAGE_JOBS:
        return "exempt"
    if average_jobs < 40:
        return "under_40"
    if average_jobs < 60:
        return "under_60"
    return "regular"


def mandatory_places(jobs: Fraction, size: str) -> int:
    """Return M, the mandatory place-months of the year for an employer of the given size class."""
    fixed = {"exempt": 0, "under_40": 12, "under_60": 24}
    return fixed[size] if size in fixed else round_half_up_int(jobs * QUOTA)


def monthly_rate(period: RatePeriod, size: str, occupied: Fraction, jobs: Fraction) -> int:
    """Return the euro rate per unfilled place-month for the size class and occupation."""
    average_occupied = occupied / 12
    if size == "under_40":
        return period.under_40_at_0 if occupied == 0 else period.under_40_below_1
    if size == "under_60":
        if occupied == 0:
            return period.under_60_at_0
        return period.under_60_below_1 if average_occupied < 1 else period.under_60_below_2
    band = occupied / jobs * 100
    if band >= 3:
        return period.band_3_to_5
    if band >= 2:
        return period.band_2_to_3
    return period.band_above_0_to_2 if band > 0 else period.band_0


def _twelve(values: object, name: str) -> tuple[Fraction, ...]:
    """Validate twelve non-negative monthly numbers and return them as Fractions."""
    months = tuple(values)  # type: ignore[arg-type]
    if len(months) != 12:
        raise ValueError(f"{name}: expected 12 monthly numbers, got {len(months)}")
    exact = tuple(to_fraction(v, f"{name}[{i}]") for i, v in enumerate(months))
    if any(v < 0 for v in exact):
        raise ValueError(f"{name}: a monthly figure cannot be negative")
    return exact


def assess_de(monthly_jobs, monthly_disabled, year: int) -> GermanAssessment:
    """Assess the German compensatory levy for one year from monthly jobs and occupied mandatory places."""
    period = rate_period_for(year)
    months_jobs = _twelve(monthly_jobs, "monthly_jobs")
    months_occupied = _twelve(monthly_disabled, "monthly_disabled")
    for month, (placed, available) in enumerate(zip(months_occupied, months_jobs, strict=True)):
        if placed > available:
            raise ValueError(
                f"monthly_disabled[{month}]: {placed} occupied places exceed the {available} jobs "
                "of the month"
            )
    jobs = sum(months_jobs, Fraction(0))
    occupied = sum(months_occupied, Fraction(0))
    average = jobs / 12
    size = size_class(average)
    exempt = size == "exempt"
    mandatory = mandatory_places(jobs, size)
    unfilled = max(Fraction(0), mandatory - occupied)
    band = occupied / jobs * 100 if jobs else Fraction(0)
    rate = 0 if exempt else monthly_rate(period, size, occupied, jobs)
    levy = unfilled * rate
    lines = _explain(year, jobs, occupied, average, size, mandatory, unfilled, band, rate, levy)
    return GermanAssessment(
        year=year,
        jobs=to_decimal(jobs, Decimal("0.01")),
        average_jobs=to_decimal(average, Decimal("0.01")),
        occupied=to_decimal(occupied, Decimal("0.01")),
        mandatory=mandatory,
        unfilled=to_decimal(unfilled, Decimal("0.01")),
        quota_band=to_decimal(band, Decimal("0.01")),
        size_class=size,
        exempt=exempt,
        rate=Decimal(rate).quantize(Decimal("0.01")),
        levy=money(levy),
        explanation=lines,
    )


SIZE_TEXT = {
    "exempt": (
        "月均岗位不足20个，免于配额义务",
        "fewer than 20 jobs on average: no quota obligation",
    ),
    "under_40": (
        "月均岗位不足40个：每月1个配额岗位，M = 12",
        "under 40 jobs: one place a month, M = 12",
    ),
    "under_60": (
        "月均岗位不足60个：每月2个配额岗位，M = 24",
        "under 60 jobs: two places a month, M = 24",
    ),
    "regular": ("M = J × 5%，四舍五入", "M = J × 5%, .5 rounded up"),
}


def _explain(year, jobs, occupied, average, size, mandatory, unfilled, band, rate, levy):
    """Return the bilingual explanation lines of a German assessment."""
    size_zh, size_en = SIZE_TEXT[size]
    return (
        ExplanationLine(
            "jobs",
            f"{year}年岗位月数 J = {show(jobs)}，月均 {show(average, 2)}；已占配额岗位月数 O = {show(occupied)}",
            f"{year}: job-months J = {show(jobs)}, average {show(average, 2)}; occupied O = {show(occupied)}",
        ),
        ExplanationLine(
            "mandatory",
            f"{size_zh}；配额岗位月数 M = {mandatory}",
            f"{size_en}; mandatory place-months M = {mandatory}",
        ),
        ExplanationLine(
            "band",
            f"未占配额 = max(0, {mandatory} − {show(occupied)}) = {show(unfilled)}；就业比例 O/J = {show_percent(band / 100, 2)}",
            f"Unfilled = max(0, {mandatory} − {show(occupied)}) = {show(unfilled)}; quota band O/J = {show_percent(band / 100, 2)}",
        ),
        ExplanationLine(
            "levy",
            f"补偿金 = {show(unfilled)} × {rate} 欧元 = {money(levy)} 欧元",
            f"Levy = {show(unfilled)} × EUR {rate} = EUR {money(levy)}",
        ),
    )


__all__ = ["RATE_PERIODS", "GermanAssessment", "RatePeriod", "assess_de", "rate_period_for"]
