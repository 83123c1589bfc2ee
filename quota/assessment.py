"""The quota assessment: from a filing and a rule set to every figure and a bilingual explanation."""

from __future__ import annotations

from dataclasses import dataclass, fields
from decimal import Decimal
from fractions import Fraction
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


def employee_weight(employee: DisabledEmployee, rule_set: QuotaRuleSet) -> Fraction:
    """Return how much one disabled employee counts towards D (0 when the conditions are not met)."""
    if not employee.counts:
        return Fraction(0)
    weight = (
        Fraction(rule_set.severe_weight)
        if employee.level in rule_set.severe_levels
        else Fraction(1)
    )
    if rule_set.part_year_counting:
        weight *= Fraction(employee.months, 12)
    return weight


def arranged_count(filing: Filing, rule_set: QuotaRuleSet) -> Fraction:
    """Return D, the arranged disabled employees after severe weighting and part-year counting."""
    return exact_sum(employee_weight(e, rule_set) for e in filing.disabled_employees)


def levy_factor(ratio: Fraction, rule_set: QuotaRuleSet) -> Fraction:
    """Return the tier factor for an arranged ratio D/N, or the default factor when no tiers apply."""
    for tier in rule_set.tiers:
        if ratio >= Fraction(tier.min_ratio):
            return Fraction(tier.factor)
    return Fraction(rule_set.default_factor)


def is_small_enterprise_exempt(filing: Filing, n: Fraction, rule_set: QuotaRuleSet) -> bool:
    """Say whether the small-enterprise exemption of the rule set covers this filing."""
    exemption = rule_set.small_enterprise_exemption
    return (
        exemption is not None
        and filing.unit_type in exemption.unit_types
        and n <= Fraction(exemption.max_headcount)
    )


def social_wage_for(filing: Filing, rule_set: QuotaRuleSet) -> Fraction:
    """Return the social average wage: the filing's figure, else the data series for the data year."""
    if filing.social_average_wage is not None:
        return filing.social_average_wage
    return social_average_wage(rule_set.data_year, rule_set.social_wage_series)


def assess(filing: Filing, rule_set: QuotaRuleSet) -> Assessment:
    """Assess a filing under a rule set: headcount, quota, shortfall, capped wage base, factor, levy, reward."""
    lines: list[ExplanationLine] = []
    n = filing.annual_headcount
    lines.append(_headcount_line(filing, n))
    required = n * Fraction(rule_set.ratio)
    d = arranged_count(filing, rule_set)
    lines.append(_arranged_line(filing, rule_set, d))
    shortfall = max(Fraction(0), required - d)
    ratio = d / n
    lines.append(_quota_line(rule_set, n, required, d, shortfall, ratio))
    w = filing.employer_average_wage
    social, cap, base = None, None, w
    if rule_set.cap_multiple is not None:
        social = social_wage_for(filing, rule_set)
        cap = social * Fraction(rule_set.cap_multiple)
        base = min(w, cap)
    lines.append(_wage_line(filing, rule_set, n, w, social, cap, base))
    exempt = is_small_enterprise_exempt(filing, n, rule_set)
    factor = Fraction(0) if exempt else levy_factor(ratio, rule_set)
    lines.append(_factor_line(rule_set, n, ratio, exempt, factor))
    levy = shortfall * base * factor
    lines.append(_levy_line(shortfall, base, factor, levy))
    excess = max(Fraction(0), d - required)
    eligible = filing.unit_type not in rule_set.reward_excluded_unit_types and ratio > Fraction(
        rule_set.ratio
    )
    reward = _reward(rule_set, excess, eligible)
    lines.append(_reward_line(filing, rule_set, excess, eligible, reward))
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
        explanation=tuple(lines),
    )


EXEMPT_ZH = "在职职工人数30人(含)以下的企业,暂免征收残疾人就业保障金"
EXEMPT_EN = "Enterprises with 30 or fewer staff are exempt from the levy while the rule is in force"


def _reward(rule_set: QuotaRuleSet, excess: Fraction, eligible: bool) -> Fraction | None:
    """Return the reward: excess x the local amount; 0 if not eligible; None if no amount is set."""
    if not eligible:
        return Fraction(0)
    if rule_set.reward_per_excess_person is None:
        return None
    return excess * Fraction(rule_set.reward_per_excess_person)


def _headcount_line(filing: Filing, n: Fraction) -> ExplanationLine:
    """Explain N as the sum of the monthly headcounts over 12, or the declared annual average."""
    if filing.monthly_headcounts is not None:
        total = show(filing.headcount_total)
        return ExplanationLine(
            "headcount",
            f"在职职工人数 N = {total} / 12 = {show(n)}",
            f"Headcount N = {total} / 12 = {show(n)}",
        )
    return ExplanationLine(
        "headcount",
        f"在职职工人数 N = {show(n)}(年平均)",
        f"Headcount N = {show(n)} (annual average)",
    )


