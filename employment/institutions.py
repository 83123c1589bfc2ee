"""Use cases of concentrated employment: register welfare enterprises and blind-massage institutions,
record their monthly headcounts, and check the tax-relief conditions month by month
(the rules and their source are in concentrated.py).
"""

from datetime import date
from functools import cache

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import audit, divisions
from core.access import scope_filter
from core.database import ServiceError
from core.extensions import db
from employment import access as _access  # noqa: F401  (registers the access rules)
from employment import concentrated
from employment.models import (
    CountyWageTier,
    Institution,
    InstitutionMonth,
    TaxReliefSetting,
)


@cache
def standards() -> tuple[concentrated.WageStandard, ...]:
    return concentrated.load_standards()


def _refuse(field: str, message: str, status: int = 422):
    raise ServiceError({field: [message]}, status)


def _admin(user, field: str) -> None:
    if user.role != "admin":
        _refuse(field, _("Only an administrator sets this parameter."), 403)


def register(user, data: dict) -> Institution:
    """Register an institution of the user's county (an administrator: any county)."""
    if user.role == "counselor" and data["county_code"] != user.county_code:
        _refuse("county_code", _("You can register institutions of your own county only."), 403)
    if not divisions.is_county(data["county_code"]):
        _refuse("county_code", _("Choose a county-level division of Zhejiang."))
    if data["registered_on"] > date.today():
        _refuse("registered_on", _("The date cannot be in the future."))
    institution = Institution(recorded_by_id=user.id, **data)
    db.session.add(institution)
    try:
        db.session.flush()
    except IntegrityError:
        db.session.rollback()
        _refuse(
            "credit_code", _("An institution with this credit code is already registered."), 409
        )
    audit.record("create", institution, None, audit.snapshot(institution), actor=user)
    db.session.commit()
    return institution


def listing_query(user):
    """The institutions the user may see (a counselor: their county), unordered."""
    return select(Institution).where(scope_filter(Institution, user))


def listing(user, kind: str | None = None) -> list[Institution]:
    stmt = listing_query(user)
    if kind:
        stmt = stmt.where(Institution.kind == kind)
    return list(db.session.scalars(stmt.order_by(Institution.county_code, Institution.name)))


def parse_month(text: str) -> date:
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        _refuse("month", _("Enter the month as YYYY-MM."))


def record_month(user, institution: Institution, data: dict) -> InstitutionMonth:
    """Record (or correct) one month's headcounts, checked for consistency, audited."""
    user_id = user.id  # read before the new row is added: a refresh would flush it half-filled
    month = parse_month(data["month"])
    if month > date.today().replace(day=1):
        _refuse("month", _("The month cannot be in the future."))
    figures = concentrated.MonthFigures(month, data["staff"], data["disabled"], data["qualifying"])
    if figures.disabled > figures.staff:
        _refuse("disabled", _("There cannot be more disabled employees than staff."))
    if figures.qualifying > figures.disabled:
        _refuse("qualifying", _("There cannot be more qualifying employees than disabled ones."))
    row = db.session.scalar(
        select(InstitutionMonth).where(
            InstitutionMonth.institution_id == institution.id, InstitutionMonth.month == month
        )
    )
    before = audit.snapshot(row) if row else None
    if row is None:
        row = InstitutionMonth(institution_id=institution.id, month=month)
        db.session.add(row)
    row.staff, row.disabled, row.qualifying = figures.staff, figures.disabled, figures.qualifying
    row.recorded_by_id = user_id
    audit.record_saved(row, before, actor=user)
    db.session.commit()
    return row


def tier_of(county: str) -> int | None:
    row = db.session.get(CountyWageTier, county)
    return row.tier if row else None


def multiple_of(year: int):
    row = db.session.get(TaxReliefSetting, year)
    return row.refund_multiple if row else None


def relief(institution: Institution, year: int) -> concentrated.YearCheck:
    """The month-by-month check of the tax-relief conditions for a year."""
    months = [
        concentrated.MonthFigures(m.month, m.staff, m.disabled, m.qualifying)
        for m in institution.months
        if m.month.year == year
    ]
    tier = tier_of(institution.county_code)
    wages = {m.month: concentrated.minimum_wage(standards(), tier, m.month) for m in months}
    return concentrated.check_year(institution.kind, months, wages, multiple_of(year))


def reason_text(reason: concentrated.Reason) -> str:
    """A month's reason (concentrated.Reason, a code and its parameters) in the request's language."""
    p = reason.params
    if reason.code == "conditions":
        return _(
            "%(n)s disabled employees lack a contract of a year, full social insurance or the "
            "minimum wage paid through a bank, and are not counted",
            n=p["missing"],
        )
    if reason.code == "share":
        share = p["share"]
        return _(
            "placed share %(share)s, below %(minimum)s",
            share="—" if share is None else f"{float(share):.1%}",
            minimum=f"{float(concentrated.MIN_SHARE):.0%}",
        )
    if reason.code == "persons":
        return _("%(placed)s persons placed, fewer than %(minimum)s", **p)
    if reason.code == "wage":
        return _("the county's minimum-wage tier is not set: no refund limit")
    if reason.code == "multiple":
        return _("the year's refund multiple is not set: no refund limit")
    return reason.code


def reason_in(reason: concentrated.Reason, language: str) -> str:
    """The reason in a given language (the API gives both, zh and en)."""
    with force_locale(language):
        return reason_text(reason)


def set_tier(user, county: str, tier: int) -> CountyWageTier:
    _admin(user, "tier")
    if not divisions.is_county(county):
        _refuse("county_code", _("Choose a county-level division of Zhejiang."))
    row = db.session.get(CountyWageTier, county)
    before = audit.snapshot(row) if row else None
    if row is None:
        row = CountyWageTier(county_code=county)
        db.session.add(row)
    row.tier = tier
    _audit(row, before, user)
    return row


def set_multiple(user, year: int, multiple, source: str) -> TaxReliefSetting:
    _admin(user, "refund_multiple")
    row = db.session.get(TaxReliefSetting, year)
    before = audit.snapshot(row) if row else None
    if row is None:
        row = TaxReliefSetting(year=year)
        db.session.add(row)
    row.refund_multiple, row.source = multiple, source.strip()
    _audit(row, before, user)
    return row


def _audit(row, before, user) -> None:
    db.session.flush()
    audit.record_saved(row, before, actor=user)
    db.session.commit()


def settings() -> dict:
    return {
        "tiers": list(
            db.session.scalars(select(CountyWageTier).order_by(CountyWageTier.county_code))
        ),
        "multiples": list(
            db.session.scalars(select(TaxReliefSetting).order_by(TaxReliefSetting.year.desc()))
        ),
    }
