"""Issue #14, delivery guarantees: at-least-once, duplicates only when a sender died between the SMTP
server's acceptance and its commit, every copy with the same Message-ID, only such copies flagged.

Two real scheduler processes against a real SMTP server (aiosmtpd) whose DATA handler accepts the
first e-mail, then kills the process that sent it with SIGKILL before answering: that process can
never commit 'sent'; the other scheduler must send the message again when the claim expires.
"""

import json
import os
import signal
import threading
from collections import Counter, defaultdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import psutil
import pytest
from sqlalchemy import select

from core.channels import SmsChannel
from core.models import Message
from tests.integration.test_scheduler_processes import (
    STARTUP_TIMEOUT,
    SmtpSink,
    due_follow_ups,
    heartbeats,
    statuses,
    wait_for,
)
from tests.integration.test_scheduler_processes import components as components  # noqa: PLC0414

pytestmark = pytest.mark.slow


class KillingSink(SmtpSink):
    """Records each e-mail's idempotency key and Message-ID; kills the sender of the first one
    right after accepting it (before the 250 reaches the sender)."""

    def __init__(self, port, scheduler_pids):
        super().__init__(port)
        self.scheduler_pids = scheduler_pids
        self.message_ids: dict[str, list[str]] = defaultdict(list)
        self.killed: list[tuple[int, str]] = []

    def _sender_pid(self, peer_port: int) -> int | None:
        for pid in self.scheduler_pids():
            try:
                connections = psutil.Process(pid).net_connections(kind="tcp")
            except psutil.Error:
                continue
            if any(c.laddr and c.laddr.port == peer_port for c in connections):
                return pid
        return None

    async def handle_DATA(self, server, session, envelope):
        text = envelope.content.decode("utf-8", "replace")
        headers = {}
        for line in text.splitlines():
            if not line.strip():
                break
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        key = headers.get("x-idempotency-key", "?")
        self.keys.append(key)  # the server has accepted the message
        self.message_ids[key].append(headers.get("message-id", "?"))
        if not self.killed:
            pid = self._sender_pid(session.peer[1])
            if pid is not None:
                os.kill(pid, signal.SIGKILL)
                self.killed.append((pid, key))
        return "250 Message accepted"


def test_a_sender_killed_after_acceptance_loses_nothing_and_flags_only_that_copy(db, components):
    _sink, gateway, schedulers = components
    sink = KillingSink(_sink.port, lambda: [p.pid for p in schedulers.procs])
    sink.start()
    try:
        schedulers.start()
        schedulers.start()
        keys = due_follow_ups(db, 8)
        assert wait_for(lambda: heartbeats(db) >= 1, timeout=STARTUP_TIMEOUT), (
            "schedulers did not start"
        )
        assert wait_for(lambda: statuses(db)["sent"] == 24, timeout=STARTUP_TIMEOUT), statuses(db)
    except AssertionError:
        schedulers.print_logs()
        raise
    finally:
        schedulers.stop()
        sink.stop()
    assert len(sink.killed) == 1, "the first sender was not killed on DATA"
    _pid, killed_key = sink.killed[0]
    received = Counter(sink.keys)
    # Nothing lost: every e-mail reached the server; the killed one arrived twice.
    assert set(received) == keys["email"]
    assert received[killed_key] == 2
    assert {k for k, n in received.items() if n > 1} == {killed_key}
    # Every copy of a message carries the same Message-ID.
    assert all(len(set(ids)) == 1 for ids in sink.message_ids.values())
    # The flag names exactly the message that may have gone out twice, not the others.
    flagged = set(
        db.session.scalars(select(Message.idempotency_key).where(Message.duplicate_risk.is_(True)))
    )
    db.session.rollback()
    assert flagged == {killed_key}
    assert Counter(gateway.ids) == Counter(keys["sms"])


def test_the_sms_gateway_receives_the_idempotency_key_as_a_header():
    seen = []

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            seen.append((self.headers.get("Idempotency-Key"), body["id"]))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *_args):
            return None

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        config = {"SMS_GATEWAY_URL": f"http://127.0.0.1:{server.server_address[1]}/send"}
        message = {"recipient": "13800000000", "body": "x", "idempotency_key": "followup:7:sms"}
        SmsChannel().send(message, config)
        SmsChannel().send(message, config)
    finally:
        server.shutdown()
        server.server_close()
    assert seen == [("followup:7:sms", "followup:7:sms")] * 2
