"""Official headcount and wage totals (social insurance, tax) per employer and data year, imported.

The assessment uses the larger of the declared and the official figure (quota.rules.sources) and
assesses non-filers on the official figures alone; the credit review compares the two (DESIGN 3.2
item 9). Records name the employer by its unified social credit code; unknown codes are reported, not
stored. Every record is valid or nothing is written; an import replaces the year's figure of an
employer, audited.
"""

import csv
from decimal import Decimal, InvalidOperation

from flask_babel import gettext as _
from marshmallow import ValidationError
from sqlalchemy import select

from core import audit
from core.database import ServiceError
from core.errors import translate_messages
from core.extensions import db
from core.models import Employer, utcnow
from core.spreadsheet import read_table
from quota.models import QuotaOfficialData

MAX_RECORDS = 10_000  # a bigger file is split into several imports
OFFICIAL_COLUMNS = ("credit_code", "headcount", "wage_total", "source")


def import_official(year: int, records: list[dict], user=None) -> dict:
    """Store validated records (see OfficialDataIn); returns what was imported and unknown codes."""
    if len(records) > MAX_RECORDS:
        raise ServiceError({"records": [_("At most %(max)s records an import.", max=MAX_RECORDS)]})
    codes = {r["credit_code"] for r in records}
    employers = dict(
        db.session.execute(
            select(Employer.credit_code, Employer.id).where(Employer.credit_code.in_(codes))
        ).all()
    )
    existing = {
        row.employer_id: row
        for row in db.session.scalars(
            select(QuotaOfficialData).where(
                QuotaOfficialData.data_year == year,
                QuotaOfficialData.employer_id.in_(list(employers.values())),
            )
        )
    }
    imported, unknown = 0, sorted(codes - set(employers))
    for record in records:
        employer_id = employers.get(record["credit_code"])
        if employer_id is None:
            continue
        values = {
            "headcount": record["headcount"],
            "wage_total": record.get("wage_total"),
            "source": record.get("source") or "social_insurance",
            "imported_at": utcnow(),
        }
        row = existing.get(employer_id)
        if row is None:
            row = QuotaOfficialData(employer_id=employer_id, data_year=year, **values)
            db.session.add(row)
            existing[employer_id] = row
        else:
            for key, value in values.items():
                setattr(row, key, value)
        imported += 1
    db.session.flush()
    summary = {"data_year": year, "imported": imported, "unknown_credit_codes": unknown}
    audit.record(
        "import_official",
        "quota_official_data",
        None,
        {**summary, "unknown_credit_codes": unknown[:100]},
        actor=user,
    )
    db.session.commit()
    return summary


def _decimal_text(value):
    if value in (None, ""):
        return None
    try:
        return str(Decimal(str(value).strip().replace(",", "")))
    except InvalidOperation:
        return str(value)


def records_from_file(content: bytes, filename: str) -> list[dict]:
    """Rows of a CSV (UTF-8) or .xlsx file with the columns OFFICIAL_COLUMNS, as raw records."""
    found = read_table(content, filename, MAX_RECORDS)
    records = []
    for row in found:
        record = {
            "credit_code": str(row.get("credit_code") or "").strip(),
            "headcount": _decimal_text(row.get("headcount")),
            "source": str(row.get("source") or "").strip() or "social_insurance",
        }
        wages = _decimal_text(row.get("wage_total"))
        if wages is not None:
            record["wage_total"] = wages
        records.append(record)
    return records


def import_file(year: int, content: bytes, filename: str, user=None) -> dict:
    """Validate a file's records with the API's schema, then import them."""
    from quota.schemas import OfficialDataIn

    try:
        records = records_from_file(content, filename)
    except (UnicodeDecodeError, csv.Error, ValueError, OSError, KeyError):
        raise ServiceError({"file": [_("Upload a CSV (UTF-8) or Excel file.")]}) from None
    try:
        data = OfficialDataIn().load({"data_year": year, "records": records})
    except ValidationError as error:
        raise ServiceError(
            {
                k: v if isinstance(v, list) else [str(v)]
                for k, v in _flat(translate_messages(error.messages)).items()
            }
        ) from None
    return import_official(data["data_year"], data["records"], user)


def _flat(messages: dict, prefix: str = "") -> dict:
    flat = {}
    for key, value in messages.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            flat.update(_flat(value, f"{name}."))
        else:
            flat[name] = value
    return flat
