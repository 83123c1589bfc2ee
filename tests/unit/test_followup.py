"""Follow-up timing, working days, quiet hours, retries and message texts (DESIGN 3.4)."""

import logging
import random
from datetime import date, datetime, time, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.retry_policy import backoff_delay, failure_code, is_permanent_failure
from followup.timing import (
    FollowUpKind,
    PlanState,
    contains_sensitive_number,
    idempotency_key,
    next_follow_up,
    outside_quiet_hours,
    should_send,
    to_working_day,
)


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2025, 10, 1), date(2025, 10, 9)),  # National Day + Mid-Autumn, 1-8 October
        (date(2025, 9, 28), date(2025, 9, 28)),  # adjusted working Sunday
        (date(2025, 1, 28), date(2025, 2, 5)),  # Spring Festival, 28 January - 4 February
        (date(2025, 1, 26), date(2025, 1, 26)),  # adjusted working Sunday before it
        (date(2025, 2, 8), date(2025, 2, 8)),  # adjusted working Saturday after it
        (date(2025, 3, 8), date(2025, 3, 10)),  # plain weekend
        (date(2025, 3, 10), date(2025, 3, 10)),
    ],
)
def test_to_working_day_follows_the_official_calendar(day, expected):
    assert to_working_day(day) == (expected, False)


def test_to_working_day_falls_back_to_weekdays_with_a_warning(caplog):
    with caplog.at_level(logging.WARNING, logger="followup.timing"):
        result = to_working_day(date(2040, 1, 7))  # a Saturday, beyond the calendar's data
    assert result.day == date(2040, 1, 9) and result.calendar_fallback
    assert "2040" in caplog.text
    assert to_working_day(date(2040, 1, 2)) == (date(2040, 1, 2), True)


def _plan(**kw):
    kw.setdefault("started_on", date(2025, 9, 1))
    return PlanState(plan_id=7, **kw)


def test_first_follow_up_is_one_cadence_after_the_start():
    follow_up = next_follow_up(_plan(), date(2025, 9, 1))
    assert (follow_up.kind, follow_up.scheduled_on, follow_up.due_on) == (
        FollowUpKind.CADENCE,
        date(2025, 9, 15),
        date(2025, 9, 15),
    )
    assert next_follow_up(_plan(cadence_days=7), date(2025, 9, 1)).due_on == date(2025, 9, 8)


def test_cadence_counts_from_the_last_follow_up_and_skips_holidays():
    follow_up = next_follow_up(_plan(last_follow_up_on=date(2025, 9, 17)), date(2025, 9, 20))
    assert follow_up.scheduled_on == date(2025, 10, 1)
    assert follow_up.due_on == date(2025, 10, 9)


def test_an_overdue_follow_up_is_due_on_the_next_working_day_from_today():
    follow_up = next_follow_up(_plan(last_follow_up_on=date(2025, 9, 17)), date(2025, 10, 18))
    assert follow_up.scheduled_on == date(2025, 10, 1)
    assert follow_up.due_on == date(2025, 10, 20)  # 18th is a Saturday


def test_retention_check_ins_at_one_three_and_six_months():
    plan = _plan(employed_since=date(2025, 3, 10), last_follow_up_on=date(2025, 3, 1))
    assert next_follow_up(plan, date(2025, 3, 11)).kind == FollowUpKind.RETENTION_1M
    assert next_follow_up(plan, date(2025, 3, 11)).scheduled_on == date(2025, 4, 10)
    after_1m = _plan(employed_since=date(2025, 3, 10), last_follow_up_on=date(2025, 4, 10))
    assert next_follow_up(after_1m, date(2025, 4, 15)).kind == FollowUpKind.RETENTION_3M
    assert next_follow_up(after_1m, date(2025, 4, 15)).due_on == date(2025, 6, 10)
    after_3m = _plan(employed_since=date(2025, 3, 10), last_follow_up_on=date(2025, 6, 10))
    assert next_follow_up(after_3m, date(2025, 6, 11)).scheduled_on == date(2025, 9, 10)
    after_6m = _plan(employed_since=date(2025, 3, 10), last_follow_up_on=date(2025, 9, 10))
    assert next_follow_up(after_6m, date(2025, 9, 11)) is None


def test_month_end_start_and_holiday_retention_dates():
    plan = _plan(employed_since=date(2025, 1, 31), last_follow_up_on=date(2025, 1, 20))
    assert next_follow_up(plan, date(2025, 2, 1)).scheduled_on == date(2025, 2, 28)
    national_day = _plan(employed_since=date(2025, 9, 1), last_follow_up_on=date(2025, 8, 20))
    assert next_follow_up(national_day, date(2025, 9, 2)).due_on == date(2025, 10, 9)


def test_of_several_missed_check_ins_only_the_latest_is_sent():
    plan = _plan(employed_since=date(2025, 3, 10), last_follow_up_on=date(2025, 3, 1))
    follow_up = next_follow_up(plan, date(2025, 7, 1))
    assert follow_up.kind == FollowUpKind.RETENTION_3M
    assert (follow_up.scheduled_on, follow_up.due_on) == (date(2025, 6, 10), date(2025, 7, 1))


