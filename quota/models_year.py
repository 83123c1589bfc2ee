"""Tables of the employer's year after filing: official documents and the federation's terms.

Imported by quota.models, so that create_app and Alembic see them.
"""

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, Index, Integer, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Employer, utcnow


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
