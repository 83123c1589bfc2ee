"""JSON API of the plan's employment services: one blueprint, endpoints in modules by measure."""

from employment.api import (  # noqa: F401  (register the endpoints on blp)
    auxiliary_centres,
    competitions,
    households,
    indicators,
    institutions,
    recognitions,
    startups,
    welfare_posts,
)
from employment.api.blueprint import blp

__all__ = ["blp"]
