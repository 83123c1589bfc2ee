"""The Excel filing template: download it, fill it in, upload it; errors are written back into it.

Sheet "filing": column A the item, column B the value (data year, the twelve monthly headcounts,
the wage total), column C any error. Sheet "employees": one disabled employee a row (certificate
number, level from a dropdown, months 1-12, and yes/no dropdowns for the counting conditions),
column G any error of the row. Column A is formatted as text: a certificate number typed into a
General cell is stored by Excel/WPS as a number and loses its last digits.

Limits of an upload (refused before parsing, 413): the file at most MAX_UPLOAD_BYTES, the zip's declared
uncompressed size at most MAX_UNCOMPRESSED_BYTES and MAX_ZIP_ENTRIES entries; then (422) at most
MAX_ROWS employee rows and MAX_COLUMNS columns a sheet. The workbook is read streaming (read-only);
only a workbook with errors is opened again, within those limits, to write the errors back.
"""

import io
import zipfile
from decimal import Decimal
from zipfile import BadZipFile

from flask_babel import gettext as _
from marshmallow import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from core.database import ServiceError
from core.errors import messages_of, translate_messages
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
MAX_ROWS = 2000  # employee rows of the employees sheet
MAX_COLUMNS = 20  # columns a sheet may use (the template uses 7)
MAX_FILING_ROWS = 100  # rows of the filing sheet (the template uses 15)
MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 50 * 1024 * 1024
MAX_ZIP_ENTRIES = 200
TEXT = "@"


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
    for claim in _claims_of(filing):  # an amendment starts from the filing's current employees
        people.append(claim)
    people.column_dimensions["A"].number_format = TEXT  # certificate numbers stay text
    for row in range(2, MAX_ROWS + 2):
        people.cell(row=row, column=1).number_format = TEXT
    for column, width in zip("ABCDEFG", (26, 10, 12, 18, 18, 18, 50), strict=True):
        people.column_dimensions[column].width = width
    _validations(people)
    return _save(workbook)


def _claims_of(filing) -> list[list]:
    if filing is None:
        return []
    from quota.services.filings import certificate_of

    def yes_no(value: bool) -> str:
        return "是" if value else "否"

    return [
        [
            certificate_of(claim),
            claim.level,
            claim.months,
            yes_no(claim.long_contract),
            yes_no(claim.min_wage),
            yes_no(claim.social_insurance),
        ]
        for claim in filing.claims
    ]


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


