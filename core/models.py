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

from core.codes import in_work
from core.extensions import db


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
    # None: not known (不详/未核实), an honest answer at registration; counted apart by the indicators.
    # No column default (the ORM would put it in place of an explicit None): see __init__.
    employment_type: Mapped[str | None] = mapped_column(String(20))
    employed_since: Mapped[date | None] = mapped_column(Date)
    wish_to_work: Mapped[bool | None] = mapped_column(Boolean)
    able_to_work: Mapped[bool] = mapped_column(Boolean, default=True)
    consent: Mapped[bool] = mapped_column(Boolean, default=False)
    consent_at: Mapped[datetime | None] = mapped_column(DateTime)
    # How consent was given ("in_person": signed at the counter, recorded by staff) and by whom.
    consent_method: Mapped[str | None] = mapped_column(String(20))
    # The account id (no foreign key: accounts link to people, and the record outlives the account).
    consent_recorded_by: Mapped[int | None] = mapped_column(Integer)

    def __init__(self, **fields):
        """The API's documented defaults (not employed, wishes to work) unless given; a form that
        answers "unknown" sets None afterwards, and None is stored as NULL."""
        fields.setdefault("employment_type", "unemployed")
        fields.setdefault("wish_to_work", True)
        super().__init__(**fields)

    @property
    def employed(self) -> bool:
        """Known to be in work (an unknown status is not employment)."""
        return in_work(self.employment_type)

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
    # A staff account's work telephone, shown in the messages it signs (never invented).
    phone: Mapped[str | None] = mapped_column(String(20))
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
    # The hash chain (core/audit_chain.py): the previous entry's hash and this entry's own.
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64), unique=True)


class AuditChainHead(db.Model):
    """The one row every audit writer updates before appending: it serialises writers (row lock on
    PostgreSQL, write lock on SQLite) and names the last entry, so a removed tail is detected."""

    __tablename__ = "audit_chain_head"

    id: Mapped[int] = mapped_column(primary_key=True)
    last_id: Mapped[int] = mapped_column(Integer, default=0)
    last_hash: Mapped[str] = mapped_column(String(64))


# A message goes to exactly one of: a person, a login account, an employer.
MESSAGE_ADDRESSEES = ("person_id", "user_id", "employer_id")


class Message(TimestampMixin, db.Model):
    """The outbox: one message on one channel, written once (unique key), delivered by core.outbox.

    It is addressed to exactly one of a person (`person_id`), a login account (`user_id`: a password
    reset code, a registration decision) or an employer (`employer_id`: the quota calendar's
    reminders); `recipient` is the address on its channel. `plan_id` links a follow-up message to
    its plan (followup's table); other messages leave it empty.
    """

    __tablename__ = "message"
    __table_args__ = (
        CheckConstraint("channel IN ('email', 'sms', 'in_app')", name="channel"),
        CheckConstraint(
            "status IN ('pending', 'sending', 'sent', 'dead', 'cancelled')", name="status"
        ),
        CheckConstraint(
            " + ".join(f"(CASE WHEN {c} IS NULL THEN 0 ELSE 1 END)" for c in MESSAGE_ADDRESSEES)
            + " = 1",
            name="one_addressee",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(160), unique=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"), index=True)
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

    person: Mapped[Person | None] = relationship()
    user: Mapped[User | None] = relationship()
    employer: Mapped[Employer | None] = relationship()

    @property
    def addressee_name(self) -> str:
        """Whom the message is for, as staff see it: the person, the employer or the account."""
        if self.person is not None:
            return self.person.name
        if self.employer is not None:
            return self.employer.name
        if self.user is not None:
            return self.user.display_name or self.user.username
        return ""


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


ACCESS_CODE_PURPOSES = ("reset", "invitation")


class AccessCode(db.Model):
    """A one-time secret that lets someone in without a password: a password reset code (for an
    account) or a counselor's invitation (for a registered person, who then sets a password).

    Only a keyed hash of the secret is stored; it expires, and `used_at` is set by a conditional
    update so that it works once.
    """

    __tablename__ = "access_code"
    __table_args__ = (
        CheckConstraint("purpose IN ('reset', 'invitation')", name="purpose"),
        CheckConstraint("channel IN ('email', 'sms')", name="channel"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    purpose: Mapped[str] = mapped_column(String(12))
    code_hash: Mapped[str] = mapped_column(String(64), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("person.id"), index=True)
    channel: Mapped[str] = mapped_column(String(10))
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    used_at: Mapped[datetime | None] = mapped_column(DateTime)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    user: Mapped[User | None] = relationship()
    person: Mapped[Person | None] = relationship()


REGISTRATION_STATUSES = ("pending", "approved", "refused")


class EmployerRegistration(TimestampMixin, db.Model):
    """An employer's self-registration, awaiting the federation's decision. The account it made
    stays inactive until approval, which links it to the employer (matched by credit code or new)."""

    __tablename__ = "employer_registration"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'refused')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id"), unique=True)
    credit_code: Mapped[str] = mapped_column(String(18), index=True)
    name: Mapped[str] = mapped_column(String(200))
    unit_type: Mapped[str] = mapped_column(String(30))
    county_code: Mapped[str] = mapped_column(String(6))
    contact_name: Mapped[str] = mapped_column(String(50))
    contact_phone: Mapped[str | None] = mapped_column(String(20))
    contact_email: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    employer_id: Mapped[int | None] = mapped_column(ForeignKey("employer.id"))

    user: Mapped[User] = relationship()
    employer: Mapped[Employer | None] = relationship()
