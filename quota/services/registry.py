"""The registry extract the service holds, and certificates to verify (issue #13, DESIGN 3.2 item 2).

Claims are checked against the registry extract (imported from the provincial certificate system as
CSV or Excel), then the service's own register of people, then any configured `CertificateVerifier`
(`QUOTA_CERTIFICATE_VERIFIER`: a dotted path to a class). A valid certificate none of them knows is
never rejected for that alone: it is to be verified (a `CertificateCheck`) by a counselor of the
employer's county, who confirms or rejects it with a reason after seeing the employer's evidence.
"""

import csv
import importlib
import secrets
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select, update

from core import audit, identity
from core.database import ServiceError
from core.extensions import db
from core.i18n import lang
from core.models import Employer, Person, utcnow
from core.services import cipher
from core.spreadsheet import read_table
from quota.models import CertificateCheck, QuotaClaim, QuotaYearSetting, RegistryRecord
from quota.rules.verification import REGISTRY_VALID, CertificateVerifier, PersonFacts

REGISTRY_COLUMNS = ("certificate_no", "name", "valid_until", "status", "issuing_area")
# A column's title in the admin's language: the header of an extract may use it (in Chinese or
# English) instead of the code, so a person can prepare the file in a spreadsheet.
REGISTRY_COLUMN_TITLES = {
    "certificate_no": _l("Certificate number"),
    "name": _l("Full name"),
    "valid_until": _l("Valid until"),
    "status": _l("Status"),
    "issuing_area": _l("Issuing county code"),
}
REGISTRY_STATUSES = (REGISTRY_VALID, "cancelled", "expired", "replaced")
MAX_REGISTRY_ROWS = 500_000
MAX_REGISTRY_BYTES = 100 * 1024 * 1024
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
EVIDENCE_TYPES = {b"%PDF": "pdf", b"\x89PNG": "png", b"\xff\xd8\xff": "jpg"}


# --- facts about claimed people ----------------------------------------------------------------


def facts_by_index(indexes) -> dict[str, PersonFacts]:
    """Registry extract first, then the service's own register of people. `indexes` is a set of
    blind indexes, or a select of them (the review's claimed people: one query per source)."""
    if isinstance(indexes, Select):
        found = {r[0]: _registered(r) for r in db.session.execute(_registry_facts(indexes)).all()}
        for r in db.session.execute(_person_facts(indexes)).all():
            if r[0] not in found:
                found[r[0]] = PersonFacts(r[1], r[2], r[3])
        return found
    found: dict[str, PersonFacts] = {}
    wanted = list(indexes)
    for start in range(0, len(wanted), 5000):
        chunk = wanted[start : start + 5000]
        for r in db.session.execute(_registry_facts(chunk)):
            found[r[0]] = _registered(r)
        rest = [i for i in chunk if i not in found]
        if rest:
            for r in db.session.execute(_person_facts(rest)):
                found[r[0]] = PersonFacts(r[1], r[2], r[3])
    return found


def _registry_facts(indexes):
    return select(
        RegistryRecord.person_index,
        RegistryRecord.cert_index,
        RegistryRecord.birth_date,
        RegistryRecord.sex,
        RegistryRecord.status,
        RegistryRecord.valid_until,
    ).where(RegistryRecord.person_index.in_(indexes))


def _registered(r) -> PersonFacts:
    return PersonFacts(r[1], r[2], r[3], True, r[4], r[5])


def _person_facts(indexes):
    return select(Person.id_index, Person.cert_index, Person.birth_date, Person.sex).where(
        Person.id_index.in_(indexes)
    )


def verifier() -> CertificateVerifier | None:
    path = current_app.config.get("QUOTA_CERTIFICATE_VERIFIER")
    if not path:
        return None
    module, _sep, name = path.rpartition(".")
    return getattr(importlib.import_module(module), name)()


