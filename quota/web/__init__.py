"""Web pages of the quota review: one blueprint, pages by audience."""

from quota.web import (  # noqa: F401  (register the routes on bp)
    documents,
    employer,
    public,
    reminders,
    requests,
    simulator,
    staff,
)
from quota.web.blueprint import bp

__all__ = ["bp"]
