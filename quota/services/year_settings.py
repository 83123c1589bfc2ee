"""Per data year parameters: the rule set with the admin-set reward, social wage, window, deadline.

The filing window defaults to the rule set's (1 May - 30 June of Y+1). The app config key
`QUOTA_FILING_WINDOW` overrides it for every year: `"open"` (always open), `"closed"`, or a pair of
month-day strings such as `("03-01", "07-31")` applied to Y+1. An administrator can force a year's
window open or closed (`QuotaYearSetting.window_open`), for example for a demonstration.
The levy of data year Y is due by 31 December of Y+1 unless the year's `payment_deadline` says
otherwise.
"""

from dataclasses import replace
from datetime import date
from decimal import Decimal
from fractions import Fraction

from flask import current_app
from flask_babel import gettext as _

from core import audit
from core.database import ServiceError
from core.extensions import db
from quota.models import QuotaYearSetting
from quota.rules.rule_sets import QuotaRuleSet, filing_window, rule_set_for
from quota.rules.wages import MissingSocialAverageWage, social_average_wage


def year_setting(year: int) -> QuotaYearSetting | None:
    return db.session.get(QuotaYearSetting, year)


def effective_rule_set(year: int) -> QuotaRuleSet:
    """The rule set of a data year with the reward amount the administrator set for it."""
    try:
        rule_set = rule_set_for(year)
    except ValueError:
        raise ServiceError(
            {"year": [_("No rule set covers data year %(year)s.", year=year)]}
        ) from None
    setting = year_setting(year)
    if setting is not None and setting.reward_per_excess_person is not None:
        rule_set = replace(rule_set, reward_per_excess_person=setting.reward_per_excess_person)
    return rule_set


def social_wage(year: int) -> Fraction | None:
    """The social average wage for the cap: the admin's figure, else the rule set's data series
    (the all-units 全口径 figure from data year 2019 on: quota.rules.wages), else None."""
    setting = year_setting(year)
    if setting is not None and setting.social_average_wage is not None:
        return Fraction(setting.social_average_wage)
    try:
        series = rule_set_for(year).social_wage_series
    except ValueError:
        series = "non_private"
    try:
        return social_average_wage(year, series)
    except MissingSocialAverageWage:
        return None


def filing_window_for(year: int) -> tuple[date, date] | None:
    """The window of a data year, or None when filing is open at any time."""
    setting = year_setting(year)
    if setting is not None and setting.window_open:
        return None
    configured = current_app.config.get("QUOTA_FILING_WINDOW")
    if configured == "open":
        return None
    if configured == "closed" or (setting is not None and setting.window_open is False):
        return date(year + 1, 1, 2), date(year + 1, 1, 1)  # empty: never open
    if configured:
        opens, closes = (tuple(int(p) for p in text.split("-")) for text in configured)
        return date(year + 1, *opens), date(year + 1, *closes)
    return filing_window(rule_set_for(year))


def window_is_open(year: int, today: date | None = None) -> bool:
    window = filing_window_for(year)
    today = today or date.today()
    return window is None or window[0] <= today <= window[1]


def payment_deadline(year: int) -> date:
    setting = year_setting(year)
    if setting is not None and setting.payment_deadline is not None:
        return setting.payment_deadline
    return date(year + 1, 12, 31)


def set_year_parameters(year: int, values: dict) -> QuotaYearSetting:
    """Set a data year's parameters (admin), audited."""
    effective_rule_set(year)
    setting = year_setting(year)
    if setting is None:
        setting = QuotaYearSetting(data_year=year)
        db.session.add(setting)
        db.session.flush()
    before = audit.snapshot(setting)
    for key in (
        "social_average_wage",
        "social_average_wage_source",
        "reward_per_excess_person",
        "window_open",
        "payment_deadline",
        "verification_deadline",
    ):
        if key in values:
            setattr(setting, key, values[key])
    db.session.flush()
    audit.record("update", _AuditRow(setting), before, audit.snapshot(setting))
    db.session.commit()
    return setting


class _AuditRow:
    """Give a year setting (keyed by year) the id the audit trail expects."""

    __tablename__ = "quota_year_setting"

    def __init__(self, setting: QuotaYearSetting):
        self.id = setting.data_year


def money_or_none(value) -> Decimal | None:
    return None if value in (None, "") else Decimal(str(value))
