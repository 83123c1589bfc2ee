"""Follow-up plans (一人一策) and their actions. Their messages go through core's outbox (core.models.Message)."""

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Message, Person, TimestampMixin, User, utcnow
from followup.timing import DEFAULT_CADENCE_DAYS

PLAN_STATUSES = ("active", "closed")
ACTION_KINDS = (
    "training",
    "referral",
    "interview_coaching",
    "accommodation_request",
    "job_search",
    "other",
)
ACTION_STATUSES = ("open", "done", "cancelled")


class Plan(TimestampMixin, db.Model):
    """A graduate's follow-up plan: counselor, goals, cadence and the next follow-up date."""

    __tablename__ = "plan"
    __table_args__ = (
        CheckConstraint("cadence_days BETWEEN 1 AND 90", name="cadence_range"),
        CheckConstraint("status IN ('active', 'closed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    counselor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    goals: Mapped[str] = mapped_column(Text, default="")
    cadence_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_CADENCE_DAYS)
    started_on: Mapped[date] = mapped_column(Date)
    last_follow_up_on: Mapped[date | None] = mapped_column(Date)
    next_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    next_kind: Mapped[str | None] = mapped_column(String(20))
    employed_on: Mapped[date | None] = mapped_column(Date)  # job start seen by the plan
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    # The job-search goals kept when a hire switched the plan to retention (restored if undone).
    previous_goals: Mapped[str | None] = mapped_column(Text)
    # What last switched the plan between job search and retention (followup.lifecycle
    # PHASE_REASONS), when, and the follow-up that the switch cancelled.
    phase_reason: Mapped[str | None] = mapped_column(String(30))
    phase_changed_on: Mapped[date | None] = mapped_column(Date)
    cancelled_kind: Mapped[str | None] = mapped_column(String(20))
    cancelled_due_on: Mapped[date | None] = mapped_column(Date)

    person: Mapped[Person] = relationship()
    counselor: Mapped[User | None] = relationship()
    actions: Mapped[list["PlanAction"]] = relationship(
        back_populates="plan", order_by="PlanAction.due_on", cascade="all, delete-orphan"
    )


class PlanAction(TimestampMixin, db.Model):
    """One step of a plan with a due date: training, a referral, interview coaching, ..."""

    __tablename__ = "plan_action"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plan.id"), index=True)
    kind: Mapped[str] = mapped_column(String(30))
    description: Mapped[str] = mapped_column(String(500), default="")
    due_on: Mapped[date | None] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(10), default="open")
    done_on: Mapped[date | None] = mapped_column(Date)

    plan: Mapped[Plan] = relationship(back_populates="actions")


REPLY_MAX_LENGTH = 1000


class MessageReply(db.Model):
    """A graduate's reply to an in-app message, or a counselor's answer to such a reply."""

    __tablename__ = "message_reply"

    id: Mapped[int] = mapped_column(primary_key=True)
    message_id: Mapped[int] = mapped_column(ForeignKey("message.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    author_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    from_person: Mapped[bool] = mapped_column(Boolean)  # the graduate wrote it (else staff)
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # A graduate's reply is answered once (a conditional update: two answers at once, one 409).
    answered_at: Mapped[datetime | None] = mapped_column(DateTime, index=True)
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    message: Mapped[Message] = relationship()
    person: Mapped[Person] = relationship()
    author: Mapped[User | None] = relationship(foreign_keys=[author_id])


class OfficeContact(db.Model):
    """A county office's telephone and e-mail (an admin setting): shown in a message whose
    counselor has no telephone of their own; never an invented number."""

    __tablename__ = "office_contact"

    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(120))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    @property
    def id(self) -> str:
        """The county code, as the row id of audit events."""
        return self.county_code
