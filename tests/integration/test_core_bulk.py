"""core.bulk on both databases: per-row updates sent as array literals, COPY of JSON rows, and the
writer that stores a long job's writes in order (in the background on PostgreSQL)."""

import pytest
from sqlalchemy import JSON, Boolean, Column, Integer, MetaData, String, Table, select, text

from core import bulk
from core.extensions import db

PROBE = Table(
    "bulk_probe",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("label", String(80)),
    Column("flag", Boolean),
    Column("data", JSON),
)
AWKWARD = ['a "quoted" word', "back\\slash", "comma, {brace}", "NULL", "", "残疾人", None]


@pytest.fixture
def probe(app):
    PROBE.drop(db.engine, checkfirst=True)
    PROBE.create(db.engine)
    yield PROBE
    db.session.rollback()
    PROBE.drop(db.engine, checkfirst=True)


def _rows():
    return [dict(r._mapping) for r in db.session.execute(select(PROBE).order_by(PROBE.c.id))]


def test_update_rows_sets_each_row_its_own_values_whatever_the_text(probe):
    ids = list(range(1, len(AWKWARD) + 1))
    bulk.insert_rows(
        db.session, probe, [{"id": i, "label": "x", "flag": False, "data": None} for i in ids]
    )
    flags = [i % 2 == 0 for i in ids]
    bulk.update_rows(db.session, probe, "id", {"id": ids, "label": AWKWARD, "flag": flags})
    rows = _rows()
    assert [r["label"] for r in rows] == AWKWARD
    assert [r["flag"] for r in rows] == flags


def test_array_literal_is_read_back_as_the_same_values(app):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("array literals are PostgreSQL's")
    literal = bulk.array_literal(AWKWARD)
    assert db.session.scalar(text("SELECT CAST(:a AS text[])"), {"a": literal}) == AWKWARD
    assert db.session.scalar(
        text("SELECT CAST(:a AS int[])"), {"a": bulk.array_literal([3, -1, None])}
    ) == [3, -1, None]


def test_insert_rows_stores_json_as_given(probe):
    data = {"来源": "官方", "weights": ["2", "1.5"], "n": 3, "none": None}
    bulk.insert_rows(db.session, probe, [{"id": 1, "label": "a", "flag": True, "data": data}])
    assert _rows()[0]["data"] == data


def test_the_writer_runs_jobs_in_order_and_commits_them(probe):
    db.session.commit()

    def add(i):
        bulk.insert_rows(
            db.session, probe, [{"id": i, "label": f"row {i}", "flag": None, "data": None}]
        )

    def relabel(i):
        db.session.execute(probe.update().where(probe.c.id == i).values(label="changed"))

    with bulk.writer() as writer:
        for i in range(1, 4):
            writer.submit(add, i)
        writer.submit(relabel, 2)
    db.session.commit()  # a new transaction: what the writer committed is seen
    assert [r["label"] for r in _rows()] == ["row 1", "changed", "row 3"]


def test_a_failing_job_stops_the_ones_after_it_and_is_raised(probe):
    db.session.commit()
    if db.engine.dialect.name != "postgresql":
        pytest.skip("inline on SQLite: the caller's own transaction")

    def add(i):
        bulk.insert_rows(db.session, probe, [{"id": i, "label": "", "flag": None, "data": None}])

    with pytest.raises(RuntimeError, match="background write failed"), bulk.writer() as writer:
        writer.submit(add, 1)
        writer.submit(add, 1)  # the same key again: refused
        writer.submit(add, 2)  # after the failure: not run
    db.session.commit()
    assert [r["id"] for r in _rows()] == [1]
