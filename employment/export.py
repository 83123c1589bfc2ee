"""The dashboard as an Excel workbook (openpyxl): the area's indicators, the sub-areas, the history."""

from io import BytesIO

from flask_babel import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from employment import indicators as rules
from employment.dashboard import MONEY, RATES, data_text, definition, label, takeaway
from employment.services import AreaReport, area_name


def _number_format(code: str) -> str:
    if code in RATES:
        return "0.0%"
    if code in MONEY:
        return "#,##0.00"
    return "#,##0"


def _value(value):
    return float(value) if value is not None and not isinstance(value, int) else value


def _header(sheet, titles) -> None:
    sheet.append([str(t) for t in titles])
    for cell in sheet[sheet.max_row]:
        cell.font = Font(bold=True)


def _summary(sheet, report: AreaReport, lang: str) -> None:
    sheet.append([_("Area"), report.area_name, _("Year"), report.year])
    _header(
        sheet,
        (
            _("Indicator"),
            _("Value"),
            _("Count"),
            _("Out of"),
            _("Target"),
            _("Met"),
            _("Takeaway"),
            _("Definition"),
            _("Source"),
            _("Data"),
        ),
    )
    for indicator in report.indicators:
        _indicator_row(sheet, [label(indicator.code, lang, report.year)], indicator, lang)
        sheet.cell(row=sheet.max_row, column=8, value=definition(indicator.code, lang)[0])
        sheet.cell(row=sheet.max_row, column=9, value=definition(indicator.code, lang)[1])
        sheet.cell(row=sheet.max_row, column=10, value=data_text(indicator, lang))


def _indicator_row(sheet, prefix: list, indicator: rules.Indicator, lang: str) -> None:
    met = {True: _("Yes"), False: _("No"), None: ""}[indicator.met]
    sheet.append(
        [
            *prefix,
            _value(indicator.value),
            _value(indicator.numerator),
            indicator.denominator,
            _value(indicator.target),
            met,
            takeaway(indicator, lang),
        ]
    )
    row = sheet.max_row
    for column in (len(prefix) + 1, len(prefix) + 4):
        sheet.cell(row=row, column=column).number_format = _number_format(indicator.code)


def _by_area(sheet, report: AreaReport, lang: str) -> None:
    _header(
        sheet,
        (
            _("Area code"),
            _("Area"),
            _("Indicator"),
            _("Value"),
            _("Count"),
            _("Out of"),
            _("Target"),
            _("Met"),
            _("Takeaway"),
        ),
    )
    for code, indicators in report.areas:
        for indicator in indicators:
            _indicator_row(
                sheet,
                [code, area_name(code), label(indicator.code, lang, report.year)],
                indicator,
                lang,
            )


def _history(sheet, snapshots) -> None:
    _header(
        sheet,
        (
            _("Date"),
            _("Zero-employment households"),
            _("Hard to employ"),
            _("Working-age persons"),
            _("Employed working-age persons"),
        ),
    )
    for s in snapshots:
        sheet.append(
            [s.taken_on, s.zero_employment_households, s.hard_to_employ, s.working_age, s.employed]
        )
        sheet.cell(row=sheet.max_row, column=1).number_format = "yyyy-mm-dd"


def workbook(report: AreaReport, snapshots, lang: str) -> bytes:
    """The dashboard's figures in three sheets, as the bytes of an .xlsx file."""
    book = Workbook()
    summary = book.active
    summary.title = _("Indicators")[:31]
    _summary(summary, report, lang)
    _by_area(book.create_sheet(_("By area")[:31]), report, lang)
    _history(book.create_sheet(_("Over time")[:31]), snapshots)
    for sheet in book.worksheets:
        sheet.column_dimensions["A"].width = 24
        sheet.column_dimensions["G"].width = 40
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()
