"""The outbox: messages written once in a business transaction, delivered later by the scheduler.

Works on core's `message` table (core.models.Message), which any package writes to; a message is
addressed to exactly one person, login account or employer (a check constraint), and delivery is
the same whoever it is for. Delivery of one message:

1. claim it: UPDATE ... SET status='sending', claimed_by=me, claimed_until=now+claim WHERE id=? AND
   status='pending' AND next_attempt_at <= now; only the process whose UPDATE changed the row sends.
   A 'sending' row whose claim expired (its process died) is reclaimed.
2. ask the registered guards whether it is still wanted (e.g. not after the graduate found a job);
3. mark the claim as transmitting (claimed_by = me + TRANSMITTING, committed) and send through its
   channel; commit 'sent' at once when the channel returns (the SMTP server's acceptance), or retry a
   transient failure later with exponential backoff and jitter, or move a permanent failure to the
   dead letters ('dead').

What is promised: at-least-once delivery. A message is never lost (a dead process's claim expires
and another process sends it), but it can go out twice in one window only: between the server's
acceptance and the commit of 'sent' (a process killed there, or a connection lost after the server
accepted the message). Only then is the message flagged `duplicate_risk`: a reclaimed message whose
previous holder had started transmitting, or one sent by a holder that had lost its claim. Every copy
carries the same Message-ID (e-mail) or Idempotency-Key (SMS gateway), derived from the message's
idempotency key, so the receiving side can drop the second copy.
"""

import logging
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from flask import current_app
from sqlalchemy import and_, func, or_, select, update

from core import tasks
from core.channels import DeliveryError, EmailChannel, InAppChannel, SmsChannel
from core.extensions import db
from core.models import Message, utcnow
from core.retry_policy import backoff_delay, is_permanent_failure

log = logging.getLogger(__name__)

STATUSES = ("pending", "sending", "sent", "dead", "cancelled")
# Appended to the holder's claimed_by once it starts transmitting (its send may have gone out).
TRANSMITTING = "#tx"

CHANNELS: dict = {}
_GUARDS: list[Callable] = []


# --- registries ----------------------------------------------------------------------------------


def register_channel(channel) -> None:
    """Add or replace a channel (an object with `name`, `configured(config)`, `send(msg, config)`)."""
    CHANNELS[channel.name] = channel


def register_guard(guard: Callable) -> None:
    """Add a check run just before sending: guard(row) returns a reason to cancel, or None."""
    if guard not in _GUARDS:
        _GUARDS.append(guard)


for _channel in (EmailChannel(), SmsChannel(), InAppChannel()):
    register_channel(_channel)


def table():
    return Message.__table__


def _setting(key: str, default):
    return current_app.config.get(key, default)


# --- claiming and finishing ------------------------------------------------------------------------


def due_ids(now, limit: int, only=None) -> list[int]:
    """Ids of messages ready to send: pending and due, or stuck in 'sending' past their claim
    (`only`: a further condition on the message table, e.g. one package's idempotency keys)."""
    t = table()
    stmt = (
        select(t.c.id)
        .where(
            or_(
                and_(t.c.status == "pending", t.c.next_attempt_at <= now),
                and_(t.c.status == "sending", t.c.claimed_until < now),
            ),
            *([] if only is None else [only]),
        )
        .order_by(t.c.next_attempt_at, t.c.id)
        .limit(limit)
    )
    ids = list(db.session.scalars(stmt))
    db.session.rollback()  # end the read so the claims below start write-first (SQLite)
    return ids


def _write(stmt) -> int:
    rowcount = db.session.execute(stmt).rowcount
    db.session.commit()
    return rowcount


def claim(message_id: int, worker: str, now=None) -> str | None:
    """Take one message for sending: 'claimed', 'reclaimed' (its claim had expired) or None."""
    t, now = table(), now or utcnow()
    until = now + timedelta(seconds=_setting("OUTBOX_CLAIM_SECONDS", 120))
    values = {"status": "sending", "claimed_by": worker, "claimed_until": until}
    fresh = update(t).where(
        t.c.id == message_id, t.c.status == "pending", t.c.next_attempt_at <= now
    )
    if _write(fresh.values(**values)) == 1:
        return "claimed"
    stale = update(t).where(t.c.id == message_id, t.c.status == "sending", t.c.claimed_until < now)
    # The previous holder may have sent it only if it had started transmitting: flag that case only.
    was_transmitting = t.c.claimed_by.like(f"%{TRANSMITTING}")
    risk = or_(t.c.duplicate_risk.is_(True), was_transmitting)
    if _write(stale.values(duplicate_risk=risk, **values)) == 1:
        log.warning(
            "Message %s: the claim of a stopped worker expired; reclaimed (flagged as a possible "
            "duplicate if that worker had started sending it).",
            message_id,
        )
        return "reclaimed"
    return None


def _start_transmitting(message_id: int, worker: str) -> bool:
    """Record, before the channel is called, that this holder's send may go out."""
    t = table()
    stmt = update(t).where(t.c.id == message_id, t.c.claimed_by == worker, t.c.status == "sending")
    return _write(stmt.values(claimed_by=worker + TRANSMITTING)) == 1


