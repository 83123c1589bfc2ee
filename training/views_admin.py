"""Administrators' training pages: providers, courses, the evaluation run and the yearly target."""

from datetime import date

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import divisions, listing
from core.auth import roles_required
from core.database import ServiceError
from core.extensions import db
from core.i18n import lang
from core.schemas import load_form
from training import labels, notice, services
from training.gap import ACCESSIBILITY_CODES
from training.models import COURSE_LEVELS, COURSE_MODES, COURSE_STATUSES, Course, Provider
from training.schemas import CourseIn, CourseUpdate, ProviderIn, ProviderUpdate
from training.views import bp

FIRST_YEAR, LAST_YEAR = 2000, 2100


@bp.get("/admin")
@roles_required("admin")
def admin():
    year = request.args.get("year", date.today().year, type=int)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        year = date.today().year
    return render_template(
        "training/admin.html",
        totals=services.trained_in_year(year),
        as_of=notice.latest_as_of(),
        providers=db.session.query(Provider).count(),
        courses=db.session.query(Course).count(),
    )


@bp.post("/admin/evaluate")
@roles_required("admin")
def evaluate():
    result = notice.run_evaluation(actor=current_user)
    flash(
        _(
            "Evaluation recomputed for %(courses)s courses and %(providers)s providers.",
            courses=len(result.by_course),
            providers=len(result.by_provider),
        )
    )
    return redirect(url_for("training.admin"))


def _city_options():
    return [(d.code, d.name) for d in divisions.cities()]


PROVIDERS_LIST = listing.ListSpec(
    "providers",
    {
        "name": lambda p: p.name,
        "credit_code": lambda p: p.credit_code,
        "county": lambda p: p.county_code,
        "listed": lambda p: not p.active,
    },
    "county",
    (
        listing.Filter("q", _l("Provider name or credit code")),
        listing.Filter("city", _l("City"), "choice", _city_options),
        listing.Filter("listed", _l("Listed"), "choice", lambda: [("1", _("Yes")), ("0", _("No"))]),
    ),
    tiebreak=lambda p: p.id,
)


@bp.get("/admin/providers")
@roles_required("admin")
def providers():
    state = PROVIDERS_LIST.parse(request.args)
    found = services.list_providers(state.get("q"))
    if state.get("city"):
        found = [p for p in found if p.county_code[:4] == state.get("city")[:4]]
    if state.get("listed"):
        found = [p for p in found if p.active == (state.get("listed") == "1")]
    page = listing.rows_page(found, state)
    return render_template("training/providers.html", providers=page.items, page=page, state=state)


def _provider_form(form, errors, provider=None):
    return render_template(
        "training/provider_form.html",
        form=form,
        errors=errors,
        provider=provider,
        counties=divisions.counties(),
        access_codes=sorted(ACCESSIBILITY_CODES),
    ), 422 if errors else 200


@bp.route("/admin/providers/new", methods=["GET", "POST"])
@roles_required("admin")
def provider_new():
    errors: dict = {}
    if request.method == "POST":
        data, errors = load_form(ProviderIn(), request.form)
        if not errors:
            try:
                services.create_provider(data)
                flash(_("The provider was registered."))
                return redirect(url_for("training.providers"))
            except ServiceError as error:
                errors = error.errors
    return _provider_form(request.form, errors)


@bp.route("/admin/providers/<int:provider_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def provider_edit(provider_id: int):
    provider = db.get_or_404(Provider, provider_id)
    errors: dict = {}
    if request.method == "POST":
        data, errors = load_form(ProviderUpdate(), request.form)
        if not errors:
            services.update_provider(provider, data)
            flash(_("The changes were saved."))
            return redirect(url_for("training.providers"))
    form = request.form if request.method == "POST" else _as_form(provider, ProviderUpdate())
    return _provider_form(form, errors, provider)


def _as_form(obj, schema) -> dict:
    """An object's values in the shape the form template reads (lists stay lists)."""
    values = {key: getattr(obj, key, None) for key in schema.fields}
    if "skills" in values:
        values["skills"] = notice.skill_names(values["skills"] or [], lang())
    return {k: ("" if v is None else v) for k, v in values.items()}


@bp.get("/admin/courses")
@roles_required("admin")
def courses_admin():
    state = COURSES_LIST.parse(request.args)
    stmt = services.courses_query({"q": state.get("q"), "mode": state.get("mode")})
    if state.get("status"):
        stmt = stmt.where(Course.status == state.get("status"))
    if state.get("city"):
        stmt = stmt.where(Course.county_code.startswith(state.get("city")[:4]))
    page = listing.query_page(stmt, state)
    return render_template("training/courses_admin.html", page=page, state=state)


COURSES_LIST = listing.ListSpec(
    "courses",
    {
        "title": Course.title,
        "provider": Provider.name,
        "starts_on": Course.starts_on,
        "seats_taken": Course.seats_taken,
        "status": Course.status,
    },
    "-starts_on",
    (
        listing.Filter("q", _l("Course, provider or skill")),
        listing.Filter(
            "mode", _l("Mode"), "choice", lambda: [(m, labels.mode_name(m)) for m in COURSE_MODES]
        ),
        listing.Filter(
            "status",
            _l("Status"),
            "choice",
            lambda: [("open", _("Open for enrolment")), ("closed", _("Closed for enrolment"))],
        ),
        listing.Filter("city", _l("City"), "choice", _city_options),
    ),
    tiebreak=Course.id,
)


def _course_form(form, errors, course=None):
    return render_template(
        "training/course_form.html",
        form=form,
        errors=errors,
        course=course,
        provider_options=[(p.id, p.name) for p in services.list_providers()],
        counties=divisions.counties(),
        access_codes=sorted(ACCESSIBILITY_CODES),
        levels=COURSE_LEVELS,
        modes=COURSE_MODES,
        statuses=COURSE_STATUSES,
    ), 422 if errors else 200


@bp.route("/admin/courses/new", methods=["GET", "POST"])
@roles_required("admin")
def course_new():
    errors: dict = {}
    if request.method == "POST":
        data, errors = load_form(CourseIn(), request.form)
        if not errors:
            try:
                course = services.create_course(data)
                flash(_("The course was added."))
                return redirect(url_for("training.course_detail", course_id=course.id))
            except ServiceError as error:
                errors = error.errors
    return _course_form(request.form, errors)


@bp.route("/admin/courses/<int:course_id>/edit", methods=["GET", "POST"])
@roles_required("admin")
def course_edit(course_id: int):
    course = db.get_or_404(Course, course_id)
    errors: dict = {}
    if request.method == "POST":
        data, errors = load_form(CourseUpdate(), request.form)
        if not errors:
            try:
                services.update_course(course, data)
                flash(_("The changes were saved."))
                return redirect(url_for("training.course_detail", course_id=course.id))
            except ServiceError as error:
                errors = error.errors
    form = request.form if request.method == "POST" else _as_form(course, CourseUpdate())
    return _course_form(form, errors, course)
