"""Periodic work of matching: a nightly batch run so stored top-k lists stay fresh."""

from jobmatch.services import batch

JOBS = [
    {
        "id": "jobmatch.nightly_run",
        "func": batch.run_nightly,
        "trigger": "cron",
        "hour": 2,
        "minute": 30,
    },
]
