"""Exported tables never hand a formula to the spreadsheet that opens them."""

import csv
import io

from openpyxl import load_workbook

from core.spreadsheet import csv_text, safe_cell, xlsx_bytes

NAMES = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tTab", "华盛公司", "a=b"]


def test_formula_text_gets_an_apostrophe_and_other_values_stay():
    assert [safe_cell(n) for n in NAMES] == [
        '\'=HYPERLINK("http://x")',
        "'+1",
        "'-2",
        "'@SUM(A1)",
        "'\tTab",
        "华盛公司",
        "a=b",
    ]
    assert safe_cell(-2) == -2 and safe_cell(None) is None


def test_csv_starts_with_a_byte_order_mark_and_defuses_each_cell():
    text = csv_text([["name", "amount"], [NAMES[0], 12]])
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))
    assert rows == [["name", "amount"], ['\'=HYPERLINK("http://x")', "12"]]


def test_workbook_has_a_sheet_per_table_with_text_not_formulas():
    book = load_workbook(io.BytesIO(xlsx_bytes([("first", [["a"], ["=1+1"]]), ("二", [[3]])])))
    assert book.sheetnames == ["first", "二"]
    cell = book["first"]["A2"]
    assert cell.data_type == "s" and cell.value == "'=1+1"
    assert book["first"].freeze_panes == "A2" and book["二"]["A1"].value == 3