def _arranged_line(filing: Filing, rule_set: QuotaRuleSet, d: Fraction) -> ExplanationLine:
    """Explain D as the sum of each employee's weight, with the counting rules applied."""
    parts = [show(employee_weight(e, rule_set)) for e in filing.disabled_employees]
    terms = f"{' + '.join(parts)} = " if len(parts) > 1 else ""
    levels = "、".join(str(level) for level in sorted(rule_set.severe_levels))
    weight = show(Fraction(rule_set.severe_weight))
    notes_zh = [f"{levels}级按{weight}人计"]
    notes_en = [f"levels {levels.replace('、', ', ')} count {weight}"]
    if rule_set.part_year_counting:
        notes_zh.append("不足12个月按月折算")
        notes_en.append("part-year in twelfths")
    excluded = sum(1 for e in filing.disabled_employees if not e.counts)
    if excluded:
        notes_zh.append(f"{excluded}人不符合计入条件")
        notes_en.append(f"{excluded} not meeting the counting conditions")
    return ExplanationLine(
        "arranged",
        f"安排残疾人数 D = {terms}{show(d)}({','.join(notes_zh)})",
        f"Arranged D = {terms}{show(d)} ({'; '.join(notes_en)})",
    )


def _quota_line(rule_set, n, required, d, shortfall, ratio) -> ExplanationLine:
    """Explain the required number, the shortfall and the arranged ratio."""
    pct = show_percent(Fraction(rule_set.ratio))
    return ExplanationLine(
        "quota",
        f"应安排 = {show(n)} × {pct} = {show(required)};差额 = {show(shortfall)};"
        f"安排比例 D/N = {show_percent(ratio)}",
        f"Required = {show(n)} × {pct} = {show(required)}; shortfall = {show(shortfall)}; "
        f"D/N = {show_percent(ratio)}",
    )


def _wage_line(filing, rule_set, n, w, social, cap, base) -> ExplanationLine:
    """Explain the employer's average wage and the cap on it."""
    if filing.wage_total is not None:
        zh = f"年平均工资 W = {show_money(filing.wage_total)} / {show(n)} = {show_money(w)}"
        en = f"Average wage W = {show_money(filing.wage_total)} / {show(n)} = {show_money(w)}"
    else:
        zh, en = f"年平均工资 W = {show_money(w)}", f"Average wage W = {show_money(w)}"
    if cap is None:
        return ExplanationLine("wage_base", zh + "(不设上限)", en + " (no cap in force)")
    multiple = show(Fraction(rule_set.cap_multiple))
    return ExplanationLine(
        "wage_base",
        f"{zh};上限 = {multiple} × {show_money(social)} = {show_money(cap)};计征工资 = {show_money(base)}",
        f"{en}; cap = {multiple} × {show_money(social)} = {show_money(cap)}; wage base = {show_money(base)}",
    )


def _factor_line(rule_set, n, ratio, exempt, factor) -> ExplanationLine:
    """Explain the exemption or the tier factor."""
    if exempt:
        return ExplanationLine(
            "factor", f"{EXEMPT_ZH}(N = {show(n)}),系数 0", f"{EXEMPT_EN} (N = {show(n)}): factor 0"
        )
    if not rule_set.tiers:
        return ExplanationLine(
            "factor",
            f"未实行分档征收,系数 {show(factor)}",
            f"No tier rule in force: factor {show(factor)}",
        )
    return ExplanationLine(
        "factor",
        f"分档征收:D/N = {show_percent(ratio)},系数 {show(factor)}",
        f"Tiered levy: D/N = {show_percent(ratio)}, factor {show(factor)}",
    )


def _levy_line(shortfall, base, factor, levy) -> ExplanationLine:
    """Explain the levy as shortfall x wage base x factor."""
    formula = f"{show(shortfall)} × {show_money(base)} × {show(factor)} = {show_money(levy)}"
    return ExplanationLine("levy", f"保障金 = {formula} 元", f"Levy = {formula} yuan")


def _reward_line(filing, rule_set, excess, eligible, reward) -> ExplanationLine:
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
    per = show_money(Fraction(rule_set.reward_per_excess_person))
    return ExplanationLine(
        "reward",
        f"超比例奖励 = {show(excess)} × {per} = {show_money(reward)} 元",
        f"Over-quota reward = {show(excess)} × {per} = {show_money(reward)} yuan",
    )
