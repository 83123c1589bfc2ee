"""Follow-up plans (一人一策) and their actions. Their messages go through core's outbox (core.models.Message)."""

from datetime import date

from sqlalchemy import (
    CheckConstraint,
    Date,
    ForeignKey,
    Integer,
    String,
    Text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Person, TimestampMixin, User
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
