"""Late-payment fees and graded credit flags for the quota review (DESIGN 3.2, items 7 and 9).

Unpaid levy (DESIGN 3.2 item 9): the levy of a data year is "unpaid for a year" once a full year has
passed since its payment deadline with an amount still outstanding (a general flag), and "unpaid for two
years" once two full years have passed (a serious flag). A levy a few days past its deadline carries the
late fee of item 7, not a credit flag. Each flag carries the rule that raised it and its remedy
(`FLAG_RULES`), which the employer is shown beside the flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction

from quota.rules.numbers import money, show_percent, to_fraction

DAILY_LATE_RATE = Fraction(5, 1000)
UNDER_DECLARATION_TOLERANCE = Fraction(5, 100)


def days_late(due: date, paid_on: date) -> int:
    """Return the days counted for a late fee: from the day after the due date to the payment day."""
    return max(0, (paid_on - due).days)


def late_fee(principal: Decimal, due: date, paid_on: date) -> Decimal:
    """Return the late fee: 5 per mille of the principal a day, capped at the principal, to the fen."""
    amount = to_fraction(principal, "principal")
    if amount < 0:
        raise ValueError(f"principal: cannot be negative, got {principal}")
    fee = amount * DAILY_LATE_RATE * days_late(due, paid_on)
    return money(min(fee, amount))


def full_years_since(due: date, today: date) -> int:
    """Return the whole years that have passed since a due date (0 on the due date and the year after).

    A year has passed once `today` is after the anniversary of the due date (29 February falls on
    28 February in a common year).
    """
    years = today.year - due.year
    while years > 0 and today <= _anniversary(due, years):
        years -= 1
    return max(0, years)


def _anniversary(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True)
class CreditFacts:
    """What the review knows about an employer's conduct for the credit record."""

    years_unpaid: int = 0  # whole years since the levy's deadline with an amount outstanding
    levy_due: date | None = None  # that deadline, quoted in the flag's text
    uninsured_disabled_employees: int = 0
    nominal_hires: int = 0
    declared_headcount: Decimal | None = None
    verified_headcount: Decimal | None = None
    declared_wage_total: Decimal | None = None
    verified_wage_total: Decimal | None = None

    def __post_init__(self) -> None:
        for name in ("years_unpaid", "uninsured_disabled_employees", "nominal_hires"):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name}: expected a whole number >= 0, got {value!r}")
        for kind in ("headcount", "wage_total"):
            declared = getattr(self, f"declared_{kind}")
            verified = getattr(self, f"verified_{kind}")
            if (declared is None) != (verified is None):
                raise ValueError(
                    f"declared_{kind}: give both the declared and the verified figure, or neither"
                )
            for name, value in ((f"declared_{kind}", declared), (f"verified_{kind}", verified)):
                if value is not None and to_fraction(value, name) < 0:
                    raise ValueError(f"{name}: cannot be negative, got {value}")


@dataclass(frozen=True)
class Flag:
    """A graded credit flag with its reason in Chinese and English."""

    grade: str
    code: str
    reason_zh: str
    reason_en: str


def under_declaration(declared: Decimal | None, verified: Decimal | None) -> Fraction:
    """Return how far a declared figure falls below the verified one, as a share of the verified figure."""
    if declared is None or verified is None:
        return Fraction(0)
    truth = to_fraction(verified, "verified")
    if truth <= 0:
        return Fraction(0)
    return max(Fraction(0), (truth - to_fraction(declared, "declared")) / truth)


def grade_flags(facts: CreditFacts) -> list[Flag]:
    """Return the credit flags the facts call for, serious ones replacing their general counterpart."""
    return [
        flag
        for flag in (
            _unpaid_flag(facts.years_unpaid, facts.levy_due),
            _insurance_flag(facts.uninsured_disabled_employees),
            _nominal_hire_flag(facts.nominal_hires),
            _under_declared_flag(
                "headcount",
                "在职职工人数",
                "headcount",
                facts.declared_headcount,
                facts.verified_headcount,
            ),
            _under_declared_flag(
                "wages",
                "工资总额",
                "wage total",
                facts.declared_wage_total,
                facts.verified_wage_total,
            ),
        )
        if flag is not None
    ]


def _unpaid_flag(years: int, due: date | None = None) -> Flag | None:
    """Flag a levy still unpaid a full year after its deadline (general), or two years (serious)."""
    since_zh = f"（缴纳期限{due.isoformat()}）" if due else ""
    since_en = f" (due {due.isoformat()})" if due else ""
    if years >= 2:
        return Flag(
            "serious",
            "levy_unpaid_two_years",
            f"残疾人就业保障金逾期{years}年以上未缴纳{since_zh}",
            f"Levy unpaid for {years} years or more after the deadline{since_en}",
        )
    if years == 1:
        return Flag(
            "general",
            "levy_unpaid",
            f"残疾人就业保障金逾期一年以上未缴纳{since_zh}",
            f"Levy unpaid for a year or more after the deadline{since_en}",
        )
    return None


