"""Job posts, seeker profiles, referrals and stored match results."""

from datetime import date, datetime

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
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from core.extensions import db
from core.models import Employer, Person, TimestampMixin, User, utcnow
from jobmatch.engine.domain import WORK_MODES  # noqa: F401  (the engine's code list, re-exported)

POST_STATUSES = ("draft", "open", "closed")
REFERRAL_STATUSES = ("proposed", "referred", "interviewed", "hired", "not_hired", "declined")


class SeekerProfile(TimestampMixin, db.Model):
    """A job-seeker's matching profile: skills, preferences and functional profile (1:1 person)."""

    __tablename__ = "seeker_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), unique=True)
    skills: Mapped[list] = mapped_column(JSON, default=list)  # skill vocabulary ids
    skills_text: Mapped[str] = mapped_column(Text, default="")  # free text as typed
    preferred_modes: Mapped[list] = mapped_column(JSON, default=list)
    min_salary: Mapped[int] = mapped_column(Integer, default=0)  # yuan per month
    preferred_counties: Mapped[list] = mapped_column(JSON, default=list)
    max_commute_km: Mapped[float | None] = mapped_column(Float)
    # How the seeker usually travels to work (jobmatch.engine.geography.TRAVEL_MODES); None: not
    # asked yet (the most conservative default limit of their level applies, and says so).
    travel_mode: Mapped[str | None] = mapped_column(String(30))
    # Demand level (0-3) the person can meet per job function, from the certificate,
    # adjusted by a counselor; `functions_adjusted` marks a counselor's change.
    functions: Mapped[dict] = mapped_column(JSON, default=dict)
    functions_adjusted: Mapped[bool] = mapped_column(Boolean, default=False)
    accessibility_needs: Mapped[list] = mapped_column(JSON, default=list)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    person: Mapped[Person] = relationship()


