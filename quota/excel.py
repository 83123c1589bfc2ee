"""The Excel filing template: download it, fill it in, upload it; errors are written back into it.

Sheet "filing": column A the item, column B the value (data year, the twelve monthly headcounts,
the wage total), column C any error. Sheet "employees": one disabled employee a row (certificate
number, level from a dropdown, months 1-12, and yes/no dropdowns for the counting conditions),
column G any error of the row.
"""

import io
from decimal import Decimal
from zipfile import BadZipFile

from flask_babel import gettext as _
from marshmallow import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from core.errors import translate_messages
from quota.schemas import FilingIn

MONTH_KEYS = tuple(f"month_{m}" for m in range(1, 13))
EMPLOYEE_COLUMNS = (
    "certificate_no",
    "level",
    "months",
    "long_contract",
    "min_wage",
    "social_insurance",
)
HEADERS = (
    "残疾人证号 certificate_no",
    "等级 level",
    "在岗月数 months",
    "一年以上合同 contract ≥ 1 year",
    "不低于最低工资 ≥ minimum wage",
    "足额缴纳社保 social insurance",
    "错误 errors",
)
YES = {"是", "yes", "y", "true", "1", "√"}
NO = {"否", "no", "n", "false", "0", "×"}
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
MAX_ROWS = 2000


def template(year: int, filing=None) -> bytes:
    """A workbook to fill in, prefilled from an existing filing when there is one."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "filing"
    sheet.append(["项目 item", "数值 value", "错误 errors"])
    sheet.append(["data_year", year])
    months = (filing.monthly_headcounts if filing is not None else None) or [None] * 12
    for key, value in zip(MONTH_KEYS, months, strict=True):
        sheet.append([key, None if value is None else float(Decimal(value))])
    wage = filing.wage_total if filing is not None else None
    sheet.append(["wage_total", None if wage is None else float(wage)])
    sheet.column_dimensions["A"].width = 16
    sheet.column_dimensions["B"].width = 18
    people = workbook.create_sheet("employees")
    people.append(list(HEADERS))
    for cell in people[1]:
        cell.font = Font(bold=True)
    for column, width in zip("ABCDEFG", (26, 10, 12, 18, 18, 18, 50), strict=True):
        people.column_dimensions[column].width = width
    _validations(people)
    return _save(workbook)


def _validations(sheet) -> None:
    last = MAX_ROWS + 1
    level = DataValidation(type="list", formula1='"1,2,3,4"', allow_blank=True)
    level.error, level.prompt = "1-4", "1-4"
    months = DataValidation(type="whole", operator="between", formula1="1", formula2="12")
    months.error = "1-12"
    yes_no = DataValidation(type="list", formula1='"是,否"', allow_blank=True)
    for validation, ref in (
        (level, f"B2:B{last}"),
        (months, f"C2:C{last}"),
        (yes_no, f"D2:F{last}"),
    ):
        validation.add(ref)
        sheet.add_data_validation(validation)


def _save(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _yes_no(value):
    text = str(value).strip().lower() if value is not None else ""
    if text in YES or text == "":
        return True
    if text in NO:
        return False
    return text


def _cell(value):
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return "" if value is None else value


def read(content: bytes):
    """Parse an uploaded workbook into filing data, or errors plus the annotated workbook.

    Returns (data, errors, annotated): data is None when there are errors; errors map a place
    ("filing B5", "employees row 3") to messages in the user's language.
    """
    try:
        workbook = load_workbook(io.BytesIO(content))
        sheet, people = workbook["filing"], workbook["employees"]
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError):
        return None, {"file": [_("Upload the Excel template downloaded from this page.")]}, None
    values = {
        str(row[0].value).strip(): row[1].value
        for row in sheet.iter_rows(min_row=2)
        if row[0].value
    }
    rows = [
        r for r in people.iter_rows(min_row=2, max_row=MAX_ROWS + 1) if any(c.value for c in r[:6])
    ]
    raw = {
        "data_year": _cell(values.get("data_year")),
        "monthly_headcounts": [str(_cell(values.get(k))) for k in MONTH_KEYS],
        "wage_total": str(_cell(values.get("wage_total"))),
        "employees": [_employee(r) for r in rows],
    }
    try:
        return FilingIn().load(raw), {}, None
    except ValidationError as error:
        messages = translate_messages(error.messages)
    return None, *_annotate(workbook, sheet, rows, messages)


def _employee(row) -> dict:
    data = {
        "certificate_no": str(_cell(row[0].value)).strip().upper(),
        "months": _cell(row[2].value),
        "long_contract": _yes_no(row[3].value),
        "min_wage": _yes_no(row[4].value),
        "social_insurance": _yes_no(row[5].value),
    }
    if row[1].value not in (None, ""):
        data["level"] = _cell(row[1].value)
    return data


def _annotate(workbook, sheet, rows, messages) -> tuple[dict, bytes]:
    """Write each error beside its cell and return (errors by place, the annotated workbook)."""
    errors: dict[str, list[str]] = {}
    positions = {"data_year": 2, "wage_total": 15}
    for key, found in messages.items():
        if key == "employees":
            _annotate_employees(rows, found, errors)
            continue
        if key == "monthly_headcounts" and isinstance(found, dict):
            for index, ms in found.items():
                _mark(sheet, 3 + int(index), key, _flatten(ms), errors)
            continue
        _mark(sheet, positions.get(key, 3), key, _flatten(found), errors)
    return errors, _save(workbook)


def _mark(sheet, row_no: int, key: str, texts: list[str], errors: dict) -> None:
    sheet.cell(row=row_no, column=3, value="; ".join(texts)).fill = ERROR_FILL
    errors[_("Sheet %(sheet)s, row %(row)s", sheet="filing", row=row_no) + f" ({key})"] = texts


def _annotate_employees(rows, found, errors) -> None:
    if not isinstance(found, dict):
        errors[_("Sheet %(sheet)s", sheet="employees")] = _flatten(found)
        return
    for index, fields in found.items():
        row = rows[int(index)]
        texts = [f"{name}: {m}" for name, ms in fields.items() for m in _flatten(ms)]
        cell = row[0].parent.cell(row=row[0].row, column=7, value="; ".join(texts))
        cell.fill = ERROR_FILL
        errors[_("Sheet %(sheet)s, row %(row)s", sheet="employees", row=row[0].row)] = texts


def _flatten(found) -> list[str]:
    if isinstance(found, dict):
        return [m for value in found.values() for m in _flatten(value)]
    if isinstance(found, list):
        return [m for value in found for m in _flatten(value)]
    return [str(found)]
