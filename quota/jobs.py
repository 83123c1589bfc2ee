"""Periodic work of the quota review: execute review runs an administrator queued."""

from quota.services.review import run_queued

JOBS = [
    {"id": "quota.process_reviews", "func": run_queued, "trigger": "interval", "seconds": 15},
]
