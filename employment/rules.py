"""The plan's services as pure rules: working age, hard-to-employ, zero-employment households,
the low-income (低保) income disregard after taking a job, and the plan's indicators by area.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from core import codes
from core.dates import add_months, age_on, is_working_age  # noqa: F401  (the package's rules use them)

EMPLOYMENT_TYPES = frozenset(codes.EMPLOYMENT_TYPES)
NEEDS_RECOGNITION = frozenset({"flexible", "home_based"})
FULL_DISREGARD_YEARS = 3
TAPER = (Decimal("0.75"), Decimal("0.50"), Decimal("0.25"))  # one quarter each, then 0
REMINDER_DAYS_BEFORE = 30


def is_employed(employment_type: str, recognised: bool = True) -> bool:
    """Full-time and self-employment count; flexible and home-based work count once a counselor recognises them."""
    if employment_type not in EMPLOYMENT_TYPES:
        raise ValueError(f"unknown employment type: {employment_type!r}")
    if employment_type == "unemployed":
        return False
    return recognised or employment_type not in NEEDS_RECOGNITION


@dataclass(frozen=True)
class PersonFacts:
    """The facts that decide whether a person is hard to employ (就业困难)."""

    certified: bool
    birth_date: date
    sex: str
    able_to_work: bool
    wishes_to_work: bool
    employment_type: str = "unemployed"
    recognised: bool = True


def is_hard_to_employ(person: PersonFacts, on: date) -> bool:
    """Certified, of working age, able and wishing to work, and not employed."""
    return (
        person.certified
        and is_working_age(person.birth_date, person.sex, on)
        and person.able_to_work
        and person.wishes_to_work
        and not is_employed(person.employment_type, person.recognised)
    )


@dataclass(frozen=True)
class HouseholdMember:
    """A person with disabilities as a member of a household."""

    household_id: str
    working_age: bool
    employed: bool


def zero_employment_households(members: Iterable[HouseholdMember]) -> tuple[str, ...]:
    """Households with working-age members with disabilities of whom none is employed (零就业家庭)."""
    working_age: dict[str, bool] = {}
    for member in members:
        if member.working_age:
            working_age[member.household_id] = (
                working_age.get(member.household_id, False) or member.employed
            )
    return tuple(sorted(h for h, anyone_employed in working_age.items() if not anyone_employed))


@dataclass(frozen=True)
class DisregardPhase:
    """A period in which this share of the new earnings is left out of the 低保 means test."""

    starts_on: date
    ends_on: date | None
    disregarded: Decimal


@dataclass(frozen=True)
class Reminder:
    """A date on which the counselor is told that the disregard changes soon."""

    on: date
    change_on: date
    new_share: Decimal
    zh: str
    en: str


@dataclass(frozen=True)
class DisregardSchedule:
    """The dated phases of the income disregard and the counselor's reminders."""

    phases: tuple[DisregardPhase, ...]
    reminders: tuple[Reminder, ...]


def income_disregard_schedule(
    start_date: date,
    full_years: int = FULL_DISREGARD_YEARS,
    taper: tuple[Decimal, ...] = TAPER,
    reminder_days: int = REMINDER_DAYS_BEFORE,
) -> DisregardSchedule:
    """Full disregard for `full_years`, then one quarter at each taper share, then none."""
    shares = (Decimal(1), *taper, Decimal(0))
    starts = [start_date] + [
        add_months(start_date, 12 * full_years + 3 * i) for i in range(len(taper) + 1)
    ]
    phases = tuple(
        DisregardPhase(begin, _day_before(starts, i), share)
        for i, (begin, share) in enumerate(zip(starts, shares, strict=True))
    )
    reminders = tuple(_reminder(p, reminder_days) for p in phases[1:])
    return DisregardSchedule(phases, reminders)


def _day_before(starts: list[date], i: int) -> date | None:
    return starts[i + 1] - timedelta(days=1) if i + 1 < len(starts) else None


