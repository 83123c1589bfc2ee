"""Tables as files people open in a spreadsheet: CSV (UTF-8 with a byte-order mark) and .xlsx.

Text that a spreadsheet would run as a formula (a name typed as "=HYPERLINK(...)") is written with a
leading apostrophe, in both formats, so an exported list can never carry a formula to its reader.
"""

import csv
import io
from collections.abc import Iterable, Sequence

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
# Spreadsheets skip leading blanks before a formula sign (" =1+1" is a formula in some of them).
_LEADING_BLANKS = " \t\r\n\u3000\xa0"


def safe_cell(value):
    """The value, with text that would start a formula prefixed by an apostrophe."""
    if isinstance(value, str) and (
        value.startswith(FORMULA_STARTS) or value.lstrip(_LEADING_BLANKS).startswith(FORMULA_STARTS)
    ):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence]) -> str:
    """The rows as CSV text starting with a byte-order mark, so Excel reads the Chinese correctly."""
    buffer = io.StringIO()
    csv.writer(buffer).writerows([safe_cell(cell) for cell in row] for row in rows)
    return "\ufeff" + buffer.getvalue()


def xlsx_bytes(sheets: Iterable[tuple[str, Iterable[Sequence]]]) -> bytes:
    """A workbook with one sheet per (title, rows); each sheet's first row stays in view."""
    from openpyxl import Workbook

    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets:
        sheet = book.create_sheet(title[:31])
        for row in rows:
            sheet.append([safe_cell(cell) for cell in row])
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_table(content: bytes, filename: str, max_rows: int) -> list[dict]:
    """The rows of an uploaded CSV (UTF-8) or the first sheet of an .xlsx file, as dicts by header.

    An .xlsx file is read in streaming mode and stops after `max_rows` + 1 non-empty rows, so that
    the caller can tell a file over its limit; cells keep their type (None when empty). A CSV file's
    cells are strings.
    """
    if not filename.lower().endswith(".xlsx"):
        return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))
    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    try:
        rows = book.worksheets[0].iter_rows(values_only=True)
        header = [str(v or "").strip() for v in next(rows, ())]
        found = []
        for values in rows:
            if len(found) > max_rows:
                break
            if any(v not in (None, "") for v in values):
                found.append(dict(zip(header, values, strict=False)))
        return found
    finally:
        book.close()
