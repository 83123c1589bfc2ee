"""Web form fields to schema input, and nested schema errors to flat field ids for the error summary."""

from core.errors import messages_of
from quota.rules.filing import FORM_EMPLOYEES_MAX

CONDITIONS = ("long_contract", "min_wage", "social_insurance")
# Row indexes read at all: a bound on the work a crafted form can cause (a real page has at most
# FORM_EMPLOYEES_MAX rows; more typed rows are refused with a message, never silently dropped).
_INDEX_BOUND = 10 * FORM_EMPLOYEES_MAX


def _rows(form) -> list[int]:
    indexes = set()
    for key in form:
        if key.startswith("emp-"):
            try:
                indexes.add(int(key.split("-")[1]))
            except (IndexError, ValueError):
                continue
    return sorted(i for i in indexes if 0 <= i < _INDEX_BOUND)


def filled_rows(form) -> int:
    """How many employee rows of the form have a certificate number typed in."""
    return sum(1 for i in _rows(form) if form.get(f"emp-{i}-certificate_no", "").strip())


def rows_to_show(form) -> int:
    """Rows a page must show to keep every typed row (the highest filled row index + 1)."""
    filled = [i for i in _rows(form) if form.get(f"emp-{i}-certificate_no", "").strip()]
    return max(filled) + 1 if filled else 0


def calculator_input(form) -> dict:
    """The calculator form as the API's JSON body (blank fields left out)."""
    data = {
        key: form.get(key)
        for key in (
            "year",
            "unit_type",
            "headcount",
            "average_wage",
            "wage_total",
            "social_average_wage",
        )
        if form.get(key, "").strip()
    }
    employees = []
    for i in _rows(form):
        row = {
            k: form.get(f"emp-{i}-{k}", "").strip() for k in ("certificate_no", "level", "months")
        }
        if row["certificate_no"] or row["level"]:
            employees.append({k: v for k, v in row.items() if v})
    data["disabled_employees"] = employees
    return data


def filing_input(form, year: int) -> dict:
    """The filing form as the schema's input: months m1..m12, wage total, employee rows."""
    employees = []
    for i in _rows(form):
        certificate = form.get(f"emp-{i}-certificate_no", "").strip()
        if not certificate:
            continue
        row = {"certificate_no": certificate, "months": form.get(f"emp-{i}-months", "").strip()}
        row.update({key: bool(form.get(f"emp-{i}-{key}")) for key in CONDITIONS})
        employees.append(row)
    data = {
        "data_year": year,
        "monthly_headcounts": [form.get(f"m{m}", "").strip() for m in range(1, 13)],
        "wage_total": form.get("wage_total", "").strip(),
        "employees": employees,
        "reason": form.get("reason", "").strip() or None,
        "submit": form.get("action") == "submit",
    }
    if form.get("version", "").strip():
        data["version"] = form.get("version")
    if form.get("submission_key", "").strip():
        data["submission_key"] = form.get("submission_key").strip()
    return data


ROW_PREFIX = {"employees": "emp", "disabled_employees": "emp"}


def flat_errors(errors: dict) -> dict:
    """{"employees": {0: {"months": [..]}}} -> {"emp-0-months": [..]}; months lists -> m1..m12."""
    flat: dict = {}
    for key, value in errors.items():
        if key in ROW_PREFIX and isinstance(value, dict):
            for index, fields in value.items():
                if isinstance(fields, dict):
                    for name, messages in fields.items():
                        flat[f"emp-{index}-{name}"] = messages_of(messages)
                else:
                    flat[f"emp-{index}-certificate_no"] = messages_of(fields)
        elif key == "monthly_headcounts" and isinstance(value, dict):
            for index, messages in value.items():
                flat[f"m{int(index) + 1}"] = messages_of(messages)
        elif key == "monthly_headcounts":
            flat["m1"] = messages_of(value)
        else:
            flat[str(key)] = messages_of(value)
    return flat
