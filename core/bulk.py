"""Bulk statements for the set-based jobs (the quota review): many rows, few round trips.

PostgreSQL gets `= ANY(array)` for long value lists (one parameter instead of thousands) and COPY for
inserts; SQLite gets the plain IN list and a multi-row insert.

`writer()` gives a job its writes' own lane: on PostgreSQL a thread with a connection of its own runs
the write jobs in order, each committed, while the job goes on reading and computing (the database
writes on the other core); on SQLite the jobs run at once in the caller's session.
"""

import logging
import queue
import sys
import threading
from collections.abc import Callable
from contextlib import contextmanager
from operator import itemgetter

import orjson
from flask import current_app
from sqlalchemy import JSON, any_, bindparam, insert, text
from sqlalchemy.dialects.postgresql import ARRAY

from core.extensions import db

log = logging.getLogger(__name__)
# While a background writer runs, the thread holding the GIL gives it up after this many seconds
# (CPython's default is 0.005): the writer, back from the database, waits less to go on.
WRITER_SWITCH_INTERVAL = 0.002


def _is_postgresql(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def in_values(session, column, values: list):
    """A condition `column IN values`, sent as one array parameter on PostgreSQL."""
    if _is_postgresql(session):
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


def insert_rows(session, table, rows: list[dict]) -> None:
    """Insert many rows (dicts keyed by column name) in the session's transaction.

    On PostgreSQL the rows are streamed with COPY; JSON columns are serialised here (orjson).
    """
    if not rows:
        return
    if not _is_postgresql(session):
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    values_of = itemgetter(*names)
    json_at = [i for i, name in enumerate(names) if isinstance(table.c[name].type, JSON)]
    quoted = ", ".join(f'"{name}"' for name in names)
    raw = session.connection().connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            values = list(values_of(row)) if len(names) > 1 else [values_of(row)]
            for i in json_at:
                if values[i] is not None:
                    values[i] = orjson.dumps(values[i], option=orjson.OPT_NON_STR_KEYS).decode()
            copy.write_row(values)


def update_rows(session, table, key: str, rows: dict[str, list]) -> None:
    """Set per-row values in one statement: rows maps column names to equal-length lists, `key`
    (e.g. "id") naming the column that picks the row.

    On PostgreSQL this is one UPDATE ... FROM unnest(arrays) (one round trip, one plan, whatever
    the number of rows) that skips rows already holding their values; each array is sent as the
    text of an array literal, which the server parses far faster than the driver adapts a list.
    Elsewhere an executemany.
    """
    names = list(rows)
    count = len(rows[key])
    if not count:
        return
    if not _is_postgresql(session):
        others = [name for name in names if name != key]
        stmt = (
            table.update()
            .where(table.c[key] == bindparam("_key"))
            .values({name: bindparam(f"_{name}") for name in others})
        )
        params = [
            {"_key": rows[key][i], **{f"_{name}": rows[name][i] for name in others}}
            for i in range(count)
        ]
        session.execute(stmt, params)
        return

    columns = ", ".join(f'"{name}"' for name in names)
    arrays = ", ".join(
        f"CAST(:{name} AS {table.c[name].type.compile(session.get_bind().dialect)}[])"
        for name in names
    )
    others = [name for name in names if name != key]
    sets = ", ".join(f'"{name}" = v."{name}"' for name in others)
    # A row already holding the values is left alone: no dead row version, no index entries.
    changed = " OR ".join(f't."{name}" IS DISTINCT FROM v."{name}"' for name in others)
    session.execute(
        text(
            f'UPDATE "{table.name}" AS t SET {sets} FROM unnest({arrays}) AS v({columns}) '
            f'WHERE t."{key}" = v."{key}" AND ({changed})'
        ),
        {name: array_literal(rows[name]) for name in names},
    )


def array_literal(values) -> str:
    """The text of a PostgreSQL array literal of the values (None as NULL, booleans as t/f,
    numbers as they are, anything else quoted with its backslashes and quotes escaped)."""
    return "{" + ",".join(map(_element, values)) + "}"


def _element(value) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "t" if value else "f"
    if isinstance(value, int):
        return str(value)
    return '"' + str(value).replace("\\", "\\\\").replace('"', '\\"') + '"'


# --- a lane for the writes of a long job ---------------------------------------------------------


class InlineWriter:
    """Write jobs run at once, in the caller's session and transaction (nothing committed here)."""

    def submit(self, job: Callable, *args) -> None:
        job(*args)

    def close(self) -> None:
        """Nothing to wait for."""


class BackgroundWriter:
    """Write jobs run in order on a thread with its own app context, session and connection, each
    job committed as it ends. The first failure stops the rest: they are skipped, and `submit` and
    `close` raise it. The caller must not hold uncommitted writes a job could wait for (commit
    before submitting), and must not expect its reads to see a job's writes before `close`.
    """

    def __init__(self, app, depth: int = 64):
        self._app = app
        self._jobs: queue.Queue = queue.Queue(maxsize=depth)  # bounded: rows waiting cost memory
        self._error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="bulk-writer", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        with self._app.app_context():
            while (item := self._jobs.get()) is not None:
                if self._error is not None:
                    continue  # drained, not run: the writes after a failure would build on it
                job, args = item
                try:
                    job(*args)
                    db.session.commit()
                except BaseException as error:  # handed to the caller by submit or close
                    db.session.rollback()
                    log.exception("A background write job failed")
                    self._error = error

    def _raise(self) -> None:
        if self._error is not None:
            raise RuntimeError(f"a background write failed: {self._error}") from self._error

    def submit(self, job: Callable, *args) -> None:
        self._raise()
        self._jobs.put((job, args))

    def close(self) -> None:
        """Wait for every job submitted; raise the first failure."""
        if self._thread.is_alive():
            self._jobs.put(None)
            self._thread.join()
        self._raise()


@contextmanager
def writer():
    """A writer for a long job's writes: in the background on PostgreSQL, inline on SQLite (where a
    second connection would wait for the caller's locks). Closed, and its failure raised, on exit."""
    if not _is_postgresql(db.session):
        yield InlineWriter()
        return
    lane = BackgroundWriter(current_app._get_current_object())
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, WRITER_SWITCH_INTERVAL))
    try:
        yield lane
    except BaseException:
        lane.close()  # the jobs already submitted still end (and commit) before the error goes on
        raise
    else:
        lane.close()
    finally:
        sys.setswitchinterval(interval)