def unregistered_facts(ciphers: dict[str, str | None]) -> dict[str, PersonFacts]:
    """Facts of claimed people no local source knows: from a configured verifier, else what the
    certificate number itself says (birth date and sex), not registered."""
    fc = cipher()
    numbers = {index: fc.decrypt(token) for index, token in ciphers.items() if token}
    plugged = verifier()
    known = plugged.look_up(sorted(numbers.values())) if plugged and numbers else {}
    facts = {}
    for index, number in numbers.items():
        if number in known:  # the verifier's facts are about this very certificate
            found = known[number]
            if found.cert_index is None:
                found = found._replace(cert_index=fc.blind_index(number))
            facts[index] = found
            continue
        try:
            rid = identity.parse_certificate(number).resident_id
        except identity.IdentityError:
            continue
        facts[index] = PersonFacts(None, rid.birth_date, rid.sex, registered=False)
    return facts


def check_decisions(year: int) -> dict[tuple[int, str], bool]:
    """(employer, person) -> True confirmed / False rejected, for decided certificate checks."""
    rows = db.session.execute(
        select(
            CertificateCheck.employer_id, CertificateCheck.person_index, CertificateCheck.status
        ).where(CertificateCheck.data_year == year, CertificateCheck.status != "to_verify")
    )
    return {(e, p): status == "confirmed" for e, p, status in rows}


def open_checks(year: int, claim_ids: list[int]) -> int:
    """Record a certificate check for every claim now to be verified that has none; returns how many."""
    if not claim_ids:
        return 0
    existing = {
        (e, p)
        for e, p in db.session.execute(
            select(CertificateCheck.employer_id, CertificateCheck.person_index).where(
                CertificateCheck.data_year == year
            )
        )
    }
    added = 0
    for start in range(0, len(claim_ids), 5000):
        claims = db.session.execute(
            select(QuotaClaim.employer_id, QuotaClaim.person_index, QuotaClaim.cert_masked).where(
                QuotaClaim.id.in_(claim_ids[start : start + 5000])
            )
        )
        for employer_id, person_index, masked in claims:
            if (employer_id, person_index) in existing:
                continue
            existing.add((employer_id, person_index))
            db.session.add(
                CertificateCheck(
                    employer_id=employer_id,
                    data_year=year,
                    person_index=person_index,
                    cert_masked=masked,
                    issuing_area=masked[:6],
                    status="to_verify",
                )
            )
            added += 1
    db.session.flush()
    return added


def verification_deadline_passed(year: int, today: date | None = None) -> bool:
    setting = db.session.get(QuotaYearSetting, year)
    deadline = setting.verification_deadline if setting is not None else None
    return deadline is not None and (today or date.today()) > deadline


# --- the counselor's decision and the employer's evidence ------------------------------------


def checks_query(user, year: int | None = None, status: str | None = "to_verify"):
    stmt = select(CertificateCheck).order_by(CertificateCheck.created_at, CertificateCheck.id)
    if year:
        stmt = stmt.where(CertificateCheck.data_year == year)
    if status:
        stmt = stmt.where(CertificateCheck.status == status)
    if user.role == "employer":
        stmt = stmt.where(CertificateCheck.employer_id == user.employer_id)
    elif user.role == "counselor":
        county = select(Employer.id).where(Employer.county_code == user.county_code)
        stmt = stmt.where(CertificateCheck.employer_id.in_(county))
    return stmt


