"""Training effectiveness: completion, certificate and six-month employment rates with Wilson intervals.

Pure domain code: records in, frozen results out; no Flask, no database.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date

from core.dates import add_months

STATUSES = frozenset({"applied", "accepted", "attending", "completed", "certified", "dropped"})
STILL_ACTIVE = frozenset({"applied", "accepted", "attending"})
COMPLETED = frozenset({"completed", "certified"})
EMPLOYMENT_CHECK_MONTHS = 6


@dataclass(frozen=True)
class EnrolmentRecord:
    """One person's enrolment in one course, as far as the evaluation needs it."""

    course_id: str
    provider_id: str
    status: str
    completed_on: date | None = None
    certificate: bool = False
    employed_since: date | None = None
    employment_ended: date | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"unknown enrolment status: {self.status!r}")
        if self.status in COMPLETED and self.completed_on is None:
            raise ValueError("a completed enrolment needs completed_on")


@dataclass(frozen=True)
class Rate:
    """A proportion with its counts and 95% Wilson interval (rate and interval None when count is 0)."""

    numerator: int
    count: int
    rate: float | None
    interval: tuple[float, float] | None


@dataclass(frozen=True)
class GroupEvaluation:
    """The three rates of one course, one provider or the whole province."""

    key: str
    enrolled: int
    completion: Rate
    certificate: Rate
    employment_6m: Rate


@dataclass(frozen=True)
class Evaluation:
    """Per-course and per-provider rates plus the province average, all as of one date."""

    as_of: date
    by_course: dict[str, GroupEvaluation]
    by_provider: dict[str, GroupEvaluation]
    province: GroupEvaluation


def wilson_interval(successes: int, n: int, z: float = 1.96) -> tuple[float, float] | None:
    """Wilson score interval for a binomial proportion; honest for small n and rates near 0 or 1."""
    if n == 0:
        return None
    if n < 0 or not 0 <= successes <= n:
        raise ValueError(f"need 0 <= successes <= n, got {successes}/{n}")
    p = successes / n
    z2 = z * z
    denominator = 1 + z2 / n
    centre = (p + z2 / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z2 / (4 * n * n)) / denominator
    return max(0.0, centre - half), min(1.0, centre + half)


def proportion(numerator: int, count: int) -> Rate:
    """Build a Rate from its counts."""
    rate = numerator / count if count else None
    return Rate(numerator, count, rate, wilson_interval(numerator, count))


def employed_on(record: EnrolmentRecord, day: date) -> bool:
    """Whether the person held a job on `day` (started on or before it, not ended by then)."""
    if record.employed_since is None or record.employed_since > day:
        return False
    return record.employment_ended is None or record.employment_ended > day


def completion_rate(records: Iterable[EnrolmentRecord]) -> Rate:
    """Completed / enrolments that have concluded (still-active ones are left out)."""
    concluded = [r for r in records if r.status not in STILL_ACTIVE]
    return proportion(sum(r.status in COMPLETED for r in concluded), len(concluded))


def certificate_rate(records: Iterable[EnrolmentRecord]) -> Rate:
    """Completers holding a certificate / completers."""
    completed = _completers(records)
    certified = sum(r.certificate or r.status == "certified" for r in completed)
    return proportion(certified, len(completed))


def employment_rate_6m(records: Iterable[EnrolmentRecord], as_of: date) -> Rate:
    """Employed six months after completion / completers whose six months have passed by `as_of`."""
    checks = [
        (r, add_months(r.completed_on, EMPLOYMENT_CHECK_MONTHS)) for r in _completers(records)
    ]
    due = [(r, day) for r, day in checks if day <= as_of]
    return proportion(sum(employed_on(r, day) for r, day in due), len(due))


def _completers(records: Iterable[EnrolmentRecord]) -> list[EnrolmentRecord]:
    """Completed enrolments (with or without certificate)."""
    return [r for r in records if r.status in COMPLETED and r.completed_on is not None]


def evaluate_group(key: str, records: list[EnrolmentRecord], as_of: date) -> GroupEvaluation:
    """The three rates of one group of enrolments."""
    return GroupEvaluation(
        key=key,
        enrolled=len(records),
        completion=completion_rate(records),
        certificate=certificate_rate(records),
        employment_6m=employment_rate_6m(records, as_of),
    )


def province_average(records: Iterable[EnrolmentRecord], as_of: date) -> GroupEvaluation:
    """The rates pooled over every record: the yardstick each course and provider is read against."""
    return evaluate_group("province", list(records), as_of)


def evaluate(records: Iterable[EnrolmentRecord], as_of: date) -> Evaluation:
    """Evaluate every course and every provider, and the province average, as of `as_of`."""
    records = list(records)
    return Evaluation(
        as_of=as_of,
        by_course=_by(records, lambda r: r.course_id, as_of),
        by_provider=_by(records, lambda r: r.provider_id, as_of),
        province=province_average(records, as_of),
    )


def _by(
    records: list[EnrolmentRecord], key: Callable[[EnrolmentRecord], str], as_of: date
) -> dict[str, GroupEvaluation]:
    groups: dict[str, list[EnrolmentRecord]] = defaultdict(list)
    for record in records:
        groups[key(record)].append(record)
    return {k: evaluate_group(k, groups[k], as_of) for k in sorted(groups)}


def compare_to_average(rate: Rate, average: Rate) -> str:
    """'above' or 'below' when the average rate lies outside this interval, else 'similar' (or 'unknown')."""
    if rate.interval is None or average.rate is None:
        return "unknown"
    low, high = rate.interval
    if average.rate < low:
        return "above"
    if average.rate > high:
        return "below"
    return "similar"
