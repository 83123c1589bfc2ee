"""An employer's annual quota filing as a validated value object (DESIGN 3.2, items 1-2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from fractions import Fraction

from core.codes import ENTERPRISE_UNIT_TYPES
from core.codes import UNIT_TYPES as CORE_UNIT_TYPES
from core.identity import LEVELS
from quota.rules.numbers import exact_sum, to_fraction

UNIT_TYPES = frozenset(CORE_UNIT_TYPES)  # the one code list lives in core.codes
ENTERPRISE_TYPES = ENTERPRISE_UNIT_TYPES

CERTIFICATE_LEVELS = LEVELS  # a disability certificate's levels, defined once in core.identity

# Employee rows the web filing form offers and reads; a bigger workforce files by Excel upload.
FORM_EMPLOYEES_MAX = 500


def check_unit_type(unit_type: object, field_name: str = "unit_type") -> str:
    """Return the unit type if it is one of the known codes, else raise a ValueError naming the field."""
    if unit_type not in UNIT_TYPES:
        raise ValueError(
            f"{field_name}: unknown unit type {unit_type!r}; expected one of {sorted(UNIT_TYPES)}"
        )
    return unit_type  # type: ignore[return-value]


@dataclass(frozen=True)
class DisabledEmployee:
    """One disabled employee claimed in a filing: certificate level, months employed, and whether they count."""

    level: int
    months: int
    counts: bool = True

    def __post_init__(self) -> None:
        if isinstance(self.level, bool) or self.level not in CERTIFICATE_LEVELS:
            raise ValueError(f"level: certificate level must be 1, 2, 3 or 4, got {self.level!r}")
        if (
            isinstance(self.months, bool)
            or not isinstance(self.months, int)
            or not 1 <= self.months <= 12
        ):
            raise ValueError(
                f"months: months employed must be a whole number 1-12, got {self.months!r}"
            )
        if not isinstance(self.counts, bool):
            raise ValueError(f"counts: expected True or False, got {self.counts!r}")


@dataclass(frozen=True)
class Filing:
    """The figures an employer declares for one data year; numbers (int, Decimal, str) are stored as exact Fractions."""

    unit_type: str
    headcount: Fraction | None = None
    monthly_headcounts: tuple[Fraction, ...] | None = None
    average_wage: Fraction | None = None
    wage_total: Fraction | None = None
    social_average_wage: Fraction | None = None
    disabled_employees: tuple[DisabledEmployee, ...] = field(default_factory=tuple)

    def __post_init__(self) -> None:
        check_unit_type(self.unit_type)
        self._normalise_headcount()
        self._normalise_wages()
        self._normalise_employees()

    def _set(self, name: str, value: object) -> None:
        object.__setattr__(self, name, value)

    def _normalise_headcount(self) -> None:
        if (self.headcount is None) == (self.monthly_headcounts is None):
            raise ValueError(
                "headcount: give either headcount or monthly_headcounts, not both or neither"
            )
        if self.monthly_headcounts is not None:
            months = tuple(self.monthly_headcounts)
            if len(months) != 12:
                raise ValueError(f"monthly_headcounts: expected 12 numbers, got {len(months)}")
            exact = tuple(to_fraction(v, f"monthly_headcounts[{i}]") for i, v in enumerate(months))
            if any(v.numerator < 0 for v in exact):
                raise ValueError("monthly_headcounts: a monthly headcount cannot be negative")
            self._set("monthly_headcounts", exact)
            if self.headcount_total <= 0:
                raise ValueError("monthly_headcounts: the headcount must be positive")
        else:
            exact_n = to_fraction(self.headcount, "headcount")
            if exact_n <= 0:
                raise ValueError(
                    f"headcount: the annual average headcount must be positive, got {exact_n}"
                )
            self._set("headcount", exact_n)

    def _normalise_wages(self) -> None:
        if (self.average_wage is None) == (self.wage_total is None):
            raise ValueError(
                "average_wage: give either average_wage or wage_total, not both or neither"
            )
        for name in ("average_wage", "wage_total"):
            value = getattr(self, name)
            if value is not None:
                exact = to_fraction(value, name)
                if exact < 0:
                    raise ValueError(f"{name}: cannot be negative, got {exact}")
                self._set(name, exact)
        if self.social_average_wage is not None:
            social = to_fraction(self.social_average_wage, "social_average_wage")
            if social <= 0:
                raise ValueError(f"social_average_wage: must be positive, got {social}")
            self._set("social_average_wage", social)

    def _normalise_employees(self) -> None:
        employees = tuple(self.disabled_employees)
        for i, employee in enumerate(employees):
            if not isinstance(employee, DisabledEmployee):
                raise ValueError(f"disabled_employees[{i}]: expected a DisabledEmployee")
        self._set("disabled_employees", employees)

    @property
    def annual_headcount(self) -> Fraction:
        """Return N, the annual average headcount, exact (sum of the monthly headcounts / 12)."""
        if self.monthly_headcounts is not None:
            return self.headcount_total / 12
        return self.headcount  # type: ignore[return-value]

    @property
    def headcount_total(self) -> Fraction:
        """Return the sum of the twelve monthly headcounts (computed once)."""
        total = self.__dict__.get("_headcount_total")
        if total is None:
            total = exact_sum(self.monthly_headcounts or ())
            object.__setattr__(self, "_headcount_total", total)
        return total

    @property
    def employer_average_wage(self) -> Fraction:
        """Return the employer's average wage: as declared, or the wage total divided by N."""
        if self.average_wage is not None:
            return self.average_wage
        return self.wage_total / self.annual_headcount  # type: ignore[operator]
