"""Web pages of matching: one blueprint, pages by audience."""

from jobmatch.web import admin, graduate, home, posts, seekers  # noqa: F401  (register the routes on bp)
from jobmatch.web.blueprint import bp

__all__ = ["bp"]
