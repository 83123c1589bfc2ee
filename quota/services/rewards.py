"""Rewards for employers over the quota (DESIGN 3.2 item 6): applications, approval, payment."""

from quota.services import dues


def approved_reward(employer_id: int, year: int) -> dict | None:
    """The reward the federation approved for the year: {"amount", "approved_on"}, or None."""
    assessment = dues.current_assessment(employer_id, year)
    if assessment is None or not assessment.reward:
        return None
    return {"amount": assessment.reward, "approved_on": None}
