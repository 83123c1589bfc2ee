"""Reminders of the quota calendar: once per occasion however often the job runs, in-app and e-mail."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from core import outbox
from core.channels import DeliveryError
from core.extensions import db
from quota.jobs import JOBS
from quota.models import QuotaReminder
from quota.services import reminders, requests
from quota.services.year_settings import payment_deadline
from tests.integration.quota_helpers import YEAR, employer_account
from tests.integration.quota_year_helpers import assess_year, levied_employer, submit

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")


class FakeEmail:
    name = "email"

    def __init__(self, fail_first=False):
        self.sent, self.fail_first = [], fail_first

    def configured(self, config):
        return True

    def send(self, message, config):
        if self.fail_first:
            self.fail_first = False
            raise DeliveryError("timeout", "slow server")
        self.sent.append(message)


@pytest.fixture
def email(monkeypatch):
    fake = FakeEmail()
    monkeypatch.setitem(outbox.CHANNELS, "email", fake)
    return fake


def _keys(employer_id=None):
    stmt = select(QuotaReminder.kind).order_by(QuotaReminder.id)
    if employer_id is not None:
        stmt = stmt.where(QuotaReminder.employer_id == employer_id)
    return db.session.scalars(stmt).all()


def test_window_reminders_once_to_those_who_have_not_filed(app, email):
    waiting, _ = employer_account(name="未申报公司", contact_email="hr@example.cn")
    filed, _ = employer_account(name="已申报公司")
    submit(filed)
    app.config["QUOTA_FILING_WINDOW"] = ("05-01", "06-30")
    opened = date(YEAR + 1, 5, 2)
    assert reminders.run(opened)["created"] == 1
    assert _keys(waiting.id) == ["window_open"] and _keys(filed.id) == []
    closing = date(YEAR + 1, 6, 25)
    assert reminders.run(closing)["created"] == 1  # the closing reminder, the opening one not again
    for _ in range(3):
        assert reminders.run(closing + timedelta(days=1))["created"] == 0
    assert _keys(waiting.id) == ["window_open", "window_closing"]
    assert [m["recipient"] for m in email.sent] == ["hr@example.cn"] * 2  # e-mailed once each
    assert f"{YEAR + 1}-06-30" in email.sent[1]["body"]
    assert reminders.run(date(YEAR + 1, 7, 1))["created"] == 0  # the window closed


def test_payment_deadline_reminder_follows_a_deferral(app, admin):
    employer, user = levied_employer(contact_email=None)
    assess_year()
    deadline = payment_deadline(YEAR)
    app.config["QUOTA_FILING_WINDOW"] = "closed"
    assert reminders.run(deadline - timedelta(days=8))["created"] == 0  # not yet
    assert reminders.run(deadline - timedelta(days=3))["created"] == 1
    assert reminders.run(deadline - timedelta(days=2))["created"] == 0
    later = deadline + timedelta(days=60)
    item = requests.apply(
        employer,
        {"kind": "deferral", "data_year": YEAR, "reason": "洪灾", "deadline": later},
        user=user,
    )
    requests.decide(item, {"outcome": "approve"}, admin)
    result = reminders.run(later - timedelta(days=1))
    assert result["created"] == 2  # the new deadline, and the decision
    assert _keys(employer.id) == ["payment_due", "payment_due", "decision"]
    reminder = db.session.scalars(select(QuotaReminder).order_by(QuotaReminder.id)).all()[0]
    assert reminder.email_status == "none"  # no contact address: in-app only


def test_email_retried_after_a_transient_failure(app, monkeypatch, admin):
    fake = FakeEmail(fail_first=True)
    monkeypatch.setitem(outbox.CHANNELS, "email", fake)
    monkeypatch.setattr(outbox, "backoff_delay", lambda attempt, **_: timedelta(0))
    employer, user = levied_employer(contact_email="boss@example.cn")
    assess_year()
    item = requests.apply(
        employer, {"kind": "relief", "data_year": YEAR, "reason": "火灾", "amount": 1000}
    )
    requests.decide(item, {"outcome": "refuse", "reason": "证据不足"}, admin)
    app.config["QUOTA_FILING_WINDOW"] = "closed"
    first = reminders.run(date(YEAR + 3, 1, 1))
    assert first["created"] == 1 and fake.sent == []
    JOBS[1]["func"]()  # the scheduler's job: nothing new, the e-mail goes out now
    assert [m["recipient"] for m in fake.sent] == ["boss@example.cn"]
    assert db.session.scalar(select(func.count()).select_from(QuotaReminder)) == 1


def test_employer_reads_its_reminders_only(app, client, auth, api_headers):
    employer, user = employer_account()
    other, other_user = employer_account(name="其他公司")
    app.config["QUOTA_FILING_WINDOW"] = ("05-01", "06-30")
    reminders.run(date(YEAR + 1, 5, 2))
    mine = db.session.scalar(select(QuotaReminder).where(QuotaReminder.employer_id == employer.id))
    auth.login(user)
    page = client.get("/quota/reminders").get_data(as_text=True)
    assert mine.subject in page
    assert client.post(f"/quota/reminders/{mine.id}/read").status_code == 302
    db.session.expire_all()
    assert db.session.get(QuotaReminder, mine.id).read_at is not None
    api = client.get("/api/v1/quota/reminders", headers=api_headers(user))
    assert [r["id"] for r in api.json] == [mine.id]
    auth.login(other_user)
    assert client.post(f"/quota/reminders/{mine.id}/read").status_code == 404


def test_reminders_are_outbox_messages_to_the_employer_sent_once(app, client, auth, admin):
    from core.models import Message

    class Refusing(FakeEmail):
        def send(self, message, config):
            self.sent.append(message)
            raise DeliveryError("smtp:550", "mailbox unavailable")

    refusing = Refusing()
    outbox.CHANNELS["email"], original = refusing, outbox.CHANNELS["email"]
    try:
        employer, user = employer_account(name="提醒公司", contact_email="nobody@example.cn")
        app.config["QUOTA_FILING_WINDOW"] = ("05-01", "06-30")
        for _ in range(3):
            reminders.run(date(YEAR + 1, 5, 2))
            outbox.deliver_due("scheduler")  # the scheduler's loop as well: claims keep it to one
    finally:
        outbox.CHANNELS["email"] = original
    rows = db.session.scalars(select(Message).order_by(Message.id)).all()
    assert [(m.channel, m.employer_id, m.person_id, m.status) for m in rows] == [
        ("in_app", employer.id, None, "sent"),
        ("email", employer.id, None, "dead"),
    ]
    assert len(refusing.sent) == 1  # a permanent refusal: tried once, then a dead letter
    reminder = db.session.scalar(select(QuotaReminder))
    assert reminder.email_status == "dead"
    auth.login(admin)
    page = client.get("/followup/dead-letters").get_data(as_text=True)
    assert "提醒公司" in page and "smtp:550" in page
    auth.logout()
    reminders.mark_read(reminder)
    db.session.expire_all()
    assert db.session.get(Message, rows[0].id).read_at is not None
