"""Web pages of getting in: forgotten password, an employer's self-registration and the
federation's decision on it, a graduate's invitation and the account made from it."""

import time

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import accounts, divisions, navigation, templating
from core.access import get_or_404
from core.account_schemas import (
    ActivateIn,
    EmployerRegistrationIn,
    InviteIn,
    RegistrationDecisionIn,
    ResetIn,
    ResetRequestIn,
)
from core.auth import public, roles_required
from core.codes import UNIT_TYPES
from core.database import ServiceError
from core.extensions import limiter
from core.models import EmployerRegistration, Person
from core.schemas import load_form

bp = Blueprint("accounts", __name__)

navigation.register(
    _l("Employer registrations"),
    "accounts.registrations",
    ("admin",),
    order=22,
    group="people",
)
templating.add_home_task(
    ("admin",),
    _l("Employer registrations to decide"),
    "accounts.registrations",
    lambda user: accounts.pending_count(),
    order=15,
)
templating.add_person_section("core/_invite_section.html", when=lambda person: True)


def _reset_limit() -> str:
    return current_app.config["RATELIMIT_RESET"]


def _register_limit() -> str:
    return current_app.config["RATELIMIT_REGISTER"]


@bp.app_template_global()
def password_min_length() -> int:
    return accounts.PASSWORD_MIN_LENGTH


@bp.app_template_global()
def person_has_account(person_id: int) -> bool:
    return accounts.has_account(person_id)


def _with_confirmation(form, errors: dict) -> dict:
    """The new password typed twice: the second must match (checked at the boundary)."""
    if form.get("password") and form.get("password") != form.get("password_confirm"):
        errors = {**errors, "password_confirm": [_("The two passwords are not the same.")]}
    return errors


@bp.route("/password/forgot", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@public
def forgot_password():
    errors = {}
    if request.method == "POST":
        started = time.monotonic()
        data, errors = load_form(ResetRequestIn(), request.form)
        if not errors:
            accounts.check_reset_quota(data["username"])
            accounts.request_reset(data["username"], data["channel"])
            accounts.pad_response(started)
            return render_template(
                "core/password_reset.html",
                errors={},
                form={"username": data["username"]},
                sent=True,
                minutes=current_app.config["PASSWORD_RESET_CODE_MINUTES"],
            )
    form = request.form if request.method == "POST" else {"channel": "email"}
    status = 422 if errors else 200
    return render_template("core/password_forgot.html", errors=errors, form=form), status


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@public
def reset_password():
    errors = {}
    if request.method == "POST":
        data, errors = load_form(ResetIn(), request.form)
        errors = _with_confirmation(request.form, errors)
        if not errors:
            try:
                accounts.reset_password(data["username"], data["code"], data["password"])
                flash(_("Your password was changed and every session was ended. Log in with it."))
                return redirect(url_for("core.login"))
            except ServiceError as error:
                errors = error.errors
    form = {k: v for k, v in request.form.items() if not k.startswith("password")}
    return render_template(
        "core/password_reset.html", errors=errors, form=form, sent=False, minutes=None
    ), 422 if errors else 200


@bp.route("/register/employer", methods=["GET", "POST"])
@limiter.limit(_register_limit, methods=["POST"])
@public
def register_employer():
    errors = {}
    if request.method == "POST":
        data, errors = load_form(EmployerRegistrationIn(), request.form)
        errors = _with_confirmation(request.form, errors)
        if not errors:
            try:
                registration = accounts.register_employer(data)
                return render_template("core/register_done.html", registration=registration)
            except ServiceError as error:
                errors = error.errors
    form = {k: v for k, v in request.form.items() if not k.startswith("password")}
    return render_template(
        "core/register_employer.html",
        errors=errors,
        form=form,
        counties=divisions.counties(),
        unit_types=UNIT_TYPES,
    ), 422 if errors else 200


@bp.get("/admin/registrations")
@roles_required("admin")
def registrations():
    status = request.args.get("status", "pending")
    if status not in ("pending", "approved", "refused"):
        status = "pending"
    return render_template(
        "core/registrations.html",
        items=accounts.registrations(status),
        status=status,
        errors={},
        failed_id=None,
    )


@bp.post("/admin/registrations/<int:registration_id>/decide")
@roles_required("admin")
def decide_registration(registration_id: int):
    registration = get_or_404(EmployerRegistration, registration_id, current_user)
    data, errors = load_form(RegistrationDecisionIn(), request.form)
    if not errors:
        try:
            accounts.decide_registration(registration, data, current_user)
            if data["outcome"] == "approve":
                flash(_("The registration of %(name)s was approved.", name=registration.name))
            else:
                flash(_("The registration of %(name)s was refused.", name=registration.name))
            return redirect(url_for("accounts.registrations"))
        except ServiceError as error:
            errors, status = error.errors, error.status
            if status == 409:
                flash(errors["status"][0], "error")
                return redirect(url_for("accounts.registrations"))
    return render_template(
        "core/registrations.html",
        items=accounts.registrations("pending"),
        status="pending",
        errors=errors,
        failed_id=registration.id,
        form=request.form,
    ), 422


@bp.post("/people/<int:person_id>/invite")
@roles_required("admin", "counselor")
def invite(person_id: int):
    person = get_or_404(Person, person_id, current_user)
    data, errors = load_form(InviteIn(), request.form)
    if not errors:
        try:
            code = accounts.invite(person, data["channel"], current_user)
            flash(
                _(
                    "The invitation was sent to %(name)s; the link works once, until %(date)s.",
                    name=person.name,
                    date=code.expires_at.date().isoformat(),
                )
            )
        except ServiceError as error:
            errors = error.errors
    for messages in errors.values():
        for message in messages:
            flash(message, "error")
    return redirect(url_for("core.person_detail", person_id=person.id) + "#invite")


@bp.route("/activate/<token>", methods=["GET", "POST"])
@limiter.limit(_reset_limit, methods=["POST"])
@public
def activate(token: str):
    code = accounts.invitation(token)
    if code is None:
        return render_template("core/activate.html", code=None, errors={}, form={}), 410
    errors = {}
    if request.method == "POST":
        data, errors = load_form(ActivateIn(), {**request.form.to_dict(), "token": token})
        errors = _with_confirmation(request.form, errors)
        if not errors:
            try:
                accounts.activate(token, data["username"], data["password"])
                flash(_("Your account is ready. Log in with your username and password."))
                return redirect(url_for("core.login"))
            except ServiceError as error:
                errors = error.errors
    form = {k: v for k, v in request.form.items() if not k.startswith("password")}
    return render_template(
        "core/activate.html", code=code, errors=errors, form=form
    ), 422 if errors else 200
