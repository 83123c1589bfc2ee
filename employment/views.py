"""Web pages of the plan's services: dashboard, hard to employ, households, recognition, disregard."""

from datetime import date
from io import BytesIO

from flask import (
    Blueprint,
    Response,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import divisions, listing, navigation, templating
from core import services as core_services
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.i18n import lang
from core.models import Person
from core.schemas import load_form
from employment import competitions, disregard, export, lists, recognition, services
from employment import dashboard as dash
from employment.models import (
    PROVINCE,
    RECOGNITION_KINDS,
    RECOGNITION_STATUSES,
    DisregardReminder,
    IncomeDisregard,
    RecognitionApplication,
)
from employment.schemas import (
    DecisionIn,
    DisregardIn,
    RecognitionIn,
)

bp = Blueprint("employment", __name__, url_prefix="/employment")
STAFF = ("admin", "counselor")
MAX_PAGE = 100_000  # as the API's limit: a larger OFFSET would overflow the database's integer

navigation.register(_l("Plan dashboard"), "employment.dashboard", STAFF, order=60)
navigation.register(_l("Hard to employ"), "employment.hard_to_employ", STAFF, order=61)
navigation.register(_l("Zero-employment households"), "employment.households", STAFF, order=62)
navigation.register(_l("Income disregard"), "employment.disregards", STAFF, order=63)
navigation.register(_l("Concentrated employment"), "employment.institutions", STAFF, order=65)
navigation.register(_l("Public-welfare posts"), "employment.welfare_posts", STAFF, order=68)
navigation.register(_l("Auxiliary employment"), "employment.auxiliary_centres", STAFF, order=69)
navigation.register(_l("Tax-relief parameters"), "employment.relief_settings", ("admin",), order=66)
navigation.register(_l("Household income figures"), "employment.household_income", STAFF, order=67)
navigation.register(
    _l("Work recognition"), "employment.recognitions", (*STAFF, "graduate"), order=64
)
templating.add_person_section("employment/_person_section.html")
from employment import home  # noqa: E402, F401  (registers the home page tasks)

KIND_NAMES = {"flexible": _l("Flexible employment"), "home_based": _l("Home-based employment")}
STATUS_NAMES = {
    "pending": _l("Waiting for a decision"),
    "approved": _l("Approved"),
    "rejected": _l("Rejected"),
    "offered": _l("Offered, not yet confirmed"),
    "active": _l("Running"),
    "dismissed": _l("Set aside"),
}
INSTITUTION_NAMES = {
    "welfare_enterprise": _l("Welfare enterprise"),
    "blind_massage": _l("Blind-massage institution"),
}
RELATION_NAMES = {
    "spouse": _l("Spouse"),
    "parent": _l("Parent"),
    "child": _l("Child"),
    "sibling": _l("Brother or sister"),
    "grandparent": _l("Grandparent"),
    "grandchild": _l("Grandchild"),
    "other": _l("Other relative"),
}


@bp.app_context_processor
def _person_status():
    def employment_status(person: Person) -> dict:
        return {
            "hard_to_employ": services.is_hard_to_employ(person),
            "disregard": disregard.open_disregard(person),
            "awards": competitions.awards(person.id),
        }

    return {"employment_status": employment_status, "award_badge": competitions.badge_of}


@bp.context_processor
def _names():
    return {
        "kind_names": KIND_NAMES,
        "status_names": STATUS_NAMES,
        "kind_options": [(k, str(KIND_NAMES[k])) for k in RECOGNITION_KINDS],
        "relation_names": RELATION_NAMES,
        "institution_names": INSTITUTION_NAMES,
    }


def _own_county() -> str:
    """The county a list shows: a counselor's own; an admin's choice (Hangzhou Shangcheng first)."""
    if current_user.role == "counselor":
        return current_user.county_code
    asked = request.args.get("county", "")
    return asked if divisions.is_county(asked) else divisions.counties()[0].code


def _dashboard_args() -> tuple[int | None, str]:
    default = current_user.county_code if current_user.role == "counselor" else PROVINCE
    return request.args.get("year", type=int), request.args.get("area") or default


def _report_or_abort():
    year, area = _dashboard_args()
    try:
        return services.indicator_report(year, area)
    except ServiceError:
        abort(404)


@bp.get("/dashboard")
@roles_required(*STAFF)
def dashboard():
    report = _report_or_abort()
    snapshots = services.monthly_series(report.area_code)
    return render_template(
        "employment/dashboard.html",
        report=report,
        panels=dash.panels(report, snapshots, lang()),
        summary=dash.summary_rows(report),
        cities=divisions.cities(),
        counties=divisions.counties(),
        years=range(date.today().year, date.today().year - 6, -1),
    )


@bp.get("/dashboard.xlsx")
@roles_required(*STAFF)
def dashboard_xlsx():
    report = _report_or_abort()
    content = export.workbook(report, services.monthly_series(report.area_code), lang())
    return send_file(
        BytesIO(content),
        mimetype="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        as_attachment=True,
        download_name=f"indicators-{report.area_code}-{report.year}.xlsx",
    )


@bp.get("/hard-to-employ")
@roles_required(*STAFF)
def hard_to_employ():
    county = _own_county()
    state = HARD_TO_EMPLOY_LIST.parse(request.args)
    people = services.hard_to_employ(county)
    if state.get("q"):
        people = [p for p in people if state.get("q") in p.name]
    if state.get("category"):
        people = [p for p in people if p.disability_category == int(state.get("category"))]
    if state.get("low_income"):
        people = [p for p in people if bool(p.low_income) == (state.get("low_income") == "1")]
    page = listing.rows_page(people, state)
    return render_template(
        "employment/hard_to_employ.html",
        people=page.items,
        page=page,
        state=state,
        county=county,
        counties=divisions.counties(),
    )


def _yes_no():
    return [("1", _("Yes")), ("0", _("No"))]


HARD_TO_EMPLOY_LIST = listing.ListSpec(
    "hard_to_employ",
    {
        "name": lambda p: p.name_pinyin,
        "category": lambda p: p.disability_category,
        "birth": lambda p: p.birth_date,
        "low_income": lambda p: not p.low_income,
    },
    "name",
    (
        listing.Filter("q", _l("Full name")),
        listing.Filter(
            "category", _l("Disability category"), "choice", core_services.category_options
        ),
        listing.Filter("low_income", _l("Low-income family"), "choice", _yes_no),
    ),
    tiebreak=lambda p: p.id,
)
HOUSEHOLDS_LIST = listing.ListSpec(
    "households",
    {"household": lambda h: h.household_id},
    "household",
    tiebreak=lambda h: h.household_id,
)
RECOGNITIONS_LIST = listing.ListSpec(
    "recognitions",
    {
        "applied": RecognitionApplication.created_at,
        "status": RecognitionApplication.status,
        "kind": RecognitionApplication.kind,
    },
    "-applied",
    (
        listing.Filter(
            "status",
            _l("Status"),
            "choice",
            lambda: [(s, str(STATUS_NAMES[s])) for s in RECOGNITION_STATUSES],
        ),
        listing.Filter(
            "kind",
            _l("Kind of work"),
            "choice",
            lambda: [(k, str(KIND_NAMES[k])) for k in RECOGNITION_KINDS],
        ),
    ),
    tiebreak=RecognitionApplication.id.desc(),
)


@bp.get("/households")
@roles_required(*STAFF)
def households():
    county = _own_county()
    state = HOUSEHOLDS_LIST.parse(request.args)
    page = listing.rows_page(services.zero_employment_households(county), state)
    return render_template(
        "employment/households.html",
        households=page.items,
        page=page,
        state=state,
        series=services.monthly_series(county),
        county=county,
        counties=divisions.counties(),
    )


# ---- recognition ------------------------------------------------------------------------------


@bp.get("/recognitions")
@roles_required(*STAFF, "graduate")
def recognitions():
    state = RECOGNITIONS_LIST.parse(request.args)
    stmt = recognition.applications_query(current_user, state.get("status") or None)
    if state.get("kind"):
        stmt = stmt.where(RecognitionApplication.kind == state.get("kind"))
    page = listing.query_page(stmt, state)
    return render_template(
        "employment/recognitions.html",
        page=page,
        state=state,
        status=state.get("status"),
        statuses=RECOGNITION_STATUSES,
    )


def _applicant_person(person_id) -> Person:
    if current_user.role == "graduate":
        return get_or_404(Person, current_user.person_id, current_user)
    return get_or_404(Person, person_id, current_user)


@bp.route("/recognitions/new", methods=["GET", "POST"])
@roles_required(*STAFF, "graduate")
def recognition_new():
    person = _applicant_person(request.values.get("person_id", type=int))
    errors, status = {}, 422
    if request.method == "POST":
        data, errors = load_form(RecognitionIn(), request.form)
        if not errors:
            try:
                upload = recognition.read_upload(request.files.get("evidence_file"))
                application = recognition.apply(current_user, person, data, upload)
                flash(_("The application was sent to the county's counselors."))
                return redirect(url_for("employment.recognition_detail", app_id=application.id))
            except ServiceError as error:
                errors, status = error.errors, error.status
    return render_template(
        "employment/recognition_form.html",
        person=person,
        errors=errors,
        form=request.form,
        kinds=RECOGNITION_KINDS,
    ), status if errors else 200


@bp.get("/recognitions/<int:app_id>")
@roles_required(*STAFF, "graduate")
def recognition_detail(app_id: int, errors=None, status=200):
    application = get_or_404(RecognitionApplication, app_id, current_user)
    return render_template(
        "employment/recognition.html",
        application=application,
        errors=errors or {},
        form=request.form,
    ), status


@bp.post("/recognitions/<int:app_id>/decision")
@roles_required(*STAFF)
def recognition_decide(app_id: int):
    application = get_or_404(RecognitionApplication, app_id, current_user)
    data, errors = load_form(DecisionIn(), request.form)
    if errors:
        return recognition_detail(app_id, errors, 422)
    try:
        if request.form.get("decision") == "approve":
            recognition.approve(current_user, application, data["reason"])
            flash(_("The work was recognised; the person now counts as employed."))
        else:
            recognition.reject(current_user, application, data["reason"])
            flash(_("The application was rejected."))
    except ServiceError as error:
        return recognition_detail(app_id, error.errors, error.status)
    return redirect(url_for("employment.recognition_detail", app_id=app_id))


@bp.get("/recognitions/<int:app_id>/evidence")
@roles_required(*STAFF, "graduate")
def recognition_evidence(app_id: int):
    application = get_or_404(RecognitionApplication, app_id, current_user)
    path = recognition.evidence_path(application)
    if path is None:
        abort(404)
    return send_file(
        path,
        mimetype=application.evidence_mimetype,
        as_attachment=True,
        download_name=application.evidence_filename or path.name,
    )


# ---- income disregard -------------------------------------------------------------------------


@bp.get("/disregards")
@roles_required(*STAFF)
def disregards():
    state = lists.RUNNING_DISREGARDS.parse(request.args)
    stmt = lists.running_disregards(disregard.disregards_query(current_user, "active"), state)
    page = listing.query_page(stmt, state)
    return render_template(
        "employment/disregards.html",
        reminders=disregard.due_reminders(current_user),
        offers=disregard.disregards(current_user, "offered"),
        active=page.items,
        page=page,
        state=state,
    )


@bp.route("/people/<int:person_id>/disregard", methods=["GET", "POST"])
@roles_required(*STAFF)
def disregard_new(person_id: int):
    person = get_or_404(Person, person_id, current_user)
    offer = disregard.open_disregard(person)
    errors, status = {}, 422
    if request.method == "POST":
        data, errors = load_form(DisregardIn(), request.form)
        if not errors:
            try:
                record = disregard.record_start(
                    current_user, person, data["start_date"], data["note"]
                )
                flash(_("The income disregard was recorded, with reminders before each change."))
                return redirect(url_for("employment.disregard_detail", disregard_id=record.id))
            except ServiceError as error:
                errors, status = error.errors, error.status
    form = request.form if request.method == "POST" else _disregard_form(person, offer)
    return render_template(
        "employment/disregard_form.html", person=person, offer=offer, errors=errors, form=form
    ), status if errors else 200


def _disregard_form(person: Person, offer) -> dict:
    start = offer.start_date if offer else person.employed_since or date.today()
    return {"start_date": start.isoformat()}


@bp.get("/disregards/<int:disregard_id>")
@roles_required(*STAFF)
def disregard_detail(disregard_id: int):
    record = get_or_404(IncomeDisregard, disregard_id, current_user)
    return render_template(
        "employment/disregard.html",
        record=record,
        schedule=disregard.schedule(record),
        current=disregard.current_phase(record),
    )


@bp.post("/disregards/<int:disregard_id>/dismiss")
@roles_required(*STAFF)
def disregard_dismiss(disregard_id: int):
    record = get_or_404(IncomeDisregard, disregard_id, current_user)
    try:
        note = request.form.get("note", "")[:1000].replace("\x00", "")
        disregard.dismiss_offer(current_user, record, note)
        flash(_("The offer was set aside."))
    except ServiceError as error:
        flash(" ".join(m for messages in error.errors.values() for m in messages))
    return redirect(url_for("employment.disregards"))


@bp.post("/reminders/<int:reminder_id>/done")
@roles_required(*STAFF)
def reminder_done(reminder_id: int):
    reminder = get_or_404(DisregardReminder, reminder_id, current_user)
    try:
        disregard.mark_done(current_user, reminder)
        flash(_("The reminder was marked as done."))
    except ServiceError as error:
        flash(" ".join(m for messages in error.errors.values() for m in messages))
    return redirect(url_for("employment.disregards"))


def download(body: bytes, filename: str) -> Response:
    """A CSV file to save (never shown in the browser, never cached)."""
    response = Response(body, mimetype="text/csv")
    response.headers["Content-Type"] = "text/csv; charset=utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.headers["Cache-Control"] = "no-store"
    return response


def _county_options() -> list[tuple[str, str]]:
    """The counties the user may choose: a counselor's own, every county for an admin."""
    own = current_user.county_code if current_user.role == "counselor" else None
    return [("", "—")] + [
        (c.code, divisions.division_name(c.code))
        for c in divisions.counties()
        if own is None or c.code == own
    ]


# More pages on this blueprint (imported last: they use `bp` and the names above).
from employment import (  # noqa: E402,F401
    views_auxiliary,
    views_competitions,
    views_concentrated,
    views_households,
    views_startups,
    views_welfare,
)
