"""JSON API of getting in: password reset by code, invitation, employers' self-registration."""

import time

from flask import current_app
from flask_babel import gettext as _
from flask_smorest import Blueprint

from core import accounts
from core.access import get_or_404
from core.account_schemas import (
    ActivateIn,
    EmployerRegistrationIn,
    EmployerRegistrationOut,
    InvitationOut,
    InviteIn,
    NoticeOut,
    RegistrationDecisionIn,
    RegistrationQuery,
    ResetIn,
    ResetRequestIn,
)
from core.auth import api_auth, api_user, public
from core.extensions import limiter
from core.models import EmployerRegistration, Person
from core.schemas import UserOut

blp = Blueprint(
    "accounts_api", __name__, url_prefix="/api/v1", description="Getting in: reset, register"
)
BEARER = [{"bearerAuth": []}]


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_RESET"]


@blp.post("/auth/password/forgot")
@public
@limiter.limit(_reset_limit)
@blp.arguments(ResetRequestIn)
@blp.response(202, NoticeOut)
@blp.alt_response(429, description="Too many requests from this address or for this username")
def forgot_password(data):
    """Ask for a one-time reset code by e-mail or SMS. The answer is the same whether or not the
    account exists or has an address on that channel."""
    started = time.monotonic()
    accounts.check_reset_quota(data["username"])
    accounts.request_reset(data["username"], data["channel"])
    accounts.pad_response(started)
    minutes = current_app.config["PASSWORD_RESET_CODE_MINUTES"]
    return {
        "message": _(
            "If an account with this username exists and has an address for the channel you "
            "chose, a code is on its way. It is valid for %(minutes)s minutes and works once.",
            minutes=minutes,
        )
    }


@blp.post("/auth/password/reset")
@public
@limiter.limit(_reset_limit)
@blp.arguments(ResetIn)
@blp.response(204)
@blp.alt_response(422, description="Wrong, expired or used code, or a password too short")
def reset_password(data):
    """Set a new password with the code; every session and token of the account ends."""
    accounts.reset_password(data["username"], data["code"], data["password"])


@blp.post("/auth/activate")
@public
@limiter.limit(_reset_limit)
@blp.arguments(ActivateIn)
@blp.response(201, UserOut)
@blp.alt_response(410, description="The invitation expired or was used")
def activate(data):
    """Make a graduate's account from a counselor's invitation token."""
    return accounts.activate(data["token"], data["username"], data["password"])


@blp.post("/employer-registrations")
@public
@limiter.limit(lambda: current_app.config["RATELIMIT_REGISTER"])
@blp.arguments(EmployerRegistrationIn)
@blp.response(201, EmployerRegistrationOut)
def register_employer(data):
    """An employer registers itself; the account is inactive until the federation approves."""
    return accounts.register_employer(data)


@blp.get("/employer-registrations")
@api_auth("admin")
@blp.arguments(RegistrationQuery, location="query")
@blp.response(200, EmployerRegistrationOut(many=True))
@blp.doc(security=BEARER)
def list_registrations(query):
    """Registrations by status (pending first in order of arrival)."""
    return accounts.registrations(query["status"])


@blp.post("/employer-registrations/<int:registration_id>/decision")
@api_auth("admin")
@blp.arguments(RegistrationDecisionIn)
@blp.response(200, EmployerRegistrationOut)
@blp.alt_response(409, description="Already decided")
@blp.doc(security=BEARER)
def decide_registration(data, registration_id: int):
    """Approve or refuse (a reason is required to refuse); the applicant is told by e-mail."""
    registration = get_or_404(EmployerRegistration, registration_id, api_user())
    accounts.decide_registration(registration, data, api_user())
    return registration


@blp.post("/people/<int:person_id>/invitation")
@api_auth("admin", "counselor")
@blp.arguments(InviteIn)
@blp.response(201, InvitationOut)
@blp.doc(security=BEARER)
def invite(data, person_id: int):
    """Invite a registered person (a counselor: of their county) to make their account."""
    person = get_or_404(Person, person_id, api_user())
    return accounts.invite(person, data["channel"], api_user())
