"""The quota assessment: from a filing and a rule set to every figure and a bilingual explanation."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from typing import TYPE_CHECKING

from quota.filing import DisabledEmployee, Filing
from quota.numbers import (
    HEADCOUNT_PLACES,
    RATIO_PLACES,
    exact_sum,
    money,
    show,
    show_money,
    show_percent,
    to_decimal,
)
from quota.wages import social_average_wage

if TYPE_CHECKING:
    from quota.rules import QuotaRuleSet

FACTOR_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class ExplanationLine:
    """One step of an assessment, in Chinese and English, showing its numbers."""

    step: str
    zh: str
    en: str


@dataclass(frozen=True)
class Assessment:
    """Every figure of a quota assessment, quantised for display, plus the explanation."""

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
    explanation: tuple[ExplanationLine, ...]

    def as_dict(self) -> dict[str, object]:
        """Return a JSON-ready dict: Decimals as strings, the explanation as a list of dicts."""
        result: dict[str, object] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, Decimal):
                value = str(value)
            elif f.name == "explanation":
                value = [{"step": line.step, "zh": line.zh, "en": line.en} for line in value]
            result[f.name] = value
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


def arranged_count(filing: Filing, rule_set: QuotaRuleSet) -> Fraction:
    """Return D, the arranged disabled employees after severe weighting and part-year counting."""
    return exact_sum(employee_weight(e, rule_set) for e in filing.disabled_employees)


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
    texts = _Texts(n=show(n), shortfall=show(shortfall))
    lines = (
        _headcount_line(filing, texts),
        _arranged_line(filing, rule_set, weights, d),
        _quota_line(exact, texts, required, ratio),
        _wage_line(filing, exact, texts, w, social, cap, base),
        _factor_line(rule_set, texts, ratio, exempt, factor),
        _levy_line(texts, base, factor, levy),
        _reward_line(filing, exact, excess, eligible, reward),
    )
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
        explanation=lines,
    )


ZERO = Fraction(0)


@dataclass(frozen=True)
class _Texts:
    """Figures that several explanation lines show, formatted once."""

    n: str
    shortfall: str


EXEMPT_ZH = "在职职工人数30人(含)以下的企业,暂免征收残疾人就业保障金"
EXEMPT_EN = "Enterprises with 30 or fewer staff are exempt from the levy while the rule is in force"


def _reward(exact: ExactRules, excess: Fraction, eligible: bool) -> Fraction | None:
    """Return the reward: excess x the local amount; 0 if not eligible; None if no amount is set."""
    if not eligible:
        return ZERO
    if exact.reward_per_excess_person is None:
        return None
    return excess * exact.reward_per_excess_person


def _headcount_line(filing: Filing, texts: _Texts) -> ExplanationLine:
    """Explain N as the sum of the monthly headcounts over 12, or the declared annual average."""
    if filing.monthly_headcounts is not None:
        total = show(filing.headcount_total)
        return ExplanationLine(
            "headcount",
            f"在职职工人数 N = {total} / 12 = {texts.n}",
            f"Headcount N = {total} / 12 = {texts.n}",
        )
    return ExplanationLine(
        "headcount",
        f"在职职工人数 N = {texts.n}(年平均)",
        f"Headcount N = {texts.n} (annual average)",
    )


def _arranged_line(
    filing: Filing, rule_set: QuotaRuleSet, weights: list[Fraction], d: Fraction
) -> ExplanationLine:
    """Explain D as the sum of each employee's weight, with the counting rules applied."""
    terms = f"{' + '.join(show(w) for w in weights)} = " if len(weights) > 1 else ""
    notes_zh, notes_en = _counting_notes(
        rule_set.severe_levels, rule_set.severe_weight, rule_set.part_year_counting
    )
    excluded = sum(1 for e in filing.disabled_employees if not e.counts)
    if excluded:
        notes_zh += f",{excluded}人不符合计入条件"
        notes_en += f"; {excluded} not meeting the counting conditions"
    return ExplanationLine(
        "arranged",
        f"安排残疾人数 D = {terms}{show(d)}({notes_zh})",
        f"Arranged D = {terms}{show(d)} ({notes_en})",
    )


