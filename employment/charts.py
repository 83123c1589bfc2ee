"""Server-side SVG bar charts, drawn by the project's own code (pure: no Flask, no database).

Each chart is an image with a title and a description for screen readers (role="img",
aria-labelledby); the page puts a data table beside it with the same figures.
"""

from dataclasses import dataclass
from decimal import Decimal
from html import escape

WIDTH = 640
LABEL_WIDTH = 170
VALUE_WIDTH = 110
ROW_HEIGHT = 30
BAR_HEIGHT = 18
TOP = 28
BOTTOM = 12
BAR_COLOUR = "#0b4f8a"
TARGET_COLOUR = "#b35900"
TEXT_COLOUR = "#1b1b1b"


@dataclass(frozen=True)
class Bar:
    """One bar: its label, its value (None when there is no data) and the value as text."""

    label: str
    value: Decimal | int | float | None
    text: str


def _number(value) -> float:
    return float(value) if value is not None else 0.0


def _scale(bars: list[Bar], target, maximum) -> float:
    if maximum is not None:
        return float(maximum) or 1.0
    values = [_number(b.value) for b in bars] + [_number(target)]
    return max(values + [0.0]) or 1.0


def _attrs(**attrs) -> str:
    return " ".join(
        f'{key.rstrip("_").replace("_", "-")}="{escape(str(v))}"' for key, v in attrs.items()
    )


def _row(index: int, bar: Bar, scale: float, plot_width: float) -> str:
    y = TOP + index * ROW_HEIGHT
    middle = y + ROW_HEIGHT / 2
    length = 0.0 if bar.value is None else max(0.0, _number(bar.value)) / scale * plot_width
    parts = [
        f"<text {_attrs(x=LABEL_WIDTH - 8, y=middle, text_anchor='end', dominant_baseline='middle', fill=TEXT_COLOUR, font_size=14)}>{escape(bar.label)}</text>"
    ]
    if bar.value is not None:
        parts.append(
            f"<rect {_attrs(x=LABEL_WIDTH, y=middle - BAR_HEIGHT / 2, width=round(length, 2), height=BAR_HEIGHT, fill=BAR_COLOUR)}/>"
        )
    parts.append(
        f"<text {_attrs(x=LABEL_WIDTH + length + 6, y=middle, dominant_baseline='middle', fill=TEXT_COLOUR, font_size=13)}>{escape(bar.text)}</text>"
    )
    return "".join(parts)


def _target_line(target, target_text: str, scale: float, plot_width: float, height: float) -> str:
    x = round(LABEL_WIDTH + _number(target) / scale * plot_width, 2)
    line = _attrs(
        x1=x,
        y1=TOP - 4,
        x2=x,
        y2=height - BOTTOM + 4,
        stroke=TARGET_COLOUR,
        stroke_width=2,
        stroke_dasharray="6 4",
    )
    label = _attrs(x=x, y=TOP - 10, text_anchor="middle", fill=TARGET_COLOUR, font_size=13)
    return f"<line {line}/><text {label}>{escape(target_text)}</text>"


def bar_chart(
    chart_id: str,
    title: str,
    description: str,
    bars: list[Bar],
    target: Decimal | int | None = None,
    target_text: str = "",
    maximum: Decimal | int | None = None,
) -> str:
    """A horizontal bar chart as an SVG string, with a dashed line at the target when given."""
    scale = _scale(bars, target, maximum)
    plot_width = WIDTH - LABEL_WIDTH - VALUE_WIDTH
    height = TOP + ROW_HEIGHT * max(len(bars), 1) + BOTTOM
    ids = f"{chart_id}-title {chart_id}-desc"
    svg = _attrs(
        xmlns="http://www.w3.org/2000/svg",
        viewBox=f"0 0 {WIDTH} {height}",
        width="100%",
        role="img",
        aria_labelledby=ids,
        class_="chart-svg",
        focusable="false",
    )
    parts = [
        f"<svg {svg}>",
        f'<title id="{escape(chart_id)}-title">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-desc">{escape(description)}</desc>',
        *(_row(i, bar, scale, plot_width) for i, bar in enumerate(bars)),
    ]
    if target is not None:
        parts.append(_target_line(target, target_text, scale, plot_width, height))
    parts.append("</svg>")
    return "".join(parts)
