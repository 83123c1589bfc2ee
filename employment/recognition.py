"""Use cases of flexible and home-based employment recognition: apply with evidence, decide.

Evidence files are checked by type and size, stored under instance/uploads with a random name,
and handed out only through an authorised view.
"""

import secrets
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import select

from core import audit
from core.access import scope_filter
from core.database import ServiceError, decide_once
from core.extensions import db
from core.models import Person, utcnow
from employment import access as _access  # noqa: F401  (registers the access rules)
from employment.models import RecognitionApplication
from followup import interface as followup

MAX_EVIDENCE_BYTES = 5 * 1024 * 1024
# Extension -> (magic bytes at the start of the file, MIME type).
EVIDENCE_TYPES = {
    "pdf": (b"%PDF-", "application/pdf"),
    "jpg": (b"\xff\xd8\xff", "image/jpeg"),
    "jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    "png": (b"\x89PNG\r\n\x1a\n", "image/png"),
}


def upload_dir() -> Path:
    """instance/uploads/employment, or the folder EMPLOYMENT_UPLOAD_DIR names (tests)."""
    folder = current_app.config.get("EMPLOYMENT_UPLOAD_DIR")
    return Path(folder) if folder else Path(current_app.instance_path) / "uploads" / "employment"


def evidence_path(application: RecognitionApplication) -> Path | None:
    if not application.evidence_file:
        return None
    path = upload_dir() / application.evidence_file
    return path if path.is_file() else None


def _refuse(message: str, status: int = 422, field: str = "evidence_file"):
    raise ServiceError({field: [message]}, status)