def too_big(content: bytes) -> str | None:
    """Why an upload is refused before it is parsed (size, or the zip's declared sizes), or None."""
    if len(content) > MAX_UPLOAD_BYTES:
        return _("The file is bigger than %(mb)s MB.", mb=MAX_UPLOAD_BYTES // (1024 * 1024))
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            entries = archive.infolist()
    except (BadZipFile, OSError, ValueError):
        return None  # not a zip: the reader answers that it is not the template
    declared = sum(entry.file_size for entry in entries)
    if len(entries) > MAX_ZIP_ENTRIES or declared > MAX_UNCOMPRESSED_BYTES:
        return _(
            "The workbook unpacks to more than %(mb)s MB; upload the template with your data only.",
            mb=MAX_UNCOMPRESSED_BYTES // (1024 * 1024),
        )
    return None


def _not_template():
    return None, {"file": [_("Upload the Excel template downloaded from this page.")]}, None


def _too_many(message: str):
    raise ServiceError({"file": [message]})


def _values(sheet, max_rows: int, name: str) -> list[tuple[int, list]]:
    """(row number, seven values) of every non-empty row after the header; more rows or columns
    than the limits are refused (ServiceError 422) before reading further."""
    found = []
    for number, row in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        values = list(row)
        while values and values[-1] in (None, ""):
            values.pop()
        if len(values) > MAX_COLUMNS:
            _too_many(
                _("Sheet %(sheet)s uses more than %(max)s columns.", sheet=name, max=MAX_COLUMNS)
            )
        if not values:
            continue
        if len(found) >= max_rows:
            _too_many(_("Sheet %(sheet)s has more than %(max)s rows.", sheet=name, max=max_rows))
        found.append((number, (values + [None] * 7)[:7]))
    return found


def _check_header(sheet) -> None:
    """The employees sheet keeps the template's six data columns (a missing one is never guessed)."""
    header = next(sheet.iter_rows(max_row=1, values_only=True), ())
    present = [v for v in header[:6] if v not in (None, "")]
    if len(present) < len(EMPLOYEE_COLUMNS):
        raise ServiceError(
            {
                "file": [
                    _(
                        "Sheet %(sheet)s must keep the template's columns: %(columns)s.",
                        sheet="employees",
                        columns=", ".join(HEADERS[:6]),
                    )
                ]
            }
        )


def read(content: bytes):
    """Parse an uploaded workbook into filing data, or errors plus the annotated workbook.

    Returns (data, errors, annotated): data is None when there are errors; errors map a place
    ("filing B5", "employees row 3") to messages in the user's language. Raises ServiceError 413
    for a file over the size limits (checked before parsing) and 422 for a sheet over the others.
    """
    refusal = too_big(content)
    if refusal:
        raise ServiceError({"file": [refusal]}, 413)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError):
        return _not_template()
    try:
        if "filing" not in workbook.sheetnames or "employees" not in workbook.sheetnames:
            return _not_template()
        _check_header(workbook["employees"])
        items = _values(workbook["filing"], MAX_FILING_ROWS, "filing")
        rows = _values(workbook["employees"], MAX_ROWS, "employees")
    except (KeyError, OSError, ValueError, TypeError, BadZipFile):
        return _not_template()
    finally:
        workbook.close()
    values = {str(v[0]).strip(): v[1] for _n, v in items if v[0] not in (None, "")}
    raw = {
        "data_year": _cell(values.get("data_year")),
        "monthly_headcounts": [str(_cell(values.get(k))) for k in MONTH_KEYS],
        "wage_total": str(_cell(values.get("wage_total"))),
        "employees": [_employee(v) for _n, v in rows],
    }
    numeric = [
        i
        for i, (_n, v) in enumerate(rows)
        if isinstance(v[0], int | float) and not isinstance(v[0], bool)
    ]
    messages: dict = {}
    try:
        data = FilingIn().load(raw)
    except ValidationError as error:
        messages = translate_messages(error.messages)
    else:
        if not numeric:
            return data, {}, None
    if numeric:
        employees = messages.get("employees")
        employees = dict(employees) if isinstance(employees, dict) else {}
        for index in numeric:  # the digits Excel dropped are the real fault of the row
            employees[index] = {"certificate_no": [_numeric_certificate_message()]}
        messages["employees"] = employees
    try:
        annotatable = load_workbook(io.BytesIO(content))
    except (InvalidFileException, BadZipFile, KeyError, OSError, ValueError, TypeError):
        return _not_template()
    numbers = [n for n, _v in rows]
    return None, *_annotate(annotatable, annotatable["filing"], numbers, messages)


def _numeric_certificate_message() -> str:
    return _(
        "The certificate number was stored as a number, so Excel or WPS dropped its last digits. "
        "Set column A to the text format (or type an apostrophe before the number) and enter the "
        "number again."
    )


def _employee(values: list) -> dict:
    data = {
        "certificate_no": str(_cell(values[0])).strip().upper(),
        "months": _cell(values[2]),
        "long_contract": _yes_no(values[3]),
        "min_wage": _yes_no(values[4]),
        "social_insurance": _yes_no(values[5]),
    }
    if values[1] not in (None, ""):
        data["level"] = _cell(values[1])
    return data


def _annotate(workbook, sheet, rows, messages) -> tuple[dict, bytes]:
    """Write each error beside its cell and return (errors by place, the annotated workbook)."""
    errors: dict[str, list[str]] = {}
    positions = {"data_year": 2, "wage_total": 15}
    for key, found in messages.items():
        if key == "employees":
            _annotate_employees(workbook["employees"], rows, found, errors)
            continue
        if key == "monthly_headcounts" and isinstance(found, dict):
            for index, ms in found.items():
                _mark(sheet, 3 + int(index), key, messages_of(ms), errors)
            continue
        _mark(sheet, positions.get(key, 3), key, messages_of(found), errors)
    return errors, _save(workbook)


def _mark(sheet, row_no: int, key: str, texts: list[str], errors: dict) -> None:
    sheet.cell(row=row_no, column=3, value="; ".join(texts)).fill = ERROR_FILL
    errors[_("Sheet %(sheet)s, row %(row)s", sheet="filing", row=row_no) + f" ({key})"] = texts


def _annotate_employees(sheet, rows, found, errors) -> None:
    if not isinstance(found, dict):
        errors[_("Sheet %(sheet)s", sheet="employees")] = messages_of(found)
        return
    for index, fields in found.items():
        row_no = rows[int(index)]
        if isinstance(fields, dict):
            texts = [f"{name}: {m}" for name, ms in fields.items() for m in messages_of(ms)]
        else:
            texts = messages_of(fields)
        cell = sheet.cell(row=row_no, column=7, value="; ".join(texts))
        cell.fill = ERROR_FILL
        errors[_("Sheet %(sheet)s, row %(row)s", sheet="employees", row=row_no)] = texts
