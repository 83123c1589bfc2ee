"""The heavy jobs on two Celery workers give the same results as the one-machine run.

Starts two worker processes (`celery -A core.celery_app worker --pool solo`, each with its own
hostname) on the local RabbitMQ, on a queue of this test run's own, against a database of its own
(TEST_DATABASE_URL's name + "_celery" on PostgreSQL, else a SQLite file); runs the annual review
and a batch match in-process, then again through the broker, and compares what was stored.
Skipped only when the broker cannot be reached.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import pytest
from flask import current_app
from sqlalchemy import create_engine, make_url, select, text

from bench import quota_review as bench_review
from core import create_app, tasks
from core.extensions import db as _db
from core.models import Person, TaskFanout
from jobmatch.models import JobPost, MatchResult, MatchRun
from quota.models import QuotaAssessment, QuotaClaim, QuotaFiling, QuotaReviewRun
from tests import conftest, factories
from tests.integration.jobmatch_helpers import make_post, make_profile

BROKER = os.environ.get("TEST_CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
ROOT = Path(__file__).resolve().parents[2]
CELERY = Path(sys.executable).with_name("celery")
YEAR = bench_review.YEAR


def _broker_reachable() -> bool:
    url = make_url(BROKER.replace("amqp://", "amqp+x://", 1).replace("redis://", "redis+x://", 1))
    try:
        with socket.create_connection((url.host or "127.0.0.1", url.port or 5672), timeout=2):
            return True
    except OSError:
        return False


pytestmark = [
    pytest.mark.slow,  # starts worker processes: run apart from the parallel tests
    pytest.mark.skipif(not _broker_reachable(), reason=f"no broker at {BROKER}"),
]


def _database_url() -> str:
    if os.environ.get("TEST_DATABASE_URL"):
        base = make_url(os.environ["TEST_DATABASE_URL"])
        name = f"{base.database}_celery"
        engine = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with engine.connect() as conn:
            if not conn.scalar(text("SELECT 1 FROM pg_database WHERE datname = :n"), {"n": name}):
                conn.execute(text(f'CREATE DATABASE "{name}"'))
        engine.dispose()
        url = base.set(database=name).render_as_string(hide_password=False)
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{Path(tempfile.mkdtemp(prefix='celery-test-')) / 'celery.db'}"


@pytest.fixture(scope="module")
def setting():
    url = _database_url()
    queue = f"test-{uuid.uuid4().hex[:12]}"
    config = conftest.test_config("sqlite", SQLALCHEMY_DATABASE_URI=url, CELERY_QUEUE=queue)
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {}
    app = create_app(config)
    conftest.reset_schema(app)
    logs = Path(tempfile.mkdtemp(prefix="celery-workers-"))
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": config["SECRET_KEY"],
        "DATA_ENCRYPTION_KEY": config["DATA_ENCRYPTION_KEY"],
        "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": queue,
        "INSTANCE_PATH": str(logs),
        "PYTHONPATH": str(ROOT),
    }
    workers = []
    for name in ("one", "two"):
        log = (logs / f"{name}.log").open("w")
        workers.append(
            subprocess.Popen(
                [
                    str(CELERY),
                    "-A",
                    "core.celery_app",
                    "worker",
                    "--pool",
                    "solo",
                    "--concurrency",
                    "1",
                    "--hostname",
                    f"{name}-{queue}@%h",
                    "-Q",
                    queue,
                    "-l",
                    "info",
                    "--without-gossip",
                    "--without-mingle",
                ],
                cwd=ROOT,
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        )
    try:
        yield {"app": app, "logs": logs, "workers": workers}
    finally:
        for worker in workers:
            if worker.poll() is None:
                os.killpg(worker.pid, signal.SIGTERM)
        for worker in workers:
            try:
                worker.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(worker.pid, signal.SIGKILL)
        with app.app_context():
            _db.session.remove()
            _db.engine.dispose()


def _wait(predicate, seconds: float = 180):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        _db.session.rollback()
        value = predicate()
        if value:
            return value
        time.sleep(0.3)
    raise AssertionError("the workers did not finish in time")


def _distributed(app, on: bool):
    app.config["CELERY_BROKER_URL"] = BROKER if on else ""


# --- the review ------------------------------------------------------------------------------------


def _review_data():
    conftest.empty_tables(current_app._get_current_object())
    bench_review.load(_db, bench_review.generate(400, seed=11))
    bench_review._enter_social_wage()  # the all-units figure an admin enters before a review


def _review_outcome() -> dict:
    claims = {
        (row.filing_id, row.person_index): (row.verdict, row.reason, row.disputed)
        for row in _db.session.scalars(select(QuotaClaim))
    }
    fields = ("required", "arranged", "shortfall", "levy", "reward", "exempt", "non_filer")
    assessments = {
        a.filing_id: tuple(getattr(a, f) for f in fields)
        for a in _db.session.scalars(select(QuotaAssessment).where(QuotaAssessment.current))
    }
    statuses = dict(_db.session.execute(select(QuotaFiling.id, QuotaFiling.status)).all())
    return {"claims": claims, "assessments": assessments, "statuses": statuses}


def test_the_review_on_two_workers_equals_the_review_in_process(setting):
    from quota.services import review

    app = setting["app"]
    with app.app_context():
        _distributed(app, False)
        _review_data()
        here = review.run_review(YEAR)
        expected = _review_outcome()
        assert here["assessed"] == 400 and len(expected["claims"]) == 1000
        verdicts = {verdict for verdict, _reason, _disputed in expected["claims"].values()}
        assert {"accepted", "conflict"} <= verdicts  # double claims across cities too

        _review_data()
        _distributed(app, True)
        try:
            run = review.start_run(YEAR)
            assert tasks.enqueue("quota.execute_run", run.id) is None  # only sent
            done = _wait(
                lambda: _db.session.get(QuotaReviewRun, run.id).status in ("done", "failed")
            )
            assert done
            run = _db.session.get(QuotaReviewRun, run.id)
            assert run.status == "done", run.error
            assert {k: v for k, v in run.summary.items()} == {
                k: v for k, v in here.items() if k != "run_id"
            }
            assert _review_outcome() == expected
            fan = _db.session.scalar(select(TaskFanout).where(TaskFanout.ref_id == run.id))
            assert (fan.parts, fan.done, fan.failed) == (11, 11, 0)  # one part per city
        finally:
            _distributed(app, False)
    received = [
        (setting["logs"] / f"{name}.log").read_text().count("core.run_part")
        for name in ("one", "two")
    ]
    assert all(received), f"both workers take parts: {received}"


# --- batch matching ---------------------------------------------------------------------------------


CITIES = ("330106", "330203", "330302")  # Xihu (Hangzhou), Haishu (Ningbo), Lucheng (Wenzhou)
SKILLS = (["cashier"], ["data_entry"], ["cashier", "mobile_payment"], ["warehouse"])


def _match_data():
    conftest.empty_tables(current_app._get_current_object())
    for i, county in enumerate(CITIES * 3):
        employer = factories.make_employer(county=county)
        make_post(employer, title=f"岗位{i}", skills=SKILLS[i % 4], positions=1 + i % 3)
    for i in range(18):
        person = factories.make_person(
            county=CITIES[i % 3], category=1 + i % 4, level=1 + i % 4, name=f"求职者{i}"
        )
        make_profile(person, skills=SKILLS[(i + 1) % 4])
    from jobmatch.engine.geography import LEVELS, TRAVEL_MODES
    from jobmatch.services.matching import set_commute_table

    # An administrator's default commute table (none ships): 30 km for every level and mode.
    set_commute_table(None, {f"level_{lv}_{m}": 30 for lv in LEVELS for m in TRAVEL_MODES})


def _match_outcome(run_id: int) -> dict:
    rows = _db.session.execute(
        select(Person.name, MatchResult.rank, JobPost.title, MatchResult.total)
        .join(Person, Person.id == MatchResult.person_id)
        .join(JobPost, JobPost.id == MatchResult.post_id)
        .where(MatchResult.run_id == run_id)
    )
    return {(name, rank): (title, round(total, 6)) for name, rank, title, total in rows}


def test_batch_matching_on_two_workers_equals_the_run_in_process(setting):
    from jobmatch.services import batch

    app = setting["app"]
    with app.app_context():
        _distributed(app, False)
        _match_data()
        expected = _match_outcome(batch.run(k=5).id)
        # The default commute (30 km) reaches the three posts of the seeker's own city only.
        assert len(expected) == 18 * 3

        _match_data()
        _distributed(app, True)
        try:
            batch.run_nightly(k=5)  # the scheduler's job: only enqueues
            run = _wait(
                lambda: _db.session.scalar(
                    select(MatchRun).where(MatchRun.finished_at.is_not(None))
                )
            )
            assert (run.seekers, run.posts) == (18, 9)
            assert _match_outcome(run.id) == expected
        finally:
            _distributed(app, False)
