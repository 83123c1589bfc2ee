"""The bilingual explanation of a quota assessment, rendered from its figures when it is displayed.

An assessment stores its figures (quantised as published) and a small `ExplanationBasis`: the filing's
inputs that the explanation shows besides them (the monthly headcounts' sum, the wage total, each
employee's weight) and the rule set's parameters as they were applied. `explain` turns the two into a
line per step, so a stored assessment is explained with the same numbers whatever language or wording
it is shown in later, and the annual review does not have to write a thousand bytes of text per filing.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from functools import lru_cache

EXEMPT_ZH = "在职职工人数30人（含）以下的企业，暂免征收残疾人就业保障金"
EXEMPT_EN = "Enterprises with 30 or fewer staff are exempt from the levy while the rule is in force"
SHOWN_PLACES = Decimal("0.0001")
FEN = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class ExplanationLine:
    """One step of an assessment, in Chinese and English, showing its numbers."""

    step: str
    zh: str
    en: str


@dataclass(frozen=True)
class ExplanationBasis:
    """What an explanation shows besides the assessment's figures (numbers as text need no language)."""

    headcount_total: str | None  # the sum of the monthly headcounts, when they were filed
    wage_total: Decimal | None  # to the fen, when a wage total was filed
    weights: tuple[str, ...]  # how much each claimed employee counts, in filing order
    excluded: int  # claimed employees not meeting the counting conditions
    ratio: Decimal
    cap_multiple: Decimal | None
    severe_levels: tuple[int, ...]
    severe_weight: Decimal
    part_year_counting: bool
    tiered: bool
    reward_per_excess_person: Decimal | None
    # The exact shortfall and wage base ("p/q"), so the levy line multiplies out (None: older rows).
    shortfall_exact: str | None = None
    wage_base_exact: str | None = None
    # The data the assessment used and where it came from (review.data_sources; None: older rows).
    sources: dict | None = None

    def as_json(self) -> dict:
        """A JSON-ready dict (Decimals as strings) to store beside the figures."""
        values = vars(self).items()  # the fields, in their order (the review stores 100,000)
        return {key: str(value) if isinstance(value, Decimal) else value for key, value in values}

    @classmethod
    def from_json(cls, data: dict) -> ExplanationBasis:
        """Read back what `as_json` stored."""

        def number(key: str) -> Decimal | None:
            return None if data[key] is None else Decimal(data[key])

        return cls(
            headcount_total=data["headcount_total"],
            wage_total=number("wage_total"),
            weights=tuple(data["weights"]),
            excluded=data["excluded"],
            ratio=Decimal(data["ratio"]),
            cap_multiple=number("cap_multiple"),
            severe_levels=tuple(data["severe_levels"]),
            severe_weight=Decimal(data["severe_weight"]),
            part_year_counting=data["part_year_counting"],
            tiered=data["tiered"],
            reward_per_excess_person=number("reward_per_excess_person"),
            shortfall_exact=data.get("shortfall_exact"),
            wage_base_exact=data.get("wage_base_exact"),
            sources=data.get("sources"),
        )


def show(value: Decimal) -> str:
    """A figure as an explanation shows it: at most four decimals, no trailing zeros."""
    text = format(value.quantize(SHOWN_PLACES, ROUND_HALF_UP).normalize(), "f")
    return "0" if text == "-0" else text


def show_money(value: Decimal) -> str:
    """An amount rounded half-up to the fen, with thousands separators."""
    return f"{value.quantize(FEN, ROUND_HALF_UP):,.2f}"


def show_percent(value: Decimal) -> str:
    """A ratio as a percentage."""
    return show(value * HUNDRED) + "%"


def explain(figures, basis: ExplanationBasis) -> tuple[ExplanationLine, ...]:
    """The explanation lines of an assessment: `figures` has the Assessment's (or stored row's) fields."""
    n, shortfall = show(figures.headcount), show(figures.shortfall)
    data = () if not basis.sources else (_data_line(basis.sources),)
    return data + (
        _headcount_line(basis, n),
        _arranged_line(figures, basis),
        _quota_line(figures, basis, n, shortfall),
        _wage_line(figures, basis, n),
        _factor_line(figures, basis, n),
        _levy_line(figures, shortfall, basis),
        _reward_line(figures, basis),
    )


_SOURCE_ZH = {"social_insurance": "社保数据", "tax": "税务数据"}
_SOURCE_EN = {"social_insurance": "social insurance records", "tax": "tax records"}


