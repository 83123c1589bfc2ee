"""Rewards for employers over the quota (DESIGN 3.2 item 6): what was approved and paid.

Applications, offers, approval and payment are requests of kind "reward" (quota.services.requests).
"""

from quota.services import requests


def approved_reward(employer_id: int, year: int) -> dict | None:
    """The reward the federation approved for the year: {"amount", "approved_on"}, or None."""
    request = requests.rewards_granted(employer_id, year)
    if request is None:
        return None
    return {
        "amount": request.amount_granted,
        "approved_on": request.decided_at.date().isoformat() if request.decided_at else None,
        "request_id": request.id,
    }
