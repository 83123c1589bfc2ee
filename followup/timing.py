"""One person, one policy (一人一策): when to follow up, on which day, and what to say.

Pure domain code; the follow-up services and the outbox call it. See DESIGN 3.4. The retry policy
(backoff, permanent failures) is the outbox's and lives in core.outbox; it is re-exported here.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from typing import NamedTuple

import chinese_calendar

from core.dates import add_months

logger = logging.getLogger(__name__)

DEFAULT_CADENCE_DAYS = 14
RETENTION_MONTHS = (1, 3, 6)
CHANNELS = frozenset({"email", "sms", "in_app"})


class FollowUpKind(StrEnum):
    """What a follow-up is for: the job-search cadence or a job-retention check-in."""

    CADENCE = "cadence"
    RETENTION_1M = "retention_1m"
    RETENTION_3M = "retention_3m"
    RETENTION_6M = "retention_6m"


RETENTION_KINDS = {
    1: FollowUpKind.RETENTION_1M,
    3: FollowUpKind.RETENTION_3M,
    6: FollowUpKind.RETENTION_6M,
}


@dataclass(frozen=True)
class PlanState:
    """The facts of a plan that decide its next follow-up."""

    plan_id: int | str
    started_on: date
    cadence_days: int = DEFAULT_CADENCE_DAYS
    last_follow_up_on: date | None = None
    employed_since: date | None = None
    closed: bool = False


class WorkingDay(NamedTuple):
    """A working day, and whether it came from the Monday-Friday fallback instead of the calendar."""

    day: date
    calendar_fallback: bool


@dataclass(frozen=True)
class FollowUp:
    """The next follow-up: its kind, the date the plan asks for, and the working day it falls on."""

    kind: FollowUpKind
    scheduled_on: date
    due_on: date
    calendar_fallback: bool = False


def _is_workday(day: date) -> tuple[bool, bool]:
    """(is a working day, came from the Monday-Friday fallback) for one date."""
    try:
        return chinese_calendar.is_workday(day), False
    except NotImplementedError:
        return day.weekday() < 5, True


def to_working_day(day: date) -> WorkingDay:
    """Move `day` forward to the next working day (itself if it is one), flagging any fallback.

    chinese_calendar raises NotImplementedError for years it has no data for; those years fall back
    to Monday-Friday, with a logged warning and `calendar_fallback` set.
    """
    fallback = False
    while True:
        working, guessed = _is_workday(day)
        fallback = fallback or guessed
        if working:
            break
        day += timedelta(days=1)
    if fallback:
        logger.warning("chinese_calendar has no data for %s; used Monday-Friday", day.year)
    return WorkingDay(day, fallback)


def scheduled_follow_up(plan: PlanState, today: date) -> tuple[FollowUpKind, date] | None:
    """The kind and calendar date of the next follow-up, before moving it to a working day."""
    if plan.closed:
        return None
    if plan.employed_since is None:
        base = plan.last_follow_up_on or plan.started_on
        return FollowUpKind.CADENCE, base + timedelta(days=plan.cadence_days)
    done = plan.last_follow_up_on or date.min
    pending = [
        (RETENTION_KINDS[m], add_months(plan.employed_since, m))
        for m in RETENTION_MONTHS
        if add_months(plan.employed_since, m) > done
    ]
    if not pending:
        return None
    overdue = [item for item in pending if item[1] <= today]
    return overdue[-1] if overdue else pending[0]


def next_follow_up(plan: PlanState, today: date) -> FollowUp | None:
    """Every `cadence_days` until employed, then check-ins 1, 3 and 6 months into the job, then none.

    A missed date is due on the next working day from today; of several missed retention check-ins
    only the latest is kept, so a person never gets a pile of stale messages.
    """
    scheduled = scheduled_follow_up(plan, today)
    if scheduled is None:
        return None
    kind, on = scheduled
    working = to_working_day(max(on, today))
    return FollowUp(kind, on, working.day, working.calendar_fallback)


def outside_quiet_hours(
    dt_local: datetime, quiet_start: time = time(21, 0), quiet_end: time = time(8, 0)
) -> datetime:
    """The first local datetime at or after `dt_local` outside the quiet hours [start, end)."""
    moment = dt_local.time().replace(tzinfo=None)
    crosses_midnight = quiet_start > quiet_end
    if crosses_midnight:
        quiet = moment >= quiet_start or moment < quiet_end
    else:
        quiet = quiet_start <= moment < quiet_end
    if not quiet:
        return dt_local
    next_day = crosses_midnight and moment >= quiet_start
    day = dt_local.date() + timedelta(days=1 if next_day else 0)
    return datetime.combine(day, quiet_end, tzinfo=dt_local.tzinfo)


def idempotency_key(plan_id: int | str, due_date: date, channel: str) -> str:
    """The outbox key that makes one follow-up on one channel be written, and sent, only once."""
    if channel not in CHANNELS:
        raise ValueError(f"unknown channel: {channel!r}")
    return f"followup:{plan_id}:{due_date.isoformat()}:{channel}"


def should_send(message_kind: str, person_employed: bool) -> bool:
    """Job-search follow-ups only while unemployed; after a job starts, only retention check-ins."""
    kind = FollowUpKind(message_kind)
    if person_employed:
        return kind is not FollowUpKind.CADENCE
    return kind is FollowUpKind.CADENCE


_SENSITIVE = re.compile(
    r"(?<![0-9A-Za-z])(?:\d{17}[0-9Xx]\d{2}|\d{17}[0-9Xx]|\d{15})(?![0-9A-Za-z])"
)


def contains_sensitive_number(text: str) -> bool:
    """Whether text holds a 15/18-character resident-ID-like or 20-character certificate-like number."""
    return _SENSITIVE.search(text) is not None


# The goal a hire writes into the plan (DESIGN 3.4: "then at one, three and six months to check the
# job holds"; RULES 6 "retention check-ins"); the months come from RETENTION_MONTHS.
RETENTION_GOAL = (
    "保持现有工作：上岗后第{months}个月回访，了解工作是否稳定、是否需要调整或无障碍支持。"
).format(months="、".join(str(m) for m in RETENTION_MONTHS))


@dataclass(frozen=True)
class Contact:
    """Who signs a message and how to reach them: the counselor's name, their work telephone and
    e-mail, or (for what they lack) the county office's, or nothing. Never an invented number.
    The message's words are in followup/labels.py."""

    name: str | None
    phone: str | None = None
    email: str | None = None
