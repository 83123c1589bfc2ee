"""Two real scheduler processes, a real SMTP server and a fake SMS gateway against one database.

Every test starts its own components on loopback and stops them: aiosmtpd's Controller, an
http.server SMS gateway in a thread, and `flask --app wsgi scheduler` subprocesses with a fast tick.
Each due message must reach the SMTP server exactly once; any duplicate is printed and must be one
the outbox itself flagged (a process killed between sending and recording).
"""

import asyncio
import json
import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections import Counter
from datetime import date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from core.config import BASE_DIR
from core.models import Message, SchedulerHeartbeat, SchedulerLease
from followup import services
from tests import factories
from tests.conftest import _TMP

pytestmark = pytest.mark.slow
# A scheduler process imports the whole app before its first heartbeat; on a loaded 2-core machine
# running the other tests beside it, that can take far longer than on a quiet one.
STARTUP_TIMEOUT = 120

MONDAY_MORNING = datetime(2025, 3, 3, 3, 0)  # 11:00 in Shanghai, a working day, in the past


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class SmtpSink:
    """A real SMTP server (aiosmtpd) that records each message's idempotency key."""

    def __init__(self, port: int, delay: float = 0.0):
        self.port, self.delay = port, delay
        self.keys: list[str] = []
        self.controller = None

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        text = envelope.content.decode("utf-8", "replace")
        key = next(
            (
                line.split(":", 1)[1].strip()
                for line in text.splitlines()
                if line.lower().startswith("x-idempotency-key:")
            ),
            "?",
        )
        self.keys.append(key)
        return "250 Message accepted"

    def start(self):
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


class SmsGateway:
    """A fake SMS gateway on loopback: records every POSTed message id and answers 200."""

    def __init__(self):
        self.ids: list[str] = []
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                sink.ids.append(json.loads(body)["id"])
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(b'{"ok": true}')

            def log_message(self, *_args):
                return None

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self):
        self.server.shutdown()
        self.server.server_close()


