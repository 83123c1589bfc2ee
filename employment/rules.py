"""The plan's services as pure rules: working age, hard-to-employ, zero-employment households and
the low-income (低保) income disregard after taking a job. The indicators are in indicators.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from core import codes
from core.dates import add_months, age_on, is_working_age  # noqa: F401  (the package's rules use them)

EMPLOYMENT_TYPES = frozenset(codes.EMPLOYMENT_TYPES)
NEEDS_RECOGNITION = frozenset({"flexible", "home_based"})
FULL_DISREGARD_YEARS = 3
TAPER = (Decimal("0.75"), Decimal("0.50"), Decimal("0.25"))  # one quarter each, then 0
REMINDER_DAYS_BEFORE = 30


def is_employed(employment_type: str | None, recognised: bool) -> bool:
    """Full-time and self-employment count; flexible and home-based work count only once a counselor
    recognised them (认定): whether they were is a fact to pass, never assumed. A status not known
    (None, 不详/未核实) is not employment; the indicators leave such people out of their rates."""
    if employment_type is None:
        return False
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
    wishes_to_work: bool | None
    employment_type: str | None = "unemployed"
    recognised: bool = False  # flexible or home-based work not recognised does not count


def is_hard_to_employ(person: PersonFacts, on: date) -> bool:
    """Certified, of working age, able and wishing to work, and not employed (an unknown wish or
    employment status, None, is not asserted either way: not hard to employ until verified)."""
    return bool(
        person.certified
        and is_working_age(person.birth_date, person.sex, on)
        and person.able_to_work
        and person.wishes_to_work
        and person.employment_type is not None
        and not is_employed(person.employment_type, person.recognised)
    )


@dataclass(frozen=True)
class HouseholdMember:
    """A member of a household of persons with disabilities (with or without a disability)."""

    household_id: str
    working_age: bool
    able_to_work: bool
    wishes_to_work: bool
    employed: bool


def zero_employment_households(members: Iterable[HouseholdMember]) -> tuple[str, ...]:
    """Households (零就业家庭) with a working-age member able and wishing to work, and no working-age
    member with a job: no member of working age who is able and wishes to work is employed."""
    seeking: set[str] = set()
    working: set[str] = set()
    for member in members:
        if not member.working_age:
            continue
        if member.employed:
            working.add(member.household_id)
        elif member.able_to_work and member.wishes_to_work:
            seeking.add(member.household_id)
    return tuple(sorted(seeking - working))


@dataclass(frozen=True)
class DisregardPhase:
    """A period in which this share of the new earnings is left out of the 低保 means test."""

    starts_on: date
    ends_on: date | None
    disregarded: Decimal


@dataclass(frozen=True)
class Reminder:
    """A date on which the counselor is told that the disregard changes soon (its words:
    employment/labels.py, reminder_text)."""

    on: date
    change_on: date
    new_share: Decimal


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
    return Reminder(
        on=phase.starts_on - timedelta(days=days),
        change_on=phase.starts_on,
        new_share=phase.disregarded,
    )


def city_of(county_code: str) -> str:
    """The prefecture-level city code of a county code (first 4 digits + '00')."""
    return county_code[:4] + "00"
