"""Web pages of auxiliary employment: centres, participants and their months, and the subsidy
parameter (on the employment blueprint)."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import listing
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.models import Person
from core.schemas import load_form
from employment import auxiliary, lists
from employment.models import AuxiliaryCentre, AuxiliaryParticipant
from employment.schemas import CentreIn, ParticipantIn, SubsidyIn, WorkMonthIn
from employment.views import STAFF, _county_options, bp

# ---- auxiliary employment -------------------------------------------------------------------------


def _centres_page(errors=None, status=200):
    state = lists.CENTRES.parse(request.args)
    page = listing.query_page(lists.centres(auxiliary.centres_query(current_user), state), state)
    return render_template(
        "employment/auxiliary_centres.html",
        rows=page.items,
        page=page,
        state=state,
        subsidies=auxiliary.subsidies(),
        county_options=_county_options(),
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/auxiliary")
@roles_required(*STAFF)
def auxiliary_centres():
    return _centres_page()


@bp.post("/auxiliary")
@roles_required(*STAFF)
def auxiliary_centre_new():
    data, errors = load_form(CentreIn(), request.form)
    if errors:
        return _centres_page(errors, 422)
    try:
        centre = auxiliary.create_centre(current_user, data)
    except ServiceError as error:
        return _centres_page(error.errors, error.status)
    flash(_("The centre was registered."))
    return redirect(url_for("employment.auxiliary_centre", centre_id=centre.id))


@bp.post("/auxiliary/subsidies")
@roles_required("admin")
def auxiliary_subsidy():
    data, errors = load_form(SubsidyIn(), request.form)
    if errors:
        return _centres_page(errors, 422)
    auxiliary.set_subsidy(current_user, data["year"], data["amount"], data["source"])
    flash(_("The parameter was saved."))
    return redirect(url_for("employment.auxiliary_centres"))


def _centre_page(centre_id: int, errors=None, status=200):
    centre = get_or_404(AuxiliaryCentre, centre_id, current_user)
    year = min(max(request.args.get("year", date.today().year, type=int), 2015), date.today().year)
    return render_template(
        "employment/auxiliary_centre.html",
        centre=centre,
        year=year,
        summary=auxiliary.centre_year(centre, year),
        participant_options=[("", "—")]
        + [(p.id, f"{p.person.name}（{p.person_id}）") for p in centre.participants],
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/auxiliary/<int:centre_id>")
@roles_required(*STAFF)
def auxiliary_centre(centre_id: int):
    return _centre_page(centre_id)


@bp.post("/auxiliary/<int:centre_id>/participants")
@roles_required(*STAFF)
def auxiliary_participant_new(centre_id: int):
    centre = get_or_404(AuxiliaryCentre, centre_id, current_user)
    data, errors = load_form(ParticipantIn(), request.form)
    if errors:
        return _centre_page(centre_id, errors, 422)
    try:
        person = get_or_404(Person, data["person_id"], current_user)
        auxiliary.add_participant(current_user, centre, person, data["joined_on"])
    except ServiceError as error:
        return _centre_page(centre_id, error.errors, error.status)
    flash(_("The participant was enrolled."))
    return redirect(url_for("employment.auxiliary_centre", centre_id=centre_id))


@bp.post("/auxiliary/<int:centre_id>/months")
@roles_required(*STAFF)
def auxiliary_month(centre_id: int):
    get_or_404(AuxiliaryCentre, centre_id, current_user)
    participant = get_or_404(
        AuxiliaryParticipant, request.form.get("participant_id", type=int), current_user
    )
    if participant.centre_id != centre_id:
        abort(404)
    data, errors = load_form(WorkMonthIn(), request.form)
    if errors:
        return _centre_page(centre_id, errors, 422)
    try:
        auxiliary.record_month(current_user, participant, data)
    except ServiceError as error:
        return _centre_page(centre_id, error.errors, error.status)
    flash(_("The month was recorded."))
    return redirect(url_for("employment.auxiliary_centre", centre_id=centre_id))
