"""Database helpers shared by the services: SQLite pragmas, the service error type, and decisions
taken as conditional updates."""

from sqlalchemy import event, update


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


def decide_once(session, row, expected: dict, values: dict, field: str, message: str) -> None:
    """Apply a decision only if the row is still in the state it was decided from.

    One conditional UPDATE (... WHERE id = ? AND <expected>): when another person decided first,
    it changes nothing and the second decision answers 409 with `message` on `field`. On success the
    row object carries the new values too.
    """
    model = type(row)
    conditions = [
        getattr(model, key).is_(None) if value is None else getattr(model, key) == value
        for key, value in expected.items()
    ]
    stmt = (
        update(model)
        .where(model.id == row.id, *conditions)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if session.execute(stmt).rowcount != 1:
        session.rollback()
        raise ServiceError({field: [message]}, 409)
    for key, value in values.items():
        setattr(row, key, value)
