"""Zhejiang's 11 cities and 90 county-level divisions, loaded from shipped data (pure)."""

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "zhejiang_divisions.csv"
PROVINCE_CODE = "330000"


@dataclass(frozen=True)
class Division:
    code: str
    name: str
    level: str  # "city" or "county"
    parent_code: str


@lru_cache(maxsize=1)
def all_divisions() -> dict[str, Division]:
    """Every division by code, cities first, in the order of the data file."""
    with DATA_FILE.open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    return {
        row["code"]: Division(row["code"], row["name"], row["level"], row["parent_code"])
        for row in rows
    }


def cities() -> list[Division]:
    return [d for d in all_divisions().values() if d.level == "city"]


def counties(city_code: str | None = None) -> list[Division]:
    return [
        d
        for d in all_divisions().values()
        if d.level == "county" and (city_code is None or d.parent_code == city_code)
    ]


def is_county(code: str | None) -> bool:
    division = all_divisions().get(code or "")
    return division is not None and division.level == "county"


def city_of(county_code: str) -> str:
    """The city code of a county code (the city itself for a city code)."""
    division = all_divisions()[county_code]
    return division.code if division.level == "city" else division.parent_code


def division_name(code: str | None) -> str:
    division = all_divisions().get(code or "")
    return division.name if division else ""


def full_name(county_code: str | None) -> str:
    """'杭州市西湖区' for a county code."""
    division = all_divisions().get(county_code or "")
    if division is None:
        return ""
    if division.level == "city":
        return division.name
    return division_name(division.parent_code) + division.name
