"""Web pages of the quota review: one blueprint, pages by audience."""

from quota.web import documents, employer, public, staff  # noqa: F401  (register the routes on bp)
from quota.web.blueprint import bp

__all__ = ["bp"]
