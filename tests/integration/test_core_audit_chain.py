"""Issue #14: the audit trail is append-only in the database, and hash-chained so that an edit or a
deletion made around the triggers is found by `flask audit verify`."""

import threading

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from core import audit_chain, services
from core.extensions import db as _db
from core.models import AuditEvent
from tests import factories


def _some_entries(count=3):
    people = [factories.make_person(county="330106") for _ in range(count)]
    for person in people:
        services.update_person(person, {"name": f"改名{person.id}"})
    ids = [e.id for e in _db.session.query(AuditEvent).order_by(AuditEvent.id)]
    _db.session.rollback()  # no lock of this session may stand in the way of the raw statements
    return ids


def _verify(runner):
    return runner.invoke(args=["audit", "verify"])


def _tamper(db, statement: str, **params):
    """Run a statement with the triggers out of the way, as someone with the owner's rights could."""
    dialect = db.engine.dialect.name
    with db.engine.begin() as conn:
        if dialect == "postgresql":
            conn.execute(text("SET LOCAL session_replication_role = replica"))
        else:
            for drop in audit_chain.drop_statements(dialect):
                conn.execute(text(drop))
        conn.execute(text(statement), params)
        if dialect != "postgresql":
            for create in audit_chain.trigger_statements(dialect):
                conn.execute(text(create))


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE audit_event SET actor_name = 'someone' WHERE id = :id",
        "DELETE FROM audit_event WHERE id = :id",
    ],
)
def test_the_database_refuses_update_and_delete(db, statement):
    ids = _some_entries(1)
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text(statement), {"id": ids[0]})
    assert db.session.scalar(text("SELECT count(*) FROM audit_event")) == len(ids)


def test_truncate_is_refused_on_postgresql(db):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("SQLite has no TRUNCATE")
    _some_entries(1)
    with pytest.raises(DatabaseError, match="append-only"), db.engine.begin() as conn:
        conn.execute(text("TRUNCATE audit_event"))


def test_verify_reports_an_intact_chain(db, runner):
    ids = _some_entries()
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert f"OK: {len(ids)} audit entries" in result.output


def test_every_entry_links_to_the_previous_one(db):
    _some_entries()
    rows = db.session.query(AuditEvent).order_by(AuditEvent.id).all()
    assert rows[0].prev_hash == audit_chain.GENESIS
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]
    assert [r.id for r in rows] == list(range(rows[0].id, rows[0].id + len(rows)))


def test_an_edited_entry_is_found(db, runner):
    ids = _some_entries()
    _tamper(db, "UPDATE audit_event SET actor_name = 'nobody' WHERE id = :id", id=ids[2])
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"BROKEN at audit entry {ids[2]}: the entry was changed" in result.output


def test_an_edited_json_value_is_found(db, runner):
    ids = _some_entries()
    _tamper(db, "UPDATE audit_event SET new = NULL WHERE id = :id", id=ids[1])
    assert f"entry {ids[1]}" in _verify(runner).output


def test_a_deleted_entry_is_found_at_the_next_one(db, runner):
    ids = _some_entries()
    _tamper(db, "DELETE FROM audit_event WHERE id = :id", id=ids[1])
    result = _verify(runner)
    assert result.exit_code == 1
    assert f"BROKEN at audit entry {ids[2]}: the previous entry is missing" in result.output


def test_a_deleted_last_entry_is_found_at_the_head(db, runner):
    ids = _some_entries()
    _tamper(db, "DELETE FROM audit_event WHERE id = :id", id=ids[-1])
    result = _verify(runner)
    assert result.exit_code == 1
    assert "removed" in result.output


def test_two_writers_do_not_fork_the_chain(app, db, runner):
    errors = []

    def writer(county):
        try:
            with app.app_context():
                for _ in range(8):
                    factories.make_person(county=county)  # no audit: a registration below
                    person = factories.make_person(county=county)
                    services.update_person(person, {"name": "并发"})
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)

    threads = [threading.Thread(target=writer, args=(c,)) for c in ("330106", "330212")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    result = _verify(runner)
    assert result.exit_code == 0, result.output
    assert "OK: 16 audit entries" in result.output


def test_the_documented_app_role_cannot_change_the_trail_on_postgresql(db):
    """The README's optional role: the app writes entries and moves the head, nothing else."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("roles are PostgreSQL's")
    ids = _some_entries(1)
    with db.engine.begin() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_roles WHERE rolname = 'zjdes_app_test'"))
        if not exists:
            conn.execute(text("CREATE ROLE zjdes_app_test NOLOGIN"))
        for grant in (
            "GRANT USAGE ON SCHEMA public TO zjdes_app_test",
            "GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO zjdes_app_test",
            "GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO zjdes_app_test",
            "REVOKE UPDATE, DELETE, TRUNCATE ON audit_event FROM zjdes_app_test",
        ):
            conn.execute(text(grant))
    for statement in (
        "UPDATE audit_event SET actor_name = 'x'",
        "DELETE FROM audit_event",
        "TRUNCATE audit_event",
    ):
        with (
            pytest.raises(DatabaseError, match="permission denied for table audit_event"),
            db.engine.begin() as conn,
        ):
            conn.execute(text("SET LOCAL ROLE zjdes_app_test"))
            conn.execute(text(statement))
    with db.engine.begin() as conn:  # appending still works under the role
        conn.execute(text("SET LOCAL ROLE zjdes_app_test"))
        conn.execute(
            text(
                "INSERT INTO audit_event (id, at, actor_name, action, table_name, row_id, "
                "prev_hash, hash) VALUES (:id, now(), 'x', 'x', 'x', '1', 'p', 'h')"
            ),
            {"id": ids[-1] + 100},
        )