def check_evidence(filename: str, content: bytes) -> tuple[str, str]:
    """The extension and MIME type of an acceptable evidence file, or a refusal saying why."""
    limit = current_app.config.get("EMPLOYMENT_EVIDENCE_MAX_BYTES", MAX_EVIDENCE_BYTES)
    extension = Path(filename or "").suffix.lower().lstrip(".")
    if extension not in EVIDENCE_TYPES:
        _refuse(_("Upload a PDF, JPG or PNG file."))
    if len(content) > limit:
        _refuse(_("The file is larger than %(size)s MB.", size=limit // (1024 * 1024) or 1))
    if not content:
        _refuse(_("The file is empty."))
    magic, mimetype = EVIDENCE_TYPES[extension]
    if not content.startswith(magic):
        _refuse(_("The file's content does not match its type (PDF, JPG or PNG)."))
    return extension, mimetype


def read_upload(storage) -> tuple[str, bytes] | None:
    """The name and at most limit+1 bytes of an uploaded werkzeug FileStorage (None when empty)."""
    if storage is None or not getattr(storage, "filename", ""):
        return None
    limit = current_app.config.get("EMPLOYMENT_EVIDENCE_MAX_BYTES", MAX_EVIDENCE_BYTES)
    return storage.filename, storage.stream.read(limit + 1)


def _printable(text: str) -> str:
    """The text without control characters or lone surrogates (PostgreSQL refuses NUL)."""
    kept = "".join(c for c in text if c.isprintable())
    return kept.encode("utf-8", "ignore").decode("utf-8")


def _store(filename: str, content: bytes) -> tuple[str, str, str]:
    extension, mimetype = check_evidence(filename, content)
    name = f"{secrets.token_hex(16)}.{extension}"
    folder = upload_dir()
    folder.mkdir(parents=True, exist_ok=True)
    (folder / name).write_bytes(content)
    original = _printable(Path(filename).name)[-200:] or name
    return name, original, mimetype


def may_apply_for(user, person: Person) -> bool:
    if user.role == "graduate":
        return person.id == user.person_id
    if user.role == "counselor":
        return person.county_code == user.county_code
    return user.role == "admin"


def apply(user, person: Person, data: dict, upload: tuple[str, bytes] | None = None):
    """File an application for a person (a graduate for themself, a counselor for their county)."""
    if not may_apply_for(user, person):
        _refuse(
            _("You can apply for yourself or for people of your county only."), 403, "person_id"
        )
    if data["work_started_on"] > date.today():
        _refuse(_("The start date cannot be in the future."), field="work_started_on")
    pending = select(RecognitionApplication.id).where(
        RecognitionApplication.person_id == person.id, RecognitionApplication.status == "pending"
    )
    if db.session.scalar(pending):
        _refuse(
            _("This person already has an application waiting for a decision."), 409, "person_id"
        )
    application = RecognitionApplication(
        person_id=person.id,
        kind=data["kind"],
        work_started_on=data["work_started_on"],
        evidence_text=data["evidence_text"].strip(),
        applied_by_id=user.id,
    )
    if upload:
        stored = _store(*upload)
        application.evidence_file, application.evidence_filename = stored[0], stored[1]
        application.evidence_mimetype = stored[2]
    db.session.add(application)
    audit.record("create", application, None, audit.snapshot(application), actor=user)
    db.session.commit()
    return application


def attach_evidence(user, application: RecognitionApplication, upload: tuple[str, bytes] | None):
    """Add or replace the evidence file of a pending application (by someone who may apply)."""
    if not may_apply_for(user, application.person):
        _refuse(
            _("You can apply for yourself or for people of your county only."), 403, "person_id"
        )
    if application.status != "pending":
        _refuse(_("This application has already been decided."), 409, "status")
    if upload is None:
        _refuse(_("Choose a file to upload."))
    before = audit.snapshot(application)
    old = evidence_path(application)
    stored = _store(*upload)
    application.evidence_file, application.evidence_filename = stored[0], stored[1]
    application.evidence_mimetype = stored[2]
    audit.record_change(application, before, action="evidence")
    db.session.commit()
    if old is not None:
        old.unlink(missing_ok=True)
    return application


def _decidable(user, application: RecognitionApplication) -> None:
    if user.role not in ("admin", "counselor"):
        _refuse(_("Only a counselor of the person's county decides."), 403, "status")
    if application.status != "pending":
        _refuse(_("This application has already been decided."), 409, "status")


def _decide(application: RecognitionApplication, status: str, user, reason: str | None) -> None:
    """The decision as a conditional update: a second decision taken at the same time answers 409."""
    values = {
        "status": status,
        "decided_by_id": user.id,
        "decided_at": utcnow(),
        "decision_reason": reason,
    }
    message = _("This application has already been decided.")
    decide_once(db.session, application, {"status": "pending"}, values, "status", message)


def approve(user, application: RecognitionApplication, reason: str | None = None):
    """Recognise the work: the person counts as employed (flexible or home-based) from its start."""
    _decidable(user, application)
    before = audit.snapshot(application)
    person = application.person
    person_before = audit.snapshot(person)
    _decide(application, "approved", user, (reason or "").strip() or None)
    person.employment_type = application.kind
    person.employed_since = application.work_started_on
    audit.record_change(application, before, action="approve")
    audit.record_change(person, person_before, action="recognise")
    followup.employment_changed(person.id, "employment_recognised")
    db.session.commit()
    return application


def reject(user, application: RecognitionApplication, reason: str):
    """Refuse the application, saying why; the person's employment status does not change."""
    _decidable(user, application)
    if not (reason or "").strip():
        _refuse(_("Give the reason for the rejection."), field="reason")
    before = audit.snapshot(application)
    _decide(application, "rejected", user, reason.strip())
    audit.record_change(application, before, action="reject")
    db.session.commit()
    return application


def applications(user, status: str | None = None, page: int = 1, per_page: int = 50):
    """The applications the user may see, newest first, optionally of one status."""
    stmt = applications_query(user, status)
    return db.paginate(stmt, page=page, per_page=per_page, error_out=False)


def applications_query(user, status: str | None = None):
    """The select of the applications the user may see, newest first."""
    stmt = select(RecognitionApplication).where(scope_filter(RecognitionApplication, user))
    if status:
        stmt = stmt.where(RecognitionApplication.status == status)
    return stmt.order_by(RecognitionApplication.id.desc())
