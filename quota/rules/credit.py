"""Late-payment fees and graded credit flags for the quota review (DESIGN 3.2, items 7 and 9)."""

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


@dataclass(frozen=True)
class CreditFacts:
    """What the review knows about an employer's conduct for the credit record."""

    years_unpaid: int = 0
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
            _unpaid_flag(facts.years_unpaid),
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


def _unpaid_flag(years: int) -> Flag | None:
    """Flag an unpaid levy: general after one year, serious after two."""
    if years >= 2:
        return Flag(
            "serious",
            "levy_unpaid_two_years",
            f"连续{years}年未缴纳残疾人就业保障金",
            f"Levy unpaid for {years} years",
        )
    if years == 1:
        return Flag(
            "general", "levy_unpaid", "残疾人就业保障金逾期一年未缴纳", "Levy unpaid for a year"
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
        f"{zh}少报{show_percent(gap, 2)}(超过5%)",
        f"The {en} was under-declared by {show_percent(gap, 2)} (more than 5%)",
    )


__all__ = ["CreditFacts", "Flag", "days_late", "grade_flags", "late_fee", "under_declaration"]
