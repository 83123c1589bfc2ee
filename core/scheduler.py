"""The scheduler process (`flask --app wsgi scheduler`): periodic jobs, one active process at a time.

APScheduler 3 (BlockingScheduler) in Asia/Shanghai; times in the database are UTC. Every process
ticks: it tries to take or renew the lease (one row, `scheduler_lease`, taken with an atomic
UPDATE ... WHERE expires_at < now OR holder = me) and writes its heartbeat. Jobs run only in the
process that holds the lease; a second process stays idle until the lease expires.

With CELERY_BROKER_URL set the heavy jobs (the review, batch matching, message delivery) only enqueue
Celery tasks here and the workers run them (core/tasks.py, core/celery_app.py).

Jobs: the outbox delivery loop, plus each domain package's `<pkg>/jobs.py` JOBS list of dicts
{"id", "func", "trigger": "interval"|"cron", ...}. An interval's "seconds" may name a config key
(e.g. "SCHEDULER_TICK_SECONDS"). Cron jobs coalesce and have a misfire grace time; when a process
becomes the leader it runs, once, any cron job whose fire time passed since its last recorded run
(or in the last day, if it never ran): a scheduler that was down catches up once, not never and
not many times.
"""

import importlib
import importlib.util
import logging
import os
import secrets
import signal
import socket
import threading
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import click
from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import case, delete, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from core import outbox, tasks
from core.accounts import redact_expired
from core.extensions import db
from core.logmask import MaskingFilter
from core.models import SchedulerHeartbeat, SchedulerJobRun, SchedulerLease, utcnow

log = logging.getLogger(__name__)

TIMEZONE = ZoneInfo("Asia/Shanghai")
LEASE_NAME = "scheduler"
CRON_FIELDS = ("year", "month", "day", "week", "day_of_week", "hour", "minute", "second")
FIRST_RUN_LOOKBACK = timedelta(days=1)
TABLES = {
    model.__tablename__: model.__table__
    for model in (SchedulerLease, SchedulerHeartbeat, SchedulerJobRun)
}


def _table(name: str):
    """The scheduler's own tables (core.models)."""
    return TABLES[name]


def _write(stmt) -> int:
    rowcount = db.session.execute(stmt).rowcount
    db.session.commit()
    return rowcount


def _insert_once(table_name: str, /, **values) -> bool:
    """Insert a row; False if another process inserted the same key first."""
    try:
        db.session.execute(_table(table_name).insert().values(**values))
        db.session.commit()
        return True
    except IntegrityError:
        db.session.rollback()
        return False


def holder_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{secrets.token_hex(3)}"


# --- the lease ------------------------------------------------------------------------------------


def acquire_lease(holder: str, seconds: float, now: datetime | None = None) -> bool:
    """Take or renew the lease; True while this holder has it (atomic in one UPDATE)."""
    t, now = _table("scheduler_lease"), now or utcnow()
    expires = now + timedelta(seconds=seconds)
    stmt = (
        update(t)
        .where(t.c.name == LEASE_NAME, or_(t.c.expires_at < now, t.c.holder == holder))
        .values(
            holder=holder,
            expires_at=expires,
            acquired_at=case((t.c.holder == holder, t.c.acquired_at), else_=now),
        )
    )
    if _write(stmt) == 1:
        return True
    exists = db.session.scalar(select(func.count()).where(t.c.name == LEASE_NAME))
    db.session.rollback()
    if exists:
        return False
    return _insert_once(
        "scheduler_lease", name=LEASE_NAME, holder=holder, acquired_at=now, expires_at=expires
    )


def release_lease(holder: str) -> None:
    t = _table("scheduler_lease")
    _write(
        update(t).where(t.c.name == LEASE_NAME, t.c.holder == holder).values(expires_at=utcnow())
    )


def lease_row():
    t = _table("scheduler_lease")
    return db.session.execute(select(t).where(t.c.name == LEASE_NAME)).first()


def beat(holder: str, leader: bool, started_at: datetime) -> None:
    """Record this process's heartbeat (one row per process)."""
    t, now = _table("scheduler_heartbeat"), utcnow()
    if _write(update(t).where(t.c.holder == holder).values(beat_at=now, leader=leader)) == 0:
        _insert_once(
            "scheduler_heartbeat", holder=holder, started_at=started_at, beat_at=now, leader=leader
        )