def _figure_source(kind_zh: str, kind_en: str, used: str | None, declared, official, source: str):
    """One figure's provenance (zh, en)."""
    src_zh, src_en = _SOURCE_ZH.get(source, source), _SOURCE_EN.get(source, source)
    if used == "official" and declared is None:
        return f"{kind_zh}取{src_zh}（{official}）", f"{kind_en} from {src_en} ({official})"
    if used == "official":
        return (
            f"{kind_zh}取{src_zh} {official}（高于申报数 {declared}，按较大者计）",
            f"{kind_en} from {src_en}: {official}, larger than the {declared} declared "
            "(the larger figure is used)",
        )
    if official is not None:
        return (
            f"{kind_zh}取申报数 {declared}（{src_zh}为 {official}，不高于申报数）",
            f"{kind_en} as declared: {declared} ({src_en}: {official}, not larger)",
        )
    return f"{kind_zh}取申报数", f"{kind_en} as declared (no official figure on file)"


def _data_line(sources: dict) -> ExplanationLine:
    """Where the assessment's data came from: declared, official, confirmed claims."""
    source = sources.get("official_source") or "social_insurance"
    parts = [
        _figure_source(
            "在职职工人数",
            "Headcount",
            sources.get("headcount"),
            sources.get("declared_headcount"),
            sources.get("official_headcount"),
            source,
        ),
        _figure_source(
            "工资总额",
            "Wage total",
            sources.get("wage_total"),
            sources.get("declared_wage_total"),
            sources.get("official_wage_total"),
            source,
        ),
    ]
    if sources.get("non_filer"):
        parts.append(("未申报，残疾职工不予认定", "not filed: no disabled employee is recognised"))
    else:
        counted, confirmed = sources.get("claims_counted", 0), sources.get("confirmed", 0)
        zh = f"残疾职工按核定的申报计入 {counted} 人"
        en = f"disabled employees: {counted} claim(s) verified and counted"
        if confirmed:
            zh += f"（其中 {confirmed} 人证件经就业服务员人工核实）"
            en += f" ({confirmed} certificate(s) confirmed by a counselor)"
        unverified = sources.get("unverified", 0)
        if unverified:
            zh += f"；{unverified} 人证件在核实期限前未获确认，未计入"
            en += f"; {unverified} certificate(s) not confirmed by the review deadline, not counted"
        parts.append((zh, en))
    return ExplanationLine(
        "data",
        "数据来源：" + "；".join(p[0] for p in parts),
        "Data used: " + "; ".join(p[1] for p in parts),
    )


def _headcount_line(basis: ExplanationBasis, n: str) -> ExplanationLine:
    """N as the sum of the monthly headcounts over 12, or the declared annual average."""
    if basis.headcount_total is not None:
        total = basis.headcount_total
        return ExplanationLine(
            "headcount",
            f"在职职工人数 N = {total} / 12 = {n}",
            f"Headcount N = {total} / 12 = {n}",
        )
    return ExplanationLine(
        "headcount", f"在职职工人数 N = {n}（年平均）", f"Headcount N = {n} (annual average)"
    )


def _arranged_line(figures, basis: ExplanationBasis) -> ExplanationLine:
    """D as the sum of each employee's weight, with the counting rules applied."""
    terms = f"{' + '.join(basis.weights)} = " if len(basis.weights) > 1 else ""
    notes_zh, notes_en = _counting_notes(
        basis.severe_levels, basis.severe_weight, basis.part_year_counting
    )
    if basis.excluded:
        notes_zh += f"，{basis.excluded}人不符合计入条件"
        notes_en += f"; {basis.excluded} not meeting the counting conditions"
    d = show(figures.arranged)
    return ExplanationLine(
        "arranged",
        f"安排残疾人数 D = {terms}{d}（{notes_zh}）",
        f"Arranged D = {terms}{d} ({notes_en})",
    )


@lru_cache(maxsize=64)
def _counting_notes(severe_levels, severe_weight, part_year_counting) -> tuple[str, str]:
    """The counting rules, as the notes of the arranged line (zh, en)."""
    levels = "、".join(str(level) for level in sorted(severe_levels))
    weight = show(severe_weight)
    notes_zh = [f"{levels}级按{weight}人计"]
    notes_en = [f"levels {levels.replace('、', ', ')} count {weight}"]
    if part_year_counting:
        notes_zh.append("不足12个月按月折算")
        notes_en.append("part-year in twelfths")
    return "，".join(notes_zh), "; ".join(notes_en)


def _quota_line(figures, basis: ExplanationBasis, n: str, shortfall: str) -> ExplanationLine:
    """The required number, the shortfall and the arranged ratio."""
    pct, share = show_percent(basis.ratio), show_percent(figures.arranged_ratio)
    required = show(figures.required)
    return ExplanationLine(
        "quota",
        f"应安排 = {n} × {pct} = {required}；差额 = {shortfall}；安排比例 D/N = {share}",
        f"Required = {n} × {pct} = {required}; shortfall = {shortfall}; D/N = {share}",
    )