def decide(check: CertificateCheck, confirm: bool, reason: str | None, user) -> CertificateCheck:
    """Confirm or reject a certificate to verify: a conditional update on status 'to_verify' (409
    when someone decided first); the employer's claims are re-verified and re-assessed. Only staff
    decide (the caller has loaded the check through core.access, which scopes a counselor to the
    employer's county)."""
    if user.role not in ("admin", "counselor"):
        raise ServiceError({"decision": [_("Only a counselor or an administrator decides.")]}, 403)
    reason = (reason or "").strip()
    if not reason:
        raise ServiceError({"reason": [_("Give the reason for the decision.")]})
    if len(reason) > 2000:
        raise ServiceError({"reason": [_("The reason is too long (2,000 characters at most).")]})
    before = audit.snapshot(check)
    changed = db.session.execute(
        update(CertificateCheck)
        .where(CertificateCheck.id == check.id, CertificateCheck.status == "to_verify")
        .values(
            status="confirmed" if confirm else "rejected",
            decided_by=user.id,
            decided_at=utcnow(),
            reason=reason,
        )
        .execution_options(synchronize_session=False)
    ).rowcount
    if not changed:
        db.session.rollback()
        raise ServiceError(
            {"status": [_("This certificate was already decided by someone else.")]}, 409
        )
    filing_ids = list(
        db.session.scalars(
            select(QuotaClaim.filing_id).where(
                QuotaClaim.data_year == check.data_year,
                QuotaClaim.employer_id == check.employer_id,
                QuotaClaim.person_index == check.person_index,
                QuotaClaim.verdict == "to_verify",
            )
        )
    )
    db.session.execute(
        update(QuotaClaim)
        .where(
            QuotaClaim.data_year == check.data_year,
            QuotaClaim.employer_id == check.employer_id,
            QuotaClaim.person_index == check.person_index,
            QuotaClaim.verdict == "to_verify",
        )
        .values(verdict="pending", reason=None)
        .execution_options(synchronize_session=False)
    )
    db.session.refresh(check)
    audit.record("decide_certificate", check, before, audit.snapshot(check), actor=user)
    if filing_ids:
        from quota.services import review

        review.reassess(filing_ids, check.data_year)
    db.session.commit()
    return check


