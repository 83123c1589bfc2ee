"""Database helpers shared by the services: SQLite pragmas and the service error type."""

from sqlalchemy import event


def enable_sqlite_pragmas(engine) -> None:
    """WAL mode, foreign keys on, and a busy timeout for every SQLite connection."""

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()

    engine.dispose()


class ServiceError(Exception):
    """A use case refused: field-level messages (already translated) and an HTTP-ish status."""

    def __init__(self, errors: dict[str, list[str]], status: int = 422):
        super().__init__(errors)
        self.errors = errors
        self.status = status
