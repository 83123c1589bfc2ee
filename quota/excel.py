"""The Excel filing template: download it, fill it in, upload it; errors are written back into it.

The template speaks the language of the session that downloaded it (sheet names, headers, items):
in Chinese the sheets are "申报" and "职工". The machine codes live only in a hidden sheet "_codes"
(format, the codes of the two sheets with their titles, the employees' column codes, the filing's
item codes by row), so an upload maps its sheets and items whatever language it was downloaded in;
a template of the older layout (sheets "filing"/"employees", codes in column A) still uploads.

Filing sheet: column A the item, column B the value (data year, the twelve monthly headcounts, the
wage total), column C any error. Employees sheet: one disabled employee a row (certificate number,
level from a dropdown, months 1-12, and yes/no dropdowns for the counting conditions), column G any
error of the row. Column A is formatted as text: a certificate number typed into a General cell is
stored by Excel/WPS as a number and loses its last digits. Errors name the sheet, the row and the
column by their titles in the user's language, never by code.

Limits of an upload (refused before parsing, 413): the file at most MAX_UPLOAD_BYTES, the zip's declared
uncompressed size at most MAX_UNCOMPRESSED_BYTES and MAX_ZIP_ENTRIES entries; then (422) at most
MAX_ROWS employee rows and MAX_COLUMNS columns a sheet. The workbook is read streaming (read-only);
only a workbook with errors is opened again, within those limits, to write the errors back.
"""

import io
import zipfile
from decimal import Decimal
from zipfile import BadZipFile

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from marshmallow import ValidationError
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font, PatternFill
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation

from core.database import ServiceError
from core.errors import messages_of, translate_messages
from core.i18n import lang
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
FORMAT = "zjdes-quota-filing/2"  # the hidden sheet's first cell: a template of this layout
CODES_SHEET = "_codes"
FILING_SHEET, EMPLOYEES_SHEET = "filing", "employees"  # the codes (and the older sheet names)
SHEET_TITLES = {FILING_SHEET: _l("Filing"), EMPLOYEES_SHEET: _l("Employees")}
COLUMN_LABELS = {
    "certificate_no": _l("Certificate number"),
    "level": _l("Level"),
    "months": _l("Months employed"),
    "long_contract": _l("Contract of one year or more"),
    "min_wage": _l("Paid at least the minimum wage"),
    "social_insurance": _l("Social insurance paid in full"),
    "errors": _l("Errors"),
}
ITEM_CODES = ("data_year", *MONTH_KEYS, "wage_total")  # rows 2-15 of the filing sheet
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
    """A workbook to fill in, prefilled from an existing filing when there is one, in the language
    of the session; the codes an upload maps it by are in the hidden sheet (`_codes_sheet`)."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = sheet_title(FILING_SHEET)
    sheet.append([_("Item"), _("Value"), str(COLUMN_LABELS["errors"])])
    months = (filing.monthly_headcounts if filing is not None else None) or [None] * 12
    sheet.append([item_label("data_year"), year])
    for key, value in zip(MONTH_KEYS, months, strict=True):
        sheet.append([item_label(key), None if value is None else float(Decimal(value))])
    wage = filing.wage_total if filing is not None else None
    sheet.append([item_label("wage_total"), None if wage is None else float(wage)])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    sheet.column_dimensions["A"].width = 22
    sheet.column_dimensions["B"].width = 18
    sheet.column_dimensions["C"].width = 40
    people = workbook.create_sheet(sheet_title(EMPLOYEES_SHEET))
    people.append([str(COLUMN_LABELS[c]) for c in (*EMPLOYEE_COLUMNS, "errors")])
    for cell in people[1]:
        cell.font = Font(bold=True)
    for claim in _claims_of(filing):  # an amendment starts from the filing's current employees
        people.append(claim)
    people.column_dimensions["A"].number_format = TEXT  # certificate numbers stay text
    for row in range(2, MAX_ROWS + 2):
        people.cell(row=row, column=1).number_format = TEXT
    for column, width in zip("ABCDEFG", (26, 10, 12, 22, 22, 22, 50), strict=True):
        people.column_dimensions[column].width = width
    people.freeze_panes = "A2"
    _validations(people)
    _codes_sheet(workbook, sheet.title, people.title)
    return _save(workbook)


def sheet_title(code: str) -> str:
    """A sheet's title in the user's language ("申报", "职工")."""
    return str(SHEET_TITLES[code])


def item_label(code: str) -> str:
    """An item of the filing sheet in the user's language."""
    if code == "data_year":
        return _("Data year")
    if code == "wage_total":
        return _("Annual wage total (yuan)")
    return _("Headcount in month %(month)s", month=MONTH_KEYS.index(code) + 1)


def _codes_sheet(workbook, filing_title: str, employees_title: str) -> None:
    """The hidden sheet of machine codes: the layout, the sheets, the columns, the items."""
    codes = workbook.create_sheet(CODES_SHEET)
    codes.append([FORMAT])
    codes.append([FILING_SHEET, filing_title])
    codes.append([EMPLOYEES_SHEET, employees_title])
    codes.append(list(EMPLOYEE_COLUMNS))
    codes.append(list(ITEM_CODES))
    codes.sheet_state = "hidden"


def _item_codes() -> dict[str, str]:
    """Each filing item's code by any text column A may hold: the code itself (older templates)
    or its label in either language."""
    found = {code: code for code in ITEM_CODES}
    for language in ("zh", "en"):
        with force_locale(language):
            found.update({item_label(code): code for code in ITEM_CODES})
    return found