def test_closed_plan_has_no_follow_up_and_fallback_is_reported():
    assert next_follow_up(_plan(closed=True), date(2025, 9, 1)) is None
    far = next_follow_up(_plan(started_on=date(2040, 1, 1)), date(2040, 1, 1))
    assert far.calendar_fallback and far.due_on == date(2040, 1, 16)  # 15th is a Sunday


CST = timezone(timedelta(hours=8))


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (datetime(2025, 3, 3, 22, 30), datetime(2025, 3, 4, 8, 0)),
        (datetime(2025, 3, 3, 21, 0), datetime(2025, 3, 4, 8, 0)),
        (datetime(2025, 3, 3, 7, 59), datetime(2025, 3, 3, 8, 0)),
        (datetime(2025, 3, 3, 0, 0), datetime(2025, 3, 3, 8, 0)),
        (datetime(2025, 3, 3, 8, 0), datetime(2025, 3, 3, 8, 0)),
        (datetime(2025, 3, 3, 20, 59), datetime(2025, 3, 3, 20, 59)),
        (datetime(2025, 12, 31, 23, 0), datetime(2026, 1, 1, 8, 0)),
    ],
)
def test_outside_quiet_hours(moment, expected):
    assert outside_quiet_hours(moment) == expected


def test_quiet_hours_keep_the_time_zone_and_allow_daytime_windows():
    result = outside_quiet_hours(datetime(2025, 3, 3, 23, 0, tzinfo=CST))
    assert result == datetime(2025, 3, 4, 8, 0, tzinfo=CST) and result.tzinfo is CST
    lunch = outside_quiet_hours(datetime(2025, 3, 3, 13, 0), time(12), time(14))
    assert lunch == datetime(2025, 3, 3, 14, 0)
    assert outside_quiet_hours(datetime(2025, 3, 3, 23, 0), time(12), time(14)).hour == 23


class _Edge:
    """A stand-in random source that always returns one end of the range."""

    def __init__(self, top):
        self.top = top

    def uniform(self, low, high):
        return high if self.top else low


def test_backoff_doubles_from_the_base_up_to_the_cap():
    top = _Edge(True)
    assert [backoff_delay(n, rng=top).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert backoff_delay(20, rng=top) == timedelta(hours=6)
    assert backoff_delay(10_000, rng=top) == timedelta(hours=6)
    assert backoff_delay(5, rng=_Edge(False)) == timedelta(0)
    assert backoff_delay(
        2, base=timedelta(seconds=1), cap=timedelta(seconds=1), rng=top
    ) == timedelta(seconds=1)
    with pytest.raises(ValueError):
        backoff_delay(0)


@given(st.integers(min_value=1, max_value=200), st.integers(min_value=0, max_value=2**32))
def test_backoff_stays_within_zero_and_the_ceiling(attempt, seed):
    delay = backoff_delay(attempt, rng=random.Random(seed)).total_seconds()
    assert 0 <= delay <= min(6 * 3600, 30 * 2 ** (attempt - 1))


@pytest.mark.parametrize(
    ("code", "permanent"),
    [
        ("smtp:550", True),
        ("smtp:553", True),
        ("smtp:5.1.1", True),
        ("smtp:421", False),
        ("smtp:451", False),
        ("smtp:4.4.1", False),
        ("http:400", True),
        ("http:404", True),
        ("http:408", False),
        ("http:429", False),
        ("http:500", False),
        ("http:503", False),
        ("HTTP:410", True),
        ("timeout", False),
        ("connection", False),
        ("something odd", False),
    ],
)
def test_is_permanent_failure(code, permanent):
    assert is_permanent_failure(code) is permanent


def test_failure_code_tags_the_protocol():
    assert failure_code("smtp", 550) == "smtp:550"
    assert is_permanent_failure(failure_code("http", 401))


def test_idempotency_key_is_stable_and_distinguishes_date_and_channel():
    key = idempotency_key(7, date(2025, 10, 9), "email")
    assert key == "followup:7:2025-10-09:email"
    assert key == idempotency_key(7, date(2025, 10, 9), "email")
    assert key != idempotency_key(7, date(2025, 10, 9), "sms")
    assert key != idempotency_key(7, date(2025, 10, 10), "email")
    assert key != idempotency_key(8, date(2025, 10, 9), "email")
    with pytest.raises(ValueError):
        idempotency_key(7, date(2025, 10, 9), "fax")


@pytest.mark.parametrize(
    ("kind", "employed", "send"),
    [
        ("cadence", False, True),
        ("cadence", True, False),
        ("retention_1m", True, True),
        ("retention_6m", True, True),
        ("retention_3m", False, False),
    ],
)
def test_should_send(kind, employed, send):
    assert should_send(kind, employed) is send


def test_should_send_rejects_unknown_kinds():
    with pytest.raises(ValueError):
        should_send("birthday", False)


@pytest.mark.parametrize(
    ("text", "sensitive"),
    [
        ("身份证 330102199001011234 请核对", True),
        ("证号33010219900101123X。", True),
        ("old ID 330102900101123", True),
        ("certificate 33010219900101123X41 ok", True),
        ("phone 13812345678", False),
        ("card 6222021234567890", False),  # 16 digits
        ("1234567890123456789", False),  # 19 digits
        ("约 20000 人", False),
    ],
)
def test_contains_sensitive_number(text, sensitive):
    assert contains_sensitive_number(text) is sensitive