class JobPost(TimestampMixin, db.Model):
    """An employer's job post with its essential functions and the accommodations it offers."""

    __tablename__ = "job_post"
    __table_args__ = (
        CheckConstraint("positions >= 1", name="positions_positive"),
        CheckConstraint("salary_min <= salary_max", name="salary_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employer_id: Mapped[int] = mapped_column(ForeignKey("employer.id"), index=True)
    title: Mapped[str] = mapped_column(String(120))
    description: Mapped[str] = mapped_column(Text, default="")
    skills: Mapped[list] = mapped_column(JSON, default=list)
    min_education: Mapped[str] = mapped_column(String(20), default="none")
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    address: Mapped[str] = mapped_column(String(200), default="")
    salary_min: Mapped[int] = mapped_column(Integer, default=0)
    salary_max: Mapped[int] = mapped_column(Integer, default=0)
    work_mode: Mapped[str] = mapped_column(String(20), default="full_time")
    positions: Mapped[int] = mapped_column(Integer, default=1)
    filled: Mapped[int] = mapped_column(Integer, default=0)
    functions: Mapped[dict] = mapped_column(JSON, default=dict)  # function -> demand level 0-3
    accommodations: Mapped[list] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(10), default="open", index=True)
    opens_on: Mapped[date | None] = mapped_column(Date)
    closes_on: Mapped[date | None] = mapped_column(Date)
    created_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    employer: Mapped[Employer] = relationship()

    @property
    def seats_left(self) -> int:
        return max(0, self.positions - self.filled)


class Referral(TimestampMixin, db.Model):
    """A seeker referred to a post by a counselor; its outcome trains the learned weights."""

    __tablename__ = "referral"
    __table_args__ = (UniqueConstraint("person_id", "post_id", name="one_referral_per_post"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("job_post.id"), index=True)
    counselor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"), index=True)
    status: Mapped[str] = mapped_column(String(20), default="referred", index=True)
    seeker_consented: Mapped[bool] = mapped_column(Boolean, default=False)
    seeker_interested: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(300), default="")
    factors: Mapped[dict] = mapped_column(JSON, default=dict)  # factor values when referred
    # The engine's view of the seeker and the post when the referral was made
    # (jobmatch.services.snapshots): outcomes train on the state at the time, not today's.
    # None for referrals made before snapshots were kept (they fall back to the current state).
    snapshot: Mapped[dict | None] = mapped_column(JSON)
    history: Mapped[list] = mapped_column(JSON, default=list)  # [{status, at, by, reason}]
    outcome_at: Mapped[datetime | None] = mapped_column(DateTime)

    person: Mapped[Person] = relationship()
    post: Mapped[JobPost] = relationship()
    counselor: Mapped[User | None] = relationship()


class MatchRun(db.Model):
    """One batch matching run: when, how many seekers and posts, and the weights used."""

    __tablename__ = "match_run"

    id: Mapped[int] = mapped_column(primary_key=True)
    started_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(DateTime)
    seekers: Mapped[int] = mapped_column(Integer, default=0)
    posts: Mapped[int] = mapped_column(Integer, default=0)
    weights_version: Mapped[str] = mapped_column(String(40), default="default")


class MatchResult(db.Model):
    """A stored top-k result of a batch run, with each factor's contribution."""

    __tablename__ = "match_result"
    __table_args__ = (UniqueConstraint("run_id", "person_id", "post_id", name="one_result"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    run_id: Mapped[int] = mapped_column(ForeignKey("match_run.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("job_post.id"), index=True)
    rank: Mapped[int] = mapped_column(Integer)
    total: Mapped[float] = mapped_column(Float)
    contributions: Mapped[dict] = mapped_column(JSON, default=dict)


class MatchWeights(db.Model):
    """A versioned set of factor weights, default or learned from referral outcomes."""

    __tablename__ = "match_weights"

    id: Mapped[int] = mapped_column(primary_key=True)
    version: Mapped[str] = mapped_column(String(40), unique=True)
    weights: Mapped[dict] = mapped_column(JSON)
    trained_on: Mapped[int] = mapped_column(Integer, default=0)
    validation_auc: Mapped[float | None] = mapped_column(Numeric(5, 4))  # held-out, learned
    active: Mapped[bool] = mapped_column(Boolean, default=False)
    # active | candidate (not better than the weights in use on held-out outcomes) | retired
    status: Mapped[str] = mapped_column(String(12), default="active", server_default="active")
    baseline_auc: Mapped[float | None] = mapped_column(Numeric(5, 4))  # held-out, weights in use
    ndcg: Mapped[float | None] = mapped_column(Numeric(5, 4))
    baseline_ndcg: Mapped[float | None] = mapped_column(Numeric(5, 4))
    note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MatchPostChange(db.Model):
    """A post was created, edited, filled or closed: its id is the post tables' version number.

    Each worker keeps the version its fitted tables reflect and applies the posts changed since.
    Rows are written by a flush listener (below), whatever path changed the post.
    """

    __tablename__ = "match_post_change"

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(Integer, index=True)
    changed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class MatchSetting(db.Model):
    """An admin-set matching parameter (for example the default commute limits), as JSON."""

    __tablename__ = "match_setting"

    key: Mapped[str] = mapped_column(String(60), primary_key=True)
    value: Mapped[dict] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    updated_by: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    @property
    def id(self) -> str:
        """The key, as the row id of audit events."""
        return self.key


@event.listens_for(db.session, "after_flush")
def _log_post_changes(session, _context) -> None:
    """Log every flushed change of a job post (new, edited, deleted) in match_post_change."""
    changed = {
        obj.id
        for obj in (*session.new, *session.dirty, *session.deleted)
        if isinstance(obj, JobPost)
        and obj.id is not None
        and (obj not in session.dirty or session.is_modified(obj, include_collections=False))
    }
    if changed:
        now = utcnow()
        session.connection().execute(
            MatchPostChange.__table__.insert(),
            [{"post_id": pid, "changed_at": now} for pid in sorted(changed)],
        )


from jobmatch import access as _access  # noqa: E402, F401  (registers the visibility rules)