def record_run(job_id: str, holder: str, status: str, error: str | None = None) -> None:
    t, now = _table("scheduler_job_run"), utcnow()
    values = {"last_run_at": now, "last_status": status, "last_error": error, "holder": holder}
    stmt = update(t).where(t.c.job_id == job_id).values(runs=t.c.runs + 1, **values)
    if _write(stmt) == 0:
        _insert_once("scheduler_job_run", job_id=job_id, runs=1, **values)


def last_run(job_id: str) -> datetime | None:
    t = _table("scheduler_job_run")
    value = db.session.scalar(select(t.c.last_run_at).where(t.c.job_id == job_id))
    db.session.rollback()
    return value


# --- triggers and catch-up (pure) ---------------------------------------------------------------


def make_trigger(job: dict, config) -> IntervalTrigger | CronTrigger:
    """The APScheduler trigger of a job dict, in Asia/Shanghai."""
    if job["trigger"] == "interval":
        seconds = job.get("seconds", 60)
        seconds = float(config[seconds]) if isinstance(seconds, str) else float(seconds)
        return IntervalTrigger(seconds=seconds, timezone=TIMEZONE)
    if job["trigger"] == "cron":
        return CronTrigger(timezone=TIMEZONE, **{k: job[k] for k in CRON_FIELDS if k in job})
    raise ValueError(f"unknown trigger {job['trigger']!r} for job {job['id']}")


def missed_fire_time(trigger, last_run_utc: datetime | None, now_utc: datetime) -> datetime | None:
    """The first fire time after the last run (naive UTC) if it has passed: the run to catch up."""
    since = last_run_utc or (now_utc - FIRST_RUN_LOOKBACK)
    since = since.replace(tzinfo=UTC) + timedelta(microseconds=1)
    now = now_utc.replace(tzinfo=UTC)
    fire = trigger.get_next_fire_time(None, since)
    return fire if fire is not None and fire <= now else None


# --- the jobs -------------------------------------------------------------------------------------


def package_jobs() -> list[dict]:
    """The JOBS of every domain package that has a jobs.py."""
    from core import DOMAIN_PACKAGES

    jobs = []
    for package in DOMAIN_PACKAGES:
        try:
            found = importlib.util.find_spec(f"{package}.jobs")
        except ModuleNotFoundError:
            found = None
        if found:
            jobs.extend(importlib.import_module(f"{package}.jobs").JOBS)
    return jobs


