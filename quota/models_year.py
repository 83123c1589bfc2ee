"""Tables of the employer's year after filing: official documents and the federation's terms.

Imported at the end of quota.models, so that create_app and Alembic see them; import the models from
quota.models, not from here.
"""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Employer, utcnow
from quota.models import MONEY  # quota.models imports this module at its end, after MONEY


class QuotaYearTerms(db.Model):
    """What the federation states on the year's notices: how and where to pay, and to whom.

    Administrators set these per data year (no regulation gives them); a payment notice cannot be
    issued for a year without them.
    """

    __tablename__ = "quota_year_terms"

    data_year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    issuer: Mapped[str] = mapped_column(String(100))
    payee: Mapped[str] = mapped_column(String(200))
    how_to_pay: Mapped[str] = mapped_column(Text)
    where_to_pay: Mapped[str] = mapped_column(Text)
    review_request_days: Mapped[int | None] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class QuotaDocument(db.Model):
    """An official notice as issued: its number, its verification number and its key figures.

    `figures` holds what the notice states (amounts, dates, rule set; never a person's data), so the
    document can be rendered again and verified exactly as it was issued. A newer notice of the same
    kind for the same employer and year supersedes it.
    """

    __tablename__ = "quota_document"
    __table_args__ = (
        Index(
            "uq_quota_document_current",
            "employer_id",
            "data_year",
            "kind",
            unique=True,
            sqlite_where=text("superseded_at IS NULL"),
            postgresql_where=text("superseded_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(24))
    number: Mapped[str | None] = mapped_column(String(24), unique=True)
    verification: Mapped[str] = mapped_column(String(19), unique=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    data_year: Mapped[int] = mapped_column(Integer)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("quota_assessment.id"))
    figures: Mapped[dict] = mapped_column(JSON)
    issued_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    issued_by: Mapped[int | None] = mapped_column(Integer)
    superseded_at: Mapped[datetime | None] = mapped_column(DateTime)

    employer: Mapped[Employer] = relationship()


class QuotaRequest(db.Model):
    """An employer's request after the assessment: relief, deferral, review or reward.

    Decided once: the decision is a conditional update on status 'pending' (a second decision finds
    it changed and answers 409). Kinds, statuses and limits: quota.rules.requests.
    """

    __tablename__ = "quota_request"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    data_year: Mapped[int] = mapped_column(Integer, index=True)
    assessment_id: Mapped[int | None] = mapped_column(ForeignKey("quota_assessment.id"))
    subject: Mapped[str | None] = mapped_column(String(12))
    claim_id: Mapped[int | None] = mapped_column(ForeignKey("quota_claim.id"))
    flag_id: Mapped[int | None] = mapped_column(ForeignKey("credit_flag.id"))
    reason: Mapped[str] = mapped_column(Text)
    amount_requested: Mapped[Decimal | None] = mapped_column(MONEY)
    deadline_requested: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)
    amount_granted: Mapped[Decimal | None] = mapped_column(MONEY)
    deadline_granted: Mapped[date | None] = mapped_column(Date)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    paid_on: Mapped[date | None] = mapped_column(Date)
    payment_reference: Mapped[str | None] = mapped_column(String(60))
    created_by: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    employer: Mapped[Employer] = relationship()
    evidence: Mapped[list["QuotaEvidence"]] = relationship(
        back_populates="request", order_by="QuotaEvidence.id"
    )


class QuotaEvidence(db.Model):
    """A file an employer attached to a request (type and size limited: quota.rules.requests)."""

    __tablename__ = "quota_evidence"

    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("quota_request.id"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content_type: Mapped[str] = mapped_column(String(60))
    size: Mapped[int] = mapped_column(Integer)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    uploaded_by: Mapped[int | None] = mapped_column(Integer)
    uploaded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    request: Mapped[QuotaRequest] = relationship(back_populates="evidence")


class QuotaReminder(db.Model):
    """A reminder to an employer (in-app, and by e-mail to its contact address when configured).

    `key` names the occasion (e.g. "window_closing:2025:12"), unique: however often the reminder job
    runs, each occasion reminds once.
    """

    __tablename__ = "quota_reminder"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(120), unique=True)
    kind: Mapped[str] = mapped_column(String(20))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    data_year: Mapped[int] = mapped_column(Integer)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)
    email_to: Mapped[str | None] = mapped_column(String(120))
    email_status: Mapped[str] = mapped_column(String(10), default="none", index=True)
    email_attempts: Mapped[int] = mapped_column(Integer, default=0)
    email_next_at: Mapped[datetime | None] = mapped_column(DateTime)
    email_sent_at: Mapped[datetime | None] = mapped_column(DateTime)
    email_error: Mapped[str | None] = mapped_column(String(300))

    employer: Mapped[Employer] = relationship()