def _evidence_folder() -> Path:
    folder = Path(current_app.instance_path) / "quota-evidence"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def attach_evidence(check: CertificateCheck, content: bytes, filename: str, user) -> None:
    """Keep the employer's scan (PDF, PNG or JPEG, at most 5 MB) privately for the counselor."""
    if len(content) > EVIDENCE_MAX_BYTES:
        raise ServiceError(
            {"evidence": [_("The file is bigger than %(mb)s MB.", mb=EVIDENCE_MAX_BYTES // 2**20)]},
            413,
        )
    kind = next((k for magic, k in EVIDENCE_TYPES.items() if content.startswith(magic)), None)
    if kind is None:
        raise ServiceError({"evidence": [_("Upload a PDF, PNG or JPEG scan of the certificate.")]})
    if check.status != "to_verify":
        raise ServiceError({"evidence": [_("This certificate was already decided.")]}, 409)
    before = audit.snapshot(check)
    name = f"{check.id}-{secrets.token_urlsafe(12)}.{kind}"
    (_evidence_folder() / name).write_bytes(content)
    old = check.evidence_file
    check.evidence_file = name
    check.evidence_name = (filename or "")[:200]
    check.evidence_at = utcnow()
    audit.record("attach_evidence", check, before, audit.snapshot(check), actor=user)
    db.session.commit()
    if old:
        (_evidence_folder() / old).unlink(missing_ok=True)


def evidence_of(check: CertificateCheck) -> tuple[bytes, str] | None:
    if not check.evidence_file:
        return None
    path = _evidence_folder() / check.evidence_file
    if not path.exists():
        return None
    kind = path.suffix.lstrip(".")
    return path.read_bytes(), {"pdf": "application/pdf", "png": "image/png"}.get(kind, "image/jpeg")


# --- importing an extract ------------------------------------------------------------------------


def column_titles() -> list[tuple[str, str]]:
    """(title in the user's language, code) of each column of an extract."""
    return [(str(REGISTRY_COLUMN_TITLES[c]), c) for c in REGISTRY_COLUMNS]


def _column_list() -> str:
    """The columns by title and code: "残疾人证号（certificate_no）、…" / "Certificate number (...), ..."."""
    if lang() == "en":
        return ", ".join(f"{title} ({code})" for title, code in column_titles())
    return "、".join(f"{title}（{code}）" for title, code in column_titles())


def _header_codes() -> dict[str, str]:
    """Each column's code by any header naming it: the code, or its title in Chinese or English."""
    found = {code: code for code in REGISTRY_COLUMNS}
    for language in ("zh", "en"):
        with force_locale(language):
            found.update({str(REGISTRY_COLUMN_TITLES[c]): c for c in REGISTRY_COLUMNS})
    return found


def _rows_of(content: bytes, filename: str) -> list[dict]:
    """The extract's rows by column code, every cell as text ("" when empty)."""
    codes = _header_codes()
    return [
        {codes.get(str(h).strip(), h): ("" if v is None else str(v)) for h, v in row.items()}
        for row in read_table(content, filename, MAX_REGISTRY_ROWS)
    ]


def _parse_date(value: str) -> date | None:
    value = (value or "").strip()[:10]
    return date.fromisoformat(value) if value else None


def import_registry(content: bytes, filename: str, extract_date: date, user=None) -> dict:
    """Import an extract: every row valid or nothing written (errors by line); a later extract
    replaces the record of the same person. Audited."""
    if len(content) > MAX_REGISTRY_BYTES:
        raise ServiceError({"file": [_("The file is too big.")]}, 413)
    try:
        rows = _rows_of(content, filename)
    except (UnicodeDecodeError, csv.Error, ValueError, OSError, KeyError):
        raise ServiceError({"file": [_("Upload a CSV (UTF-8) or Excel file.")]}) from None
    if rows and not set(REGISTRY_COLUMNS) <= set(rows[0]):
        raise ServiceError(
            {
                "file": [
                    _(
                        "The columns must be: %(columns)s.",
                        columns=_column_list(),
                    )
                ]
            }
        )
    if len(rows) > MAX_REGISTRY_ROWS:
        raise ServiceError({"file": [_("Too many rows (%(max)s at most).", max=MAX_REGISTRY_ROWS)]})
    fc = cipher()
    errors: dict[str, list[str]] = {}
    parsed = {}
    for line, row in enumerate(rows, start=2):
        try:
            cert = identity.parse_certificate(row["certificate_no"])
            valid_until = _parse_date(row.get("valid_until", ""))
            status = (row.get("status") or REGISTRY_VALID).strip()
            if status not in REGISTRY_STATUSES:
                raise ValueError(status)
            area = (row.get("issuing_area") or cert.number[:6]).strip()
            if not (len(area) == 6 and area.isdigit()):
                raise ValueError(area)
        except identity.IdentityError as error:
            errors[_("Line %(line)s", line=line)] = [error.message()]
            continue
        except ValueError:
            errors[_("Line %(line)s", line=line)] = [_("This value is not valid.")]
            continue
        parsed[fc.blind_index(cert.number[:18])] = {
            "person_index": fc.blind_index(cert.number[:18]),
            "cert_index": fc.blind_index(cert.number),
            "cert_cipher": fc.encrypt(cert.number),
            "cert_masked": identity.mask_number(cert.number),
            "name": (row.get("name") or "").strip()[:50],
            "category": cert.category,
            "level": cert.level,
            "valid_until": valid_until,
            "status": status,
            "issuing_area": area,
            "birth_date": cert.resident_id.birth_date,
            "sex": cert.resident_id.sex,
            "extract_date": extract_date,
        }
    if errors:
        raise ServiceError(dict(list(errors.items())[:50]))
    existing = {
        r.person_index: r
        for start in range(0, len(parsed), 5000)
        for r in db.session.scalars(
            select(RegistryRecord).where(
                RegistryRecord.person_index.in_(list(parsed)[start : start + 5000])
            )
        )
    }
    added = replaced = 0
    for index, values in parsed.items():
        record = existing.get(index)
        if record is None:
            db.session.add(RegistryRecord(**values))
            added += 1
        elif record.extract_date <= extract_date:
            for key, value in values.items():
                setattr(record, key, value)
            replaced += 1
    db.session.flush()
    summary = {"added": added, "replaced": replaced, "extract_date": extract_date.isoformat()}
    audit.record("import_registry", "quota_registry_record", None, summary, actor=user)
    db.session.commit()
    return summary


def registry_status() -> dict:
    from sqlalchemy import func

    count, latest = db.session.execute(
        select(func.count(RegistryRecord.id), func.max(RegistryRecord.extract_date))
    ).one()
    return {"records": count, "latest_extract": latest}
