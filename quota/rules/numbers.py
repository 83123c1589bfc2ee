"""Exact numbers for the quota engines: parse to Fraction, round half-up only at the edges."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from functools import cache, lru_cache

FEN = Decimal("0.01")
_PLACES = {places: Decimal(1).scaleb(-places) for places in range(0, 9)}
HEADCOUNT_PLACES = Decimal("0.0001")
RATIO_PLACES = Decimal("0.000001")


def to_fraction(value: object, field: str) -> Fraction:
    """Convert an int, Decimal, Fraction, numeric string or float to an exact Fraction, naming the field on error."""
    if type(value) is str:
        try:
            return _parse_text(value)
        except ValueError:
            raise ValueError(f"{field}: {value!r} is not a finite number") from None
    if isinstance(value, bool):
        raise ValueError(f"{field}: expected a number, got a boolean")
    try:
        if isinstance(value, int | Fraction):
            return Fraction(value)
        if isinstance(value, Decimal):
            if not value.is_finite():
                raise ValueError
            return Fraction(value)
        if isinstance(value, float | str):
            # A float is read through its shortest decimal form, so 0.1 means one tenth.
            parsed = Decimal(str(value).strip())
            if not parsed.is_finite():
                raise ValueError
            return Fraction(parsed)
    except (ValueError, InvalidOperation, ArithmeticError):
        raise ValueError(f"{field}: {value!r} is not a finite number") from None
    raise ValueError(f"{field}: expected a number, got {type(value).__name__}")


@lru_cache(maxsize=4096)
def _parse_text(text: str) -> Fraction:
    """Parse a numeric string exactly (cached: monthly headcounts repeat a lot)."""
    try:
        parsed = Decimal(text.strip())
    except InvalidOperation:
        raise ValueError(text) from None
    if not parsed.is_finite():
        raise ValueError(text)
    return Fraction(parsed)


def to_decimal(value: Fraction, places: Decimal) -> Decimal:
    """Round an exact Fraction half-up (away from zero at .5) to the given Decimal quantum."""
    value = value if isinstance(value, Fraction) else Fraction(value)
    quantum_num, quantum_den, exponent = _quantum(places)
    num = value.numerator * quantum_den
    den = value.denominator * quantum_num
    sign = -1 if num < 0 else 1
    whole = (2 * abs(num) + den) // (2 * den)
    if exponent is not None:
        return Decimal(sign * whole).scaleb(exponent)
    return (Decimal(sign * whole) * places).quantize(places)


@cache
def _quantum(places: Decimal) -> tuple[int, int, int | None]:
    """Return the quantum as numerator, denominator and (for a power of ten) its exponent."""
    exact = Fraction(places)
    digits = places.as_tuple()
    power_of_ten = digits.digits == (1,) and isinstance(digits.exponent, int)
    return exact.numerator, exact.denominator, digits.exponent if power_of_ten else None


def exact_sum(values) -> Fraction:
    """Sum exact numbers over their common denominator (one Fraction built, not one per term)."""
    values = list(values)
    denominators = {v.denominator for v in values}
    if denominators <= {1}:
        return Fraction(sum(v.numerator for v in values))
    denominator = math.lcm(*denominators)
    numerator = sum(v.numerator * (denominator // v.denominator) for v in values)
    return Fraction(numerator, denominator)


def round_half_up_int(value: Fraction) -> int:
    """Round an exact Fraction to a whole number, with .5 going up."""
    return int(to_decimal(value, Decimal(1)))


def floor_int(value: Fraction) -> int:
    """Round an exact Fraction down to a whole number."""
    return math.floor(value)


def money(value: Fraction) -> Decimal:
    """Round an exact amount half-up to the fen (0.01)."""
    return to_decimal(value, FEN)


def show(value: Fraction, places: int = 4) -> str:
    """Format an exact number for an explanation line: at most `places` decimals, no trailing zeros."""
    if isinstance(value, int) or value.denominator == 1:
        return str(int(value))
    rounded = to_decimal(
        value, _PLACES[places] if places in _PLACES else Decimal(1).scaleb(-places)
    )
    text = format(rounded.normalize(), "f")
    return "0" if text in ("-0", "") else text


def show_percent(value: Fraction, places: int = 4) -> str:
    """Format a ratio as a percentage for an explanation line."""
    return show(value * 100, places) + "%"


__all__ = [
    "FEN",
    "HEADCOUNT_PLACES",
    "RATIO_PLACES",
    "exact_sum",
    "floor_int",
    "money",
    "round_half_up_int",
    "show",
    "show_percent",
    "to_decimal",
    "to_fraction",
]
