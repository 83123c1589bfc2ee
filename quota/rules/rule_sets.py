"""Versioned quota rule sets for Zhejiang (CN-ZJ), as data; `quota.rules.assessment.assess` applies one.

A filing declares the employment data of calendar year Y (the data year). Employers file from 1 May to
30 June of Y+1, and the levy (残疾人就业保障金) is collected in Y+1 after the filing window, so data year Y is
assessed under the rules in force on the collection reference date, 1 July of Y+1:

| data year  | levy collected | wage cap                        | tiers / small-enterprise exemption |
| ---------- | -------------- | ------------------------------- | ---------------------------------- |
| 2015       | 2016           | none (before 2017-04-01)        | none, factor 1.0                   |
| 2016       | 2017           | 3 x social average wage         | none, factor 1.0                   |
| 2017-2018  | 2018-2019      | 2 x social average wage         | none, factor 1.0                   |
| 2019-2026  | 2020-2027      | 2 x social average wage         | 0.5 if D/N >= 1%, 0.9 if below;    |
|            |                |                                 | enterprises with N <= 30 exempt    |
| 2027-2030  | 2028-2031      | 2 x social average wage         | none, factor 1.0 unless extended   |

Sources: 《残疾人就业条例》 (2007) art. 8-9 (ratio, severe weighting left to provinces); 财税〔2015〕72号
art. 7-8 (formula, headcount and wage definitions); 财税〔2017〕18号 (cap at 3x the local social average
wage from 2017-04-01); 财税〔2018〕39号 (cap at 2x from 2018-04-01); 财政部公告2019年第98号 (tiers and the
exemption for enterprises with at most 30 staff, 2020-01-01 to 2024-12-31) extended by 财政部公告2023年第8号
(to 2027-12-31); 《浙江省残疾人保障条例》 art. 20, 36 and 《浙江省残疾人就业办法》 (省政府令第323号, amended
by 388号): ratio 1.5%, level 1-2 certificates count 2, the review calendar.

Assumption: the social average wage used for the cap of data year Y is the figure for year Y (the
"上年度" figure as seen from the collection year Y+1). For levies collected from 2020 on, item 3 of
财政部公告2019年第98号 defines it as the weighted average wage of urban non-private and private unit
employees (全口径, series "all_units"); before, the non-private series. The reward per excess person is set locally and
defaults to None (not configured).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from quota.rules.filing import ENTERPRISE_TYPES, check_unit_type

JURISDICTION = "CN-ZJ"
FIRST_DATA_YEAR = 2015
LAST_DATA_YEAR = 2030


@dataclass(frozen=True)
class Tier:
    """A levy factor that applies when the arranged ratio D/N is at or above `min_ratio`."""

    min_ratio: Decimal
    factor: Decimal


@dataclass(frozen=True)
class SmallEnterpriseExemption:
    """Units of these types with a headcount N at or below `max_headcount` pay no levy."""

    unit_types: frozenset[str]
    max_headcount: Decimal


@dataclass(frozen=True)
class QuotaRuleSet:
    """All the parameters the quota assessment of one data year depends on."""

    id: str
    version: int
    jurisdiction: str
    data_year: int
    collection_year: int
    ratio: Decimal
    cap_multiple: Decimal | None
    tiers: tuple[Tier, ...] = ()
    small_enterprise_exemption: SmallEnterpriseExemption | None = None
    default_factor: Decimal = Decimal("1")
    severe_levels: frozenset[int] = frozenset({1, 2})
    severe_weight: Decimal = Decimal("2")
    part_year_counting: bool = True
    reward_per_excess_person: Decimal | None = None
    reward_excluded_unit_types: frozenset[str] = frozenset({"government", "public_institution_1"})
    filing_opens: tuple[int, int] = (5, 1)
    filing_closes: tuple[int, int] = (6, 30)
    social_wage_series: str = "non_private"
    sources: tuple[str, ...] = field(default=())


@dataclass(frozen=True)
class RulePeriod:
    """A rule in force for levies collected from `starts` to `ends` inclusive (None: open-ended)."""

    starts: date
    ends: date | None
    source: str

    def in_force_on(self, day: date) -> bool:
        """Say whether the rule is in force on the given day."""
        return self.starts <= day and (self.ends is None or day <= self.ends)


BASE_SOURCES = (
    "《残疾人就业条例》（2007）第8-9条",
    "财税〔2015〕72号 第7-8条",
    "《浙江省残疾人保障条例》第20条、第36条",
    "《浙江省残疾人就业办法》（省政府令第323号，第388号修正）",
)
CAP_PERIODS = (
    (RulePeriod(date(1, 1, 1), date(2017, 3, 31), "财税〔2015〕72号 (no cap)"), None),
    (RulePeriod(date(2017, 4, 1), date(2018, 3, 31), "财税〔2017〕18号"), Decimal("3")),
    (RulePeriod(date(2018, 4, 1), None, "财税〔2018〕39号"), Decimal("2")),
)
TIER_PERIOD = RulePeriod(
    date(2020, 1, 1), date(2027, 12, 31), "财政部公告2019年第98号、2023年第8号"
)
ALL_UNITS_WAGE_PERIOD = RulePeriod(date(2020, 1, 1), None, "财政部公告2019年第98号 第三条")
ZHEJIANG_TIERS = (
    Tier(min_ratio=Decimal("0.01"), factor=Decimal("0.5")),
    Tier(min_ratio=Decimal("0"), factor=Decimal("0.9")),
)
# 财政部公告2019年第98号 item 2 exempts 企业 (enterprises) with 30 or fewer staff: every enterprise type,
# welfare (福利企业) and state-owned enterprises included; not government bodies or public institutions.
ZHEJIANG_EXEMPTION = SmallEnterpriseExemption(
    unit_types=ENTERPRISE_TYPES, max_headcount=Decimal("30")
)


def collection_reference_date(data_year: int) -> date:
    """Return the day after the filing window of Y+1: the date whose rules assess data year Y."""
    return date(data_year + 1, 7, 1)


def zhejiang_rule_set(data_year: int, version: int = 1) -> QuotaRuleSet:
    """Build the Zhejiang rule set of a data year from the period tables."""
    day = collection_reference_date(data_year)
    cap_period, cap_multiple = next((p, m) for p, m in CAP_PERIODS if p.in_force_on(day))
    tiered = TIER_PERIOD.in_force_on(day)
    all_units = ALL_UNITS_WAGE_PERIOD.in_force_on(day)
    sources = (
        BASE_SOURCES
        + (cap_period.source,)
        + ((TIER_PERIOD.source,) if tiered else ())
        + ((ALL_UNITS_WAGE_PERIOD.source,) if all_units else ())
    )
    return QuotaRuleSet(
        id=f"{JURISDICTION}-{data_year}-v{version}",
        version=version,
        jurisdiction=JURISDICTION,
        data_year=data_year,
        collection_year=data_year + 1,
        ratio=Decimal("0.015"),
        cap_multiple=cap_multiple,
        tiers=ZHEJIANG_TIERS if tiered else (),
        small_enterprise_exemption=ZHEJIANG_EXEMPTION if tiered else None,
        social_wage_series="all_units" if all_units else "non_private",
        sources=sources,
    )


RULE_SETS: dict[str, QuotaRuleSet] = {
    rule_set.id: rule_set
    for rule_set in (zhejiang_rule_set(year) for year in range(FIRST_DATA_YEAR, LAST_DATA_YEAR + 1))
}


def rule_set_for(year: int, jurisdiction: str = JURISDICTION) -> QuotaRuleSet:
    """Return the latest version of the rule set for a data year, or raise a ValueError naming it."""
    candidates = [
        rs for rs in RULE_SETS.values() if rs.jurisdiction == jurisdiction and rs.data_year == year
    ]
    if not candidates:
        known = sorted(
            {rs.data_year for rs in RULE_SETS.values() if rs.jurisdiction == jurisdiction}
        )
        span = f"{known[0]}-{known[-1]}" if known else "none"
        raise ValueError(
            f"year: no rule set for data year {year!r} in jurisdiction {jurisdiction!r} (known: {span})"
        )
    return max(candidates, key=lambda rs: rs.version)


def filing_window(rule_set: QuotaRuleSet) -> tuple[date, date]:
    """Return the first and last day employers may file for the rule set's data year."""
    year = rule_set.collection_year
    return date(year, *rule_set.filing_opens), date(year, *rule_set.filing_closes)


@dataclass(frozen=True)
class Finding:
    """A review finding that stands beside any levy (DESIGN 3.2.10)."""

    code: str
    reason_zh: str
    reason_en: str


def public_body_lead_finding(unit_type: str, is_lead_unit: bool, arranged: int) -> Finding | None:
    """Flag a lead public body (provincial party/government body or committee member unit) employing no disabled person."""
    check_unit_type(unit_type)
    if isinstance(arranged, bool) or not isinstance(arranged, int) or arranged < 0:
        raise ValueError(
            f"arranged: expected a whole number of disabled employees, got {arranged!r}"
        )
    if not is_lead_unit or arranged > 0:
        return None
    return Finding(
        code="public_body_without_disabled_employee",
        reason_zh="省级党政机关或市残工委成员单位未安排残疾人就业（不论单位规模）",
        reason_en=(
            "A provincial party or government body, or a member unit of a city's disability working "
            "committee, employs no person with disabilities (whatever its size)"
        ),
    )
