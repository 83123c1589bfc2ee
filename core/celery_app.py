"""The Celery app of the workers, for a deployment that outgrows one machine (docs/DEPLOYMENT.md).

    CELERY_BROKER_URL=amqp://guest:guest@broker:5672// DATABASE_URL=postgresql://... \
        celery -A core.celery_app worker --concurrency 2 --hostname worker1@%h

The workers run the heavy jobs the scheduler enqueues (core/tasks.py): the annual review split by
city, batch matching split by city, and message delivery. Each task runs inside a Flask app context
of an app built once per worker process from the same environment as the web nodes. The broker is
one the deployment already has: RabbitMQ (amqp://) or Redis (redis://). No result backend is
needed: the parts count themselves in the database (core.models.TaskFanout).
"""

import os

from celery import Celery, Task

_flask_app = None


def flask_app():
    """The worker process's Flask app (built on first use, after any fork)."""
    global _flask_app
    if _flask_app is None:
        from core import create_app
        from core.scheduler import package_jobs

        _flask_app = create_app()
        with _flask_app.app_context():
            package_jobs()  # imports every package's jobs, which register their tasks
    return _flask_app


class FlaskTask(Task):
    """A task run inside a Flask app context, its database session removed afterwards."""

    def __call__(self, *args, **kwargs):
        from core.extensions import db

        with flask_app().app_context():
            try:
                return super().__call__(*args, **kwargs)
            finally:
                db.session.remove()


celery = Celery(
    "service",
    broker=os.environ.get("CELERY_BROKER_URL") or "amqp://guest:guest@127.0.0.1:5672//",
    task_cls=FlaskTask,
)
celery.conf.update(
    task_default_queue=os.environ.get("CELERY_QUEUE") or "service",
    task_ignore_result=True,
    task_acks_late=True,  # a part whose worker died is delivered again (parts are idempotent)
    worker_prefetch_multiplier=1,  # long tasks: a free worker takes the next part, not a busy one
    broker_connection_retry_on_startup=True,
    worker_hijack_root_logger=False,
)
app = celery  # `celery -A core.celery_app` finds it


@celery.task(name="core.run")
def run(name: str, args: list) -> None:
    from core import tasks

    tasks.TASKS[name](*args)


@celery.task(name="core.run_part")
def run_part(fanout_id: int, part: str, args: list, finish: str) -> None:
    from core import tasks

    tasks.run_part(fanout_id, part, args, finish)