def _reminder(phase: DisregardPhase, days: int) -> Reminder:
    percent = f"{phase.disregarded * 100:.0f}%"
    return Reminder(
        on=phase.starts_on - timedelta(days=days),
        change_on=phase.starts_on,
        new_share=phase.disregarded,
        zh=f"{phase.starts_on.isoformat()} 起就业收入豁免比例调整为 {percent}，请提前告知家庭并核对低保待遇",
        en=f"From {phase.starts_on.isoformat()} the earnings disregard becomes {percent}; "
        "tell the family and review the benefit",
    )


# ---- indicators ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class PersonRecord:
    """A registered person with disabilities, as the indicators count them."""

    person_id: str
    county_code: str
    certified: bool = True
    working_age: bool = True
    employment_type: str = "unemployed"
    recognised: bool = True
    wishes_to_work: bool = False
    graduate: bool = False
    household_id: str | None = None

    @property
    def employed(self) -> bool:
        return is_employed(self.employment_type, self.recognised)


@dataclass(frozen=True)
class TrainingRecord:
    """A person who completed a training course on a date."""

    person_id: str
    county_code: str
    completed_on: date


@dataclass(frozen=True)
class FilingRecord:
    """An employer's quota filing for the year: whether it met the quota, levy and reward."""

    employer_id: str
    county_code: str
    meets_quota: bool
    levy_collected: Decimal = Decimal(0)
    reward_paid: Decimal = Decimal(0)


@dataclass(frozen=True)
class PlanFacts:
    """All the plain records the indicators are computed from, for one year."""

    year: int
    persons: tuple[PersonRecord, ...] = ()
    trainings: tuple[TrainingRecord, ...] = ()
    filings: tuple[FilingRecord, ...] = ()


@dataclass(frozen=True)
class Targets:
    """The plan's targets; a count target (people trained) applies to the province only."""

    employment_rate: Decimal | None = Decimal("0.60")
    people_trained: int | None = 20_000
    graduate_employment_rate: Decimal | None = Decimal("1")
    quota_compliance: Decimal | None = None
    zero_employment_households: int | None = 0


@dataclass(frozen=True)
class Indicator:
    """One indicator of one area with its counts, target, whether met, and a one-line takeaway."""

    code: str
    value: Decimal | int | None
    numerator: Decimal | int
    denominator: int | None
    target: Decimal | int | None
    met: bool | None
    zh: str
    en: str


@dataclass(frozen=True)
class IndicatorReport:
    """The indicators for the province, each city and each county."""

    province: tuple[Indicator, ...]
    cities: dict[str, tuple[Indicator, ...]] = field(default_factory=dict)
    counties: dict[str, tuple[Indicator, ...]] = field(default_factory=dict)


def city_of(county_code: str) -> str:
    """The prefecture-level city code of a county code (first 4 digits + '00')."""
    return county_code[:4] + "00"


LABELS = {
    "employment_rate": (
        "持证就业年龄段残疾人就业率",
        "Employment rate of certified working-age persons",
    ),
    "people_trained": ("今年培训人数", "People trained this year"),
    "graduate_employment_rate": (
        "有就业意愿的高校毕业生就业率",
        "Employment of graduates who want work",
    ),
    "quota_compliance": ("达到按比例就业要求的申报单位占比", "Filers meeting the quota"),
    "zero_employment_households": ("零就业家庭", "Zero-employment households"),
    "levy_collected": ("征收残保金", "Levy collected"),
    "rewards_paid": ("发放超比例奖励", "Rewards paid"),
}


def rate_indicator(code: str, num: int, den: int, target: Decimal | None) -> Indicator:
    """A share with its target; met is decided on exact counts, never on a rounded rate."""
    label = LABELS[code]
    if den == 0:
        return Indicator(
            code, None, num, den, target, None, f"{label[0]}：暂无数据", f"{label[1]}: no data yet"
        )
    value = (Decimal(num) / Decimal(den)).quantize(Decimal("0.0001"), ROUND_HALF_UP)
    met = None if target is None else num >= target * den
    zh = f"{label[0]} {value:.1%}（{num}/{den}）"
    en = f"{label[1]} {value:.1%} ({num} of {den})"
    if target is not None:
        short = max(0, math.ceil(target * den - num))
        zh += (
            f"，已达到 {target:.0%} 目标" if met else f"，未达到 {target:.0%} 目标，还差 {short} 人"
        )
        en += (
            f", meets the {target:.0%} target"
            if met
            else f", below the {target:.0%} target, {short} short"
        )
    return Indicator(code, value, num, den, target, met, zh, en)


