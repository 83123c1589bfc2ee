"""Periodic work of the employment services, run by the scheduler process inside an app context."""

from employment import disregard, services


def snapshot_job() -> int:
    """Store today's counts per area (the zero-employment household count over time)."""
    return services.take_snapshot()


def reminders_job() -> int:
    """Mark the income disregard reminders that fell due today (and queue in-app messages)."""
    return disregard.notify_due()


JOBS = [
    {"id": "employment.snapshot", "func": snapshot_job, "trigger": "cron", "hour": 1, "minute": 15},
    # The year-end figures: the records as the year closes, read by the next years' dashboards.
    {
        "id": "employment.year_end",
        "func": snapshot_job,
        "trigger": "cron",
        "month": 12,
        "day": 31,
        "hour": 23,
        "minute": 50,
    },
    {
        "id": "employment.reminders",
        "func": reminders_job,
        "trigger": "cron",
        "hour": 8,
        "minute": 0,
    },
]