class Runner:
    """One scheduler process: its lease, heartbeat and APScheduler instance."""

    def __init__(self, app, tick: float | None = None):
        self.app = app
        self.tick_seconds = float(tick or app.config["SCHEDULER_TICK_SECONDS"])
        self.lease_seconds = float(app.config["SCHEDULER_LEASE_SECONDS"])
        self.holder = holder_id()
        self.started_at = utcnow()
        self.leader = False
        self.stopping = False
        self._lock = threading.Lock()  # a renewal never overtakes the release at shutdown
        self.lease_until: datetime | None = None
        self.jobs: list[dict] = []
        self.scheduler = BlockingScheduler(
            timezone=TIMEZONE,
            executors={"default": ThreadPoolExecutor(4)},
            job_defaults={
                "coalesce": True,
                "max_instances": 1,
                "misfire_grace_time": int(app.config["SCHEDULER_MISFIRE_GRACE_SECONDS"]),
            },
        )

    # The lease, checked at every job start and renewed at every tick.
    def renew(self) -> bool:
        with self._lock:
            if self.stopping:
                return False
            now = utcnow()
            held = acquire_lease(self.holder, self.lease_seconds, now)
            self.lease_until = now + timedelta(seconds=self.lease_seconds) if held else None
            return held

    def lease_valid(self) -> bool:
        """Whether this process may go on acting, by its own clock (with a safety margin)."""
        if self.lease_until is None:
            return False
        return utcnow() < self.lease_until - timedelta(seconds=self.lease_seconds / 4)

    def tick(self) -> None:
        if self.stopping:
            return
        with self.app.app_context():
            try:
                held = self.renew()
                became, lost = held and not self.leader, self.leader and not held
                self.leader = held
                beat(self.holder, held, self.started_at)
                if became:
                    log.info("Scheduler %s now holds the lease", self.holder)
                    prune_heartbeats()
                    self.catch_up()
                if lost:
                    log.warning("Scheduler %s lost the lease; standing by", self.holder)
            except Exception:
                log.exception("Scheduler tick failed")
                db.session.rollback()
            finally:
                db.session.remove()

    def catch_up(self) -> None:
        """Run once, now, each cron job whose fire time passed while no scheduler ran it."""
        now = utcnow()
        for job in self.jobs:
            if job["trigger"] != "cron":
                continue
            missed = missed_fire_time(make_trigger(job, self.app.config), last_run(job["id"]), now)
            if missed is not None and self.scheduler.get_job(job["id"]) is not None:
                log.info("Catching up %s (missed %s)", job["id"], missed.isoformat())
                self.scheduler.modify_job(job["id"], next_run_time=datetime.now(TIMEZONE))

    def deliver(self) -> None:
        if tasks.distributed():  # the workers deliver; claims keep each message to one of them
            tasks.enqueue("core.deliver_outbox")
            return
        counts = outbox.deliver_due(self.holder, keep_going=self.lease_valid)
        if counts:
            log.info("Outbox: %s", dict(counts))

    def guarded(self, job_id: str, func):
        """The job as run by APScheduler: in an app context, only while holding the lease."""

        def run():
            with self.app.app_context():
                try:
                    if not self.renew():
                        return
                    func()
                    record_run(job_id, self.holder, "ok")
                except Exception as error:
                    log.exception("Job %s failed", job_id)
                    db.session.rollback()
                    record_run(job_id, self.holder, "error", repr(error)[:300])
                finally:
                    db.session.remove()

        return run

    def add_jobs(self) -> None:
        tick = {"id": "outbox.deliver", "func": self.deliver, "trigger": "interval"}
        expire = {"id": "core.expire_codes", "func": redact_expired, "trigger": "interval"}
        self.jobs = [
            {**tick, "seconds": self.tick_seconds},
            {**expire, "seconds": 600},
            *package_jobs(),
        ]
        only = [
            p.strip() for p in self.app.config.get("SCHEDULER_JOBS", "").split(",") if p.strip()
        ]
        if only:  # e.g. "outbox.,followup." runs just those jobs (tests, split deployments)
            self.jobs = [job for job in self.jobs if job["id"].startswith(tuple(only))]
        start = datetime.now(TIMEZONE)
        for job in self.jobs:
            trigger = make_trigger(job, self.app.config)
            extra = {"next_run_time": start} if job["trigger"] == "interval" else {}
            run = self.guarded(job["id"], job["func"])
            self.scheduler.add_job(run, trigger, id=job["id"], name=job["id"], **extra)
        every = IntervalTrigger(seconds=self.tick_seconds, timezone=TIMEZONE)
        self.scheduler.add_job(self.tick, every, id="scheduler.tick", next_run_time=start)

    def stop(self, *_args) -> None:
        self.stopping = True
        if self.scheduler.running:
            self.scheduler.shutdown(wait=False)

    def run(self, run_for: float | None = None) -> None:
        self.add_jobs()
        signal.signal(signal.SIGTERM, self.stop)
        signal.signal(signal.SIGINT, self.stop)
        if run_for:
            timer = threading.Timer(run_for, self.stop)
            timer.daemon = True
            timer.start()
        log.info("Scheduler %s starting (tick %.2f s)", self.holder, self.tick_seconds)
        try:
            self.scheduler.start()
        finally:
            self.shutdown()

    def shutdown(self) -> None:
        self.stopping = True
        with self.app.app_context(), self._lock:
            release_lease(self.holder)
            beat(self.holder, False, self.started_at)
            db.session.remove()
        log.info("Scheduler %s stopped", self.holder)


def prune_heartbeats(older_than: timedelta = timedelta(days=1)) -> int:
    t = _table("scheduler_heartbeat")
    return _write(delete(t).where(t.c.beat_at < utcnow() - older_than))


def _configure_logging(app) -> None:
    from flask.logging import default_handler

    app.logger.removeHandler(default_handler)  # the root handler below prints each line once
    logging.basicConfig(
        level=logging.INFO,
        format="%(asctime)s %(levelname)s [scheduler %(process)d] %(name)s: %(message)s",
    )
    for handler in logging.getLogger().handlers:
        handler.addFilter(MaskingFilter())
    logging.getLogger("apscheduler").setLevel(logging.WARNING)


@click.command("scheduler")
@click.option("--tick", type=float, default=None, help="Seconds between ticks (default: config).")
@click.option("--run-for", type=float, default=None, help="Stop after this many seconds.")
@with_appcontext
def scheduler_command(tick, run_for):
    """Run the background jobs (outbox delivery, follow-ups, package jobs) until stopped."""
    app = current_app._get_current_object()
    _configure_logging(app)
    if not app.config.get("SMTP_HOST"):
        log.warning("SMTP_HOST is not set: e-mail is not sent; follow-ups go to the in-app inbox.")
    Runner(app, tick).run(run_for)
