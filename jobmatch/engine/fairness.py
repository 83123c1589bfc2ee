"""Fairness audit of the matching (pure): per disability category and level, how seekers fare.

For each group: the share of its seekers with at least one feasible match, their mean exposure in
the posts' top-10 candidate lists (position-weighted, 1/log2(rank + 1)), the referral rate (share
of seekers referred at least once) and the hire rate (share of referred seekers hired). Each rate
is also given as a ratio to the best group on that measure (1.0 for the best group).

Exposure is also compared with the mean exposure of all seekers audited: a group whose exposure
ratio falls below 0.8 or above 1.25 is marked (``EXPOSURE_BAND``). The 0.8 is the "four-fifths
rule" of adverse impact (US Uniform Guidelines on Employee Selection Procedures, 29 CFR
1607.4(D)); 1.25 is its reciprocal, for groups favoured as much. No Chinese regulation sets such a
band for matching; it is a screening flag for a counselor to look at, not a finding.

A seeker without exposure is either without any feasible post (every post breaks a hard
constraint: ``no_feasible``) or feasible but ranked below every post's top list (``ranked_low``);
the two call for different actions (posts and accommodations vs. profile and skills).
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

MEASURES = ("feasible_share", "mean_exposure", "referral_rate", "hire_rate")
TOP = 10
EXPOSURE_BAND = (0.8, 1.25)  # see the module docstring


@dataclass(frozen=True)
class SeekerFacts:
    """One seeker as the audit sees them: their group and what happened to them."""

    id: int
    category: int
    level: int
    referred: bool = False
    hired: bool = False


@dataclass(frozen=True)
class Scored:
    """A stored feasible (seeker, post) pair of a batch run and its total."""

    seeker_id: int
    post_id: int
    total: float


@dataclass
class GroupRow:
    """The audit's figures for one group."""

    dimension: str  # category | level
    group: int
    seekers: int
    feasible_share: float
    mean_exposure: float
    referral_rate: float | None
    hire_rate: float | None
    ratios: dict[str, float | None] = field(default_factory=dict)
    no_feasible: int = 0  # seekers without any feasible post
    ranked_low: int = 0  # seekers with a feasible post but in no post's top list
    exposure_ratio: float | None = None  # mean exposure / mean exposure of everyone audited
    flag: str | None = None  # "low" | "high" when exposure_ratio is outside EXPOSURE_BAND


def exposure(pairs: Iterable[Scored], top: int = TOP) -> dict[int, float]:
    """Each seeker's exposure: over every post, 1/log2(rank + 1) where they rank in its top list."""
    by_post: dict[int, list[Scored]] = defaultdict(list)
    for pair in pairs:
        by_post[pair.post_id].append(pair)
    out: dict[int, float] = defaultdict(float)
    for ranked in by_post.values():
        ranked.sort(key=lambda p: (-p.total, p.seeker_id))
        for rank, pair in enumerate(ranked[:top], start=1):
            out[pair.seeker_id] += 1.0 / math.log2(rank + 1)
    return dict(out)


def _rate(numerator: int, denominator: int) -> float | None:
    return numerator / denominator if denominator else None


def _group_row(dimension: str, group: int, members: Sequence[SeekerFacts], feasible, exposed):
    n = len(members)
    referred = sum(1 for m in members if m.referred)
    hired = sum(1 for m in members if m.referred and m.hired)
    return GroupRow(
        dimension=dimension,
        group=group,
        seekers=n,
        feasible_share=sum(1 for m in members if m.id in feasible) / n,
        mean_exposure=sum(exposed.get(m.id, 0.0) for m in members) / n,
        referral_rate=_rate(referred, n),
        hire_rate=_rate(hired, referred),
        no_feasible=sum(1 for m in members if m.id not in feasible),
        ranked_low=sum(1 for m in members if m.id in feasible and not exposed.get(m.id)),
    )


def _add_ratios(rows: list[GroupRow]) -> None:
    for measure in MEASURES:
        values = [getattr(r, measure) for r in rows if getattr(r, measure) is not None]
        best = max(values, default=None)
        for row in rows:
            value = getattr(row, measure)
            row.ratios[measure] = value / best if value is not None and best else None


def audit(
    seekers: Sequence[SeekerFacts], pairs: Sequence[Scored], top: int = TOP
) -> list[GroupRow]:
    """The figures by category, then by level, each group compared with the best group."""
    feasible = {p.seeker_id for p in pairs}
    exposed = exposure(pairs, top)
    overall = sum(exposed.get(s.id, 0.0) for s in seekers) / len(seekers) if seekers else 0.0
    out: list[GroupRow] = []
    for dimension in ("category", "level"):
        groups: dict[int, list[SeekerFacts]] = defaultdict(list)
        for s in seekers:
            groups[getattr(s, dimension)].append(s)
        rows = [
            _group_row(dimension, g, members, feasible, exposed)
            for g, members in sorted(groups.items())
        ]
        _add_ratios(rows)
        for row in rows:
            _flag(row, overall)
        out += rows
    return out


def _flag(row: GroupRow, overall: float) -> None:
    if overall <= 0:
        return
    row.exposure_ratio = row.mean_exposure / overall
    low, high = EXPOSURE_BAND
    row.flag = "low" if row.exposure_ratio < low else "high" if row.exposure_ratio > high else None


def csv_rows(rows: Sequence[GroupRow]) -> list[list]:
    """The report as CSV rows with a header line."""
    header = [
        "dimension",
        "group",
        "seekers",
        *MEASURES,
        *(f"{m}_ratio" for m in MEASURES),
        "no_feasible",
        "ranked_low",
        "exposure_ratio_to_all",
        "flag",
    ]
    body = [
        [
            r.dimension,
            r.group,
            r.seekers,
            *(_fmt(getattr(r, m)) for m in MEASURES),
            *(_fmt(r.ratios.get(m)) for m in MEASURES),
            r.no_feasible,
            r.ranked_low,
            _fmt(r.exposure_ratio),
            r.flag or "",
        ]
        for r in rows
    ]
    return [header, *body]


def _fmt(value) -> str:
    return "" if value is None else f"{value:.4f}"
