"""`make load`: the highest request rate the service keeps under 300 ms at p95, against a bare page.

Steps: create, migrate and seed the PostgreSQL database if empty (demo data), add load accounts
(employers, graduates) beside the demo ones; start gunicorn with the project's settings
(gunicorn.conf.py, --workers) on the service and, on the same settings, on a minimal Flask page
(bench/bare_app.py); then, for each, run locust (bench/locustfile.py: counselors, employers in the
filing window, graduates and anonymous visitors with think times; the bare page with the same
think times) at a growing number of users, one step after the other, and stop when p95 crosses
300 ms or more than 1% of the requests fail. Printed: each step (users, requests/s, p50/p95/p99,
errors, locust's own CPU seconds: it runs in a process group of its own on the same cores), the
highest rate under 300 ms for the service and for the bare page, and their ratio; per endpoint,
the figures of the service's last step under the limit. Last, POST /login is hammered for one
username from one address to check that the login limit holds across the workers (through Redis).
Everything started is stopped at the end. The figures go to bench/load_results.json.

    python -m bench.load [--users 5,10,...] [--bare-users 40,80,...] [--step-seconds 20]
        [--think-scale 0.25]
"""

import argparse
import csv
import json
import os
import re
import resource
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
RESULTS = Path(__file__).resolve().parent / "load_results.json"
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/load_test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
LOGIN_LIMIT = "10 per minute"
P95_LIMIT_MS = 300
MAX_ERROR_RATE = 0.01
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database named in `url` when it does not exist."""
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{name}"')
            print(f"created database {name}")


def flask(env: dict, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    command = [str(VENV_BIN / "flask"), "--app", "wsgi", *args]
    return subprocess.run(command, cwd=ROOT, env=env, check=check, capture_output=True, text=True)


def start(command: list[str], env: dict, log: Path) -> subprocess.Popen:
    """Start a process in its own group, so stopping it stops its children too."""
    handle = log.open("w")
    return subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=handle, stderr=subprocess.STDOUT, start_new_session=True
    )


def stop(process: subprocess.Popen | None) -> None:
    if process is None or process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def wait_ready(url: str, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if requests.get(f"{url}/healthz", timeout=2).ok:
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise RuntimeError("gunicorn did not answer /healthz")


def ensure_accounts(env: dict, employers: int, graduates: int, year: int) -> dict[str, list[str]]:
    """Load accounts beside the demo ones (same password): one per enterprise employer and per
    unemployed graduate, up to the numbers given, so simulated people do not share one account;
    the filing window of `year` opened (the admin's override), so that employers can save."""
    code = f"""
import json
from sqlalchemy import select
from core import create_app
from core.auth import hash_password
from core.demo import DEMO_PASSWORD
from core.extensions import db
from core.models import Employer, Person, User
from quota.models import QuotaYearSetting

app = create_app()
with app.app_context():
    existing = set(db.session.scalars(select(User.username)))
    password = None
    names = {{"employer": [], "graduate": [], "counselor": ["counselor"]}}
    employers = db.session.scalars(
        select(Employer).where(Employer.unit_type == "enterprise").order_by(Employer.id)
        .limit({employers})
    )
    graduates = db.session.scalars(
        select(Person).where(Person.graduation_year.is_not(None),
                             Person.employment_type == "unemployed").order_by(Person.id)
        .limit({graduates})
    )
    for role, records in (("employer", employers), ("graduate", graduates)):
        for record in records:
            name = f"load_{{role}}{{record.id}}"
            names[role].append(name)
            if name in existing:
                continue
            password = password or hash_password(DEMO_PASSWORD)
            link = {{"employer_id": record.id}} if role == "employer" else {{"person_id": record.id}}
            db.session.add(User(username=name, role=role, password_hash=password,
                                display_name=name, **link))
    # Employers in the filing window: the admin's override opens this year's window for them.
    setting = db.session.get(QuotaYearSetting, {year}) or QuotaYearSetting(data_year={year})
    setting.window_open = True
    db.session.add(setting)
    db.session.commit()
    print(json.dumps(names))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, check=True, capture_output=True, text=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def run_locust(
    url: str, classes: list[str], users: int, seconds: int, env: dict, folder: Path
) -> dict:
    """One step: locust headless in a process group of its own; its CPU time is measured too."""
    prefix = folder / f"locust_{classes[0].lower()}_{users}"
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 4)),
        "--run-time",
        f"{seconds}s",
        "--stop-timeout",
        "10",
        "--host",
        url,
        "--csv",
        str(prefix),
        "--loglevel",
        "WARNING",
        *classes,
    ]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with (folder / f"{prefix.name}.log").open("w") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        try:
            process.wait(timeout=seconds + 120)
        except subprocess.TimeoutExpired:
            stop(process)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    step = read_stats(Path(f"{prefix}_stats.csv"), users, seconds)
    step["locust_cpu_seconds"] = round(
        after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, 1
    )
    return step


def capacity(
    url: str, classes: list[str], users: list[int], seconds: int, env: dict, folder: Path
) -> dict:
    """Step the users up; stop when p95 crosses the limit or errors pass 1%. The capacity is the
    highest request rate of a step within the limit."""
    steps, best = [], None
    for count in users:
        print(f"  {' '.join(classes)}: {count} users for {seconds} s ...", flush=True)
        step = run_locust(url, classes, count, seconds, env, folder)
        total = step["total"]
        step["within_limit"] = bool(
            total
            and total.get("p95_ms") is not None
            and total["p95_ms"] < P95_LIMIT_MS
            and total["error_rate"] <= MAX_ERROR_RATE
        )
        steps.append(step)
        print(
            f"    {total.get('rps')} requests/s, p50/p95/p99 {total.get('p50_ms')}/"
            f"{total.get('p95_ms')}/{total.get('p99_ms')} ms, errors "
            f"{100 * total.get('error_rate', 0):.2f}%, locust CPU {step['locust_cpu_seconds']} s",
            flush=True,
        )
        if not step["within_limit"]:
            break
        if best is None or total["rps"] > best["total"]["rps"]:
            best = step
    return {
        "steps": steps,
        # None when p95 was over the limit from the first step: the capacity is below its rate.
        "best_rps": best["total"]["rps"] if best else None,
        "below_rps": None if best else steps[0]["total"].get("rps"),
        "best_users": best["users"] if best else None,
        "best_step": best,
        "crossed": not steps[-1]["within_limit"],
    }


def read_stats(path: Path, users: int, seconds: int) -> dict:
    endpoints, total = {}, {}
    with path.open() as handle:
        for row in csv.DictReader(handle):
            count = int(row["Request Count"])
            figures = {
                "requests": count,
                "failures": int(row["Failure Count"]),
                "error_rate": round(int(row["Failure Count"]) / count, 4) if count else 0.0,
                "rps": round(float(row["Requests/s"]), 1),
                "p50_ms": _ms(row["50%"]),
                "p95_ms": _ms(row["95%"]),
                "p99_ms": _ms(row["99%"]),
            }
            if row["Name"] == "Aggregated":
                total = figures
            else:
                endpoints[row["Name"]] = figures
    return {"users": users, "seconds": seconds, "total": total, "endpoints": endpoints}


def _ms(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def check_login_limit(url: str, attempts: int, limit: int) -> dict:
    """POST /login for one username from one address, spread over the workers; count the 429s."""
    address = "203.0.113.77"

    def attempt(_):
        with requests.Session() as session:
            session.headers["X-Forwarded-For"] = address
            page = session.get(f"{url}/login", timeout=30)
            token = _CSRF.search(page.text).group(1)
            data = {"username": "counselor", "password": "wrong-password", "csrf_token": token}
            return session.post(
                f"{url}/login", data=data, timeout=30, allow_redirects=False
            ).status_code

    with ThreadPoolExecutor(max_workers=8) as pool:
        statuses = list(pool.map(attempt, range(attempts)))
    refused = statuses.count(429)
    answered = len(statuses) - refused
    return {
        "attempts": attempts,
        "limit": limit,
        "answered_before_limit": answered,
        "refused_429": refused,
        "statuses": {str(code): statuses.count(code) for code in sorted(set(statuses))},
        "holds": answered <= limit and refused >= attempts - limit,
    }


def print_report(report: dict) -> None:
    service, bare = report["service"], report["bare"]
    print(f"\nHighest request rate with p95 under {P95_LIMIT_MS} ms ({report['workers']} workers):")
    for label, found in (("service (journeys)", service), ("bare Flask page", bare)):
        rate = found["best_rps"]
        note = "" if found["crossed"] else " (never crossed: raise --users)"
        if rate is None:
            first = found["steps"][0]
            print(
                f"  {label:<20} below {found['below_rps']} requests/s (p95 "
                f"{first['total'].get('p95_ms')} ms already at {first['users']} users)"
            )
        else:
            print(f"  {label:<20} {rate} requests/s at {found['best_users']} users{note}")
    if report["ratio"] is not None:
        print(f"  ratio service/bare: {report['ratio']}")
    elif service["below_rps"] and bare["best_rps"]:
        print(f"  ratio service/bare: below {round(service['below_rps'] / bare['best_rps'], 3)}")
    best = service["best_step"] or service["steps"][0]
    if best:
        print(f"\nService per endpoint at {best['users']} users ({best['seconds']} s):")
        print(f"  {'endpoint':<34} {'requests':>8} {'rps':>6} {'p50':>6} {'p95':>6} {'errors':>7}")
        for name, e in sorted(best["endpoints"].items()):
            print(
                f"  {name[:34]:<34} {e['requests']:>8} {e['rps']:>6} {e['p50_ms']!s:>6} "
                f"{e['p95_ms']!s:>6} {100 * e['error_rate']:>6.2f}%"
            )
    limit_check = report["login_limit"]
    verdict = "holds" if limit_check["holds"] else "DOES NOT HOLD"
    print(
        f"\nLogin limit ({limit_check['limit']}/min, one address, {limit_check['attempts']} tries "
        f"over the workers): {limit_check['answered_before_limit']} answered, "
        f"{limit_check['refused_429']} refused with 429 -> {verdict} {limit_check['statuses']}"
    )


def gunicorn(app: str, bind: str, workers: int) -> list[str]:
    """The project's gunicorn settings (gunicorn.conf.py), as `make run` and the deployment."""
    return [
        str(VENV_BIN / "gunicorn"),
        "-c",
        str(ROOT / "gunicorn.conf.py"),
        "--workers",
        str(workers),
        "--bind",
        bind,
        "--timeout",
        "120",
        app,
    ]


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument(
        "--users", default="5,10,15,20,30,40,60,80,120,160,240,320", help="user counts to step"
    )
    parser.add_argument("--bare-users", default="40,80,160,320,480,640,960,1280")
    parser.add_argument("--step-seconds", type=int, default=20)
    parser.add_argument("--warmup-seconds", type=int, default=10)
    parser.add_argument(
        "--think-scale",
        type=float,
        default=0.25,
        help="think times of 2-8 s times this (1: a person reading; longer runs need more users)",
    )
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--accounts", type=int, default=40, help="load accounts per role")
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="zjdes-load-"))
    (folder / "warmup").mkdir()
    url = f"http://127.0.0.1:{free_port()}"
    bare_url = f"http://127.0.0.1:{free_port()}"
    env = {
        **os.environ,
        "DATABASE_URL": args.database_url,
        "REDIS_URL": args.redis_url,
        "SECRET_KEY": os.environ.get("SECRET_KEY", "load-test-secret-key"),
        "DATA_ENCRYPTION_KEY": os.environ.get("DATA_ENCRYPTION_KEY", "load-test-data-key"),
        "INSTANCE_PATH": str(folder / "instance"),
        "BEHIND_PROXY": "1",
        "RATELIMIT_LOGIN": LOGIN_LIMIT,
        "PYTHONPATH": str(ROOT),
        "LOAD_THINK_SCALE": str(args.think_scale),
    }
    ensure_database(args.database_url)
    print("migrating and seeding (if empty) ...", flush=True)
    flask(env, "db", "upgrade", "heads")
    print(flask(env, "seed-demo", "--if-empty").stdout.strip().splitlines()[0], flush=True)
    env["LOAD_FILING_YEAR"] = str(date.today().year)
    env["LOAD_ACCOUNTS"] = json.dumps(
        ensure_accounts(env, args.accounts, args.accounts, date.today().year)
    )
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()

    users = [int(n) for n in args.users.split(",")]
    bare_users = [int(n) for n in args.bare_users.split(",")]
    server = bare = scheduler = None
    try:
        server = start(gunicorn("wsgi:app", url[7:], args.workers), env, folder / "gunicorn.log")
        bare = start(
            gunicorn("bench.bare_app:app", bare_url[7:], args.workers), env, folder / "bare.log"
        )
        if flask(env, "scheduler", "--help", check=False).returncode == 0:
            scheduler = start(
                [str(VENV_BIN / "flask"), "--app", "wsgi", "scheduler"],
                env,
                folder / "scheduler.log",
            )
        wait_ready(url)
        wait_ready(bare_url)
        journeys = ["Anonymous", "Counselor", "Employer", "Graduate"]
        if args.warmup_seconds:  # every worker's first pages (imports, templates), not counted
            print(f"warming up for {args.warmup_seconds} s each ...", flush=True)
            run_locust(url, journeys, users[0], args.warmup_seconds, env, folder / "warmup")
            run_locust(bare_url, ["Bare"], users[0], args.warmup_seconds, env, folder / "warmup")
        print("service (journeys):", flush=True)
        service = capacity(url, journeys, users, args.step_seconds, env, folder)
        print("bare Flask page:", flush=True)
        baseline = capacity(bare_url, ["Bare"], bare_users, args.step_seconds, env, folder)
        limit = int(LOGIN_LIMIT.split()[0])
        limit_check = check_login_limit(url, attempts=3 * limit, limit=limit)
        scheduler_alive = scheduler is not None and scheduler.poll() is None
    finally:
        stop(scheduler)
        stop(bare)
        stop(server)
    ratio = (
        round(service["best_rps"] / baseline["best_rps"], 3)
        if service["best_rps"] and baseline["best_rps"]
        else None
    )
    report = {
        "database": args.database_url.rsplit("@", 1)[-1],
        "workers": args.workers,
        "think_seconds": [2 * args.think_scale, 8 * args.think_scale],
        "step_seconds": args.step_seconds,
        "p95_limit_ms": P95_LIMIT_MS,
        "scheduler": "running"
        if scheduler_alive
        else ("absent" if scheduler is None else "exited"),
        "service": service,
        "bare": baseline,
        "ratio": ratio,
        "login_limit": limit_check,
        "load_average": os.getloadavg(),
        "logs": str(folder),
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_report(report)
    print(f"\nfigures written to {RESULTS}; server logs in {folder}")
    return report


if __name__ == "__main__":
    outcome = main()
    sys.exit(0 if outcome["login_limit"]["holds"] else 1)
