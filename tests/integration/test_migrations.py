"""The migrations build, from an empty database, exactly the schema the models describe."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from core.config import BASE_DIR


def _diff(db):
    with db.engine.connect() as conn:
        context = MigrationContext.configure(
            conn, opts={"compare_type": True, "compare_server_default": False}
        )
        return compare_metadata(context, db.metadata)


def test_migrated_schema_matches_the_models(db):
    """`upgrade heads` (run by the conftest on this backend) leaves nothing for autogenerate."""
    assert _diff(db) == []


def test_every_model_table_exists(db):
    tables = set(inspect(db.engine).get_table_names())
    assert {t.name for t in db.metadata.sorted_tables} <= tables
    assert {"person", "employer", "user_account", "audit_event", "alembic_version"} <= tables


def test_database_is_at_every_head(db):
    """Each package's branch is applied up to its newest revision."""
    scripts = ScriptDirectory(str(BASE_DIR / "migrations"))
    with db.engine.connect() as conn:
        current = set(MigrationContext.configure(conn).get_current_heads())
    assert current == set(scripts.get_heads())
    assert "core_0001" in {s.revision for s in scripts.walk_revisions()}


def test_constraints_of_the_registries_are_in_the_database(db):
    inspector = inspect(db.engine)
    person_unique = {tuple(u["column_names"]) for u in inspector.get_unique_constraints("person")}
    assert {("id_index",), ("cert_index",)} <= person_unique
    checks = {c["name"] for c in inspector.get_check_constraints("person")}
    assert {"ck_person_category_range", "ck_person_level_range"} <= checks
    user_unique = {
        tuple(u["column_names"]) for u in inspector.get_unique_constraints("user_account")
    }
    assert ("username",) in user_unique
