"""The audit trail's hash chain and the database triggers that keep it append-only (pure: no Flask).

Every audit entry carries `prev_hash` (the previous entry's hash; GENESIS for the first) and
`hash` = SHA-256 over the entry's canonical JSON (id, time, actor, action, table, row, old and new
values) followed by `prev_hash`. Ids are consecutive and given by the chain head, a single row
(`audit_chain_head`) that every writer updates before it appends: on PostgreSQL that row lock, on
SQLite the database write lock, serialises writers until their commit, so two writers never fork the
chain. An edited entry no longer matches its hash; a deleted one breaks the next entry's prev_hash
(or, at the end, the head's last hash): `flask --app wsgi audit verify` names the first broken entry.

The chain makes tampering detectable, not impossible: someone who can drop the triggers and rewrite
every later hash and the head can hide a change. The triggers (both databases) and, on PostgreSQL,
an application role without UPDATE/DELETE/TRUNCATE on audit_event (README, deployment) are what
refuse the change in the first place.
"""

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

GENESIS = "0" * 64
HEAD_ID = 1

# Canonical field order of an entry; `at` is written as ISO 8601 (microseconds as stored).
FIELDS = ("id", "at", "actor_id", "actor_name", "action", "table_name", "row_id", "old", "new")


def _json_value(value):
    """A JSON column's value as the database gives it back (keys as text, tuples as lists)."""
    return None if value is None else json.loads(json.dumps(value, default=str))


def canonical(entry: dict) -> str:
    values = {key: entry.get(key) for key in FIELDS}
    at = values["at"]
    values["at"] = at.isoformat(timespec="microseconds") if isinstance(at, datetime) else at
    values["old"], values["new"] = _json_value(values["old"]), _json_value(values["new"])
    return json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def entry_hash(entry: dict, prev_hash: str) -> str:
    return hashlib.sha256((canonical(entry) + prev_hash).encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Verdict:
    ok: bool
    checked: int
    broken_id: int | None = None
    reason: str = ""


def verify(entries: Iterable[dict], head: dict | None) -> Verdict:
    """Walk the entries in id order: each must link to the previous one and match its hash; the
    last must be the head's (a deleted tail is found there)."""
    prev, checked, last_id = GENESIS, 0, 0
    for entry in entries:
        if entry["prev_hash"] != prev:
            return Verdict(False, checked, entry["id"], "the previous entry is missing or changed")
        if entry["hash"] != entry_hash(entry, prev):
            return Verdict(False, checked, entry["id"], "the entry was changed")
        prev, last_id, checked = entry["hash"], entry["id"], checked + 1
    head_hash = head["last_hash"] if head else GENESIS
    head_id = head["last_id"] if head else 0
    if (head_hash, head_id) != (prev, last_id):
        return Verdict(False, checked, head_id, "entries after the last one found were removed")
    return Verdict(True, checked)


# --- triggers ------------------------------------------------------------------------------------
# Refuse UPDATE and DELETE on audit_event (and TRUNCATE on PostgreSQL), whoever asks.

POSTGRESQL_TRIGGERS = (
    """
    CREATE OR REPLACE FUNCTION audit_event_append_only() RETURNS trigger AS $$
    BEGIN
        RAISE EXCEPTION 'audit_event is append-only: % refused', TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END;
    $$ LANGUAGE plpgsql
    """,
    """
    CREATE TRIGGER audit_event_no_update_delete BEFORE UPDATE OR DELETE ON audit_event
    FOR EACH ROW EXECUTE FUNCTION audit_event_append_only()
    """,
    """
    CREATE TRIGGER audit_event_no_truncate BEFORE TRUNCATE ON audit_event
    FOR EACH STATEMENT EXECUTE FUNCTION audit_event_append_only()
    """,
)
POSTGRESQL_DROP = (
    "DROP TRIGGER IF EXISTS audit_event_no_truncate ON audit_event",
    "DROP TRIGGER IF EXISTS audit_event_no_update_delete ON audit_event",
    "DROP FUNCTION IF EXISTS audit_event_append_only()",
)
SQLITE_TRIGGERS = (
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_update BEFORE UPDATE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: UPDATE refused'); END
    """,
    """
    CREATE TRIGGER IF NOT EXISTS audit_event_no_delete BEFORE DELETE ON audit_event
    BEGIN SELECT RAISE(ABORT, 'audit_event is append-only: DELETE refused'); END
    """,
)
SQLITE_DROP = (
    "DROP TRIGGER IF EXISTS audit_event_no_update",
    "DROP TRIGGER IF EXISTS audit_event_no_delete",
)


def trigger_statements(dialect: str) -> tuple[str, ...]:
    return POSTGRESQL_TRIGGERS if dialect == "postgresql" else SQLITE_TRIGGERS


def drop_statements(dialect: str) -> tuple[str, ...]:
    return POSTGRESQL_DROP if dialect == "postgresql" else SQLITE_DROP
