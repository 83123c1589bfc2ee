"""The quota assessment: from a filing and a rule set to every figure and a bilingual explanation."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from functools import cached_property, lru_cache
from typing import TYPE_CHECKING

from quota.rules.explanation import EXEMPT_EN, EXEMPT_ZH, ExplanationBasis, ExplanationLine, explain
from quota.rules.filing import DisabledEmployee, Filing
from quota.rules.numbers import (
    HEADCOUNT_PLACES,
    RATIO_PLACES,
    exact_sum,
    money,
    show,
    to_decimal,
)
from quota.rules.wages import social_average_wage

if TYPE_CHECKING:
    from quota.rules.rule_sets import QuotaRuleSet

FACTOR_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Assessment:
    """Every figure of a quota assessment, quantised as published, and what its explanation needs."""

    rule_set_id: str
    data_year: int
    unit_type: str
    headcount: Decimal
    required: Decimal
    arranged: Decimal
    shortfall: Decimal
    arranged_ratio: Decimal
    wage_base: Decimal
    social_average_wage: Decimal | None
    cap: Decimal | None
    capped: bool
    capped_wage_base: Decimal
    exempt: bool
    exempt_reason_zh: str | None
    exempt_reason_en: str | None
    factor: Decimal
    levy: Decimal
    excess: Decimal
    reward_eligible: bool
    reward: Decimal | None
    basis: ExplanationBasis

    @cached_property
    def explanation(self) -> tuple[ExplanationLine, ...]:
        """A line per step in Chinese and English, rendered from the figures when first asked for."""
        return explain(self, self.basis)

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict: Decimals as strings, the explanation as a list of dicts."""
        result: dict[str, object] = {}
        for f in fields(self):
            if f.name == "basis":
                continue
            value = getattr(self, f.name)
            result[f.name] = str(value) if isinstance(value, Decimal) else value
        result["explanation"] = [
            {"step": line.step, "zh": line.zh, "en": line.en} for line in self.explanation
        ]
        return result


@dataclass(frozen=True)
class ExactRules:
    """A rule set's numbers as exact Fractions, converted once per rule set rather than per filing."""

    ratio: Fraction
    cap_multiple: Fraction | None
    severe_weight: Fraction
    tiers: tuple[tuple[Fraction, Fraction], ...]
    default_factor: Fraction
    exempt_unit_types: frozenset[str]
    exempt_max_headcount: Fraction | None
    reward_per_excess_person: Fraction | None


@lru_cache(maxsize=256)
def exact_rules(rule_set: QuotaRuleSet) -> ExactRules:
    """Return the rule set's parameters as Fractions (cached: rule sets are immutable)."""
    exemption = rule_set.small_enterprise_exemption
    return ExactRules(
        ratio=Fraction(rule_set.ratio),
        cap_multiple=None if rule_set.cap_multiple is None else Fraction(rule_set.cap_multiple),
        severe_weight=Fraction(rule_set.severe_weight),
        tiers=tuple((Fraction(t.min_ratio), Fraction(t.factor)) for t in rule_set.tiers),
        default_factor=Fraction(rule_set.default_factor),
        exempt_unit_types=frozenset() if exemption is None else exemption.unit_types,
        exempt_max_headcount=None if exemption is None else Fraction(exemption.max_headcount),
        reward_per_excess_person=None
        if rule_set.reward_per_excess_person is None
        else Fraction(rule_set.reward_per_excess_person),
    )


def employee_weight(employee: DisabledEmployee, rule_set: QuotaRuleSet) -> Fraction:
    """Return how much one disabled employee counts towards D (0 when the conditions are not met)."""
    return _weight(
        employee.level,
        employee.months,
        employee.counts,
        rule_set.severe_levels,
        rule_set.severe_weight,
        rule_set.part_year_counting,
    )


@lru_cache(maxsize=1024)
def _weight(level, months, counts, severe_levels, severe_weight, part_year) -> Fraction:
    """The weight of one employee (cached: only a few hundred combinations exist)."""
    if not counts:
        return Fraction(0)
    weight = Fraction(severe_weight) if level in severe_levels else Fraction(1)
    if part_year:
        weight *= Fraction(months, 12)
    return weight


def levy_factor(ratio: Fraction, rule_set: QuotaRuleSet) -> Fraction:
    """Return the tier factor for an arranged ratio D/N, or the default factor when no tiers apply."""
    exact = exact_rules(rule_set)
    for min_ratio, factor in exact.tiers:
        if ratio >= min_ratio:
            return factor
    return exact.default_factor


