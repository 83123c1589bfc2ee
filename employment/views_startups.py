"""Web pages of self-employment support: applications, decisions and follow-ups (on the employment
blueprint)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import listing, navigation
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.models import Person
from core.schemas import load_form
from employment import lists, startups
from employment.models import StartupApplication, StartupFollowUp
from employment.schemas import FollowUpIn, StartupDecisionIn, StartupIn
from employment.views import STAFF, STATUS_NAMES, bp

navigation.register(_l("Start-up support"), "employment.startup_list", STAFF, order=70)


def _list_page(errors=None, status=200):
    state = lists.STARTUPS.parse(request.args)
    stmt = lists.startups(startups.applications_query(current_user), state)
    page = listing.query_page(stmt, state)
    return render_template(
        "employment/startups.html",
        rows=page.items,
        page=page,
        state=state,
        survival=startups.survival(current_user),
        status_names=STATUS_NAMES,
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/startups")
@roles_required(*STAFF)
def startup_list():
    return _list_page()


@bp.post("/startups")
@roles_required(*STAFF)
def startup_new():
    data, errors = load_form(StartupIn(), request.form)
    if errors:
        return _list_page(errors, 422)
    try:
        person = get_or_404(Person, data["person_id"], current_user)
        application = startups.apply(current_user, person, data)
    except ServiceError as error:
        return _list_page(error.errors, error.status)
    flash(_("The application was filed."))
    return redirect(url_for("employment.startup_detail", startup_id=application.id))


def _detail(app_id: int, errors=None, status=200):
    application = get_or_404(StartupApplication, app_id, current_user)
    return render_template(
        "employment/startup.html",
        application=application,
        status_names=STATUS_NAMES,
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/startups/<int:startup_id>")
@roles_required(*STAFF)
def startup_detail(startup_id: int):
    return _detail(startup_id)


@bp.post("/startups/<int:startup_id>/decision")
@roles_required(*STAFF)
def startup_decide(startup_id: int):
    app_id = startup_id
    application = get_or_404(StartupApplication, app_id, current_user)
    data, errors = load_form(StartupDecisionIn(), request.form)
    if errors:
        return _detail(app_id, errors, 422)
    try:
        startups.decide(current_user, application, data)
    except ServiceError as error:
        return _detail(app_id, error.errors, error.status)
    flash(_("The decision was recorded."))
    return redirect(url_for("employment.startup_detail", startup_id=app_id))


@bp.post("/startup-follow-ups/<int:follow_up_id>")
@roles_required(*STAFF)
def startup_follow_up(follow_up_id: int):
    follow_up = get_or_404(StartupFollowUp, follow_up_id, current_user)
    data, errors = load_form(FollowUpIn(), request.form)
    if errors:
        return _detail(follow_up.application_id, errors, 422)
    try:
        startups.record_follow_up(current_user, follow_up, data)
    except ServiceError as error:
        return _detail(follow_up.application_id, error.errors, error.status)
    flash(_("The follow-up was recorded."))
    return redirect(url_for("employment.startup_detail", startup_id=follow_up.application_id))
