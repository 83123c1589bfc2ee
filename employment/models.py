"""Recognition of flexible and home-based work, income disregards, and indicator snapshots."""

from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    event,
    inspect,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.extensions import db
from core.models import Person, TimestampMixin, User, utcnow
from employment import competition_rules

RECOGNITION_KINDS = ("flexible", "home_based")
RECOGNITION_STATUSES = ("pending", "approved", "rejected")
DISREGARD_STATUSES = ("offered", "active", "dismissed")
PROVINCE = "330000"
INSTITUTION_KINDS = ("welfare_enterprise", "blind_massage")
RELATIONS = ("spouse", "parent", "child", "sibling", "grandparent", "grandchild", "other")


class RecognitionApplication(TimestampMixin, db.Model):
    """An application to recognise flexible or home-based work as employment, with its decision."""

    __tablename__ = "recognition_application"
    __table_args__ = (
        CheckConstraint("kind IN ('flexible', 'home_based')", name="kind"),
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    kind: Mapped[str] = mapped_column(String(20))
    work_started_on: Mapped[date] = mapped_column(Date)
    evidence_text: Mapped[str] = mapped_column(Text)
    evidence_file: Mapped[str | None] = mapped_column(String(80))  # random stored name
    evidence_filename: Mapped[str | None] = mapped_column(String(200))  # as uploaded
    evidence_mimetype: Mapped[str | None] = mapped_column(String(40))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decision_reason: Mapped[str | None] = mapped_column(Text)

    person: Mapped[Person] = relationship()
    applied_by: Mapped[User | None] = relationship(foreign_keys=[applied_by_id])
    decided_by: Mapped[User | None] = relationship(foreign_keys=[decided_by_id])


class IncomeDisregard(TimestampMixin, db.Model):
    """The start of a low-income person's earnings disregard after taking a job (or an offer of it)."""

    __tablename__ = "income_disregard"
    __table_args__ = (
        CheckConstraint("status IN ('offered', 'active', 'dismissed')", name="status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    start_date: Mapped[date] = mapped_column(Date)
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    note: Mapped[str | None] = mapped_column(Text)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    person: Mapped[Person] = relationship()
    reminders: Mapped[list["DisregardReminder"]] = relationship(
        back_populates="disregard", order_by="DisregardReminder.remind_on"
    )


class DisregardReminder(db.Model):
    """A reminder to the counselor that the disregarded share changes on a date."""

    __tablename__ = "disregard_reminder"
    __table_args__ = (UniqueConstraint("disregard_id", "change_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    disregard_id: Mapped[int] = mapped_column(ForeignKey("income_disregard.id"), index=True)
    remind_on: Mapped[date] = mapped_column(Date, index=True)
    change_on: Mapped[date] = mapped_column(Date)
    new_share: Mapped[Decimal] = mapped_column(Numeric(4, 2))
    notified_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_at: Mapped[datetime | None] = mapped_column(DateTime)
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    disregard: Mapped[IncomeDisregard] = relationship(back_populates="reminders")


class IndicatorSnapshot(db.Model):
    """Counts of one area on one day, so the zero-employment household count has a history."""

    __tablename__ = "indicator_snapshot"
    __table_args__ = (UniqueConstraint("taken_on", "area_code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    taken_on: Mapped[date] = mapped_column(Date, index=True)
    area_code: Mapped[str] = mapped_column(String(6), index=True)  # 330000, a city or a county
    zero_employment_households: Mapped[int] = mapped_column(Integer, default=0)
    hard_to_employ: Mapped[int] = mapped_column(Integer, default=0)
    working_age: Mapped[int] = mapped_column(Integer, default=0)
    employed: Mapped[int] = mapped_column(Integer, default=0)
    # The plan's person-based indicators (None in snapshots taken before they were recorded).
    certified_working_age: Mapped[int | None] = mapped_column(Integer)
    employed_certified: Mapped[int | None] = mapped_column(Integer)
    graduates: Mapped[int | None] = mapped_column(Integer)
    graduates_employed: Mapped[int | None] = mapped_column(Integer)
    year_end: Mapped[bool] = mapped_column(Boolean, default=False)  # taken on 31 December
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class HouseholdRelative(TimestampMixin, db.Model):
    """A member without a registered disability of a household of persons with disabilities: they
    count for the zero-employment household (零就业家庭) as much as the members with one."""

    __tablename__ = "household_relative"
    __table_args__ = (CheckConstraint("sex IN ('M', 'F')", name="sex"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    household_id: Mapped[str] = mapped_column(String(40), index=True)
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    relation: Mapped[str] = mapped_column(String(20))
    birth_date: Mapped[date] = mapped_column(Date)
    sex: Mapped[str] = mapped_column(String(1))
    able_to_work: Mapped[bool] = mapped_column(Boolean)
    wish_to_work: Mapped[bool] = mapped_column(Boolean)
    employed: Mapped[bool] = mapped_column(Boolean)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class HouseholdIncome(TimestampMixin, db.Model):
    """Per-capita disposable income of households with persons with disabilities, as entered by an
    administrator from a named statistical source (never estimated)."""

    __tablename__ = "disability_household_income"
    __table_args__ = (
        UniqueConstraint("year", "area_code"),
        CheckConstraint("amount >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(Integer)
    area_code: Mapped[str] = mapped_column(String(6))
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    source: Mapped[str] = mapped_column(String(200))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class Institution(TimestampMixin, db.Model):
    """A welfare enterprise (福利企业) or blind-massage institution (盲人按摩机构): concentrated employment."""

    __tablename__ = "employment_institution"
    __table_args__ = (
        CheckConstraint(f"kind IN {INSTITUTION_KINDS!r}", name="kind"),
        UniqueConstraint("credit_code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(200))
    credit_code: Mapped[str] = mapped_column(String(18))
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    registered_on: Mapped[date] = mapped_column(Date)
    closed_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


# ---- a low-income person leaving unemployment is offered the income disregard -------------------


def _left_unemployment(session, person: Person) -> bool:
    """True when this flush changes the person's employment type from unemployed to a job."""
    history = inspect(person).attrs.employment_type.history
    if not history.added or person.employment_type == "unemployed":
        return False
    old = session.scalar(select(Person.employment_type).where(Person.id == person.id))
    return old == "unemployed"


def _has_open_disregard(session, person: Person) -> bool:
    return bool(
        session.scalar(
            select(IncomeDisregard.id).where(
                IncomeDisregard.person_id == person.id,
                IncomeDisregard.status.in_(("offered", "active")),
            )
        )
    )


@event.listens_for(Session, "before_flush")
def _offer_income_disregard(session, _flush_context, _instances):
    people = [o for o in session.dirty if isinstance(o, Person) and o.low_income]
    if not people:
        return
    with session.no_autoflush:
        for person in people:
            if _left_unemployment(session, person) and not _has_open_disregard(session, person):
                offer = IncomeDisregard(
                    person_id=person.id,
                    start_date=person.employed_since or date.today(),
                    status="offered",
                    note="offered automatically when the person took a job",
                )
                session.add(offer)
                session.info.setdefault("employment_offers", []).append(offer)


@event.listens_for(Session, "after_flush_postexec")
def _audit_offers(session, _flush_context):
    offers = session.info.pop("employment_offers", [])
    if not offers:
        return
    from core.audit import current_actor, snapshot
    from core.models import AuditEvent

    actor = current_actor()
    for offer in offers:
        session.add(
            AuditEvent(
                actor_id=getattr(actor, "id", None),
                actor_name=getattr(actor, "username", "system"),
                action="offer",
                table_name=IncomeDisregard.__tablename__,
                row_id=str(offer.id),
                new=snapshot(offer),
            )
        )


class InstitutionMonth(TimestampMixin, db.Model):
    """One month's headcounts of a concentrated-employment institution."""

    __tablename__ = "institution_month"
    __table_args__ = (
        UniqueConstraint("institution_id", "month"),
        CheckConstraint(
            "staff >= disabled AND disabled >= qualifying AND qualifying >= 0", name="counts"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    institution_id: Mapped[int] = mapped_column(ForeignKey("employment_institution.id"), index=True)
    month: Mapped[date] = mapped_column(Date)  # the first day of the month
    staff: Mapped[int] = mapped_column(Integer)
    disabled: Mapped[int] = mapped_column(Integer)
    qualifying: Mapped[int] = mapped_column(Integer)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    institution: Mapped[Institution] = relationship(back_populates="months")


Institution.months = relationship(
    InstitutionMonth, back_populates="institution", order_by=InstitutionMonth.month
)


class CountyWageTier(db.Model):
    """The province's minimum-wage tier (1-3) a city assigned to a county: editable data."""

    __tablename__ = "county_wage_tier"
    __table_args__ = (CheckConstraint("tier BETWEEN 1 AND 3", name="tier"),)

    county_code: Mapped[str] = mapped_column(String(6), primary_key=True)
    tier: Mapped[int] = mapped_column(Integer)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class TaxReliefSetting(db.Model):
    """A year's multiple of the minimum wage for the monthly VAT refund limit (财税〔2016〕52号: 4)."""

    __tablename__ = "tax_relief_setting"
    __table_args__ = (CheckConstraint("refund_multiple > 0", name="multiple"),)

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    refund_multiple: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    source: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class PersonRural(db.Model):
    """Whether a person's household registration (户籍) is rural: the priority of public-welfare posts."""

    __tablename__ = "person_rural"

    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), primary_key=True)
    rural: Mapped[bool] = mapped_column(Boolean)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class WelfarePost(TimestampMixin, db.Model):
    """A government-funded public-welfare post (公益性岗位) with its term and seats."""

    __tablename__ = "welfare_post"
    __table_args__ = (
        CheckConstraint("seats > 0", name="seats"),
        CheckConstraint("ends_on >= starts_on", name="term"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    host: Mapped[str] = mapped_column(String(200))  # the body where the work is done
    funding: Mapped[str] = mapped_column(String(200))  # the government fund paying for it
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    seats: Mapped[int] = mapped_column(Integer)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    occupants: Mapped[list["WelfareAssignment"]] = relationship(
        back_populates="post", order_by="WelfareAssignment.id"
    )


class WelfareAssignment(TimestampMixin, db.Model):
    """A person holding a public-welfare post for a term, with the priority group when allocated."""

    __tablename__ = "welfare_assignment"
    __table_args__ = (
        CheckConstraint("status IN ('active', 'ended')", name="status"),
        CheckConstraint("ends_on >= starts_on", name="term"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    post_id: Mapped[int] = mapped_column(ForeignKey("welfare_post.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    priority_group: Mapped[int] = mapped_column(Integer)
    reason: Mapped[str | None] = mapped_column(Text)  # why a higher-priority candidate was passed
    status: Mapped[str] = mapped_column(String(10), default="active", index=True)
    ended_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    post: Mapped[WelfarePost] = relationship(back_populates="occupants")
    person: Mapped[Person] = relationship()


class AuxiliaryCentre(TimestampMixin, db.Model):
    """An institution offering auxiliary employment (辅助性就业机构)."""

    __tablename__ = "auxiliary_centre"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    operator: Mapped[str] = mapped_column(String(200))
    county_code: Mapped[str] = mapped_column(String(6), index=True)
    opened_on: Mapped[date] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    participants: Mapped[list["AuxiliaryParticipant"]] = relationship(
        back_populates="centre", order_by="AuxiliaryParticipant.id"
    )


class AuxiliaryParticipant(TimestampMixin, db.Model):
    """A person with an intellectual, mental or severe disability taking part in a centre."""

    __tablename__ = "auxiliary_participant"
    __table_args__ = (UniqueConstraint("centre_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    centre_id: Mapped[int] = mapped_column(ForeignKey("auxiliary_centre.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    joined_on: Mapped[date] = mapped_column(Date)
    left_on: Mapped[date | None] = mapped_column(Date)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    centre: Mapped[AuxiliaryCentre] = relationship(back_populates="participants")
    person: Mapped[Person] = relationship()
    months: Mapped[list["AuxiliaryMonth"]] = relationship(order_by="AuxiliaryMonth.month")


class AuxiliaryMonth(db.Model):
    """A participant's hours and earnings in one month."""

    __tablename__ = "auxiliary_month"
    __table_args__ = (
        UniqueConstraint("participant_id", "month"),
        CheckConstraint("hours >= 0 AND earnings >= 0", name="amounts"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    participant_id: Mapped[int] = mapped_column(ForeignKey("auxiliary_participant.id"), index=True)
    month: Mapped[date] = mapped_column(Date)
    hours: Mapped[Decimal] = mapped_column(Numeric(7, 2))
    earnings: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class AuxiliarySubsidy(db.Model):
    """A year's subsidy per participant of auxiliary employment (a local parameter)."""

    __tablename__ = "auxiliary_subsidy"
    __table_args__ = (CheckConstraint("amount >= 0", name="amount"),)

    year: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    amount: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    source: Mapped[str] = mapped_column(String(200))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


class StartupApplication(TimestampMixin, db.Model):
    """An application for start-up support (自主创业扶持) and its decision."""

    __tablename__ = "startup_application"
    __table_args__ = (
        CheckConstraint("status IN ('pending', 'approved', 'rejected')", name="status"),
        CheckConstraint("amount_requested >= 0", name="amount"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    business_name: Mapped[str] = mapped_column(String(200))
    business_plan: Mapped[str] = mapped_column(Text)
    amount_requested: Mapped[Decimal] = mapped_column(Numeric(12, 2))
    status: Mapped[str] = mapped_column(String(10), default="pending", index=True)
    amount_granted: Mapped[Decimal | None] = mapped_column(Numeric(12, 2))
    business_started_on: Mapped[date | None] = mapped_column(Date)
    decision_reason: Mapped[str | None] = mapped_column(Text)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    person: Mapped[Person] = relationship()
    follow_ups: Mapped[list["StartupFollowUp"]] = relationship(
        back_populates="application", order_by="StartupFollowUp.milestone"
    )


class StartupFollowUp(db.Model):
    """A check whether a supported business still operates, 12 or 36 months after it started."""

    __tablename__ = "startup_follow_up"
    __table_args__ = (UniqueConstraint("application_id", "milestone"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("startup_application.id"), index=True)
    milestone: Mapped[int] = mapped_column(Integer)  # months after the start
    due_on: Mapped[date] = mapped_column(Date, index=True)
    checked_on: Mapped[date | None] = mapped_column(Date)
    operating: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str | None] = mapped_column(Text)
    checked_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    application: Mapped[StartupApplication] = relationship(back_populates="follow_ups")


class HouseholdRural(db.Model):
    """Whether a household's registration (户籍) is rural, with the document it was read from."""

    __tablename__ = "household_rural"

    household_id: Mapped[str] = mapped_column(String(40), primary_key=True)
    rural: Mapped[bool] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(200))  # e.g. 户口簿 (household register), its date
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow, onupdate=utcnow)


COMPETITION_LEVELS = tuple(competition_rules.LEVELS)
AWARDS = tuple(competition_rules.AWARDS)


class Competition(TimestampMixin, db.Model):
    """A vocational skills competition (职业技能竞赛) with its level, date and trades."""

    __tablename__ = "skills_competition"
    __table_args__ = (CheckConstraint("level IN ('national', 'provincial', 'city')", name="level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    level: Mapped[str] = mapped_column(String(12))
    organiser: Mapped[str] = mapped_column(String(200))
    held_on: Mapped[date] = mapped_column(Date, index=True)
    trades: Mapped[list] = mapped_column(JSON)  # the trades (竞赛项目) competed in
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    entries: Mapped[list["CompetitionEntry"]] = relationship(
        back_populates="competition", order_by="CompetitionEntry.id"
    )


class CompetitionEntry(TimestampMixin, db.Model):
    """A person entered in one trade of a competition, and the result once recorded."""

    __tablename__ = "competition_entry"
    __table_args__ = (
        UniqueConstraint("competition_id", "person_id", "trade"),
        CheckConstraint("rank IS NULL OR rank > 0", name="rank"),
        CheckConstraint(
            "award IS NULL OR award IN ('first', 'second', 'third', 'excellence')", name="award"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    competition_id: Mapped[int] = mapped_column(ForeignKey("skills_competition.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("person.id"), index=True)
    trade: Mapped[str] = mapped_column(String(100))
    rank: Mapped[int | None] = mapped_column(Integer)
    award: Mapped[str | None] = mapped_column(String(12))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    result_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    competition: Mapped[Competition] = relationship(back_populates="entries")
    person: Mapped[Person] = relationship()