def _sheet_names(workbook) -> tuple[str, str] | None:
    """The titles of the filing and employees sheets: from the hidden codes sheet, or the older
    template's fixed names; None when the workbook is neither."""
    names = workbook.sheetnames
    if CODES_SHEET in names:
        rows = list(workbook[CODES_SHEET].iter_rows(min_row=1, max_row=3, values_only=True))
        titles = {row[0]: row[1] for row in rows[1:] if row and len(row) > 1}
        found = titles.get(FILING_SHEET), titles.get(EMPLOYEES_SHEET)
        if rows and rows[0] and rows[0][0] == FORMAT and all(t in names for t in found):
            return found
    if FILING_SHEET in names and EMPLOYEES_SHEET in names:
        return FILING_SHEET, EMPLOYEES_SHEET
    return None


def _claims_of(filing) -> list[list]:
    if filing is None:
        return []
    from quota.services.filings import certificate_of

    yes, no = _yes_no_words()

    def yes_no(value: bool) -> str:
        return yes if value else no

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


def _yes_no_words() -> tuple[str, str]:
    """The yes/no of the dropdowns in the user's language (the reader accepts either language)."""
    return ("是", "否") if lang() == "zh" else ("yes", "no")


def _validations(sheet) -> None:
    last = MAX_ROWS + 1
    level = DataValidation(type="list", formula1='"1,2,3,4"', allow_blank=True)
    level.error, level.prompt = "1-4", "1-4"
    months = DataValidation(type="whole", operator="between", formula1="1", formula2="12")
    months.error = "1-12"
    yes_no = DataValidation(
        type="list", formula1='"{},{}"'.format(*_yes_no_words()), allow_blank=True
    )
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
                        sheet=_quoted(sheet.title),
                        columns=("、" if lang() == "zh" else ", ").join(
                            str(COLUMN_LABELS[c]) for c in EMPLOYEE_COLUMNS
                        ),
                    )
                ]
            }
        )


def _quoted(text: str) -> str:
    """A sheet or column title quoted as the user's language quotes it (“职工”, "Employees")."""
    return f"\u201c{text}\u201d" if lang() == "zh" else f'"{text}"'


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
        names = _sheet_names(workbook)
        if names is None:
            return _not_template()
        filing_name, employees_name = names
        _check_header(workbook[employees_name])
        items = _values(workbook[filing_name], MAX_FILING_ROWS, _quoted(filing_name))
        rows = _values(workbook[employees_name], MAX_ROWS, _quoted(employees_name))
    except (KeyError, OSError, ValueError, TypeError, BadZipFile):
        return _not_template()
    finally:
        workbook.close()
    codes = _item_codes()
    values = {
        codes.get(str(v[0]).strip(), str(v[0]).strip()): v[1]
        for _n, v in items
        if v[0] not in (None, "")
    }
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
    filing_rows = {codes.get(str(v[0]).strip()): n for n, v in items if v[0] not in (None, "")}
    return None, *_annotate(annotatable, names, numbers, filing_rows, messages)


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


def _annotate(workbook, names, rows, filing_rows, messages) -> tuple[dict, bytes]:
    """Write each error beside its cell and return (errors by place, the annotated workbook).

    A place names the sheet and row by their titles ("工作表“职工”第 6 行") and each message starts
    with the column's or item's title ("“残疾人证号”：…"), in the user's language."""
    filing_name, employees_name = names
    sheet = workbook[filing_name]
    errors: dict[str, list[str]] = {}
    for key, found in messages.items():
        if key == "employees":
            _annotate_employees(workbook[employees_name], rows, found, errors)
            continue
        if key == "monthly_headcounts" and isinstance(found, dict):
            for index, ms in found.items():
                code = MONTH_KEYS[int(index)]
                _mark(sheet, filing_rows.get(code, 3 + int(index)), code, messages_of(ms), errors)
            continue
        row_no = filing_rows.get(key, ITEM_CODES.index(key) + 2 if key in ITEM_CODES else 2)
        _mark(sheet, row_no, key, messages_of(found), errors)
    return errors, _save(workbook)


def _about(label: str, message: str) -> str:
    """A message about one column or item: "“残疾人证号”：…" ("\"Certificate number\": ...")."""
    return _quoted(label) + ("：" if lang() == "zh" else ": ") + message


def _separator() -> str:
    return "；" if lang() == "zh" else "; "


def _mark(sheet, row_no: int, key: str, texts: list[str], errors: dict) -> None:
    if key in ITEM_CODES:
        texts = [_about(item_label(key), text) for text in texts]
    sheet.cell(row=row_no, column=3, value=_separator().join(texts)).fill = ERROR_FILL
    place = _("Sheet %(sheet)s, row %(row)s", sheet=_quoted(sheet.title), row=row_no)
    errors.setdefault(place, []).extend(texts)


def _annotate_employees(sheet, rows, found, errors) -> None:
    if not isinstance(found, dict):
        errors[_("Sheet %(sheet)s", sheet=_quoted(sheet.title))] = messages_of(found)
        return
    for index, fields in found.items():
        row_no = rows[int(index)]
        if isinstance(fields, dict):
            texts = [
                _about(str(COLUMN_LABELS[name]), m) if name in COLUMN_LABELS else m
                for name, ms in fields.items()
                for m in messages_of(ms)
            ]
        else:
            texts = messages_of(fields)
        cell = sheet.cell(row=row_no, column=7, value=_separator().join(texts))
        cell.fill = ERROR_FILL
        place = _("Sheet %(sheet)s, row %(row)s", sheet=_quoted(sheet.title), row=row_no)
        errors[place] = texts