def is_small_enterprise_exempt(filing: Filing, n: Fraction, rule_set: QuotaRuleSet) -> bool:
    """Say whether the small-enterprise exemption of the rule set covers this filing."""
    exact = exact_rules(rule_set)
    return (
        exact.exempt_max_headcount is not None
        and filing.unit_type in exact.exempt_unit_types
        and n <= exact.exempt_max_headcount
    )


def social_wage_for(filing: Filing, rule_set: QuotaRuleSet) -> Fraction:
    """Return the social average wage: the filing's figure, else the data series for the data year."""
    if filing.social_average_wage is not None:
        return filing.social_average_wage
    return social_average_wage(rule_set.data_year, rule_set.social_wage_series)


def assess(filing: Filing, rule_set: QuotaRuleSet) -> Assessment:
    """Assess a filing under a rule set: headcount, quota, shortfall, capped wage base, factor, levy, reward."""
    exact = exact_rules(rule_set)
    n = filing.annual_headcount
    required = n * exact.ratio
    weights = [employee_weight(e, rule_set) for e in filing.disabled_employees]
    d = exact_sum(weights)
    shortfall = required - d if required > d else ZERO
    ratio = d / n
    w = filing.employer_average_wage
    social, cap, base = None, None, w
    if exact.cap_multiple is not None:
        social = social_wage_for(filing, rule_set)
        cap = social * exact.cap_multiple
        base = w if w <= cap else cap
    exempt = is_small_enterprise_exempt(filing, n, rule_set)
    factor = ZERO if exempt else levy_factor(ratio, rule_set)
    levy = shortfall * base * factor
    excess = d - required if d > required else ZERO
    eligible = filing.unit_type not in rule_set.reward_excluded_unit_types and ratio > exact.ratio
    reward = _reward(exact, excess, eligible)
    basis = _basis(filing, rule_set, weights, shortfall, base)
    return Assessment(
        rule_set_id=rule_set.id,
        data_year=rule_set.data_year,
        unit_type=filing.unit_type,
        headcount=to_decimal(n, HEADCOUNT_PLACES),
        required=to_decimal(required, HEADCOUNT_PLACES),
        arranged=to_decimal(d, HEADCOUNT_PLACES),
        shortfall=to_decimal(shortfall, HEADCOUNT_PLACES),
        arranged_ratio=to_decimal(ratio, RATIO_PLACES),
        wage_base=money(w),
        social_average_wage=None if social is None else money(social),
        cap=None if cap is None else money(cap),
        capped=cap is not None and w > cap,
        capped_wage_base=money(base),
        exempt=exempt,
        exempt_reason_zh=EXEMPT_ZH if exempt else None,
        exempt_reason_en=EXEMPT_EN if exempt else None,
        factor=to_decimal(factor, FACTOR_PLACES),
        levy=money(levy),
        excess=to_decimal(excess, HEADCOUNT_PLACES),
        reward_eligible=eligible,
        reward=None if reward is None else money(reward),
        basis=basis,
    )


ZERO = Fraction(0)


def _reward(exact: ExactRules, excess: Fraction, eligible: bool) -> Fraction | None:
    """Return the reward: excess x the local amount; 0 if not eligible; None if no amount is set."""
    if not eligible:
        return ZERO
    if exact.reward_per_excess_person is None:
        return None
    return excess * exact.reward_per_excess_person


def _basis(
    filing: Filing,
    rule_set: QuotaRuleSet,
    weights: list[Fraction],
    shortfall: Fraction = ZERO,
    base: Fraction = ZERO,
) -> ExplanationBasis:
    """The filing's inputs and the rule set's parameters that the explanation shows."""
    return ExplanationBasis(
        headcount_total=None if filing.monthly_headcounts is None else show(filing.headcount_total),
        wage_total=None if filing.wage_total is None else money(filing.wage_total),
        weights=tuple(show(w) for w in weights),
        excluded=sum(1 for e in filing.disabled_employees if not e.counts),
        ratio=rule_set.ratio,
        cap_multiple=rule_set.cap_multiple,
        severe_levels=tuple(sorted(rule_set.severe_levels)),
        severe_weight=rule_set.severe_weight,
        part_year_counting=rule_set.part_year_counting,
        tiered=bool(rule_set.tiers),
        reward_per_excess_person=rule_set.reward_per_excess_person,
        shortfall_exact=str(Fraction(shortfall)),
        wage_base_exact=str(Fraction(base)),
    )
