"""Reminders of the quota calendar to employers: in-app, and by e-mail to the employer's contact.

Occasions, each reminded once per employer however often the job runs (a unique key per occasion):
- the filing window of data year Y (filed in Y+1) is open: employers that have not filed yet;
- the window closes within `QUOTA_REMINDER_DAYS` days (default 7): employers still not filed;
- the payment deadline (after any deferral) is within that many days and part of the levy is unpaid;
  a deferred deadline is a new occasion;
- a decision on a request (relief, deferral, review, reward) or a reward payment.

Each reminder is written once to `quota_reminder` (the occasion, the employer's in-app list) and, in
the same transaction, to the outbox (`core.models.Message`, addressed to the employer): an in-app
copy and, when the employer has a contact address, an e-mail. The outbox delivers them with its
claims, retry policy and dead letters (core.outbox), so they appear in the delivery status and the
failed messages like any other message; `run` delivers its own messages at once, and the scheduler's
outbox loop picks up the rest (a retry, an e-mail left while SMTP was not configured). The
reminder's `email_status` mirrors its e-mail message's status. The scheduler runs `run` daily
(quota.jobs).
"""

import logging
import os
import socket
from datetime import date
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError

from core import outbox
from core.extensions import db
from core.models import Employer, Message, utcnow
from quota.models import QuotaFiling, QuotaReminder, QuotaRequest
from quota.services import dues, payments
from quota.services.review import FILED
from quota.services.year_settings import filing_window_for

log = logging.getLogger(__name__)
DEFAULT_DAYS_BEFORE = 7  # QUOTA_REMINDER_DAYS: how early a closing window or deadline is reminded


def days_before() -> int:
    return int(current_app.config.get("QUOTA_REMINDER_DAYS", DEFAULT_DAYS_BEFORE))


def _filed(year: int) -> set[int]:
    return set(
        db.session.scalars(
            select(QuotaFiling.employer_id).where(
                QuotaFiling.data_year == year, QuotaFiling.status.in_(FILED)
            )
        )
    )


def _window_occasions(today: date) -> list[dict]:
    year = today.year - 1
    window = filing_window_for(year)
    if window is None or not window[0] <= today <= window[1]:
        return []
    opens, closes = window
    closing = (closes - today).days <= days_before()
    filed = _filed(year)
    found = []
    for employer_id in db.session.scalars(select(Employer.id).order_by(Employer.id)):
        if employer_id in filed:
            continue
        found.append(
            {
                "key": f"window_open:{year}:{employer_id}",
                "kind": "window_open",
                "employer_id": employer_id,
                "data_year": year,
                "subject": _("The quota review of %(year)s is open", year=year),
                "body": _(
                    "File your employment of persons with disabilities in %(year)s between "
                    "%(opens)s and %(closes)s.",
                    year=year,
                    opens=opens.isoformat(),
                    closes=closes.isoformat(),
                ),
            }
        )
        if closing:
            found.append(
                {
                    "key": f"window_closing:{year}:{employer_id}",
                    "kind": "window_closing",
                    "employer_id": employer_id,
                    "data_year": year,
                    "subject": _(
                        "The quota review of %(year)s closes on %(date)s",
                        year=year,
                        date=closes.isoformat(),
                    ),
                    "body": _(
                        "You have not filed for %(year)s yet. An employer that does not file by "
                        "%(date)s loses the recognition of its disabled employees for the year.",
                        year=year,
                        date=closes.isoformat(),
                    ),
                }
            )
    return found


def _payment_occasions(today: date) -> list[dict]:
    found = []
    for year in (today.year - 1, today.year - 2):
        paid = payments.paid_by(year)
        for employer_id in db.session.scalars(
            select(QuotaFiling.employer_id).where(QuotaFiling.data_year == year)
        ):
            owed = dues.due(employer_id, year)
            if owed is None:
                continue
            outstanding = owed["amount_due"] - paid.get(employer_id, Decimal("0"))
            deadline = owed["deadline"]
            if outstanding <= 0 or not 0 <= (deadline - today).days <= days_before():
                continue
            found.append(
                {
                    "key": f"payment_due:{year}:{employer_id}:{deadline.isoformat()}",
                    "kind": "payment_due",
                    "employer_id": employer_id,
                    "data_year": year,
                    "subject": _(
                        "The levy of %(year)s is due by %(date)s",
                        year=year,
                        date=deadline.isoformat(),
                    ),
                    "body": _(
                        "%(amount)s yuan of the levy of %(year)s is unpaid. Pay by %(date)s; a late "
                        "payment carries a late fee.",
                        amount=format(outstanding, ",.2f"),
                        year=year,
                        date=deadline.isoformat(),
                    ),
                }
            )
    return found


def _decision_occasions() -> list[dict]:
    found = []
    for request in db.session.scalars(
        select(QuotaRequest).where(QuotaRequest.decided_at.is_not(None)).order_by(QuotaRequest.id)
    ):
        found.append(
            {
                "key": f"decision:{request.id}:{request.status}",
                "kind": "decision",
                "employer_id": request.employer_id,
                "data_year": request.data_year,
                "subject": _("A decision on your request #%(id)s", id=request.id),
                "body": _(
                    "The federation decided on your request #%(id)s for %(year)s; see the quota "
                    "review page for the decision and its reason.",
                    id=request.id,
                    year=request.data_year,
                ),
            }
        )
    return found


