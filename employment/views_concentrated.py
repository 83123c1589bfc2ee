"""Web pages of concentrated employment: welfare enterprises and blind-massage institutions, their
months, the tax-relief check and its parameters (on the employment blueprint)."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import listing
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.extensions import db
from core.schemas import load_form
from employment import institutions as concentrated_service
from employment import lists
from employment.models import INSTITUTION_KINDS, Institution
from employment.schemas import InstitutionIn, MonthIn, MultipleIn, TierIn
from employment.views import INSTITUTION_NAMES, STAFF, _county_options, bp, download

# ---- concentrated employment --------------------------------------------------------------------


def _institutions_page(errors=None, status=200):
    state = lists.INSTITUTIONS.parse(request.args)
    stmt = lists.institutions(concentrated_service.listing_query(current_user), state)
    page = listing.query_page(stmt, state)
    return render_template(
        "employment/institutions.html",
        rows=page.items,
        page=page,
        state=state,
        kinds=[(k, str(INSTITUTION_NAMES[k])) for k in INSTITUTION_KINDS],
        county_options=_county_options(),
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/institutions")
@roles_required(*STAFF)
def institutions():
    return _institutions_page()


@bp.get("/institutions.csv")
@roles_required(*STAFF)
def institutions_csv():
    """The institutions as filtered and sorted on the page (all the user may see without arguments)."""
    state = lists.INSTITUTIONS.parse(request.args)
    stmt = lists.institutions(concentrated_service.listing_query(current_user), state)
    rows = db.session.scalars(listing.sorted_query(stmt, state))
    body = lists.institutions_csv(rows).encode("utf-8")
    return download(body, "institutions.csv")


@bp.post("/institutions")
@roles_required(*STAFF)
def institution_new():
    data, errors = load_form(InstitutionIn(), request.form)
    if errors:
        return _institutions_page(errors, 422)
    try:
        institution = concentrated_service.register(current_user, data)
    except ServiceError as error:
        return _institutions_page(error.errors, error.status)
    flash(_("The institution was registered."))
    return redirect(url_for("employment.institution_detail", institution_id=institution.id))


def _detail(institution_id: int, errors=None, status=200):
    institution = get_or_404(Institution, institution_id, current_user)
    year = request.args.get("year", date.today().year, type=int)
    year = min(max(year, 2016), date.today().year)
    return render_template(
        "employment/institution.html",
        institution=institution,
        year=year,
        check=concentrated_service.relief(institution, year),
        reason_text=concentrated_service.reason_text,
        tier=concentrated_service.tier_of(institution.county_code),
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/institutions/<int:institution_id>")
@roles_required(*STAFF)
def institution_detail(institution_id: int):
    return _detail(institution_id)


@bp.post("/institutions/<int:institution_id>/months")
@roles_required(*STAFF)
def institution_month(institution_id: int):
    institution = get_or_404(Institution, institution_id, current_user)
    data, errors = load_form(MonthIn(), request.form)
    if errors:
        return _detail(institution_id, errors, 422)
    try:
        row = concentrated_service.record_month(current_user, institution, data)
    except ServiceError as error:
        return _detail(institution_id, error.errors, error.status)
    flash(_("The month was recorded."))
    return redirect(
        url_for("employment.institution_detail", institution_id=institution.id, year=row.month.year)
    )


def _settings_page(errors=None, status=200):
    return render_template(
        "employment/relief_settings.html",
        settings=concentrated_service.settings(),
        county_options=_county_options(),
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/relief-settings")
@roles_required("admin")
def relief_settings():
    return _settings_page()


@bp.post("/relief-settings")
@roles_required("admin")
def relief_settings_save():
    if request.form.get("what") == "tier":
        data, errors = load_form(TierIn(), request.form)
        if not errors:
            concentrated_service.set_tier(current_user, data["county_code"], data["tier"])
    else:
        data, errors = load_form(MultipleIn(), request.form)
        if not errors:
            concentrated_service.set_multiple(
                current_user, data["year"], data["refund_multiple"], data["source"]
            )
    if errors:
        return _settings_page(errors, 422)
    flash(_("The parameter was saved."))
    return redirect(url_for("employment.relief_settings"))
