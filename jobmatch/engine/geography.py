"""Tiered distance between Zhejiang county-level divisions (no coordinates: see data/README.md)."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from core.divisions import all_divisions

DATA_DIR = Path(__file__).parent.parent / "data"

SAME_COUNTY, SAME_CITY, NEIGHBOUR_CITY, OTHER = 0, 1, 2, 3
TIERS = (SAME_COUNTY, SAME_CITY, NEIGHBOUR_CITY, OTHER)
# Nominal lower bound of each tier in km, compared with a seeker's maximum commute (an assumption,
# see data/README.md). A city that is neither the seeker's nor a neighbour is often 150-400 km away:
# only a commute of 300 km or more (in effect, willing to move) reaches it for an on-site post.
TIER_KM = (0.0, 30.0, 80.0, 300.0)
TIER_LABELS = {
    "zh": ("同县（区）", "同市", "邻市", "跨市"),
    "en": ("same county", "same city", "neighbouring city", "other city"),
}


@dataclass(frozen=True, eq=False)
class Geography:
    """County codes, their cities, and the city adjacency relation."""

    counties: tuple[str, ...]
    names: dict[str, str]
    city_of: dict[str, str]
    neighbours: frozenset[tuple[str, str]]

    def index(self, county_code: str | None) -> int:
        """Return the row of a county, or the extra 'unknown' row for codes outside Zhejiang."""
        return self._positions().get(county_code or "", len(self.counties))

    def _positions(self) -> dict[str, int]:
        return _positions(self.counties)

    def tier(self, a: str | None, b: str | None) -> int:
        """Return the distance tier between two county codes."""
        if not a or not b or a not in self.city_of or b not in self.city_of:
            return OTHER
        if a == b:
            return SAME_COUNTY
        ca, cb = self.city_of[a], self.city_of[b]
        if ca == cb:
            return SAME_CITY
        return NEIGHBOUR_CITY if (ca, cb) in self.neighbours else OTHER

    def tier_matrix(self) -> np.ndarray:
        """Return the (n+1) x (n+1) int8 tier matrix, the last row and column for unknown codes."""
        return _tier_matrix(self)


@lru_cache(maxsize=4)
def _positions(counties: tuple[str, ...]) -> dict[str, int]:
    return {code: i for i, code in enumerate(counties)}


@lru_cache(maxsize=4)
def _tier_matrix(geo: Geography) -> np.ndarray:
    codes = list(geo.counties) + [None]
    out = np.full((len(codes), len(codes)), OTHER, dtype=np.int8)
    for i, a in enumerate(codes):
        for j, b in enumerate(codes):
            out[i, j] = geo.tier(a, b)
    return out


@lru_cache(maxsize=1)
def load_geography(data_dir: Path = DATA_DIR) -> Geography:
    """Zhejiang's counties (core's division list) and the city adjacency shipped with matching."""
    divisions = all_divisions().values()
    names = {d.code: d.name for d in divisions}
    city_of = {d.code: d.parent_code for d in divisions if d.level == "county"}
    pairs = set()
    with open(data_dir / "zhejiang_city_adjacency.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            pairs.add((row["city_code"], row["neighbour_code"]))
            pairs.add((row["neighbour_code"], row["city_code"]))
    return Geography(tuple(city_of), names, city_of, frozenset(pairs))


# Default daily commute limit (km) for an on-site post when the seeker gave none, by disability
# level (1 most severe). A matching PARAMETER, set by an admin (match_setting
# "commute_km_by_level"); these shipped values are only its starting point, not a finding: level
# 1-2 within the city (30 km reaches the same-city tier), level 3-4 to a neighbouring city.
DEFAULT_COMMUTE_KM_BY_LEVEL = {1: 30.0, 2: 30.0, 3: 80.0, 4: 80.0}
COMMUTE_KM_RANGE = (5.0, 500.0)  # an admin-set limit must lie within this range


def default_commute_km(level: int | None, by_level: dict | None = None) -> float | None:
    """Return the default commute limit of a disability level (None when the level is unknown)."""
    table = by_level or DEFAULT_COMMUTE_KM_BY_LEVEL
    return (
        None
        if level is None
        else float(table.get(level, table.get(str(level), 0.0)) or 0.0) or None
    )


def reach_tier(max_commute_km: float | None) -> int:
    """Return the farthest tier a seeker's maximum commute reaches (None means no limit)."""
    if max_commute_km is None:
        return OTHER
    reachable = [t for t in TIERS if TIER_KM[t] <= max_commute_km]
    return max(reachable) if reachable else SAME_COUNTY
