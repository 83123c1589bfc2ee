"""The audit trail: every change to people, employers, filings, referrals and plans is recorded."""

from datetime import date, datetime
from decimal import Decimal

from flask import g, has_request_context
from sqlalchemy import event, inspect, text
from sqlalchemy.orm import Session

from core import audit_chain
from core.extensions import db
from core.models import AuditEvent, utcnow

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


def record_saved(obj, before: dict | None, actor=None) -> None:
    """Audit a row saved by an upsert: its creation when there was no row before, else the change."""
    if before is None:
        record("create", obj, None, snapshot(obj), actor=actor)
    else:
        record_change(obj, before)


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


@event.listens_for(AuditEvent, "before_insert")
def _chain(_mapper, connection, entry: AuditEvent) -> None:
    """Append the entry to the hash chain: take the head (its row lock on PostgreSQL, the write
    lock on SQLite, both held to the commit), give the entry the next id, link and hash it."""
    taken = connection.execute(
        text("UPDATE audit_chain_head SET last_id = last_id WHERE id = :id"),
        {"id": audit_chain.HEAD_ID},
    ).rowcount
    if not taken:  # a schema made by create_all (benchmarks), not by the migrations
        connection.execute(
            text(
                "INSERT INTO audit_chain_head (id, last_id, last_hash) "
                "SELECT :id, COALESCE(MAX(id), 0), :genesis FROM audit_event"
            ),
            {"id": audit_chain.HEAD_ID, "genesis": audit_chain.GENESIS},
        )
    last_id, last_hash = connection.execute(
        text("SELECT last_id, last_hash FROM audit_chain_head WHERE id = :id"),
        {"id": audit_chain.HEAD_ID},
    ).one()
    entry.id = last_id + 1
    entry.at = entry.at or utcnow()
    entry.actor_name = entry.actor_name or "system"
    entry.prev_hash = last_hash
    entry.hash = audit_chain.entry_hash(_entry_dict(entry), last_hash)
    connection.execute(
        text("UPDATE audit_chain_head SET last_id = :last_id, last_hash = :hash WHERE id = :id"),
        {"last_id": entry.id, "hash": entry.hash, "id": audit_chain.HEAD_ID},
    )


def _entry_dict(entry) -> dict:
    return {key: getattr(entry, key) for key in (*audit_chain.FIELDS, "prev_hash", "hash")}


def verify_chain(batch: int = 1000) -> audit_chain.Verdict:
    """Check the whole trail against its hash chain (read in id order, in batches)."""
    from sqlalchemy import select

    from core.models import AuditChainHead

    head = db.session.get(AuditChainHead, audit_chain.HEAD_ID)
    head_values = {"last_id": head.last_id, "last_hash": head.last_hash} if head else None

    def entries():
        after = 0
        while True:
            rows = db.session.scalars(
                select(AuditEvent).where(AuditEvent.id > after).order_by(AuditEvent.id).limit(batch)
            ).all()
            if not rows:
                return
            for row in rows:
                yield _entry_dict(row)
            after = rows[-1].id
            db.session.expunge_all()

    return audit_chain.verify(entries(), head_values)