def _insurance_flag(count: int) -> Flag | None:
    """Flag disabled employees declared without social insurance paid."""
    if count == 0:
        return None
    return Flag(
        "general",
        "disabled_without_social_insurance",
        f"{count}名残疾职工未足额缴纳社会保险",
        f"{count} disabled employee(s) without social insurance paid in full",
    )


def _nominal_hire_flag(count: int) -> Flag | None:
    """Flag nominal hires (挂名): general for one, serious for two or more."""
    if count >= 2:
        return Flag(
            "serious",
            "nominal_hires",
            f"{count}人挂名安排残疾人就业",
            f"{count} nominal hires of disabled persons",
        )
    if count == 1:
        return Flag(
            "general",
            "nominal_hire",
            "1人挂名安排残疾人就业",
            "One nominal hire of a disabled person",
        )
    return None


def _under_declared_flag(code: str, zh: str, en: str, declared, verified) -> Flag | None:
    """Flag a figure declared more than 5% below the verified figure."""
    gap = under_declaration(declared, verified)
    if gap <= UNDER_DECLARATION_TOLERANCE:
        return None
    return Flag(
        "general",
        f"{code}_under_declared",
        f"{zh}少报{show_percent(gap, 2)}（超过5%）",
        f"The {en} was under-declared by {show_percent(gap, 2)} (more than 5%)",
    )


@dataclass(frozen=True)
class FlagRule:
    """The rule behind a flag's code and how the employer remedies it, in Chinese and English."""

    rule_zh: str
    rule_en: str
    remedy_zh: str
    remedy_en: str


# The obligations are the regulations'; the grading (which breach is a general or a serious flag) is the
# province's plan (DESIGN 3.2 item 9; docs/RULES.md 3.8), which names no regulation for it.
_PLAN_ZH = "《浙江省残疾人事业发展“十四五”规划》"
_PLAN_EN = "Zhejiang's 14th five-year plan for persons with disabilities"

_UNPAID = FlagRule(
    "未达到规定比例的用人单位应当缴纳残疾人就业保障金（《残疾人就业条例》第九条；财税〔2015〕72号）。"
    "缴纳期限后满一年仍未缴清的，记一般失信；满两年的，记严重失信（分级：" + _PLAN_ZH + "）。",
    "An employer below the quota must pay the employment security fund levy (Regulations on the "
    "Employment of Persons with Disabilities, art. 9; Caishui [2015] No. 72). Still outstanding a full "
    "year after its deadline it is a general flag; two full years, a serious one (grading: "
    + _PLAN_EN
    + ").",
    "缴清所欠保障金及滞纳金后，标记在下一次信用评估时解除。",
    "Pay the outstanding levy and late fee; the flag is lifted at the next credit evaluation.",
)
_UNDER = FlagRule(
    "保障金按在职职工人数和工资总额计算（财税〔2015〕72号第八条）。申报数低于社保、税务等官方数据5%以上的，"
    "记一般失信（分级：" + _PLAN_ZH + "）。",
    "The levy is computed on the headcount and the wage total (Caishui [2015] No. 72, art. 8). A "
    "figure declared more than 5% below the official (social insurance or tax) figure is a general "
    "flag (grading: " + _PLAN_EN + ").",
    "按官方数据提交更正申报；核定后标记解除。",
    "File an amendment with the true figure; the flag is lifted once it is assessed.",
)
_NOMINAL = FlagRule(
    "用人单位应当实际安排残疾人就业（《残疾人就业条例》第八条）。经核查认定挂名安排残疾人就业的，"
    "一人记一般失信，两人及以上记严重失信（分级：" + _PLAN_ZH + "）。",
    "An employer must actually employ persons with disabilities (Regulations on the Employment of "
    "Persons with Disabilities, art. 8). A nominal hire found by a check is a general flag; two or "
    "more, a serious one (grading: " + _PLAN_EN + ").",
    "如认定有误，请向所在县（市、区）残联申请复核；认定撤销后标记解除。",
    "If the finding is wrong, ask the county disabled persons' federation to review it; the flag "
    "is lifted when the finding is withdrawn.",
)
FLAG_RULES: dict[str, FlagRule] = {
    "levy_unpaid": _UNPAID,
    "levy_unpaid_two_years": _UNPAID,
    "disabled_without_social_insurance": FlagRule(
        "残疾职工须足额缴纳社会保险方可计入安排人数（财税〔2015〕72号）。申报的残疾职工未足额缴纳社会保险的，"
        "记一般失信（分级：" + _PLAN_ZH + "）。",
        "A disabled employee counts only with social insurance paid in full (Caishui [2015] No. 72). "
        "A declared disabled employee without it is a general flag (grading: " + _PLAN_EN + ").",
        "为该职工足额补缴社会保险并提交更正申报；核定后标记解除。",
        "Pay the employee's social insurance in full and file an amendment; the flag is lifted "
        "once it is assessed.",
    ),
    "nominal_hire": _NOMINAL,
    "nominal_hires": _NOMINAL,
    "headcount_under_declared": _UNDER,
    "wages_under_declared": _UNDER,
}


__all__ = [
    "FLAG_RULES",
    "CreditFacts",
    "Flag",
    "FlagRule",
    "days_late",
    "full_years_since",
    "grade_flags",
    "late_fee",
    "under_declaration",
]
