"""The scheduler's clock and the outbox's retry policy: pure, no app, no database."""

import random
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.cron import CronTrigger

from core.channels import DeliveryError, message_id
from core.retry_policy import backoff_delay, is_permanent_failure
from core.scheduler import TIMEZONE, make_trigger, missed_fire_time


def test_nine_in_the_morning_in_shanghai_fires_at_one_utc():
    trigger = make_trigger({"id": "x", "trigger": "cron", "hour": 9, "minute": 0}, {})
    assert isinstance(trigger, CronTrigger)
    after = datetime(2025, 3, 3, 2, 0, tzinfo=UTC)  # 10:00 in Shanghai: today's 09:00 has passed
    fire = trigger.get_next_fire_time(None, after)
    assert fire.utcoffset() == timedelta(hours=8)
    assert fire.astimezone(UTC) == datetime(2025, 3, 4, 1, 0, tzinfo=UTC)
    before = datetime(2025, 3, 3, 0, 30, tzinfo=UTC)
    assert trigger.get_next_fire_time(None, before).astimezone(UTC).hour == 1


def test_interval_seconds_may_name_a_setting():
    trigger = make_trigger({"id": "x", "trigger": "interval", "seconds": "TICK"}, {"TICK": 0.5})
    assert trigger.interval == timedelta(seconds=0.5) and trigger.timezone == TIMEZONE


def test_a_scheduler_that_was_down_catches_up_once():
    trigger = make_trigger({"id": "x", "trigger": "cron", "hour": 9}, {})
    last = datetime(2025, 3, 3, 1, 0)  # ran Monday 09:00 Shanghai (naive UTC, as stored)
    # Down until Thursday noon: three fire times missed, caught up once (the first is returned).
    missed = missed_fire_time(trigger, last, datetime(2025, 3, 6, 4, 0))
    assert missed == datetime(2025, 3, 4, 9, 0, tzinfo=TIMEZONE)
    # Up again on Monday 10:00 (just after its run): nothing to catch up.
    assert missed_fire_time(trigger, last, datetime(2025, 3, 3, 2, 0)) is None
    # Never ran: a fire time within the last day is caught up, an older one is not.
    assert missed_fire_time(trigger, None, datetime(2025, 3, 3, 2, 0)) is not None
    assert missed_fire_time(trigger, None, datetime(2025, 3, 3, 0, 30)) is not None  # yesterday's


def test_backoff_grows_with_jitter_and_permanent_codes_stop_retries():
    rng = random.Random(7)
    delays = [backoff_delay(n, base=timedelta(seconds=1), rng=rng) for n in range(1, 8)]
    assert all(
        timedelta(0) <= d <= timedelta(seconds=2 ** (n - 1)) for n, d in enumerate(delays, 1)
    )
    assert len({d for d in delays}) == len(delays)  # jittered
    assert is_permanent_failure(DeliveryError("smtp:550").code)
    assert not is_permanent_failure(DeliveryError("connection").code)


def test_message_id_is_stable_and_safe():
    assert message_id("followup:7:2025-10-09:email") == "<followup.7.2025-10-09.email@zjdes.local>"