@lru_cache(maxsize=64)
def _counting_notes(severe_levels, severe_weight, part_year_counting) -> tuple[str, str]:
    """The counting rules of a rule set, as the notes of the arranged line (zh, en)."""
    levels = "、".join(str(level) for level in sorted(severe_levels))
    weight = show(Fraction(severe_weight))
    notes_zh = [f"{levels}级按{weight}人计"]
    notes_en = [f"levels {levels.replace('、', ', ')} count {weight}"]
    if part_year_counting:
        notes_zh.append("不足12个月按月折算")
        notes_en.append("part-year in twelfths")
    return ",".join(notes_zh), "; ".join(notes_en)


def _quota_line(exact: ExactRules, texts: _Texts, required, ratio) -> ExplanationLine:
    """Explain the required number, the shortfall and the arranged ratio."""
    pct, share, required_text = show_percent(exact.ratio), show_percent(ratio), show(required)
    return ExplanationLine(
        "quota",
        f"应安排 = {texts.n} × {pct} = {required_text};差额 = {texts.shortfall};"
        f"安排比例 D/N = {share}",
        f"Required = {texts.n} × {pct} = {required_text}; shortfall = {texts.shortfall}; "
        f"D/N = {share}",
    )


def _wage_line(filing, exact: ExactRules, texts: _Texts, w, social, cap, base) -> ExplanationLine:
    """Explain the employer's average wage and the cap on it."""
    average = show_money(w)
    if filing.wage_total is not None:
        formula = f"{show_money(filing.wage_total)} / {texts.n} = {average}"
    else:
        formula = average
    zh, en = f"年平均工资 W = {formula}", f"Average wage W = {formula}"
    if cap is None:
        return ExplanationLine("wage_base", zh + "(不设上限)", en + " (no cap in force)")
    cap_formula = f"{show(exact.cap_multiple)} × {show_money(social)} = {show_money(cap)}"
    base_text = average if base is w else show_money(base)
    return ExplanationLine(
        "wage_base",
        f"{zh};上限 = {cap_formula};计征工资 = {base_text}",
        f"{en}; cap = {cap_formula}; wage base = {base_text}",
    )


def _factor_line(rule_set, texts: _Texts, ratio, exempt, factor) -> ExplanationLine:
    """Explain the exemption or the tier factor."""
    if exempt:
        return ExplanationLine(
            "factor", f"{EXEMPT_ZH}(N = {texts.n}),系数 0", f"{EXEMPT_EN} (N = {texts.n}): factor 0"
        )
    if not rule_set.tiers:
        return ExplanationLine(
            "factor",
            f"未实行分档征收,系数 {show(factor)}",
            f"No tier rule in force: factor {show(factor)}",
        )
    share, factor_text = show_percent(ratio), show(factor)
    return ExplanationLine(
        "factor",
        f"分档征收:D/N = {share},系数 {factor_text}",
        f"Tiered levy: D/N = {share}, factor {factor_text}",
    )


def _levy_line(texts: _Texts, base, factor, levy) -> ExplanationLine:
    """Explain the levy as shortfall x wage base x factor."""
    formula = f"{texts.shortfall} × {show_money(base)} × {show(factor)} = {show_money(levy)}"
    return ExplanationLine("levy", f"保障金 = {formula} 元", f"Levy = {formula} yuan")


def _reward_line(filing, exact: ExactRules, excess, eligible, reward) -> ExplanationLine:
    """Explain the over-quota reward, or why there is none."""
    if not eligible:
        return ExplanationLine(
            "reward",
            "未超比例或单位类型不适用超比例奖励",
            f"Not eligible for the over-quota reward (unit type {filing.unit_type}, or not above the quota)",
        )
    if reward is None:
        return ExplanationLine(
            "reward",
            f"超比例 {show(excess)} 人,奖励标准由当地确定(未设置)",
            f"Over quota by {show(excess)}; the reward per person is set locally (not configured)",
        )
    per, excess_text = show_money(exact.reward_per_excess_person), show(excess)
    return ExplanationLine(
        "reward",
        f"超比例奖励 = {excess_text} × {per} = {show_money(reward)} 元",
        f"Over-quota reward = {excess_text} × {per} = {show_money(reward)} yuan",
    )
