"""Relief (减免) and deferral (缓缴) of the levy: applications and the federation's decisions."""


def granted(year: int, employer_ids=None) -> dict[int, dict]:
    """Approved reductions and deferrals of a year, per employer."""
    return {}
