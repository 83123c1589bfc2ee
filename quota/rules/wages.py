"""Zhejiang's social average wage series, loaded from quota/data (never invented when missing).

Series: "non_private" (城镇非私营单位就业人员平均工资), "private" (城镇私营单位), and "all_units", the
weighted average wage of urban non-private and private unit employees (全口径城镇单位就业人员平均工资),
which item 3 of 财政部公告2019年第98号 makes the "当地社会平均工资" of the levy cap for levies collected
from 2020 on. The shipped data has no all-units column yet: an administrator enters the published figure
of each year (with its source); it is never derived from the other two series without their weights.
"""

from __future__ import annotations

import csv
from fractions import Fraction
from functools import cache
from pathlib import Path

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
AVERAGE_WAGES_CSV = DATA_DIR / "zhejiang_average_wages.csv"
WAGE_SERIES = {
    "non_private": "non_private_unit_average_wage_yuan",
    "private": "private_unit_average_wage_yuan",
    "all_units": "all_units_average_wage_yuan",
}


class MissingSocialAverageWage(ValueError):
    """The social average wage for the year is not on file and the filing did not give it."""

    def __init__(self, year: int, series: str) -> None:
        self.year = year
        self.series = series
        super().__init__(
            f"social_average_wage: no {series} social average wage on file for {year}; "
            f"please enter the published figure (请填写{year}年度当地社会平均工资)"
        )


@cache
def load_average_wages(series: str = "non_private") -> dict[int, Fraction]:
    """Return {year: average wage in yuan} for one series; years with an empty cell are left out."""
    column = _column_for(series)
    with AVERAGE_WAGES_CSV.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return {
        int(row["year"]): Fraction(row[column]) for row in rows if (row.get(column) or "").strip()
    }


def social_average_wage(year: int, series: str = "non_private") -> Fraction:
    """Return the social average wage for a year, or raise MissingSocialAverageWage."""
    wages = load_average_wages(series)
    if year not in wages:
        raise MissingSocialAverageWage(year, series)
    return wages[year]


def _column_for(series: str) -> str:
    """Map a series name to its CSV column, rejecting unknown names."""
    if series not in WAGE_SERIES:
        raise ValueError(
            f"series: unknown wage series {series!r}; expected one of {sorted(WAGE_SERIES)}"
        )
    return WAGE_SERIES[series]
