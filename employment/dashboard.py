"""The dashboard's panels: for each indicator a chart, the data table beside it and a takeaway."""

from dataclasses import dataclass, field
from decimal import Decimal

from flask_babel import gettext as _

from employment import charts, labels
from employment import indicators as rules
from employment.services import AreaReport, area_name

RATES = rules.RATES
MONEY = rules.MONEY


@dataclass
class Row:
    """One line of a panel's data table."""

    area: str
    value_text: str
    numerator: str
    denominator: str
    target_text: str
    met_text: str


@dataclass
class Panel:
    """One indicator (or the count over time): title, takeaway, the SVG and its table."""

    code: str
    title: str
    takeaway: str
    svg: str
    caption: str
    rows: list[Row] = field(default_factory=list)
    headers: tuple[str, ...] = ()
    definition: str = ""
    source: str = ""
    data_text: str = ""


def label(code: str, lang: str, year: int) -> str:
    return labels.indicator_label(code, year)


def definition(code: str, lang: str) -> tuple[str, str]:
    """The indicator's definition and source in the user's language."""
    return labels.indicator_definition(code)


def data_text(indicator: rules.Indicator, lang: str) -> str:
    """Where the figure comes from and of which date or data year."""
    return labels.data_text(indicator)


def takeaway(indicator: rules.Indicator, lang: str) -> str:
    return labels.takeaway(indicator)


def value_text(indicator: rules.Indicator) -> str:
    if indicator.value is None:
        return _("no data")
    if indicator.code in RATES:
        return f"{indicator.value:.1%}"
    if indicator.code in MONEY:
        return f"¥{indicator.value:,.2f}"
    return f"{indicator.value:,}"


def target_text(indicator: rules.Indicator) -> str:
    if indicator.target is None:
        return "—"
    if indicator.code in RATES:
        return f"{indicator.target:.0%}"
    if indicator.code == "zero_employment_households":
        return _("at most %(n)s", n=indicator.target)
    return f"{indicator.target:,}"


def met_text(indicator: rules.Indicator) -> str:
    return {True: _("Met"), False: _("Not met"), None: "—"}[indicator.met]


def _row(area: str, indicator: rules.Indicator) -> Row:
    money = indicator.code in MONEY
    numerator = "" if money or indicator.numerator is None else f"{indicator.numerator:,}"
    if money and indicator.denominator is not None:
        denominator = _("%(n)s employers", n=indicator.denominator)
    else:
        denominator = "" if indicator.denominator is None else f"{indicator.denominator:,}"
    return Row(
        area,
        value_text(indicator),
        numerator,
        denominator,
        target_text(indicator),
        met_text(indicator),
    )


def _rows_of(report: AreaReport, index: int) -> list[tuple[str, rules.Indicator]]:
    if report.breakdown:
        return [(area_name(code), indicators[index]) for code, indicators in report.breakdown]
    return [(report.area_name, report.indicators[index])]


def indicator_panel(report: AreaReport, index: int, lang: str) -> Panel:
    own = report.indicators[index]
    rows = _rows_of(report, index)
    title = label(own.code, lang, report.year)
    sub_target = rows[0][1].target if rows else None
    bars = [
        charts.Bar(area, None if ind.value is None else ind.value, value_text(ind))
        for area, ind in rows
    ]
    svg = charts.bar_chart(
        f"chart-{own.code}",
        _("%(indicator)s by area, %(year)s", indicator=title, year=report.year),
        _("Bar chart; the same figures are in the table that follows.") + " " + takeaway(own, lang),
        bars,
        target=sub_target,
        target_text=_("Target %(target)s", target=target_text(rows[0][1])) if rows else "",
        maximum=Decimal(1) if own.code in RATES else None,
    )
    meaning, source = definition(own.code, lang)
    return Panel(
        own.code,
        title,
        takeaway(own, lang),
        svg,
        _("%(indicator)s by area, %(year)s", indicator=title, year=report.year),
        [_row(area, ind) for area, ind in rows],
        definition=meaning,
        source=source,
        data_text=data_text(own, lang),
    )


def series_panel(area: str, snapshots, lang: str) -> Panel:
    """The zero-employment household count month by month (the plan's aim: zero, and kept there)."""
    title = _("Zero-employment households over time")
    bars = [
        charts.Bar(
            s.taken_on.strftime("%Y-%m"),
            s.zero_employment_households,
            str(s.zero_employment_households),
        )
        for s in snapshots
    ]
    if snapshots:
        first, last = snapshots[0], snapshots[-1]
        summary = _(
            "%(area)s: %(first)s zero-employment households on %(from)s, %(last)s on %(to)s.",
            area=area_name(area),
            first=first.zero_employment_households,
            last=last.zero_employment_households,
            **{"from": first.taken_on.isoformat(), "to": last.taken_on.isoformat()},
        )
    else:
        summary = _("No snapshots have been taken yet.")
    svg = charts.bar_chart(
        "chart-zero-series",
        title,
        _("Bar chart; the same figures are in the table that follows.") + " " + summary,
        bars,
    )
    rows = [
        Row(s.taken_on.isoformat(), str(s.zero_employment_households), "", "", "0", "")
        for s in snapshots
    ]
    return Panel("zero_series", title, summary, svg, title, rows)


def panels(report: AreaReport, snapshots, lang: str) -> list[Panel]:
    items = [indicator_panel(report, i, lang) for i in range(len(report.indicators))]
    codes = [i.code for i in report.indicators]
    items.insert(
        codes.index("zero_employment_households") + 1,
        series_panel(report.area_code, snapshots, lang),
    )
    return items


def summary_rows(report: AreaReport) -> dict[str, Row]:
    """The area's own figure of each indicator, for the summary table."""
    return {i.code: _row(report.area_name, i) for i in report.indicators}
