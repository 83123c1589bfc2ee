"""Income disregard for low-income families: the start, the dated phases, reminders and offers."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from flask_babel import refresh
from sqlalchemy import select

from core.extensions import db
from core.models import AuditEvent
from employment import disregard, jobs, rules
from employment.models import DisregardReminder, IncomeDisregard
from tests import factories


@pytest.fixture
def low_income(app):
    return factories.make_person(name="王低保", low_income=True)


def test_counselor_records_the_start_and_sees_the_phases(client, auth, counselor, low_income):
    auth.login(counselor)
    response = client.post(
        f"/employment/people/{low_income.id}/disregard", data={"start_date": "2025-03-15"}
    )
    assert response.status_code == 302
    record = db.session.scalar(select(IncomeDisregard))
    assert (record.status, record.start_date) == ("active", date(2025, 3, 15))
    reminders = [(r.remind_on, r.change_on, r.new_share) for r in record.reminders]
    assert reminders == [
        (date(2028, 2, 14), date(2028, 3, 15), Decimal("0.75")),
        (date(2028, 5, 16), date(2028, 6, 15), Decimal("0.50")),
        (date(2028, 8, 16), date(2028, 9, 15), Decimal("0.25")),
        (date(2028, 11, 15), date(2028, 12, 15), Decimal("0.00")),
    ]
    refresh()  # requests share the test's app context: forget the cached locale
    page = client.get(f"/employment/disregards/{record.id}?lang=en").get_data(as_text=True)
    for shown in ("2025", "2028", "75%", "100%", "open-ended"):
        assert shown in page
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.table_name == "income_disregard"))
    again = client.post(
        f"/employment/people/{low_income.id}/disregard", data={"start_date": "2025-03-15"}
    )
    assert again.status_code == 409


def test_only_low_income_families_and_no_future_dates(client, auth, counselor, low_income):
    other = factories.make_person()
    auth.login(counselor)
    url = f"/employment/people/{other.id}/disregard"
    assert client.post(url, data={"start_date": "2025-03-15"}).status_code == 422
    future = (date.today() + timedelta(days=3)).isoformat()
    url = f"/employment/people/{low_income.id}/disregard"
    assert client.post(url, data={"start_date": future}).status_code == 422
    assert client.post(url, data={"start_date": "not a date"}).status_code == 422
    assert db.session.query(IncomeDisregard).count() == 0


def test_taking_a_job_offers_the_disregard_automatically(client, auth, counselor, low_income):
    not_low = factories.make_person()
    for person in (low_income, not_low):
        person.employment_type = "full_time"
    db.session.commit()
    offers = db.session.scalars(select(IncomeDisregard)).all()
    assert [(o.person_id, o.status) for o in offers] == [(low_income.id, "offered")]
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "offer"))
    low_income.employment_type = "flexible"  # a change between jobs offers nothing new
    db.session.commit()
    assert db.session.query(IncomeDisregard).count() == 1
    auth.login(counselor)
    page = client.get("/employment/disregards").get_data(as_text=True)
    assert "王低保" in page
    start = (date.today() - timedelta(days=5)).isoformat()
    response = client.post(
        f"/employment/people/{low_income.id}/disregard", data={"start_date": start}
    )
    assert response.status_code == 302
    db.session.expire_all()
    assert offers[0].status == "active" and len(offers[0].reminders) == 4


def test_an_offer_can_be_set_aside(client, auth, counselor, other_counselor, low_income):
    low_income.employment_type = "full_time"
    db.session.commit()
    offer = db.session.scalar(select(IncomeDisregard))
    auth.login(other_counselor)
    assert client.post(f"/employment/disregards/{offer.id}/dismiss").status_code == 404
    auth.logout()
    auth.login(counselor)
    assert client.post(f"/employment/disregards/{offer.id}/dismiss").status_code == 302
    db.session.expire_all()
    assert offer.status == "dismissed"


def test_due_reminders_are_listed_notified_and_marked_done(
    app, client, auth, counselor, other_counselor, low_income, runner
):
    start = rules.add_months(date.today(), -36) + timedelta(days=10)
    record = disregard.record_start(counselor, low_income, start)
    due = disregard.due_reminders(counselor)
    assert [r.change_on for r in due] == [rules.add_months(start, 36)]
    assert disregard.due_reminders(other_counselor) == []
    result = runner.invoke(args=["employment", "reminders"])
    assert result.exit_code == 0 and "1 reminders due" in result.output
    job = next(j for j in jobs.JOBS if j["id"] == "employment.reminders")
    assert job["func"]() == 0  # already notified
    reminder = db.session.get(DisregardReminder, due[0].id)
    assert reminder.notified_at is not None
    auth.login(counselor)
    page = client.get("/employment/disregards").get_data(as_text=True)
    assert "王低保" in page and f"/employment/reminders/{reminder.id}/done" in page
    assert client.post(f"/employment/reminders/{reminder.id}/done").status_code == 302
    assert disregard.due_reminders(counselor) == []
    assert record.id == reminder.disregard_id


def test_a_due_reminder_queues_an_in_app_message_when_the_outbox_exists(app, counselor, low_income):
    message = pytest.importorskip("core.models").Message
    start = rules.add_months(date.today(), -36) + timedelta(days=10)
    disregard.record_start(counselor, low_income, start)
    assert disregard.notify_due() == 1
    rows = db.session.scalars(select(message)).all()
    assert [(m.channel, m.recipient) for m in rows] == [("in_app", "counselor:counselor_t")]
    change = rules.add_months(start, 36).isoformat()
    assert rows[0].body == f"{change} 起就业收入豁免比例调整为 75%，请提前告知家庭并核对低保待遇"
    assert rows[0].subject == f"收入豁免调整提醒：{low_income.name}"
