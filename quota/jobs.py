"""Periodic work of the quota review: queued review runs, and the calendar's reminders to employers."""

from quota.services.reminders import run_job as remind
from quota.services.review import run_queued

JOBS = [
    {"id": "quota.process_reviews", "func": run_queued, "trigger": "interval", "seconds": 15},
    {"id": "quota.reminders", "func": remind, "trigger": "cron", "hour": 8, "minute": 30},
]
