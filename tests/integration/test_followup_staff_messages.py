"""Reminders about a graduate addressed to their counselor never reach the graduate."""

from core.access import scoped
from core.extensions import db
from core.models import Message, utcnow
from followup import services
from tests import factories


def _message(person, kind, key):
    message = Message(
        idempotency_key=key,
        person_id=person.id,
        channel="in_app",
        kind=kind,
        body="提醒",
        status="sent",
        sent_at=utcnow(),
        recipient="counselor:counselor_t" if kind == "counselor_reminder" else None,
    )
    db.session.add(message)
    db.session.commit()
    return message


def test_graduate_sees_follow_ups_but_not_staff_reminders(app, counselor):
    person = factories.make_person(graduation_year=2025)
    graduate = factories.make_user("graduate", person_id=person.id)
    follow_up = _message(person, "cadence", "k-1")
    reminder = _message(person, "counselor_reminder", "k-2")

    assert [m.id for m in services.inbox(person.id)] == [follow_up.id]
    assert [m.id for m in db.session.scalars(scoped(Message, graduate))] == [follow_up.id]
    counselor_sees = {m.id for m in db.session.scalars(scoped(Message, counselor))}
    assert counselor_sees == {follow_up.id, reminder.id}
