"""Web pages of the quota review: one blueprint, pages by audience."""

from quota.web import (  # noqa: F401  (register the routes on bp)
    documents,
    employer,
    home,
    public,
    reminders,
    requests,
    simulator,
    staff,
    verification,
)
from quota.web.blueprint import bp

__all__ = ["bp"]
