"""The annual review on Celery workers: one worker against two, the same data, in the same run.

Loads N employers (bench.quota_review's generator: 2.5 claims each, spread over the 11 cities) into
PostgreSQL (BENCH_DATABASE_URL, default .../quota_bench), then for 1 and 2 worker processes
(`celery -A core.celery_app worker --pool solo`, on a queue of this run's own at BENCH_BROKER_URL,
default the local RabbitMQ) reloads the data, enqueues a review and times it until the run is done.
Also times the same review in-process (no broker) as the reference. Skipped (figures say why) when
the broker cannot be reached.

    python -m bench.scale_out [--employers 20000]
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

from bench import quota_review as base

ROOT = Path(__file__).resolve().parents[1]
BROKER = os.environ.get("BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")


def _reachable(url: str) -> bool:
    host_port = url.split("@")[-1].split("/")[0]
    host, _, port = host_port.partition(":")
    try:
        with socket.create_connection((host or "127.0.0.1", int(port or 5672)), timeout=2):
            return True
    except OSError:
        return False


def _workers(count: int, url: str, queue: str, logs: Path) -> list[subprocess.Popen]:
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "SECRET_KEY": "bench",
        "DATA_ENCRYPTION_KEY": "bench-key",
        "CELERY_BROKER_URL": BROKER,
        "CELERY_QUEUE": queue,
        "INSTANCE_PATH": str(logs),
        "PYTHONPATH": str(ROOT),
    }
    celery = Path(sys.executable).with_name("celery")
    return [
        subprocess.Popen(
            [str(celery), "-A", "core.celery_app", "worker", "--pool", "solo", "-Q", queue]
            + ["--hostname", f"w{i}-{queue}@%h", "-l", "warning", "--without-gossip"]
            + ["--without-mingle"],
            cwd=ROOT,
            env=env,
            stdout=(logs / f"w{i}.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for i in range(count)
    ]


def _stop(workers) -> None:
    for worker in workers:
        if worker.poll() is None:
            os.killpg(worker.pid, signal.SIGTERM)
    for worker in workers:
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(worker.pid, signal.SIGKILL)


def _timed_review(app, db, rows, workers: int, url: str, logs: Path) -> float:
    from core import tasks
    from quota.models import QuotaReviewRun
    from quota.services.review import run_review, start_run

    with app.app_context():
        base._reset(db)
        base.load(db, rows)
        base._enter_social_wage()  # the review refuses to run without the year's social wage
        if workers == 0:
            app.config["CELERY_BROKER_URL"] = ""
            start = time.perf_counter()
            run_review(base.YEAR)
            return time.perf_counter() - start
        queue = f"bench-{uuid.uuid4().hex[:10]}"
        app.config.update(CELERY_BROKER_URL=BROKER, CELERY_QUEUE=queue)
        pool = _workers(workers, url, queue, logs)
        try:
            time.sleep(4)  # let the workers connect (not part of the review's time)
            start = time.perf_counter()
            run = start_run(base.YEAR)
            tasks.enqueue("quota.execute_run", run.id)
            while True:
                db.session.rollback()
                status = db.session.get(QuotaReviewRun, run.id).status
                if status in ("done", "failed"):
                    break
                time.sleep(0.2)
            seconds = time.perf_counter() - start
            if status != "done":
                raise RuntimeError(db.session.get(QuotaReviewRun, run.id).error)
            return seconds
        finally:
            _stop(pool)
            app.config["CELERY_BROKER_URL"] = ""


def main(argv=None) -> dict:
    from core.extensions import db

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employers", type=int, default=20_000)
    args = parser.parse_args(argv)
    if not _reachable(BROKER):
        result = {"skipped": f"no broker at {BROKER}"}
        print(json.dumps(result))
        return result
    raw = os.environ.get("BENCH_DATABASE_URL", base.DEFAULT_PG)
    base._ensure_pg_database(raw)
    url = raw.replace("postgresql://", "postgresql+psycopg://", 1)
    app = base._app(url)
    with app.app_context():
        rows = base.generate(args.employers)
    logs = Path(tempfile.mkdtemp(prefix="scale-out-"))
    # One and two workers alternate (best of two each): a neighbour's burst weighs on both.
    runs: dict[int, list[float]] = {0: [], 1: [], 2: []}
    for n in (0, 1, 2, 2, 1):
        runs[n].append(_timed_review(app, db, rows, n, url, logs))
    seconds = {n: min(times) for n, times in runs.items()}
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
    result = {
        "employers": args.employers,
        "claims": len(rows["claims"]),
        "in_process_seconds": round(seconds[0], 2),
        "one_worker_seconds": round(seconds[1], 2),
        "two_workers_seconds": round(seconds[2], 2),
        "two_vs_one_worker_speedup": round(seconds[1] / seconds[2], 2),
        "cpus": len(os.sched_getaffinity(0)),
    }
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
