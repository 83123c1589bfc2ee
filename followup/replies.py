"""Replies in the app: a graduate answers a message, the county's counselors see unanswered replies
and answer them once; the county office's contact (an admin setting) for the messages' signature."""

from flask_babel import gettext as _
from sqlalchemy import select

from core import audit
from core.access import scope_filter
from core.database import ServiceError, decide_once
from core.extensions import db
from core.models import Message, utcnow
from followup.access import STAFF_ONLY_KINDS
from followup.models import REPLY_MAX_LENGTH, MessageReply, OfficeContact


def _body(text: str | None) -> str:
    body = (text or "").strip()
    if not body:
        raise ServiceError({"body": [_("Write your reply.")]})
    if len(body) > REPLY_MAX_LENGTH:
        raise ServiceError(
            {"body": [_("A reply has at most %(n)s characters.", n=REPLY_MAX_LENGTH)]}
        )
    return body


def reply(user, message: Message, text: str) -> MessageReply:
    """The graduate replies to one of their in-app messages (audited)."""
    if user.role != "graduate" or message.person_id != user.person_id:
        raise ServiceError({"message_id": [_("You can reply only to your own messages.")]}, 403)
    if message.channel != "in_app" or message.kind in STAFF_ONLY_KINDS:
        raise ServiceError({"message_id": [_("This message cannot be answered here.")]}, 409)
    row = MessageReply(
        message_id=message.id,
        person_id=message.person_id,
        author_id=user.id,
        from_person=True,
        body=_body(text),
    )
    db.session.add(row)
    db.session.flush()
    audit.record("create", row, None, audit.snapshot(row))
    db.session.commit()
    return row


def answer(user, question: MessageReply, text: str) -> MessageReply:
    """A counselor of the person's county answers a reply, once: two answers at once, one 409."""
    if user.role not in ("counselor", "admin") or not question.from_person:
        raise ServiceError({"reply_id": [_("Only a graduate's reply can be answered.")]}, 409)
    body = _body(text)
    before = audit.snapshot(question)
    message = _("This reply was already answered.")
    values = {"answered_at": utcnow(), "answered_by_id": user.id}
    decide_once(db.session, question, {"answered_at": None}, values, "body", message)
    row = MessageReply(
        message_id=question.message_id,
        person_id=question.person_id,
        author_id=user.id,
        from_person=False,
        body=body,
    )
    db.session.add(row)
    question.message.read_at = None  # news in the graduate's thread: the message is unread again
    db.session.flush()
    audit.record_change(question, before, action="answer")
    audit.record("create", row, None, audit.snapshot(row))
    db.session.commit()
    return row


def thread(message_id: int) -> list[MessageReply]:
    """The replies and answers under one message, oldest first."""
    stmt = select(MessageReply).where(MessageReply.message_id == message_id)
    return list(db.session.scalars(stmt.order_by(MessageReply.created_at, MessageReply.id)))


def threads(message_ids: list[int]) -> dict[int, list[MessageReply]]:
    stmt = select(MessageReply).where(MessageReply.message_id.in_(message_ids))
    out: dict[int, list[MessageReply]] = {}
    for row in db.session.scalars(stmt.order_by(MessageReply.created_at, MessageReply.id)):
        out.setdefault(row.message_id, []).append(row)
    return out


def unanswered_query(user):
    """The graduates' replies in the user's scope that no counselor answered yet."""
    return select(MessageReply).where(
        scope_filter(MessageReply, user),
        MessageReply.from_person.is_(True),
        MessageReply.answered_at.is_(None),
    )


def unanswered(user, limit: int = 200) -> list[MessageReply]:
    stmt = unanswered_query(user).order_by(MessageReply.created_at, MessageReply.id)
    return list(db.session.scalars(stmt.limit(limit)))


def office_contact(county_code: str) -> OfficeContact | None:
    return db.session.get(OfficeContact, county_code)


def set_office_contact(user, county_code: str, phone: str | None, email: str | None):
    """An administrator sets a county office's telephone and e-mail (audited)."""
    row = db.session.get(OfficeContact, county_code)
    before = audit.snapshot(row) if row is not None else None
    if row is None:
        row = OfficeContact(county_code=county_code)
        db.session.add(row)
    row.phone, row.email, row.updated_by = phone or None, email or None, user.id
    db.session.flush()
    audit.record_saved(row, before)
    db.session.commit()
    return row