class Schedulers:
    """Scheduler subprocesses with the test app's settings; all of them stopped at the end."""

    def __init__(self, app, smtp_port: int, sms_url: str, **extra):
        self.env = {
            **os.environ,
            "DATABASE_URL": app.config["SQLALCHEMY_DATABASE_URI"],
            "SECRET_KEY": "test-secret",
            "DATA_ENCRYPTION_KEY": "test-data-key",
            "INSTANCE_PATH": str(_TMP),
            "SMTP_HOST": "127.0.0.1",
            "SMTP_PORT": str(smtp_port),
            "SMTP_TIMEOUT": "3",
            "SMS_GATEWAY_URL": sms_url,
            "SMS_GATEWAY_TIMEOUT": "3",
            "SCHEDULER_TICK_SECONDS": "0.3",
            "SCHEDULER_LEASE_SECONDS": "2",
            "OUTBOX_CLAIM_SECONDS": "3",
            "OUTBOX_RETRY_BASE_SECONDS": "0.2",
            "OUTBOX_RETRY_CAP_SECONDS": "1",
            "OUTBOX_MAX_ATTEMPTS": "1000",
            "SCHEDULER_JOBS": "outbox.",  # delivery only: messages are made due by the test itself
            **{k: str(v) for k, v in extra.items()},
        }
        self.procs: list[subprocess.Popen] = []
        self.logs: list[Path] = []

    def start(self) -> subprocess.Popen:
        log_path = _TMP / f"scheduler-{len(self.procs)}-{time.monotonic_ns()}.log"
        self.logs.append(log_path)
        proc = subprocess.Popen(
            [sys.executable, "-m", "flask", "--app", "wsgi", "scheduler", "--run-for", "40"],
            cwd=BASE_DIR,
            env=self.env,
            stdout=log_path.open("w"),
            stderr=subprocess.STDOUT,
        )
        self.procs.append(proc)
        return proc

    def stop(self):
        for proc in self.procs:
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 5
        for proc in self.procs:
            try:
                proc.wait(max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def print_logs(self):
        for path in self.logs:
            print(f"--- {path.name}\n" + path.read_text()[-3000:])


@pytest.fixture
def components(app):
    """SMTP port (server not started), the SMS gateway, and the scheduler launcher; all cleaned up."""
    port = free_port()
    sink, gateway = SmtpSink(port), SmsGateway()
    schedulers = Schedulers(app, port, gateway.url)
    app.config.update(SMTP_HOST="127.0.0.1", SMTP_PORT=port, SMS_GATEWAY_URL=gateway.url)
    try:
        yield sink, gateway, schedulers
    finally:
        schedulers.stop()
        sink.stop()
        gateway.stop()
        app.config.update(SMTP_HOST="", SMS_GATEWAY_URL="")


def due_follow_ups(db, count: int) -> dict[str, set[str]]:
    """`count` graduates with e-mail and phone, each with one due follow-up on every channel."""
    counselor = factories.make_user("counselor", county_code="330106")
    for serial in range(count):
        person = factories.make_person(
            name=f"毕业生{serial}",
            graduation_year=2025,
            email=f"g{serial}@example.org",
            phone="13800000000",
        )
        plan = services.create_plan(person, {"counselor_id": counselor.id}, today=date(2025, 2, 10))
        services.write_follow_up(plan, "cadence", date(2025, 3, 3), MONDAY_MORNING)
        plan.next_due_on = None  # so the schedulers' own follow-up job adds nothing today
    db.session.commit()
    keys: dict[str, set[str]] = {}
    for channel, key in db.session.execute(select(Message.channel, Message.idempotency_key)):
        keys.setdefault(channel, set()).add(key)
    db.session.remove()
    return keys


def statuses(db) -> Counter:
    rows = db.session.execute(select(Message.status, func.count()).group_by(Message.status))
    result = Counter(dict(rows.all()))
    db.session.rollback()
    return result


def heartbeats(db) -> int:
    count = db.session.scalar(select(func.count()).select_from(SchedulerHeartbeat))
    db.session.rollback()
    return count


def wait_for(condition, timeout: float, step: float = 0.2) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(step)
    return condition()


def report_duplicates(received: list[str], db) -> dict[str, int]:
    """Print every message received more than once, and whether the outbox flagged it."""
    duplicates = {key: n for key, n in Counter(received).items() if n > 1}
    flagged = set(
        db.session.scalars(select(Message.idempotency_key).where(Message.duplicate_risk.is_(True)))
    )
    db.session.rollback()
    for key, n in duplicates.items():
        print(f"DUPLICATE: {key} received {n} times; flagged by the outbox: {key in flagged}")
    assert set(duplicates) <= flagged, "a duplicate the outbox did not detect"
    return duplicates


def test_two_schedulers_deliver_every_message_exactly_once(db, components):
    sink, gateway, schedulers = components
    sink.start()
    schedulers.start()
    schedulers.start()  # they boot while the test writes the due follow-ups
    keys = due_follow_ups(db, 25)
    try:
        assert wait_for(lambda: heartbeats(db) == 2, timeout=STARTUP_TIMEOUT), (
            "schedulers did not start"
        )
        started = time.monotonic()
        assert wait_for(lambda: statuses(db)["sent"] == 75, timeout=20), statuses(db)
        assert wait_for(lambda: len(sink.keys) == 25 and len(gateway.ids) == 25, timeout=3)
        print(f"75 messages delivered in {time.monotonic() - started:.1f} s by two schedulers")
    except AssertionError:
        schedulers.print_logs()
        raise
    finally:
        schedulers.stop()
    leaders = set(db.session.scalars(select(Message.claimed_by).distinct()))
    print(f"delivered by: {leaders}")
    assert report_duplicates(sink.keys + gateway.ids, db) == {}
    assert Counter(sink.keys) == Counter(keys["email"])
    assert Counter(gateway.ids) == Counter(keys["sms"])


def test_smtp_down_then_up_loses_nothing_and_sends_each_once(db, components):
    sink, gateway, schedulers = components
    schedulers.start()
    schedulers.start()
    keys = due_follow_ups(db, 10)
    try:
        assert wait_for(lambda: heartbeats(db) == 2, timeout=STARTUP_TIMEOUT), (
            "schedulers did not start"
        )

        def email_retrying():
            rows = db.session.execute(
                select(Message.status, Message.attempts).where(Message.channel == "email")
            ).all()
            db.session.rollback()
            return all(r.status in ("pending", "sending") and r.attempts >= 2 for r in rows)

        assert wait_for(email_retrying, timeout=15), statuses(db)
        assert sink.keys == [] and statuses(db)["sent"] == 20  # SMS and in-app went out meanwhile
        sink.start()
        assert wait_for(lambda: statuses(db)["sent"] == 30, timeout=15), statuses(db)
    except AssertionError:
        schedulers.print_logs()
        raise
    finally:
        schedulers.stop()
    assert report_duplicates(sink.keys, db) == {}
    assert Counter(sink.keys) == Counter(keys["email"])


def test_a_killed_scheduler_restarted_loses_nothing(db, components):
    sink, gateway, schedulers = components
    sink.delay = 0.1  # slow enough that the kill lands in the middle of a delivery run
    first, second = schedulers.start(), schedulers.start()
    keys = due_follow_ups(db, 30)
    try:
        assert wait_for(lambda: heartbeats(db) == 2, timeout=STARTUP_TIMEOUT), (
            "schedulers did not start"
        )
        sink.start()
        assert wait_for(lambda: len(sink.keys) >= 5, timeout=15), statuses(db)
        holder = db.session.get(SchedulerLease, "scheduler").holder
        db.session.rollback()
        victim = first if f":{first.pid}:" in holder else second
        victim.send_signal(signal.SIGKILL)
        victim.wait()
        print(f"killed the lease holder {holder} after {len(sink.keys)} e-mails")
        schedulers.start()  # restarted
        assert wait_for(lambda: statuses(db)["sent"] == 90, timeout=20), statuses(db)
        assert wait_for(lambda: heartbeats(db) == 3, timeout=STARTUP_TIMEOUT), (
            "the restarted one did not start"
        )
    except AssertionError:
        schedulers.print_logs()
        raise
    finally:
        schedulers.stop()
    duplicates = report_duplicates(sink.keys + gateway.ids, db)
    print(f"duplicates after the kill: {len(duplicates)}")
    assert set(sink.keys) == keys["email"], "a message was lost"
    assert set(gateway.ids) == keys["sms"], "an SMS was lost"
    assert statuses(db) == Counter({"sent": 90})
