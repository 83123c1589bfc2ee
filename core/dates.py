"""Calendar and age rules shared by several packages (pure: no Flask, no database).

Working age: from the 16th birthday (《劳动法》 art. 15 forbids employing minors under 16) until the
statutory retirement age (60 for men, 55 for women before the gradual reform of 2025; pass another
mapping to follow the reform).
"""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from datetime import date

MIN_WORKING_AGE = 16
RETIREMENT_AGE = {"male": 60, "female": 55}
_SEX = {
    "male": "male",
    "m": "male",
    "男": "male",
    "female": "female",
    "f": "female",
    "女": "female",
}


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the end of a shorter month."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def age_on(birth_date: date, on: date) -> int:
    """Age in whole years on a date (a 29 February birthday comes of age on 1 March)."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


def is_working_age(
    birth_date: date, sex: str, on: date, retirement_age: Mapping[str, int] = RETIREMENT_AGE
) -> bool:
    """From the 16th birthday until the retirement birthday (60 for men, 55 for women by default)."""
    key = _SEX.get(sex.strip().lower())
    if key is None:
        raise ValueError(f"unknown sex: {sex!r}")
    return MIN_WORKING_AGE <= age_on(birth_date, on) < retirement_age[key]