def count_indicator(code: str, count: int, target: int | None, at_most: bool = False) -> Indicator:
    """A head count against a floor (people trained) or a ceiling (zero-employment households)."""
    label = LABELS[code]
    met = None if target is None else (count <= target if at_most else count >= target)
    zh, en = f"{label[0]} {count:,}", f"{label[1]} {count:,}"
    if target is not None:
        zh += f"，目标{'不超过' if at_most else ''} {target:,}，{'已达到' if met else '未达到'}"
        en += f", target {'at most ' if at_most else ''}{target:,}, {'met' if met else 'not met'}"
    return Indicator(code, count, count, None, target, met, zh, en)


def money_indicator(code: str, amounts: list[Decimal]) -> Indicator:
    """A sum of money over a number of filers; no target."""
    label = LABELS[code]
    total = sum(amounts, Decimal(0)).quantize(Decimal("0.01"), ROUND_HALF_UP)
    zh = f"{label[0]} {total:,.2f} 元（{len(amounts)} 家单位）"
    en = f"{label[1]} CNY {total:,.2f} ({len(amounts)} employers)"
    return Indicator(code, total, total, len(amounts), None, None, zh, en)


def area_indicators(
    facts: PlanFacts, targets: Targets, province: bool = False
) -> tuple[Indicator, ...]:
    """The plan's seven indicators over the records given (already narrowed to one area)."""
    adults = [p for p in facts.persons if p.certified and p.working_age]
    graduates = [p for p in facts.persons if p.graduate and p.wishes_to_work]
    trained = {t.person_id for t in facts.trainings if t.completed_on.year == facts.year}
    members = [
        HouseholdMember(p.household_id, p.working_age, p.employed)
        for p in facts.persons
        if p.household_id
    ]
    employed_adults = sum(p.employed for p in adults)
    employed_graduates = sum(p.employed for p in graduates)
    compliant = sum(f.meets_quota for f in facts.filings)
    households = len(zero_employment_households(members))
    return (
        rate_indicator("employment_rate", employed_adults, len(adults), targets.employment_rate),
        count_indicator(
            "people_trained", len(trained), targets.people_trained if province else None
        ),
        rate_indicator(
            "graduate_employment_rate",
            employed_graduates,
            len(graduates),
            targets.graduate_employment_rate,
        ),
        rate_indicator("quota_compliance", compliant, len(facts.filings), targets.quota_compliance),
        count_indicator(
            "zero_employment_households",
            households,
            targets.zero_employment_households,
            at_most=True,
        ),
        money_indicator("levy_collected", [f.levy_collected for f in facts.filings]),
        money_indicator("rewards_paid", [f.reward_paid for f in facts.filings]),
    )


def _narrow(facts: PlanFacts, area_of: Callable[[str], str], area: str) -> PlanFacts:
    """The records of one area."""
    return PlanFacts(
        year=facts.year,
        persons=tuple(p for p in facts.persons if area_of(p.county_code) == area),
        trainings=tuple(t for t in facts.trainings if area_of(t.county_code) == area),
        filings=tuple(f for f in facts.filings if area_of(f.county_code) == area),
    )


def indicators(facts: PlanFacts, targets: Targets | None = None) -> IndicatorReport:
    """The plan's indicators for the province, grouped by city and by county."""
    targets = targets or Targets()
    codes = {r.county_code for r in (*facts.persons, *facts.trainings, *facts.filings)}
    by_area: dict[str, dict[str, tuple[Indicator, ...]]] = defaultdict(dict)
    for level, area_of in (("cities", city_of), ("counties", lambda code: code)):
        for area in sorted({area_of(code) for code in codes}):
            by_area[level][area] = area_indicators(_narrow(facts, area_of, area), targets)
    return IndicatorReport(
        province=area_indicators(facts, targets, province=True),
        cities=by_area["cities"],
        counties=by_area["counties"],
    )
