"""Heavy jobs as tasks: run here without a broker; with one, sent and counted in task_fanout."""

import pytest
from sqlalchemy import select

from core import tasks
from core.models import TaskFanout


@pytest.fixture
def registry(monkeypatch):
    calls = []
    monkeypatch.setattr(tasks, "TASKS", dict(tasks.TASKS))

    def part(name, fail=False):
        calls.append(("part", name))
        if fail:
            raise RuntimeError(f"part {name} broke")

    tasks.register("test.part", part)
    tasks.register("test.finish", lambda ref_id, failed: calls.append(("finish", ref_id, failed)))
    tasks.register("test.job", lambda x: calls.append(("job", x)) or x * 2)
    return calls


@pytest.fixture
def broker(app, monkeypatch):
    """A configured broker whose messages are kept here instead of being sent."""
    sent = []
    app.config["CELERY_BROKER_URL"] = "amqp://guest:guest@127.0.0.1:5672//"
    monkeypatch.setattr(tasks, "_send", lambda task, args: sent.append((task, args)))
    yield sent
    app.config["CELERY_BROKER_URL"] = ""


def test_without_a_broker_jobs_and_parts_run_here(app, db, registry):
    app.config["CELERY_BROKER_URL"] = ""
    assert not tasks.distributed()
    assert tasks.enqueue("test.job", 21) == 42
    failed = tasks.fan_out("test.part", [("a",), ("b", True), ("c",)], "test.finish", 7)
    assert failed == 1
    assert registry == [
        ("job", 21),
        ("part", "a"),
        ("part", "b"),
        ("part", "c"),
        ("finish", 7, 1),
    ]
    assert db.session.scalar(select(TaskFanout)) is None  # nothing to count across processes


def test_with_a_broker_jobs_are_only_sent(app, db, registry, broker):
    assert tasks.distributed()
    assert tasks.enqueue("test.job", 21) is None
    assert broker == [(tasks.RUN_TASK, ["test.job", [21]])] and registry == []
    with pytest.raises(KeyError):
        tasks.enqueue("test.unknown")


def test_the_part_that_completes_the_count_finishes_the_job_once(app, db, registry, broker):
    tasks.fan_out("test.part", [("a",), ("b", True), ("c",)], "test.finish", 7)
    fan = db.session.scalar(select(TaskFanout))
    assert (fan.kind, fan.ref_id, fan.parts, fan.done, fan.failed) == ("test.part", 7, 3, 0, 0)
    assert [task for task, _args in broker] == [tasks.PART_TASK] * 3
    for _task, args in broker:  # as the workers would, in any order
        tasks.run_part(*args)
    db.session.expire_all()
    fan = db.session.get(TaskFanout, fan.id)
    assert (fan.done, fan.failed) == (2, 1) and fan.finished_at is not None
    assert registry.count(("finish", 7, 1)) == 1 and registry[-1] == ("finish", 7, 1)


def test_a_job_with_no_parts_finishes_at_once(app, db, registry, broker):
    tasks.fan_out("test.part", [], "test.finish", 9)
    assert registry == [("finish", 9, 0)] and broker == []


def test_the_scheduler_only_enqueues_delivery_when_a_broker_is_set(app, db, broker, monkeypatch):
    from core import outbox
    from core.scheduler import Runner

    monkeypatch.setattr(
        outbox, "deliver_due", lambda *a, **k: pytest.fail("delivered in the scheduler")
    )
    Runner(app).deliver()
    assert broker == [(tasks.RUN_TASK, ["core.deliver_outbox", []])]
