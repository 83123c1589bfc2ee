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


# How a seeker usually travels to work: on foot or in a wheelchair, public transport, accessible
# transport or taxi, own vehicle. The code list is defined here once (labels: jobmatch/labels.py).
TRAVEL_MODES = ("on_foot", "public_transport", "accessible_transport", "own_vehicle")
LEVELS = (1, 2, 3, 4)  # disability levels (1 most severe), the rows of the default-limit table
COMMUTE_KM_RANGE = (5.0, 500.0)  # an admin-set limit must lie within this range


@dataclass(frozen=True)
class Commute:
    """A seeker's commute limit for on-site posts and where it comes from.

    ``basis``: "own" (the seeker's), "default" (the admin's default for their level and travel
    mode), "default_unknown_mode" (travel mode not recorded: the most conservative default of their
    level), or "none" (no limit: neither their own nor an admin default).
    """

    km: float | None
    basis: str = "none"
    mode: str | None = None


def default_commute(level: int | None, mode: str | None, table: dict | None) -> Commute:
    """Return the default commute limit of a disability level and travel mode.

    The limits are a matching PARAMETER set by an administrator per (level, mode) (match_setting
    "commute_km_by_level_mode"); no rule or finding gives them, so none ships with the code: while
    the administrator has set none, a seeker without a limit of their own has none. A travel mode
    not recorded takes the smallest (most conservative) limit of the level.
    """
    row = (table or {}).get(str(level)) or (table or {}).get(level) if level is not None else None
    if not row:
        return Commute(None, "none", mode)
    if mode in TRAVEL_MODES and row.get(mode) is not None:
        return Commute(float(row[mode]), "default", mode)
    known = [float(v) for m, v in row.items() if m in TRAVEL_MODES and v is not None]
    return Commute(min(known), "default_unknown_mode", None) if known else Commute(None)


def seeker_commute(
    own_km: float | None, level: int | None, mode: str | None, table: dict | None
) -> Commute:
    """The seeker's own limit when given, else the default of their level and travel mode."""
    if own_km is not None:
        return Commute(float(own_km), "own", mode)
    return default_commute(level, mode, table)


def reach_tier(max_commute_km: float | None) -> int:
    """Return the farthest tier a seeker's maximum commute reaches (None means no limit)."""
    if max_commute_km is None:
        return OTHER
    reachable = [t for t in TIERS if TIER_KM[t] <= max_commute_km]
    return max(reachable) if reachable else SAME_COUNTY
