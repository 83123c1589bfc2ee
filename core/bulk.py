"""Bulk statements for the set-based jobs (the quota review): many rows, few round trips.

PostgreSQL gets `= ANY(array)` for long value lists (one parameter instead of thousands) and COPY for
inserts; SQLite gets the plain IN list and a multi-row insert.
"""

import json

from sqlalchemy import JSON, any_, bindparam, insert, text
from sqlalchemy.dialects.postgresql import ARRAY


def _is_postgresql(session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def in_values(session, column, values: list):
    """A condition `column IN values`, sent as one array parameter on PostgreSQL."""
    if _is_postgresql(session):
        return column == any_(bindparam(None, list(values), type_=ARRAY(column.type)))
    return column.in_(values)


def insert_rows(session, table, rows: list[dict]) -> None:
    """Insert many rows (dicts keyed by column name) in the session's transaction.

    On PostgreSQL the rows are streamed with COPY; JSON columns are serialised here.
    """
    if not rows:
        return
    if not _is_postgresql(session):
        session.execute(insert(table), rows)
        return
    names = list(rows[0])
    json_columns = {name for name in names if isinstance(table.c[name].type, JSON)}
    quoted = ", ".join(f'"{name}"' for name in names)
    raw = session.connection().connection.dbapi_connection
    with raw.cursor() as cursor, cursor.copy(f'COPY "{table.name}" ({quoted}) FROM STDIN') as copy:
        for row in rows:
            copy.write_row(
                [
                    json.dumps(row[name], ensure_ascii=False)
                    if name in json_columns and row[name] is not None
                    else row[name]
                    for name in names
                ]
            )


def update_rows(session, table, key: str, rows: dict[str, list]) -> None:
    """Set per-row values in one statement: rows maps column names to equal-length lists, `key`
    (e.g. "id") naming the column that picks the row.

    On PostgreSQL this is one UPDATE ... FROM unnest(arrays) (one round trip, one plan, whatever
    the number of rows) that skips rows already holding their values; elsewhere an executemany.
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
        {name: list(rows[name]) for name in names},
    )
