"""Follow-up plans (一人一策), their actions, the outbox of messages, and the scheduler's lease."""

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
from core.models import Person, TimestampMixin, User, utcnow

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
MESSAGE_CHANNELS = ("email", "sms", "in_app")
MESSAGE_STATUSES = ("pending", "sending", "sent", "dead", "cancelled")


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
    cadence_days: Mapped[int] = mapped_column(Integer, default=14)
    started_on: Mapped[date] = mapped_column(Date)
    last_follow_up_on: Mapped[date | None] = mapped_column(Date)
    next_due_on: Mapped[date | None] = mapped_column(Date, index=True)
    next_kind: Mapped[str | None] = mapped_column(String(20))
    employed_on: Mapped[date | None] = mapped_column(Date)  # job start seen by the plan
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)

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


class Message(TimestampMixin, db.Model):
    """The outbox: one message on one channel, written once (unique key), delivered by core.outbox."""

    __tablename__ = "message"
    __table_args__ = (
        CheckConstraint("channel IN ('email', 'sms', 'in_app')", name="channel"),
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'dead', 'cancelled')", name="status"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("plan.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    kind: Mapped[str] = mapped_column(String(20))
    recipient: Mapped[str | None] = mapped_column(String(120))
    subject: Mapped[str] = mapped_column(String(200), default="")
    body: Mapped[str] = mapped_column(Text)
    due_on: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    claimed_by: Mapped[str | None] = mapped_column(String(80))
    claimed_until: Mapped[datetime | None] = mapped_column(DateTime)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_error: Mapped[str | None] = mapped_column(String(300))
    duplicate_risk: Mapped[bool] = mapped_column(Boolean, default=False)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)

    person: Mapped[Person] = relationship()
    plan: Mapped[Plan | None] = relationship()


class SchedulerLease(db.Model):
    """The one row that says which scheduler process may act, and until when."""

    __tablename__ = "scheduler_lease"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    holder: Mapped[str] = mapped_column(String(80))
    acquired_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)


class SchedulerHeartbeat(db.Model):
    """Each scheduler process's last sign of life, for the admin page."""

    __tablename__ = "scheduler_heartbeat"

    holder: Mapped[str] = mapped_column(String(80), primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    beat_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    leader: Mapped[bool] = mapped_column(Boolean, default=False)


class SchedulerJobRun(db.Model):
    """The last run of each scheduled job, so that a restarted scheduler catches up once."""

    __tablename__ = "scheduler_job_run"

    job_id: Mapped[str] = mapped_column(String(80), primary_key=True)
    last_run_at: Mapped[datetime] = mapped_column(DateTime)
    last_status: Mapped[str] = mapped_column(String(10), default="ok")
    last_error: Mapped[str | None] = mapped_column(String(300))
    runs: Mapped[int] = mapped_column(Integer, default=0)
    holder: Mapped[str | None] = mapped_column(String(80))
