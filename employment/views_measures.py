"""Web pages of the plan's other measures on the employment blueprint: household members, entered
income, concentrated employment, public-welfare posts and auxiliary employment."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.models import Person
from core.schemas import load_form
from employment import auxiliary, welfare, welfare_rules
from employment import households as household_data
from employment import institutions as concentrated_service
from employment.models import (
    INSTITUTION_KINDS,
    RELATIONS,
    AuxiliaryCentre,
    AuxiliaryParticipant,
    HouseholdRelative,
    Institution,
    WelfareAssignment,
    WelfarePost,
)
from employment.schemas import (
    AssignmentIn,
    CentreIn,
    EndIn,
    IncomeIn,
    InstitutionIn,
    MonthIn,
    MultipleIn,
    ParticipantIn,
    RelativeIn,
    RuralIn,
    SubsidyIn,
    TierIn,
    WelfarePostIn,
    WorkMonthIn,
)
from employment.views import (
    INSTITUTION_NAMES,
    RELATION_NAMES,
    STAFF,
    _county_options,
    bp,
)

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
    return render_template(
        "employment/household_income.html",
        rows=household_data.incomes(),
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


# ---- concentrated employment --------------------------------------------------------------------


def _institutions_page(errors=None, status=200):
    return render_template(
        "employment/institutions.html",
        rows=concentrated_service.listing(current_user),
        kinds=[(k, str(INSTITUTION_NAMES[k])) for k in INSTITUTION_KINDS],
        county_options=_county_options(),
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/institutions")
@roles_required(*STAFF)
def institutions():
    return _institutions_page()


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


# ---- public-welfare posts -----------------------------------------------------------------------


def _welfare_page(errors=None, status=200):
    return render_template(
        "employment/welfare_posts.html",
        rows=welfare.posts(current_user),
        occupied=welfare.occupied,
        county_options=_county_options(),
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/welfare-posts")
@roles_required(*STAFF)
def welfare_posts():
    return _welfare_page()


@bp.post("/welfare-posts")
@roles_required(*STAFF)
def welfare_post_new():
    data, errors = load_form(WelfarePostIn(), request.form)
    if errors:
        return _welfare_page(errors, 422)
    try:
        post = welfare.create_post(current_user, data)
    except ServiceError as error:
        return _welfare_page(error.errors, error.status)
    flash(_("The post was created."))
    return redirect(url_for("employment.welfare_post_detail", welfare_post_id=post.id))


def _welfare_detail(post_id: int, errors=None, status=200):
    post = get_or_404(WelfarePost, post_id, current_user)
    candidates = welfare.candidates(post.county_code)
    return render_template(
        "employment/welfare_post.html",
        post=post,
        occupied=welfare.occupied(post.id),
        candidates=candidates,
        person_options=[("", "—")] + [(p.id, f"{p.name}（{p.id}）") for _g, p, _c in candidates],
        groups=welfare_rules.GROUPS,
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/welfare-posts/<int:welfare_post_id>")
@roles_required(*STAFF)
def welfare_post_detail(welfare_post_id: int):
    return _welfare_detail(welfare_post_id)


@bp.post("/welfare-posts/<int:welfare_post_id>/assign")
@roles_required(*STAFF)
def welfare_assign(welfare_post_id: int):
    post_id = welfare_post_id
    post = get_or_404(WelfarePost, post_id, current_user)
    data, errors = load_form(AssignmentIn(), request.form)
    if errors:
        return _welfare_detail(post_id, errors, 422)
    try:
        welfare.assign(current_user, post, data)
    except ServiceError as error:
        return _welfare_detail(post_id, error.errors, error.status)
    flash(_("The seat was given."))
    return redirect(url_for("employment.welfare_post_detail", welfare_post_id=post_id))


@bp.post("/welfare-assignments/<int:assignment_id>/end")
@roles_required(*STAFF)
def welfare_end(assignment_id: int):
    assignment = get_or_404(WelfareAssignment, assignment_id, current_user)
    data, errors = load_form(EndIn(), request.form)
    if errors:
        return _welfare_detail(assignment.post_id, errors, 422)
    try:
        welfare.end(current_user, assignment, data["ended_on"])
    except ServiceError as error:
        return _welfare_detail(assignment.post_id, error.errors, error.status)
    flash(_("The term was ended."))
    return redirect(url_for("employment.welfare_post_detail", welfare_post_id=assignment.post_id))


@bp.post("/people/<int:person_id>/rural")
@roles_required(*STAFF)
def person_rural(person_id: int):
    person = get_or_404(Person, person_id, current_user)
    data, errors = load_form(RuralIn(), request.form)
    if not errors:
        welfare.set_rural(current_user, person, data["rural"])
        flash(_("The household registration was recorded."))
    else:
        flash(" ".join(m for messages in errors.values() for m in messages))
    back = request.form.get("post_id", type=int)
    if back:
        return redirect(url_for("employment.welfare_post_detail", welfare_post_id=back))
    return redirect(url_for("core.person_detail", person_id=person.id))


# ---- auxiliary employment -------------------------------------------------------------------------


def _centres_page(errors=None, status=200):
    return render_template(
        "employment/auxiliary_centres.html",
        rows=auxiliary.centres(current_user),
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
