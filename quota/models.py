"""Quota review tables: filings and their versions, claims, assessments, runs, payments and flags."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Employer, TimestampMixin, utcnow

FILING_STATUSES = ("draft", "submitted", "assessed", "not_filed")
VERDICTS = ("pending", "accepted", "rejected", "conflict", "to_verify")
CHECK_STATUSES = ("to_verify", "confirmed", "rejected")
MONEY = Numeric(18, 2)
COUNT = Numeric(18, 4)


class QuotaYearSetting(db.Model):
    """Per data year parameters an administrator sets: social wage, reward, window, deadline."""

    __tablename__ = "quota_year_setting"

    data_year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    social_average_wage: Mapped[Decimal | None] = mapped_column(MONEY)
    reward_per_excess_person: Mapped[Decimal | None] = mapped_column(MONEY)
    window_open: Mapped[bool | None] = mapped_column(Boolean)
    payment_deadline: Mapped[date | None] = mapped_column(Date)
    # Where the admin-entered social wage comes from (the all-units 全口径 figure's publication).
    social_average_wage_source: Mapped[str | None] = mapped_column(String(200))
    # After this day the review assesses with the certificates confirmed so far (None: it waits).
    verification_deadline: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class QuotaFiling(TimestampMixin, db.Model):
    """An employer's filing for one data year; `version` is the optimistic-locking counter.

    Its status is in no index (every reader asks for a year's or an employer's filings first) and
    on PostgreSQL its pages keep half their room free: the review marking a year's filings assessed
    rewrites them in place (HOT), as it does their newest history entry."""

    __tablename__ = "quota_filing"
    __table_args__ = (
        UniqueConstraint("employer_id", "data_year", name="uq_quota_filing_year"),
        {"postgresql_with": {"fillfactor": 50}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Looked up by employer through uq_quota_filing_year (employer_id first): no index of its own.
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    data_year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(12), default="draft")
    version: Mapped[int] = mapped_column(Integer, default=1)
    source: Mapped[str] = mapped_column(String(12), default="form")
    monthly_headcounts: Mapped[list | None] = mapped_column(JSON)
    wage_total: Mapped[Decimal | None] = mapped_column(MONEY)
    amend_reason: Mapped[str | None] = mapped_column(Text)
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime)

    employer: Mapped[Employer] = relationship()
    claims: Mapped[list["QuotaClaim"]] = relationship(
        back_populates="filing", cascade="all, delete-orphan", order_by="QuotaClaim.id"
    )

    __mapper_args__ = {"version_id_col": version}


class QuotaFilingVersion(db.Model):
    """A frozen copy of a filing at each save, submit or amendment: every version is kept."""

    __tablename__ = "quota_filing_version"
    __table_args__ = (
        UniqueConstraint("filing_id", "version", name="uq_quota_filing_version"),
        UniqueConstraint("filing_id", "submission_key", name="uq_quota_filing_submission"),
        {"postgresql_with": {"fillfactor": 50}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("quota_filing.id"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    status: Mapped[str] = mapped_column(String(12))
    data: Mapped[dict] = mapped_column(JSON)
    reason: Mapped[str | None] = mapped_column(Text)
    actor_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    # The key the form or API client sent with the save: a retry with it gets the first answer.
    submission_key: Mapped[str | None] = mapped_column(String(64))


class QuotaClaim(db.Model):
    """One disabled employee claimed in a filing, known by blind indexes, with its verdict.

    No index holds the verdict, reason or dispute flag, and on PostgreSQL each page keeps half its
    room free (fillfactor 50): the review's verdicts then rewrite a claim in place (a HOT update,
    no index entry added). The accepted claims are mirrored in quota_counted_person by triggers."""

    __tablename__ = "quota_claim"
    __table_args__ = (
        Index("ix_quota_claim_year_person", "data_year", "person_index"),
        {"postgresql_with": {"fillfactor": 50}},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("quota_filing.id"), index=True)
    employer_id: Mapped[int] = mapped_column(Integer, index=True)
    data_year: Mapped[int] = mapped_column(Integer)
    person_index: Mapped[str] = mapped_column(String(64))
    cert_index: Mapped[str | None] = mapped_column(String(64))
    cert_masked: Mapped[str] = mapped_column(String(20))
    cert_cipher: Mapped[str | None] = mapped_column(Text)
    level: Mapped[int] = mapped_column(Integer)
    months: Mapped[int] = mapped_column(Integer)
    long_contract: Mapped[bool] = mapped_column(Boolean, default=True)
    min_wage: Mapped[bool] = mapped_column(Boolean, default=True)
    social_insurance: Mapped[bool] = mapped_column(Boolean, default=True)
    verdict: Mapped[str] = mapped_column(String(12), default="pending")
    reason: Mapped[str | None] = mapped_column(String(40))
    disputed: Mapped[bool] = mapped_column(Boolean, default=False)
    resolved_by: Mapped[int | None] = mapped_column(Integer)
    resolved_at: Mapped[datetime | None] = mapped_column(DateTime)

    filing: Mapped[QuotaFiling] = relationship(back_populates="claims")


class QuotaCountedPerson(db.Model):
    """Who counts for whom: the accepted claim of each person and year, so that a person counts for
    one employer a year (the primary key). Kept by database triggers on quota_claim
    (COUNTED_TRIGGERS); the application only reads it."""

    __tablename__ = "quota_counted_person"

    data_year: Mapped[int] = mapped_column(Integer, primary_key=True)
    person_index: Mapped[str] = mapped_column(String(64), primary_key=True)
    claim_id: Mapped[int] = mapped_column(Integer)


# A statement's changed claims, seen whole (transition tables): a review accepting 250,000 claims
# adds their rows in one INSERT ... SELECT. A claim leaving 'accepted' (or deleted) takes its row away.
COUNTED_TRIGGERS = {
    "postgresql": (
        """
        CREATE OR REPLACE FUNCTION quota_counted_person_sync() RETURNS trigger AS $$
        BEGIN
            IF TG_OP IN ('UPDATE', 'DELETE') THEN
                DELETE FROM quota_counted_person c USING old_claims o
                WHERE o.verdict = 'accepted' AND c.data_year = o.data_year
                  AND c.person_index = o.person_index AND c.claim_id = o.id;
            END IF;
            IF TG_OP IN ('UPDATE', 'INSERT') THEN
                INSERT INTO quota_counted_person (data_year, person_index, claim_id)
                SELECT n.data_year, n.person_index, n.id FROM new_claims n
                WHERE n.verdict = 'accepted';
            END IF;
            RETURN NULL;
        END;
        $$ LANGUAGE plpgsql
        """,
        """
        CREATE TRIGGER quota_claim_counted_insert AFTER INSERT ON quota_claim
        REFERENCING NEW TABLE AS new_claims
        FOR EACH STATEMENT EXECUTE FUNCTION quota_counted_person_sync()
        """,
        """
        CREATE TRIGGER quota_claim_counted_update AFTER UPDATE ON quota_claim
        REFERENCING OLD TABLE AS old_claims NEW TABLE AS new_claims
        FOR EACH STATEMENT EXECUTE FUNCTION quota_counted_person_sync()
        """,
        """
        CREATE TRIGGER quota_claim_counted_delete AFTER DELETE ON quota_claim
        REFERENCING OLD TABLE AS old_claims
        FOR EACH STATEMENT EXECUTE FUNCTION quota_counted_person_sync()
        """,
    ),
    "sqlite": (
        """
        CREATE TRIGGER IF NOT EXISTS quota_claim_counted_insert AFTER INSERT ON quota_claim
        WHEN NEW.verdict = 'accepted'
        BEGIN
            INSERT INTO quota_counted_person (data_year, person_index, claim_id)
            VALUES (NEW.data_year, NEW.person_index, NEW.id);
        END
        """,
        """
        CREATE TRIGGER IF NOT EXISTS quota_claim_counted_update
        AFTER UPDATE OF verdict, data_year, person_index ON quota_claim
        BEGIN
            DELETE FROM quota_counted_person
            WHERE OLD.verdict = 'accepted' AND data_year = OLD.data_year
              AND person_index = OLD.person_index AND claim_id = OLD.id;
            INSERT INTO quota_counted_person (data_year, person_index, claim_id)
            SELECT NEW.data_year, NEW.person_index, NEW.id WHERE NEW.verdict = 'accepted';
        END
        """,
        """
        CREATE TRIGGER IF NOT EXISTS quota_claim_counted_delete AFTER DELETE ON quota_claim
        WHEN OLD.verdict = 'accepted'
        BEGIN
            DELETE FROM quota_counted_person
            WHERE data_year = OLD.data_year AND person_index = OLD.person_index
              AND claim_id = OLD.id;
        END
        """,
    ),
}
COUNTED_TRIGGERS_DROP = {
    "postgresql": (
        "DROP TRIGGER IF EXISTS quota_claim_counted_insert ON quota_claim",
        "DROP TRIGGER IF EXISTS quota_claim_counted_update ON quota_claim",
        "DROP TRIGGER IF EXISTS quota_claim_counted_delete ON quota_claim",
        "DROP FUNCTION IF EXISTS quota_counted_person_sync()",
    ),
    "sqlite": (
        "DROP TRIGGER IF EXISTS quota_claim_counted_insert",
        "DROP TRIGGER IF EXISTS quota_claim_counted_update",
        "DROP TRIGGER IF EXISTS quota_claim_counted_delete",
    ),
}


@event.listens_for(db.metadata, "after_create")
def _create_counted_triggers(_metadata, connection, **_kw) -> None:
    """Schemas made by create_all (the benchmarks) get the triggers the migrations add."""
    for statement in COUNTED_TRIGGERS.get(connection.dialect.name, ()):
        connection.exec_driver_sql(statement)


class QuotaAssessment(db.Model):
    """A stored assessment: the rule set it used, every figure and the basis of its explanation."""

    __tablename__ = "quota_assessment"
    # Every reader of a year's assessments reads the current ones: one partial index serves them.
    __table_args__ = (
        Index(
            "ix_quota_assessment_current_year",
            "data_year",
            sqlite_where=text("current"),
            postgresql_where=text("current"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    filing_id: Mapped[int] = mapped_column(ForeignKey("quota_filing.id"), index=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    data_year: Mapped[int] = mapped_column(Integer)
    filing_version: Mapped[int] = mapped_column(Integer)
    run_id: Mapped[int | None] = mapped_column(Integer)
    current: Mapped[bool] = mapped_column(Boolean, default=True)
    non_filer: Mapped[bool] = mapped_column(Boolean, default=False)
    rule_set_id: Mapped[str] = mapped_column(String(40))
    unit_type: Mapped[str] = mapped_column(String(30))
    headcount: Mapped[Decimal] = mapped_column(COUNT)
    required: Mapped[Decimal] = mapped_column(COUNT)
    arranged: Mapped[Decimal] = mapped_column(COUNT)
    shortfall: Mapped[Decimal] = mapped_column(COUNT)
    arranged_ratio: Mapped[Decimal] = mapped_column(Numeric(12, 6))
    wage_base: Mapped[Decimal] = mapped_column(MONEY)
    social_average_wage: Mapped[Decimal | None] = mapped_column(MONEY)
    cap: Mapped[Decimal | None] = mapped_column(MONEY)
    capped: Mapped[bool] = mapped_column(Boolean)
    capped_wage_base: Mapped[Decimal] = mapped_column(MONEY)
    exempt: Mapped[bool] = mapped_column(Boolean)
    factor: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    levy: Mapped[Decimal] = mapped_column(MONEY)
    excess: Mapped[Decimal] = mapped_column(COUNT)
    reward_eligible: Mapped[bool] = mapped_column(Boolean)
    reward: Mapped[Decimal | None] = mapped_column(MONEY)
    # Rendered from the figures and this basis when displayed (quota.explanation); rows stored
    # before the basis existed keep their explanation lines instead.
    explanation_basis: Mapped[dict | None] = mapped_column(JSON)
    explanation: Mapped[list | None] = mapped_column(JSON)
    findings: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    employer: Mapped[Employer] = relationship()


class QuotaReviewRun(db.Model):
    """One run of the annual review, with progress the admin page polls."""

    __tablename__ = "quota_review_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    data_year: Mapped[int] = mapped_column(Integer, index=True)
    status: Mapped[str] = mapped_column(String(12), default="queued", index=True)
    total: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[int] = mapped_column(Integer, default=0)
    requested_by: Mapped[int | None] = mapped_column(Integer)
    summary: Mapped[dict | None] = mapped_column(JSON)
    error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    started_at: Mapped[datetime | None] = mapped_column(DateTime)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)


class QuotaOfficialData(db.Model):
    """Headcount and wage total from official sources (social insurance, tax), per year."""

    __tablename__ = "quota_official_data"
    __table_args__ = (UniqueConstraint("employer_id", "data_year", name="uq_quota_official_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    data_year: Mapped[int] = mapped_column(Integer)
    headcount: Mapped[Decimal] = mapped_column(COUNT)
    wage_total: Mapped[Decimal | None] = mapped_column(MONEY)
    source: Mapped[str] = mapped_column(String(40), default="social_insurance")
    imported_at: Mapped[datetime | None] = mapped_column(DateTime, default=utcnow)


class LevyPayment(db.Model):
    """A levy payment reported by the tax bureau, with the late fee it carried."""

    __tablename__ = "levy_payment"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    data_year: Mapped[int] = mapped_column(Integer, index=True)
    voucher_no: Mapped[str] = mapped_column(String(40), unique=True)
    amount: Mapped[Decimal] = mapped_column(MONEY)
    paid_on: Mapped[date] = mapped_column(Date)
    late_fee: Mapped[Decimal] = mapped_column(MONEY, default=Decimal("0"))
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    employer: Mapped[Employer] = relationship()


class CreditFlag(db.Model):
    """A graded credit flag raised by rule and lifted when remedied; at most one open per code."""

    __tablename__ = "credit_flag"
    __table_args__ = (
        Index(
            "uq_credit_flag_open",
            "employer_id",
            "data_year",
            "code",
            unique=True,
            sqlite_where=text("lifted_at IS NULL"),
            postgresql_where=text("lifted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    data_year: Mapped[int] = mapped_column(Integer, index=True)
    grade: Mapped[str] = mapped_column(String(10))
    code: Mapped[str] = mapped_column(String(60))
    reason_zh: Mapped[str] = mapped_column(Text)
    reason_en: Mapped[str] = mapped_column(Text)
    raised_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    lifted_at: Mapped[datetime | None] = mapped_column(DateTime)
    lift_reason: Mapped[str | None] = mapped_column(Text)

    employer: Mapped[Employer] = relationship()


class NominalHireFinding(db.Model):
    """A counselor's finding that a claimed employee does not really work for the employer (挂名).

    It outlives amendments of the filing: every claim of that person by that employer for the year is
    rejected while it is open, and the credit review counts it. Withdrawn, it is kept with who and why.
    """

    __tablename__ = "quota_nominal_hire"

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    data_year: Mapped[int] = mapped_column(Integer, index=True)
    person_index: Mapped[str] = mapped_column(String(64))
    cert_masked: Mapped[str] = mapped_column(String(20))
    note: Mapped[str] = mapped_column(Text)
    recorded_by: Mapped[int | None] = mapped_column(Integer)
    recorded_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    withdrawn_at: Mapped[datetime | None] = mapped_column(DateTime)
    withdrawn_by: Mapped[int | None] = mapped_column(Integer)
    withdraw_reason: Mapped[str | None] = mapped_column(Text)

    employer: Mapped[Employer] = relationship()


class ConflictDecision(db.Model):
    """A counselor's decision of which employer a doubly claimed person counts for in a year.

    Verification applies it to later claims too (an amendment re-creates a filing's claims), as long
    as the chosen employer still claims the person; a new resolution replaces it.
    """

    __tablename__ = "quota_conflict_decision"
    __table_args__ = (
        UniqueConstraint("data_year", "person_index", name="uq_quota_conflict_decision"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    data_year: Mapped[int] = mapped_column(Integer)
    person_index: Mapped[str] = mapped_column(String(64))
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"))
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class RegistryRecord(db.Model):
    """One certificate of an extract of the disability certificate registry (残疾人证管理系统).

    The certificate number is kept encrypted with a blind index of the full number and of the
    resident ID (as core.models.Person keeps ID numbers); a later extract replaces a record.
    """

    __tablename__ = "quota_registry_record"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_index: Mapped[str] = mapped_column(String(64), unique=True)
    cert_index: Mapped[str] = mapped_column(String(64), index=True)
    cert_cipher: Mapped[str] = mapped_column(Text)
    cert_masked: Mapped[str] = mapped_column(String(20))
    name: Mapped[str] = mapped_column(String(50))
    category: Mapped[int] = mapped_column(Integer)
    level: Mapped[int] = mapped_column(Integer)
    valid_until: Mapped[date | None] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(20), default="valid")
    issuing_area: Mapped[str] = mapped_column(String(6), index=True)
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    extract_date: Mapped[date] = mapped_column(Date)
    imported_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class CertificateCheck(db.Model):
    """A claimed certificate the registry does not know, to be verified by a counselor of the
    employer's county, with the employer's evidence. Keyed by employer, year and person so that it
    outlives amendments (which re-create claims). The decision is a conditional update on
    status = 'to_verify': a second decision answers 409."""

    __tablename__ = "quota_certificate_check"
    __table_args__ = (
        UniqueConstraint("employer_id", "data_year", "person_index", name="uq_quota_cert_check"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    data_year: Mapped[int] = mapped_column(Integer, index=True)
    person_index: Mapped[str] = mapped_column(String(64))
    cert_masked: Mapped[str] = mapped_column(String(20))
    issuing_area: Mapped[str] = mapped_column(String(6))
    status: Mapped[str] = mapped_column(String(12), default="to_verify", index=True)
    evidence_file: Mapped[str | None] = mapped_column(String(100))
    evidence_name: Mapped[str | None] = mapped_column(String(200))
    evidence_at: Mapped[datetime | None] = mapped_column(DateTime)
    decided_by: Mapped[int | None] = mapped_column(Integer)
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    reason: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)

    employer: Mapped[Employer] = relationship()


from quota.models_year import (  # noqa: E402, F401  (the year's tables)
    QuotaDocument,
    QuotaEvidence,
    QuotaReminder,
    QuotaRequest,
    QuotaYearTerms,
)