def occasions(today: date) -> list[dict]:
    """Every reminder the calendar calls for today (already sent ones included)."""
    with force_locale("zh"):
        return _window_occasions(today) + _payment_occasions(today) + _decision_occasions()


def run(today: date | None = None) -> dict:
    """Create the reminders not yet made, then send the e-mails that are due."""
    today = today or date.today()
    wanted = occasions(today)
    keys = [o["key"] for o in wanted]
    known = set()
    for start in range(0, len(keys), 1000):
        known |= set(
            db.session.scalars(
                select(QuotaReminder.key).where(QuotaReminder.key.in_(keys[start : start + 1000]))
            )
        )
    emails = dict(db.session.execute(select(Employer.id, Employer.contact_email)).all())
    created = 0
    for occasion in wanted:
        if occasion["key"] in known:
            continue
        known.add(occasion["key"])
        address = emails.get(occasion["employer_id"])
        try:
            with db.session.begin_nested():
                db.session.add(
                    QuotaReminder(
                        **occasion,
                        email_to=address,
                        email_status="pending" if address else "none",
                    )
                )
                for message in _messages(occasion, address):
                    db.session.add(message)
            created += 1
        except IntegrityError:  # another run made it meanwhile
            continue
    db.session.commit()
    return {"created": created, **send_emails()}


KEY_PREFIX = "quota-reminder:"
MESSAGE_KIND = "quota_reminder"


def _message_key(reminder_key: str, channel: str) -> str:
    suffix = "" if channel == "email" else f":{channel}"  # the e-mail keeps its earlier key
    return f"{KEY_PREFIX}{reminder_key}{suffix}"


def _messages(occasion: dict, address: str | None) -> list[Message]:
    """The outbox rows of one reminder: the in-app copy, and the e-mail when there is an address."""
    channels = [("in_app", None)] + ([("email", address)] if address else [])
    return [
        Message(
            idempotency_key=_message_key(occasion["key"], channel),
            employer_id=occasion["employer_id"],
            channel=channel,
            kind=MESSAGE_KIND,
            recipient=recipient,
            subject=occasion["subject"],
            body=occasion["body"],
        )
        for channel, recipient in channels
    ]


def _worker() -> str:
    return f"quota-reminders:{socket.gethostname()[:30]}:{os.getpid()}"


def send_emails(limit: int = 500) -> dict:
    """Deliver the reminders' due outbox messages now (claims as in the scheduler's loop, so never
    twice), then mirror each e-mail's outcome on its reminder."""
    t = outbox.table()
    ours = t.c.idempotency_key.like(f"{KEY_PREFIX}%")
    outbox.deliver_due(_worker(), limit=limit, only=ours & (t.c.channel == "in_app"))
    counts = outbox.deliver_due(_worker(), limit=limit, only=ours & (t.c.channel == "email"))
    sync_email_status()
    return {"emailed": counts["sent"], "email_failed": counts["dead"]}


def sync_email_status() -> int:
    """Copy the e-mail messages' delivery state onto the reminders still waiting for it."""
    waiting = db.session.scalars(
        select(QuotaReminder).where(QuotaReminder.email_status.in_(("pending", "sending")))
    ).all()
    if not waiting:
        return 0
    by_key = {_message_key(r.key, "email"): r for r in waiting}
    changed = 0
    keys = list(by_key)
    for start in range(0, len(keys), 1000):
        rows = db.session.execute(
            select(
                Message.idempotency_key,
                Message.status,
                Message.attempts,
                Message.sent_at,
                Message.last_error,
            ).where(Message.idempotency_key.in_(keys[start : start + 1000]))
        )
        for key, status, attempts, sent_at, error in rows:
            reminder = by_key[key]
            if reminder.email_status != status or reminder.email_attempts != attempts:
                reminder.email_status, reminder.email_attempts = status, attempts
                reminder.email_sent_at, reminder.email_error = sent_at, error
                changed += 1
    db.session.commit()
    return changed


def of_employer(employer_id: int, limit: int = 100) -> list[QuotaReminder]:
    return list(
        db.session.scalars(
            select(QuotaReminder)
            .where(QuotaReminder.employer_id == employer_id)
            .order_by(QuotaReminder.created_at.desc(), QuotaReminder.id.desc())
            .limit(limit)
        )
    )


def unread(employer_id: int) -> int:
    return sum(1 for r in of_employer(employer_id) if r.read_at is None)


def mark_read(reminder: QuotaReminder) -> QuotaReminder:
    """Mark the reminder read, and its in-app copy in the outbox with it."""
    if reminder.read_at is None:
        reminder.read_at = utcnow()
        db.session.execute(
            update(Message)
            .where(
                Message.idempotency_key == _message_key(reminder.key, "in_app"),
                Message.read_at.is_(None),
            )
            .values(read_at=reminder.read_at)
        )
        db.session.commit()
    return reminder


def run_job() -> dict:
    """The scheduler's daily run."""
    return run()
