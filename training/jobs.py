"""Periodic work of the training package, run by the scheduler process."""

from training import notice


def evaluate_nightly() -> None:
    """Recompute the effectiveness evaluation as of today."""
    notice.run_evaluation()


JOBS = [
    {
        "id": "training.evaluate",
        "func": evaluate_nightly,
        "trigger": "cron",
        "hour": 2,
        "minute": 30,
    }
]
