"""Shared fixtures: the app on SQLite and (when TEST_DATABASE_URL is set) PostgreSQL, clients, users.

The schema is built by the real Alembic migrations once per database and session; each test
starts from empty tables.
"""

import atexit
import os
import shutil
import tempfile
from pathlib import Path

import pytest
from flask_migrate import upgrade
from sqlalchemy import create_engine, make_url, text

from core import create_app
from core.extensions import db as _db
from core.extensions import limiter
from tests import factories, support

BACKENDS = ["sqlite"] + (["postgresql"] if os.environ.get("TEST_DATABASE_URL") else [])
_TMP = Path(tempfile.mkdtemp(prefix="zjdes-tests-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)  # nothing left behind after the run


def database_url(backend: str) -> str:
    if backend == "postgresql":
        url = os.environ["TEST_DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
        return _worker_database(url)
    return f"sqlite:///{_TMP / 'test.db'}"


def _worker_database(url: str) -> str:
    """Under pytest-xdist each worker gets its own PostgreSQL database (created when missing)."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        exists = conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name})
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
    engine.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


def test_config(backend: str, **extra) -> dict:
    return {
        "TESTING": True,
        "SQLALCHEMY_DATABASE_URI": database_url(backend),
        "SECRET_KEY": "test-secret",
        "DATA_ENCRYPTION_KEY": "test-data-key",
        "WTF_CSRF_ENABLED": False,
        "RATELIMIT_LOGIN": "5 per minute",
        "RATELIMIT_STORAGE_URI": "memory://",
        **extra,
    }


def reset_schema(app) -> None:
    """Drop everything, then build the schema with the project's migrations."""
    with app.app_context():
        if app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql"):
            with _db.engine.begin() as conn:
                conn.execute(text("DROP SCHEMA public CASCADE"))
                conn.execute(text("CREATE SCHEMA public"))
        else:
            _db.engine.dispose()
            Path(app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")).unlink(
                missing_ok=True
            )
        upgrade(revision="heads")


def empty_tables(app) -> None:
    """Delete every row; the audit trail's append-only triggers are lifted for this only (on
    PostgreSQL for this transaction, on SQLite dropped and created again) and its chain restarts."""
    from core import audit_chain

    with app.app_context():
        _db.session.remove()
        tables = [t for t in reversed(_db.metadata.sorted_tables) if t.name != "audit_chain_head"]
        dialect = _db.engine.dialect.name
        with _db.engine.begin() as conn:
            if dialect == "postgresql":
                conn.execute(text("SET LOCAL session_replication_role = replica"))
            else:
                for statement in audit_chain.drop_statements(dialect):
                    conn.execute(text(statement))
            for table in tables:
                conn.execute(table.delete())
            conn.execute(
                text("UPDATE audit_chain_head SET last_id = 0, last_hash = :genesis"),
                {"genesis": audit_chain.GENESIS},
            )
            if dialect != "postgresql":
                for statement in audit_chain.trigger_statements(dialect):
                    conn.execute(text(statement))


@pytest.fixture(scope="session", params=BACKENDS)
def backend(request):
    return request.param


@pytest.fixture(scope="session")
def _app(backend):
    app = create_app(test_config(backend))
    reset_schema(app)
    return app


@pytest.fixture(autouse=True)
def _cheap_passwords(monkeypatch):
    """Argon2 with cheap parameters: the same code path, a fraction of the time per login."""
    support.fast_passwords(monkeypatch)


@pytest.fixture
def app(_app):
    empty_tables(_app)
    limiter.reset()
    with _app.app_context():
        yield _app
        _db.session.remove()


@pytest.fixture
def db(app):
    return _db


@pytest.fixture
def client(app):
    """A client whose every request runs in its own app context, as in production."""
    return support.isolated_client(app)


@pytest.fixture
def open_filing_window(app):
    """The quota filing window is open whatever today's date (use with pytest.mark.usefixtures)."""
    app.config["QUOTA_FILING_WINDOW"] = "open"
    yield
    app.config.pop("QUOTA_FILING_WINDOW", None)


@pytest.fixture
def all_units_wage(app):
    """The admin has entered the all-units (全口径) social average wage of the quota tests' data year
    2022, which the shipped data lacks (a test figure: the non-private series' 128,825)."""
    from decimal import Decimal

    from quota.services.year_settings import set_year_parameters

    set_year_parameters(2022, {"social_average_wage": Decimal("128825")})


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class Auth:
    """Log a test client in and out through the real login form."""

    def __init__(self, client):
        self.client = client

    def login(self, user, password=factories.PASSWORD):
        username = user if isinstance(user, str) else user.username
        response = self.client.post("/login", data={"username": username, "password": password})
        assert response.status_code == 302, response.data[:500]
        return response

    def logout(self):
        return self.client.post("/logout")


@pytest.fixture
def auth(client):
    return Auth(client)


def bearer(client, user, password=factories.PASSWORD) -> dict:
    """Authorization headers for the API, from the real token endpoint."""
    username = user if isinstance(user, str) else user.username
    response = client.post("/api/v1/auth/token", json={"username": username, "password": password})
    assert response.status_code == 200, response.json
    return {"Authorization": f"Bearer {response.json['access_token']}"}


@pytest.fixture
def api_headers(client):
    return lambda user: bearer(client, user)


@pytest.fixture
def admin(app):
    return factories.make_user("admin", username="admin_t")


@pytest.fixture
def counselor(app):
    return factories.make_user("counselor", username="counselor_t", county_code="330106")


@pytest.fixture
def other_counselor(app):
    return factories.make_user("counselor", username="counselor_far", county_code="330212")
