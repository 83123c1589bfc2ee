"""Training providers, courses, enrolments and stored effectiveness evaluations."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Person, TimestampMixin, utcnow

COURSE_LEVELS = ("beginner", "intermediate", "advanced")
COURSE_MODES = ("online", "in_person")
COURSE_STATUSES = ("open", "closed")
ENROLMENT_STATUSES = ("applied", "accepted", "attending", "completed", "certified", "dropped")
EVALUATION_SCOPES = ("course", "provider", "province")


class Provider(TimestampMixin, db.Model):
    """A training provider (培训机构), identified by its unified social credit code."""

    __tablename__ = "provider"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    licence: Mapped[str] = mapped_column(String(60), default="")
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    counties_served: Mapped[list] = mapped_column(JSON, default=list)
    venue_accessibility: Mapped[list] = mapped_column(JSON, default=list)
    address: Mapped[str] = mapped_column(String(200), default="")
    contact_phone: Mapped[str] = mapped_column(String(20), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    courses: Mapped[list["Course"]] = relationship(back_populates="provider")


class Course(TimestampMixin, db.Model):
    """A course of a provider; `seats_taken` only ever grows by a conditional update."""

    __tablename__ = "course"
    __table_args__ = (
        CheckConstraint("seats >= 1", name="seats_positive"),
        CheckConstraint("seats_taken >= 0 AND seats_taken <= seats", name="seats_respected"),
        CheckConstraint("starts_on <= ends_on", name="dates_ordered"),
        CheckConstraint("mode IN ('online', 'in_person')", name="mode"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_id: Mapped[int] = mapped_column(ForeignKey("provider.id"), index=True)
    title: Mapped[str] = mapped_column(String(200), index=True)
    description: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list] = mapped_column(JSON, default=list)  # skill vocabulary ids
    level: Mapped[str] = mapped_column(String(20), default="beginner")
    mode: Mapped[str] = mapped_column(String(10), default="in_person")
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    venue: Mapped[str] = mapped_column(String(200), default="")
    starts_on: Mapped[date] = mapped_column(Date, index=True)
    ends_on: Mapped[date] = mapped_column(Date, index=True)
    schedule: Mapped[str] = mapped_column(String(200), default="")
    hours: Mapped[int] = mapped_column(Integer, default=0)
    seats: Mapped[int] = mapped_column(Integer)
    seats_taken: Mapped[int] = mapped_column(Integer, default=0)
    accessibility: Mapped[list] = mapped_column(JSON, default=list)
    cost: Mapped[Decimal] = mapped_column(Numeric(10, 2), default=Decimal("0"))
    free_for_disabled: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)

    provider: Mapped[Provider] = relationship(back_populates="courses")

    @property
    def seats_left(self) -> int:
        return max(0, self.seats - self.seats_taken)


class Enrolment(TimestampMixin, db.Model):
    """One person in one course, with its status history; unique per person and course."""

    __tablename__ = "enrolment"
    __table_args__ = (UniqueConstraint("person_id", "course_id", name="one_enrolment_per_course"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    course_id: Mapped[int] = mapped_column(ForeignKey("course.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="applied", index=True)
    applied_on: Mapped[date] = mapped_column(Date)
    completed_on: Mapped[date | None] = mapped_column(Date, index=True)
    certificate: Mapped[bool] = mapped_column(Boolean, default=False)
    certificate_no: Mapped[str] = mapped_column(String(60), default="")
    drop_reason: Mapped[str] = mapped_column(String(300), default="")
    history: Mapped[list] = mapped_column(JSON, default=list)  # [{status, at, by, reason}]
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    person: Mapped[Person] = relationship()
    course: Mapped[Course] = relationship()


class CourseEvaluation(db.Model):
    """Rates of one course, one provider or the province as of a date, with 95% Wilson intervals."""

    __tablename__ = "course_evaluation"
    __table_args__ = (
        UniqueConstraint("as_of", "scope", "subject_id", name="one_evaluation_per_day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    as_of: Mapped[date] = mapped_column(Date, index=True)
    scope: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int] = mapped_column(Integer, default=0)  # course or provider id; 0 province
    course_id: Mapped[int | None] = mapped_column(ForeignKey("course.id"), index=True)
    provider_id: Mapped[int | None] = mapped_column(ForeignKey("provider.id"), index=True)
    enrolled: Mapped[int] = mapped_column(Integer, default=0)
    completed: Mapped[int] = mapped_column(Integer, default=0)
    concluded: Mapped[int] = mapped_column(Integer, default=0)
    completion_rate: Mapped[float | None] = mapped_column(Float)
    completion_low: Mapped[float | None] = mapped_column(Float)
    completion_high: Mapped[float | None] = mapped_column(Float)
    certified: Mapped[int] = mapped_column(Integer, default=0)
    certificate_rate: Mapped[float | None] = mapped_column(Float)
    certificate_low: Mapped[float | None] = mapped_column(Float)
    certificate_high: Mapped[float | None] = mapped_column(Float)
    employed_6m: Mapped[int] = mapped_column(Integer, default=0)
    employment_due: Mapped[int] = mapped_column(Integer, default=0)
    employment_rate: Mapped[float | None] = mapped_column(Float)
    employment_low: Mapped[float | None] = mapped_column(Float)
    employment_high: Mapped[float | None] = mapped_column(Float)
    computed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
