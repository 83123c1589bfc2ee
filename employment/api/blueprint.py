"""The employment API's blueprint and the helpers its modules share.

The endpoints are in modules by measure: `indicators.py` (the plan's indicators, hard to employ,
zero-employment households), `recognitions.py`, `households.py` (members without a registered
disability, entered income), `institutions.py` (concentrated employment), `welfare_posts.py`,
`auxiliary_centres.py`, `startups.py` and `competitions.py` (with a household's rural or urban
registration).
"""

from flask import abort
from flask_smorest import Blueprint

from core.database import ServiceError

blp = Blueprint(
    "employment_api", __name__, url_prefix="/api/v1", description="The plan's employment services"
)
STAFF = ("admin", "counselor")


def call_service(call, *args):
    """Call a service; its refusal becomes the API's error answer."""
    try:
        return call(*args)
    except ServiceError as error:
        abort(error.status, description=error.errors)
