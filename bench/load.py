"""`make load`: gunicorn (4 workers) on PostgreSQL with the scheduler beside it, driven by locust.

Steps: create, migrate and seed the database if empty; start gunicorn and (when the command
exists) `flask --app wsgi scheduler`; run locust headless at each user count for a bounded time;
print p50/p95/p99 latency per endpoint, requests per second and the error rate; then hammer
POST /login for one username from one address and check that the login limit holds across the
workers (the limit is shared through Redis). Everything started is stopped at the end. The
figures go to bench/load_results.json.
"""

import argparse
import csv
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
RESULTS = Path(__file__).resolve().parent / "load_results.json"
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/load_test"
DEFAULT_REDIS = "redis://127.0.0.1:6379/14"
LOGIN_LIMIT = "10 per minute"
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


def public_pages(url: str) -> list[str]:
    """Public HTML pages to visit: the home page's and footer's own links that answer 200."""
    html = requests.get(url, timeout=10).text
    paths = {"/", "/login", *re.findall(r'href="(/[a-z][^"?#]*)"', html)}
    pages = []
    for path in sorted(paths):
        if path.startswith(("/static", "/lang", "/api/docs/assets")):
            continue
        response = requests.get(url + path, timeout=30, allow_redirects=False)
        if response.status_code == 200 and "text/html" in response.headers.get("content-type", ""):
            pages.append(path)
    return pages


def run_locust(url: str, users: int, seconds: int, env: dict, folder: Path) -> dict:
    prefix = folder / f"locust_{users}"
    command = [
        str(VENV_BIN / "locust"),
        "-f",
        str(ROOT / "bench" / "locustfile.py"),
        "--headless",
        "--only-summary",
        "--users",
        str(users),
        "--spawn-rate",
        str(max(1, users // 5)),
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
    ]
    subprocess.run(command, cwd=ROOT, env=env, check=False, capture_output=True, text=True)
    return read_stats(Path(f"{prefix}_stats.csv"), users, seconds)


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


def print_report(runs: list[dict], limit_check: dict) -> None:
    for run in runs:
        total = run["total"]
        print(
            f"\n{run['users']} users, {run['seconds']} s: {total.get('rps')} requests/s, "
            f"error rate {100 * total.get('error_rate', 0):.2f}%, "
            f"p50/p95/p99 {total.get('p50_ms')}/{total.get('p95_ms')}/{total.get('p99_ms')} ms"
        )
        print(
            f"  {'endpoint':<32} {'requests':>8} {'rps':>7} {'p50':>7} {'p95':>7} {'p99':>7} {'errors':>7}"
        )
        for name, e in sorted(run["endpoints"].items()):
            print(
                f"  {name[:32]:<32} {e['requests']:>8} {e['rps']:>7} {e['p50_ms']!s:>7} "
                f"{e['p95_ms']!s:>7} {e['p99_ms']!s:>7} {100 * e['error_rate']:>6.2f}%"
            )
    verdict = "holds" if limit_check["holds"] else "DOES NOT HOLD"
    print(
        f"\nLogin limit ({limit_check['limit']}/min, one address, {limit_check['attempts']} tries "
        f"over 4 workers): {limit_check['answered_before_limit']} answered, "
        f"{limit_check['refused_429']} refused with 429 -> {verdict} {limit_check['statuses']}"
    )


def main(argv=None) -> dict:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", default=os.environ.get("DATABASE_URL", DEFAULT_DB))
    parser.add_argument("--redis-url", default=os.environ.get("LOAD_REDIS_URL", DEFAULT_REDIS))
    parser.add_argument("--users", default="50,200")
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--workers", type=int, default=4)
    args = parser.parse_args(argv)

    folder = Path(tempfile.mkdtemp(prefix="zjdes-load-"))
    url = f"http://127.0.0.1:{free_port()}"
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
    }
    ensure_database(args.database_url)
    print("migrating and seeding (if empty) ...", flush=True)
    flask(env, "db", "upgrade", "heads")
    print(flask(env, "seed-demo", "--if-empty").stdout.strip().splitlines()[0], flush=True)
    import redis

    redis.Redis.from_url(args.redis_url).flushdb()

    server = scheduler = None
    try:
        server = start(
            [
                str(VENV_BIN / "gunicorn"),
                "--workers",
                str(args.workers),
                "--bind",
                url[7:],
                "--timeout",
                "120",
                "wsgi:app",
            ],
            env,
            folder / "gunicorn.log",
        )
        if flask(env, "scheduler", "--help", check=False).returncode == 0:
            scheduler = start(
                [str(VENV_BIN / "flask"), "--app", "wsgi", "scheduler"],
                env,
                folder / "scheduler.log",
            )
        else:
            print("no `flask scheduler` command yet: running without the scheduler")
        wait_ready(url)
        env["LOAD_PUBLIC_PAGES"] = json.dumps(public_pages(url))
        runs = []
        for users in (int(n) for n in args.users.split(",")):
            print(f"locust: {users} users for {args.seconds} s ...", flush=True)
            runs.append(run_locust(url, users, args.seconds, env, folder))
        limit = int(LOGIN_LIMIT.split()[0])
        limit_check = check_login_limit(url, attempts=3 * limit, limit=limit)
        scheduler_alive = scheduler is not None and scheduler.poll() is None
    finally:
        stop(scheduler)
        stop(server)
    report = {
        "database": args.database_url.rsplit("@", 1)[-1],
        "workers": args.workers,
        "scheduler": "running"
        if scheduler_alive
        else ("absent" if scheduler is None else "exited"),
        "runs": runs,
        "login_limit": limit_check,
        "logs": str(folder),
    }
    RESULTS.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print_report(runs, limit_check)
    print(f"\nfigures written to {RESULTS}; server logs in {folder}")
    return report


if __name__ == "__main__":
    outcome = main()
    sys.exit(0 if outcome["login_limit"]["holds"] else 1)
