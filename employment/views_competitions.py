"""Web pages of skills competitions (competitions, entrants, results) and of a household's rural or
urban registration (on the employment blueprint)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import listing, navigation
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.models import Person
from core.schemas import load_form
from employment import competitions, labels, lists
from employment import households as household_data
from employment.models import Competition, CompetitionEntry
from employment.schemas import CompetitionIn, EntryIn, RegistrationIn, ResultIn
from employment.views import STAFF, bp

navigation.register(_l("Skills competitions"), "employment.competition_list", STAFF, order=71)


def _list_page(errors=None, status=200):
    state = lists.COMPETITIONS.parse(request.args)
    page = listing.query_page(lists.competitions(competitions.listing_query(), state), state)
    return render_template(
        "employment/competitions.html",
        rows=page.items,
        page=page,
        state=state,
        levels=labels.names(labels.COMPETITION_LEVEL_NAMES),
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/competitions")
@roles_required(*STAFF)
def competition_list():
    return _list_page()


@bp.post("/competitions")
@roles_required(*STAFF)
def competition_new():
    data, errors = load_form(CompetitionIn(), request.form)
    if errors:
        return _list_page(errors, 422)
    try:
        competition = competitions.create(current_user, data)
    except ServiceError as error:
        return _list_page(error.errors, error.status)
    flash(_("The competition was recorded."))
    return redirect(url_for("employment.competition_detail", competition_id=competition.id))


def _detail(competition_id: int, errors=None, status=200):
    competition = get_or_404(Competition, competition_id, current_user)
    entries = competitions.entries(current_user, competition)
    state = lists.ENTRIES.parse(request.args)
    page = listing.rows_page(lists.entries(entries, state), state)
    return render_template(
        "employment/competition.html",
        competition=competition,
        entries=page.items,
        page=page,
        state=state,
        levels=labels.names(labels.COMPETITION_LEVEL_NAMES),
        awards=labels.names(labels.AWARD_NAMES),
        entry_options=[(e.id, f"{e.person.name}（{e.trade}）") for e in entries],
        trade_options=[(t, t) for t in competition.trades],
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/competitions/<int:competition_id>")
@roles_required(*STAFF)
def competition_detail(competition_id: int):
    return _detail(competition_id)


@bp.post("/competitions/<int:competition_id>/entries")
@roles_required(*STAFF)
def competition_enter(competition_id: int):
    competition = get_or_404(Competition, competition_id, current_user)
    data, errors = load_form(EntryIn(), request.form)
    if errors:
        return _detail(competition_id, errors, 422)
    try:
        person = get_or_404(Person, data["person_id"], current_user)
        competitions.enter(current_user, competition, person, data["trade"])
    except ServiceError as error:
        return _detail(competition_id, error.errors, error.status)
    flash(_("The entrant was recorded."))
    return redirect(url_for("employment.competition_detail", competition_id=competition_id))


@bp.post("/competitions/<int:competition_id>/results")
@roles_required(*STAFF)
def competition_result(competition_id: int):
    get_or_404(Competition, competition_id, current_user)
    entry = get_or_404(CompetitionEntry, request.form.get("entry_id", type=int), current_user)
    if entry.competition_id != competition_id:
        abort(404)
    data, errors = load_form(ResultIn(), request.form)
    if errors:
        return _detail(competition_id, errors, 422)
    try:
        competitions.record_result(current_user, entry, data)
    except ServiceError as error:
        return _detail(competition_id, error.errors, error.status)
    flash(_("The result was recorded."))
    return redirect(url_for("employment.competition_detail", competition_id=competition_id))


@bp.post("/households/<household_id>/registration")
@roles_required(*STAFF)
def household_registration(household_id: str):
    try:
        household_data.household_county(current_user, household_id)
    except ServiceError:
        abort(404)
    data, errors = load_form(RegistrationIn(), request.form)
    if errors:
        labels = {"registration": _("Registration (户籍)"), "source": _("Source")}
        flash(" ".join(f"{labels[f]}：{m}" for f, messages in errors.items() for m in messages))
    else:
        rural = data["registration"] == "rural"
        household_data.set_registration(current_user, household_id, rural, data["source"])
        flash(_("The household registration was recorded."))
    return redirect(url_for("employment.relatives", household_id=household_id))
