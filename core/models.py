"""The shared registries: people, employers, accounts and the audit trail."""

from datetime import UTC, date, datetime

from flask_login import UserMixin
from sqlalchemy import (
    JSON,
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

ROLES = ("admin", "counselor", "employer", "graduate")
UNIT_TYPES = (
    "enterprise",
    "government",
    "public_institution_1",
    "public_institution_2",
    "social_organisation",
    "welfare_enterprise",
    "sheltered_workshop",
)
EDUCATION_LEVELS = (
    "none",
    "primary",
    "junior",
    "senior",
    "vocational",
    "associate",
    "bachelor",
    "master",
    "doctor",
)
EMPLOYMENT_TYPES = ("full_time", "flexible", "home_based", "self_employed", "unemployed")


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


class TimestampMixin:
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class Person(TimestampMixin, db.Model):
    """A person with a disability certificate: the registry every module refers to."""

    __tablename__ = "person"
    __table_args__ = (
        CheckConstraint("disability_category BETWEEN 1 AND 7", name="category_range"),
        CheckConstraint("disability_level BETWEEN 1 AND 4", name="level_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    id_cipher: Mapped[str] = mapped_column(Text)
    id_index: Mapped[str] = mapped_column(String(64), unique=True)
    id_masked: Mapped[str] = mapped_column(String(18))
    cert_cipher: Mapped[str | None] = mapped_column(Text)
    cert_index: Mapped[str | None] = mapped_column(String(64), unique=True)
    cert_masked: Mapped[str | None] = mapped_column(String(20), index=True)
    disability_category: Mapped[int] = mapped_column(Integer)
    disability_level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(50))
    name_pinyin: Mapped[str] = mapped_column(String(200), default="", index=True)
    name_initials: Mapped[str] = mapped_column(String(20), default="", index=True)
    sex: Mapped[str] = mapped_column(String(1))
    birth_date: Mapped[date] = mapped_column(Date)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    phone: Mapped[str | None] = mapped_column(String(20))
    email: Mapped[str | None] = mapped_column(String(120))
    education: Mapped[str] = mapped_column(String(20), default="senior")
    major: Mapped[str | None] = mapped_column(String(100))
    graduation_year: Mapped[int | None] = mapped_column(Integer, index=True)
    household_id: Mapped[str | None] = mapped_column(String(40), index=True)
    low_income: Mapped[bool] = mapped_column(Boolean, default=False)
    employment_type: Mapped[str] = mapped_column(String(20), default="unemployed")
    employed_since: Mapped[date | None] = mapped_column(Date)
    wish_to_work: Mapped[bool] = mapped_column(Boolean, default=True)
    able_to_work: Mapped[bool] = mapped_column(Boolean, default=True)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[datetime | None] = mapped_column(DateTime)

    @property
    def employed(self) -> bool:
        return self.employment_type != "unemployed"

    @property
    def severe(self) -> bool:
        return self.disability_level in (1, 2)


class Employer(TimestampMixin, db.Model):
    """An employer (用人单位), identified by its unified social credit code."""

    __tablename__ = "employer"

    id: Mapped[int] = mapped_column(primary_key=True)
    credit_code: Mapped[str] = mapped_column(String(18), unique=True)
    name: Mapped[str] = mapped_column(String(200), index=True)
    unit_type: Mapped[str] = mapped_column(String(30))
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    contact_name: Mapped[str | None] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    contact_email: Mapped[str | None] = mapped_column(String(120))
    is_lead_unit: Mapped[bool] = mapped_column(Boolean, default=False)


class User(UserMixin, TimestampMixin, db.Model):
    """A login account with one role, linked to its employer or person where the role needs it."""

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint("role IN ('admin', 'counselor', 'employer', 'graduate')", name="role"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(80), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[str] = mapped_column(String(20))
    display_name: Mapped[str] = mapped_column(String(80), default="")
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    county_code: Mapped[str | None] = mapped_column(String(6))
    email: Mapped[str | None] = mapped_column(String(120))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    session_version: Mapped[int] = mapped_column(Integer, default=1)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime)

    employer: Mapped[Employer | None] = relationship()
    person: Mapped[Person | None] = relationship()

    def get_id(self) -> str:
        """Flask-Login's session id carries the session version, so a bump logs every copy out."""
        return f"{self.id}:{self.session_version}"

    @property
    def is_active(self) -> bool:
        return self.active

    def has_role(self, *roles: str) -> bool:
        return self.role in roles


class AuditEvent(db.Model):
    """An append-only record of one change: who, when, what, old and new values."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(Integer, index=True)
    actor_name: Mapped[str] = mapped_column(String(80), default="system")
    action: Mapped[str] = mapped_column(String(40))
    table_name: Mapped[str] = mapped_column(String(40), index=True)
    row_id: Mapped[str] = mapped_column(String(40), index=True)
    old: Mapped[dict | None] = mapped_column(JSON)
    new: Mapped[dict | None] = mapped_column(JSON)


class TaskFanout(db.Model):
    """A job split into parts that run as separate tasks (possibly on other machines): each part
    counts itself done or failed here, and the part that completes the count runs the finish step."""

    __tablename__ = "task_fanout"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(60))
    ref_id: Mapped[int] = mapped_column(Integer)
    parts: Mapped[int] = mapped_column(Integer)
    done: Mapped[int] = mapped_column(Integer, default=0)
    failed: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