def _finish(message_id: int, worker: str, **values) -> bool:
    """Record the outcome, only while this worker still holds the claim."""
    t = table()
    stmt = update(t).where(t.c.id == message_id, t.c.claimed_by == worker, t.c.status == "sending")
    return _write(stmt.values(claimed_until=None, updated_at=utcnow(), **values)) == 1


def _cancel_reason(row) -> str | None:
    try:
        for guard in _GUARDS:
            reason = guard(row)
            if reason:
                return reason
        return None
    finally:
        db.session.rollback()


def _failed(row, worker: str, error: DeliveryError, now) -> str:
    attempts = row.attempts + 1
    permanent = is_permanent_failure(error.code)
    if permanent or attempts >= _setting("OUTBOX_MAX_ATTEMPTS", 10):
        _finish(row.id, worker, status="dead", attempts=attempts, last_error=str(error)[:300])
        log.warning("Message %s moved to the dead letters: %s", row.id, error.code)
        return "dead"
    delay = backoff_delay(
        attempts,
        base=timedelta(seconds=_setting("OUTBOX_RETRY_BASE_SECONDS", 30)),
        cap=timedelta(seconds=_setting("OUTBOX_RETRY_CAP_SECONDS", 6 * 3600)),
    )
    _finish(
        row.id,
        worker,
        status="pending",
        attempts=attempts,
        next_attempt_at=now + delay,
        last_error=str(error)[:300],
    )
    log.info("Message %s failed (%s); retry in %.1f s", row.id, error.code, delay.total_seconds())
    return "retry"


def deliver_one(row, worker: str) -> str:
    """Send one claimed message; returns 'sent', 'retry', 'dead', 'cancelled' or 'unconfigured'."""
    reason = _cancel_reason(row)
    if reason:
        _finish(row.id, worker, status="cancelled", last_error=reason[:300])
        return "cancelled"
    config, now = current_app.config, utcnow()
    channel = CHANNELS.get(row.channel)
    if channel is None:
        _finish(row.id, worker, status="dead", last_error=f"unknown channel {row.channel}")
        return "dead"
    if not channel.configured(config):
        delay = timedelta(seconds=_setting("OUTBOX_UNCONFIGURED_DELAY_SECONDS", 3600))
        _finish(row.id, worker, status="pending", next_attempt_at=now + delay)
        log.warning(
            "Message %s left pending: the %s channel is not configured (set SMTP_HOST or "
            "SMS_GATEWAY_URL); checking again in %d s.",
            row.id,
            row.channel,
            delay.total_seconds(),
        )
        return "unconfigured"
    if not _start_transmitting(row.id, worker):
        return "taken"  # the claim expired meanwhile and another worker has it
    holder = worker + TRANSMITTING
    try:
        channel.send(row._mapping, config)
    except DeliveryError as error:
        return _failed(row, holder, error, now)
    except Exception as error:  # a bug in a channel must not stop the loop; retry later
        log.exception("Channel %s raised on message %s", row.channel, row.id)
        return _failed(row, holder, DeliveryError("error", repr(error)), now)
    # Accepted: commit at once, the window for a duplicate ends here.
    if not _finish(row.id, holder, status="sent", sent_at=utcnow(), attempts=row.attempts + 1):
        _write(update(table()).where(table().c.id == row.id).values(duplicate_risk=True))
        log.error("Message %s was sent after its claim expired: possible duplicate.", row.id)
    return "sent"


def deliver_due(worker: str, limit: int | None = None, keep_going=None, only=None) -> Counter:
    """Deliver the messages that are due, one claim at a time; safe with several workers.

    `only` narrows the round to some messages (a package delivering its own at once); the claims
    are the same, so such a round and the scheduler's never send one message twice."""
    counts: Counter = Counter()
    limit = limit or _setting("OUTBOX_BATCH_SIZE", 100)
    for message_id in due_ids(utcnow(), limit, only):
        if keep_going is not None and not keep_going():
            counts["stopped"] += 1
            break
        if claim(message_id, worker) is None:
            counts["taken"] += 1
            continue
        t = table()
        row = db.session.execute(select(t).where(t.c.id == message_id)).one()
        db.session.rollback()
        counts[deliver_one(row, worker)] += 1
    return counts


# --- the dead letters and the report of possible duplicates --------------------------------------


def retry(message_id: int) -> bool:
    """Put a dead letter back in the queue, due now, with a fresh attempt count."""
    t = table()
    stmt = update(t).where(t.c.id == message_id, t.c.status == "dead")
    values = {"status": "pending", "attempts": 0, "next_attempt_at": utcnow(), "last_error": None}
    return _write(stmt.values(**values)) == 1


def duplicate_risks() -> list:
    """Messages that may have gone out twice: a worker died after sending, before recording it."""
    t = table()
    return list(db.session.execute(select(t).where(t.c.duplicate_risk.is_(True))))


def status_counts() -> dict[str, int]:
    t = table()
    rows = db.session.execute(select(t.c.status, func.count()).group_by(t.c.status))
    return {status: count for status, count in rows}


def deliver_on_worker() -> dict:
    """The Celery task's delivery round (core.tasks): due messages, claimed under the worker's name."""
    return dict(deliver_due(tasks.worker_name()))


tasks.register("core.deliver_outbox", deliver_on_worker)
