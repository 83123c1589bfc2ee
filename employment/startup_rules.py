"""Self-employment (自主创业) support as pure rules: when the follow-ups fall due and how many start-ups
survive.

The plan supports persons with disabilities who start a business (start-up support); whether the
support works is seen in the businesses still operating one and three years after they started.
The follow-up months are this service's schedule (FOLLOW_UP_MONTHS), not a regulation's figure.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from employment.rules import add_months

FOLLOW_UP_MONTHS = (12, 36)
DECISIONS = ("approved", "rejected")


def follow_up_dates(started_on: date, months=FOLLOW_UP_MONTHS) -> dict[int, date]:
    """The day of each follow-up: the same day 12 and 36 months after the business started."""
    return {m: add_months(started_on, m) for m in months}


@dataclass(frozen=True)
class FollowUp:
    """One follow-up of a supported business: when due, and what the check found (None: not yet)."""

    milestone: int
    due_on: date
    operating: bool | None


@dataclass(frozen=True)
class Survival:
    milestone: int
    due: int
    checked: int
    operating: int

    @property
    def rate(self):
        from decimal import ROUND_HALF_UP, Decimal

        if not self.checked:
            return None
        return (Decimal(self.operating) / Decimal(self.checked)).quantize(
            Decimal("0.0001"), ROUND_HALF_UP
        )


def survival(follow_ups: Iterable[FollowUp], milestone: int, on: date) -> Survival:
    """Of the follow-ups of a milestone due by `on`: how many were checked and found operating."""
    due = [f for f in follow_ups if f.milestone == milestone and f.due_on <= on]
    checked = [f for f in due if f.operating is not None]
    return Survival(milestone, len(due), len(checked), sum(1 for f in checked if f.operating))
