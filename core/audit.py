"""The audit trail: every change to people, employers, filings, referrals and plans is recorded."""

from datetime import date, datetime
from decimal import Decimal

from flask import g, has_request_context
from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from core.extensions import db
from core.models import AuditEvent

# Columns never written to the audit trail in clear: ciphertexts and blind indexes.
_HIDDEN_SUFFIXES = ("_cipher", "_index", "password_hash")


def _plain(value):
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return sorted(value) if isinstance(value, (set, frozenset)) else list(value)
    return value


def snapshot(obj) -> dict:
    """The audit-safe column values of a model instance (no ciphertexts or hashes)."""
    mapper = inspect(obj).mapper
    return {
        attr.key: _plain(getattr(obj, attr.key))
        for attr in mapper.column_attrs
        if not attr.key.endswith(_HIDDEN_SUFFIXES)
    }


def changed(old: dict, new: dict) -> tuple[dict, dict]:
    """Only the keys whose values differ, as (old, new)."""
    keys = [k for k in new if old.get(k) != new.get(k) and k != "updated_at"]
    return {k: old.get(k) for k in keys}, {k: new[k] for k in keys}


def current_actor():
    """The logged-in user of this request (web or API), or None for the CLI and jobs."""
    if not has_request_context():
        return getattr(g, "actor", None) if g else None
    actor = getattr(g, "actor", None)
    if actor is not None:
        return actor
    from flask_login import current_user

    return current_user if getattr(current_user, "is_authenticated", False) else None


def record(action: str, obj, old: dict | None = None, new: dict | None = None, actor=None) -> None:
    """Add an audit event to the current transaction; the caller's commit writes both together."""
    actor = actor or current_actor()
    table = obj.__tablename__ if hasattr(obj, "__tablename__") else str(obj)
    row_id = getattr(obj, "id", None)
    if row_id is None:
        db.session.flush()
        row_id = getattr(obj, "id", "")
        if new and hasattr(obj, "__tablename__"):
            # A snapshot taken before the flush lacks the id and column defaults: fill them in.
            flushed = snapshot(obj)
            new = {k: flushed.get(k) if v is None else v for k, v in new.items()}
    db.session.add(
        AuditEvent(
            actor_id=getattr(actor, "id", None),
            actor_name=getattr(actor, "username", "system"),
            action=action,
            table_name=table,
            row_id=str(row_id),
            old=old,
            new=new,
        )
    )


def record_change(obj, before: dict, action: str = "update") -> bool:
    """Audit an update from a snapshot taken before it; returns False when nothing changed."""
    old, new = changed(before, snapshot(obj))
    if not new:
        return False
    record(action, obj, old, new)
    return True


@event.listens_for(Session, "before_flush")
def _audit_is_append_only(session, flush_context, instances):
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise PermissionError("The audit trail is append-only.")
