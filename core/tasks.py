"""Heavy jobs as tasks: run in this process, or on Celery workers when a broker is configured.

A job function is registered by name (`register("quota.execute_run", execute_run)`).
`enqueue(name, *args)` runs it at once, here, when `CELERY_BROKER_URL` is empty (the one-machine
default: the scheduler process runs its jobs itself), and otherwise only sends it to the broker's
queue (`CELERY_QUEUE`), where any worker (`celery -A core.celery_app worker`, see core/celery_app.py)
runs it inside a Flask app context.

`fan_out(part, parts, finish, ref_id)` splits a job into parts (e.g. one per city) that run side by
side on the workers: each part counts itself done or failed in its `task_fanout` row with one atomic
UPDATE ... RETURNING, and the part that completes the count calls `finish(ref_id, failed)` once.
Without a broker the parts run here, one after the other, and then the finish step, so both ways run
the same code. Parts must be safe to run again: a part whose worker died is delivered again
(acks late).
"""

import logging
import os
import socket
from collections.abc import Callable

from flask import current_app
from sqlalchemy import update

from core.extensions import db
from core.models import TaskFanout, utcnow

log = logging.getLogger(__name__)

TASKS: dict[str, Callable] = {}
RUN_TASK = "core.run"  # the Celery task names (core/celery_app.py)
PART_TASK = "core.run_part"
_clients: dict[str, object] = {}


def register(name: str, func: Callable) -> Callable:
    """Make `func` runnable as the task `name` (arguments must be JSON: ids, codes, numbers)."""
    TASKS[name] = func
    return func


def broker_url() -> str:
    return current_app.config.get("CELERY_BROKER_URL", "") or ""


def distributed() -> bool:
    """Whether heavy jobs go to Celery workers (a broker is configured) or run in this process."""
    return bool(broker_url())


def _client():
    """A Celery app used only to send tasks to the configured broker (cached per broker URL)."""
    url = broker_url()
    if url not in _clients:
        from celery import Celery

        client = Celery("service-sender", broker=url)
        client.conf.update(broker_connection_retry_on_startup=True, task_ignore_result=True)
        _clients[url] = client
    return _clients[url]


def _send(task: str, args: list) -> None:
    queue = current_app.config.get("CELERY_QUEUE") or "service"
    _client().send_task(task, args=args, queue=queue)


def enqueue(name: str, *args) -> object:
    """Run the job `name` here (no broker; its result is returned) or send it to the workers."""
    if name not in TASKS:
        raise KeyError(f"no task registered as {name!r}")
    if not distributed():
        return TASKS[name](*args)
    _send(RUN_TASK, [name, list(args)])
    return None


def fan_out(part: str, parts: list[tuple], finish: str, ref_id: int) -> int:
    """Run `part(*args)` for every args in `parts`, then `finish(ref_id, failed_parts)` once.

    Returns the number of failed parts when run here; 0 once sent to the workers.
    """
    for name in (part, finish):
        if name not in TASKS:
            raise KeyError(f"no task registered as {name!r}")
    if not distributed():
        failed = 0
        for args in parts:
            try:
                TASKS[part](*args)
                db.session.commit()
            except Exception:
                db.session.rollback()
                log.exception("Part %s%r failed", part, args)
                failed += 1
        TASKS[finish](ref_id, failed)
        return failed
    fan = TaskFanout(kind=part, ref_id=ref_id, parts=len(parts), done=0, failed=0)
    db.session.add(fan)
    db.session.commit()
    if not parts:
        _finish(fan.id, finish, ref_id, 0)
        return 0
    for args in parts:
        _send(PART_TASK, [fan.id, part, list(args), finish])
    return 0


def run_part(fanout_id: int, part: str, args: list, finish: str) -> None:
    """One part on a worker: run it, count it, and finish the job if it was the last one."""
    try:
        TASKS[part](*args)
        db.session.commit()
        column = "done"
    except Exception:
        db.session.rollback()
        log.exception("Part %s%r failed", part, args)
        column = "failed"
    t = TaskFanout.__table__
    row = db.session.execute(
        update(t)
        .where(t.c.id == fanout_id)
        .values({column: t.c[column] + 1})
        .returning(t.c.done, t.c.failed, t.c.parts, t.c.ref_id)
    ).one()
    db.session.commit()
    if row.done + row.failed == row.parts:
        _finish(fanout_id, finish, row.ref_id, row.failed)


def _finish(fanout_id: int, finish: str, ref_id: int, failed: int) -> None:
    db.session.execute(
        update(TaskFanout).where(TaskFanout.id == fanout_id).values(finished_at=utcnow())
    )
    db.session.commit()
    TASKS[finish](ref_id, failed)
    db.session.commit()


def worker_name() -> str:
    """This process's name for claims (the outbox), when run by a worker."""
    return f"celery:{socket.gethostname()[:30]}:{os.getpid()}"
