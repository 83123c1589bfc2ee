"""Background jobs of the follow-up package, run by the scheduler process (core.scheduler)."""

import logging

from followup import services

log = logging.getLogger(__name__)


def create_plans() -> None:
    """Give newly registered graduates who wish to work a plan with their county's counselor."""
    created = services.create_missing_plans()
    if created:
        log.info("Created %d follow-up plans", created)


def make_due() -> None:
    """Turn today's due follow-ups into outbox messages (working days; the send waits out quiet hours)."""
    written = services.make_due_follow_ups()
    log.info("Follow-ups: %d messages written", written)


JOBS = [
    {"id": "followup.create_plans", "func": create_plans, "trigger": "interval", "seconds": 600},
    {"id": "followup.make_due", "func": make_due, "trigger": "cron", "hour": 9, "minute": 0},
]
