"""Exact numbers for the quota engines: parse to Fraction, round half-up only at the edges."""

from __future__ import annotations

import math
from decimal import Decimal, InvalidOperation
from fractions import Fraction

FEN = Decimal("0.01")
HEADCOUNT_PLACES = Decimal("0.0001")
RATIO_PLACES = Decimal("0.000001")


def to_fraction(value: object, field: str) -> Fraction:
    """Convert an int, Decimal, Fraction, numeric string or float to an exact Fraction, naming the field on error."""
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


def to_decimal(value: Fraction, places: Decimal) -> Decimal:
    """Round an exact Fraction half-up (away from zero at .5) to the given Decimal quantum."""
    scaled = abs(Fraction(value)) / Fraction(places)
    whole = math.floor(scaled + Fraction(1, 2))
    sign = -1 if value < 0 else 1
    return (Decimal(sign * whole) * places).quantize(places)


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
    rounded = to_decimal(value, Decimal(1).scaleb(-places))
    text = format(rounded.normalize(), "f")
    return "0" if text in ("-0", "") else text


def show_money(value: Fraction) -> str:
    """Format an amount to the fen with thousands separators, for an explanation line."""
    return f"{money(value):,.2f}"


def show_percent(value: Fraction, places: int = 4) -> str:
    """Format a ratio as a percentage for an explanation line."""
    return show(value * 100, places) + "%"


__all__ = [
    "FEN",
    "HEADCOUNT_PLACES",
    "RATIO_PLACES",
    "floor_int",
    "money",
    "round_half_up_int",
    "show",
    "show_money",
    "show_percent",
    "to_decimal",
    "to_fraction",
]
