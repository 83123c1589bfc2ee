"""Web pages of household members without a registered disability and of the entered disposable
income (on the employment blueprint)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import listing
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.schemas import load_form
from employment import households as household_data
from employment import lists
from employment.models import RELATIONS, HouseholdRelative
from employment.schemas import IncomeIn, RelativeIn
from employment.views import RELATION_NAMES, STAFF, bp

# ---- household members without a registered disability ----------------------------------------


@bp.route("/households/<household_id>/relatives", methods=["GET", "POST"])
@roles_required(*STAFF)
def relatives(household_id: str):
    try:
        county = household_data.household_county(current_user, household_id)
    except ServiceError:
        abort(404)
    errors, status = {}, 422
    if request.method == "POST":
        data, errors = load_form(RelativeIn(), {**request.form, "household_id": household_id})
        if not errors:
            try:
                household_data.add_relative(current_user, data)
                flash(_("The household member was recorded."))
                return redirect(url_for("employment.relatives", household_id=household_id))
            except ServiceError as error:
                errors, status = error.errors, error.status
    return render_template(
        "employment/relatives.html",
        household_id=household_id,
        county=county,
        relatives=household_data.relatives(current_user, household_id),
        registration=household_data.registration(current_user, household_id),
        relations=[(r, str(RELATION_NAMES[r])) for r in RELATIONS],
        errors=errors,
        form=request.form,
    ), status if errors else 200


@bp.post("/relatives/<int:relative_id>/delete")
@roles_required(*STAFF)
def relative_delete(relative_id: int):
    relative = get_or_404(HouseholdRelative, relative_id, current_user)
    household_id = relative.household_id
    household_data.remove_relative(current_user, relative)
    flash(_("The household member was removed."))
    return redirect(url_for("employment.relatives", household_id=household_id))


# ---- entered disposable income -------------------------------------------------------------------


def _income_page(errors=None, status=200):
    state = lists.INCOMES.parse(request.args)
    page = listing.query_page(lists.incomes(household_data.incomes_query(), state), state)
    return render_template(
        "employment/household_income.html",
        rows=page.items,
        page=page,
        state=state,
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/household-income")
@roles_required(*STAFF)
def household_income():
    return _income_page()


@bp.post("/household-income")
@roles_required("admin")
def household_income_save():
    data, errors = load_form(IncomeIn(), request.form)
    if errors:
        return _income_page(errors, 422)
    try:
        household_data.set_income(current_user, data)
    except ServiceError as error:
        return _income_page(error.errors, error.status)
    flash(_("The figure was saved with its source."))
    return redirect(url_for("employment.household_income"))
