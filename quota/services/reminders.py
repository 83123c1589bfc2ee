"""Reminders of the quota calendar to employers: in-app, and by e-mail to the employer's contact.

Occasions, each reminded once per employer however often the job runs (a unique key per occasion):
- the filing window of data year Y (filed in Y+1) is open: employers that have not filed yet;
- the window closes within `QUOTA_REMINDER_DAYS` days (default 7): employers still not filed;
- the payment deadline (after any deferral) is within that many days and part of the levy is unpaid;
  a deferred deadline is a new occasion;
- a decision on a request (relief, deferral, review, reward) or a reward payment.

E-mail goes through the outbox's e-mail channel (core.channels.EmailChannel) with the outbox's retry
policy and settings (core.outbox.backoff_delay, is_permanent_failure, OUTBOX_MAX_ATTEMPTS);
without an SMTP host, reminders stay in-app.
The `message` outbox table addresses persons only, so employer reminders keep their delivery state
here. The scheduler runs `run` daily (quota.jobs).
"""

import logging
from datetime import date, timedelta
from decimal import Decimal

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import outbox
from core.channels import DeliveryError
from core.extensions import db
from core.models import Employer, utcnow
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
                        email_next_at=utcnow() if address else None,
                    )
                )
            created += 1
        except IntegrityError:  # another run made it meanwhile
            continue
    db.session.commit()
    return {"created": created, **send_emails()}


def send_emails(limit: int = 500) -> dict:
    """Send due reminder e-mails through the e-mail channel, retrying transient failures."""
    channel = outbox.CHANNELS["email"]
    config = current_app.config
    if not channel.configured(config):
        return {"emailed": 0, "email_failed": 0}
    now = utcnow()
    due = db.session.scalars(
        select(QuotaReminder)
        .where(QuotaReminder.email_status == "pending", QuotaReminder.email_next_at <= now)
        .order_by(QuotaReminder.id)
        .limit(limit)
    ).all()
    sent = failed = 0
    for reminder in due:
        message = {
            "recipient": reminder.email_to,
            "subject": reminder.subject,
            "body": reminder.body,
            "idempotency_key": f"quota-reminder:{reminder.key}",
        }
        reminder.email_attempts += 1
        try:
            channel.send(message, config)
            reminder.email_status, reminder.email_sent_at = "sent", utcnow()
            sent += 1
        except DeliveryError as error:
            reminder.email_error = f"{error.code} {error}"[:300]
            attempts = config.get("OUTBOX_MAX_ATTEMPTS", 10)
            if outbox.is_permanent_failure(error.code) or reminder.email_attempts >= attempts:
                reminder.email_status = "dead"
                failed += 1
            else:
                reminder.email_next_at = utcnow() + outbox.backoff_delay(
                    reminder.email_attempts,
                    base=timedelta(seconds=config.get("OUTBOX_RETRY_BASE_SECONDS", 30)),
                    cap=timedelta(seconds=config.get("OUTBOX_RETRY_CAP_SECONDS", 21600)),
                )
        db.session.commit()
    return {"emailed": sent, "email_failed": failed}


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
    if reminder.read_at is None:
        reminder.read_at = utcnow()
        db.session.commit()
    return reminder


def run_job() -> dict:
    """The scheduler's daily run."""
    return run()