def _wage_line(figures, basis: ExplanationBasis, n: str) -> ExplanationLine:
    """The employer's average wage and the cap on it."""
    average = show_money(figures.wage_base)
    if basis.wage_total is not None:
        formula = f"{show_money(basis.wage_total)} / {n} = {average}"
    else:
        formula = average
    zh, en = f"年平均工资 W = {formula}", f"Average wage W = {formula}"
    if figures.cap is None:
        return ExplanationLine("wage_base", zh + "（不设上限）", en + " (no cap in force)")
    social, cap = show_money(figures.social_average_wage), show_money(figures.cap)
    cap_formula = f"{show(basis.cap_multiple)} × {social} = {cap}"
    base = show_money(figures.capped_wage_base)
    return ExplanationLine(
        "wage_base",
        f"{zh}；上限 = {cap_formula}；计征工资 = {base}",
        f"{en}; cap = {cap_formula}; wage base = {base}",
    )


def _factor_line(figures, basis: ExplanationBasis, n: str) -> ExplanationLine:
    """The exemption or the tier factor."""
    if figures.exempt:
        return ExplanationLine(
            "factor", f"{EXEMPT_ZH}（N = {n}），系数 0", f"{EXEMPT_EN} (N = {n}): factor 0"
        )
    factor = show(figures.factor)
    if not basis.tiered:
        return ExplanationLine(
            "factor", f"未实行分档征收，系数 {factor}", f"No tier rule in force: factor {factor}"
        )
    share = show_percent(figures.arranged_ratio)
    return ExplanationLine(
        "factor",
        f"分档征收：D/N = {share}，系数 {factor}",
        f"Tiered levy: D/N = {share}, factor {factor}",
    )


def _levy_line(figures, shortfall: str, basis: ExplanationBasis | None = None) -> ExplanationLine:
    """The levy as shortfall x wage base x factor, with the places needed to multiply out."""
    base, factor = show_money(figures.capped_wage_base), show(figures.factor)
    if basis is not None and basis.shortfall_exact and basis.wage_base_exact:
        shortfall, base = _multiplying_out(
            Fraction(basis.shortfall_exact),
            Fraction(basis.wage_base_exact),
            Decimal(figures.factor),
            Decimal(figures.levy),
        )
    formula = f"{shortfall} × {base} × {factor} = {show_money(figures.levy)}"
    return ExplanationLine("levy", f"保障金 = {formula} 元", f"Levy = {formula} yuan")


def _places(value: Fraction, places: int) -> Decimal:
    quantum = Decimal(1).scaleb(-places)
    return (Decimal(value.numerator) / Decimal(value.denominator)).quantize(quantum, ROUND_HALF_UP)


def _multiplying_out(
    shortfall: Fraction, base: Fraction, factor: Decimal, levy: Decimal
) -> tuple[str, str]:
    """The shortfall and wage base shown with as many places (4-12 and 2-10) as it takes for their
    product with the factor, rounded to the fen, to be the levy: the line multiplies out. When the
    exact product lies on a half fen that no rounded decimal reaches, the shortfall is shown as the
    exact fraction it is (457/120)."""
    for extra in range(0, 9):
        s, b = _places(shortfall, 4 + extra), _places(base, 2 + extra)
        if (s * b * factor).quantize(FEN, ROUND_HALF_UP) == levy:
            break
    else:
        b = _places(base, 10)
        return (
            f"{shortfall.numerator}/{shortfall.denominator}",
            f"{b:,.{max(2, -b.normalize().as_tuple().exponent)}f}",
        )
    s_text = format(s.normalize(), "f") if s else "0"
    b_text = f"{b:,.{max(2, -b.normalize().as_tuple().exponent)}f}"
    return s_text, b_text


def _reward_line(figures, basis: ExplanationBasis) -> ExplanationLine:
    """The over-quota reward, or the actual reason there is none."""
    if not figures.reward_eligible:
        pct, share = show_percent(basis.ratio), show_percent(figures.arranged_ratio)
        if Decimal(figures.arranged_ratio) > basis.ratio:
            return ExplanationLine(
                "reward",
                "党政机关和公益一类事业单位不适用超比例奖励",
                "Government bodies and class-1 public institutions receive no over-quota reward",
            )
        return ExplanationLine(
            "reward",
            f"安排比例 {share} 未超过规定比例 {pct}，无超比例奖励",
            f"No over-quota reward: D/N = {share} is not above the quota of {pct}",
        )
    excess = show(figures.excess)
    if figures.reward is None:
        return ExplanationLine(
            "reward",
            f"超比例 {excess} 人，奖励标准由当地确定（未设置）",
            f"Over quota by {excess}; the reward per person is set locally (not configured)",
        )
    per = show_money(basis.reward_per_excess_person)
    return ExplanationLine(
        "reward",
        f"超比例奖励 = {excess} × {per} = {show_money(figures.reward)} 元",
        f"Over-quota reward = {excess} × {per} = {show_money(figures.reward)} yuan",
    )
