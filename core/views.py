"""Web pages of the shared kernel: home, login, language, people and employers registries."""

from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_user, logout_user
from sqlalchemy import select

from core import divisions, listing, services
from core.access import get_or_404
from core.auth import InactiveAccount, authenticate, public, roles_required, start_session
from core.codes import EDUCATION_LEVELS, EMPLOYMENT_TYPES, UNIT_TYPES, UNKNOWN
from core.database import ServiceError
from core.extensions import db, limiter
from core.models import AuditEvent, Employer, Person
from core.schemas import EmployerForm, PersonEditForm, PersonForm, WorkContactIn, load_form
from core.security import safe_next

bp = Blueprint("core", __name__)


def _login_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _safe_next(target: str | None) -> str:
    return safe_next(target, url_for("core.home"))


@bp.get("/")
@public
def home():
    return render_template("core/home.html")


@bp.get("/healthz")
@public
def healthz():
    db.session.execute(select(1))
    return {"status": "ok"}


@bp.get("/lang/<code>")
@public
def set_language(code: str):
    if code in current_app.config["LANGUAGES"]:
        session["lang"] = code
    return redirect(_safe_next(request.args.get("next")))


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"])
@public
def login():
    errors = {}
    if request.method == "POST":
        try:
            user = authenticate(request.form.get("username", ""), request.form.get("password", ""))
        except InactiveAccount as inactive:
            errors = {"username": [inactive.message()]}
            return render_template("core/login.html", errors=errors), 403
        if user is not None:
            language = session.get("lang")
            session.clear()  # a fresh session at login (no fixation); the language choice stays
            if language:
                session["lang"] = language
            login_user(user)
            start_session()
            return redirect(_safe_next(request.args.get("next")))
        errors = {"username": [_("The username or password is not right.")]}
    return render_template("core/login.html", errors=errors), 401 if errors else 200


@bp.post("/logout")
@public
def logout():
    if current_user.is_authenticated:
        services.logout_everywhere(current_user)
    logout_user()
    session.clear()
    return redirect(url_for("core.home"))


@bp.get("/account")
@roles_required()
def account():
    form = {"phone": current_user.phone or "", "email": current_user.email or ""}
    return render_template("core/account.html", form=form, errors={})


@bp.post("/account/contact")
@roles_required("admin", "counselor")
def account_contact():
    """A counselor's work telephone and e-mail, named in the follow-up messages they sign."""
    data, errors = load_form(WorkContactIn(), request.form)
    if errors:
        return render_template("core/account.html", form=request.form, errors=errors), 422
    services.set_work_contact(current_user, data["phone"], data["email"])
    flash(_("Your work contact was saved."))
    return redirect(url_for("core.account"))


@bp.get("/people")
@roles_required("admin", "counselor")
def people():
    state = services.PEOPLE_LIST.parse(request.args)
    page = services.people_list(current_user, state)
    return render_template("core/people.html", page=page, state=state)


@bp.route("/people/new", methods=["GET", "POST"])
@roles_required("admin", "counselor")
def person_new():
    data, errors = ({}, {})
    if request.method == "POST":
        data, errors = load_form(PersonForm(), request.form)
        if not errors:
            try:
                person = services.register_person(data, current_user)
                flash(_("The person was registered."))
                return redirect(url_for("core.person_detail", person_id=person.id))
            except ServiceError as error:
                errors = error.errors
    form = request.form if request.method == "POST" else _new_person_defaults()
    return _person_form(errors, form, new=True)


def _new_person_defaults() -> dict:
    """A counselor registers people of their own county: the one fact the form may preset."""
    if current_user.role == "counselor" and current_user.county_code:
        return {"county_code": current_user.county_code}
    return {}


# The person form's fields in page order, so that the error summary follows the page.
PERSON_FORM_ORDER = (
    "certificate_no",
    "name",
    "county_code",
    "phone",
    "email",
    "education",
    "major",
    "graduation_year",
    "household_id",
    "employment_type",
    "low_income",
    "wish_to_work",
    "able_to_work",
    "consent",
)


def _in_page_order(errors: dict, order: tuple[str, ...]) -> dict:
    rank = {name: i for i, name in enumerate(order)}
    return dict(sorted(errors.items(), key=lambda item: rank.get(item[0], len(rank))))


def _person_form(errors, form, new, person=None):
    status = 422 if errors else 200
    errors = _in_page_order(errors, PERSON_FORM_ORDER)
    return render_template(
        "core/person_form.html",
        errors=errors,
        form=form,
        new=new,
        person=person,
        counties=divisions.counties(),
        education_levels=EDUCATION_LEVELS,
        employment_types=(*EMPLOYMENT_TYPES, UNKNOWN),
    ), status


@bp.get("/people/<int:person_id>")
@roles_required("admin", "counselor", "graduate")
def person_detail(person_id: int):
    person = get_or_404(Person, person_id, current_user)
    return render_template("core/person.html", person=person)


@bp.post("/people/<int:person_id>/reveal")
@roles_required("admin", "counselor")
def person_reveal(person_id: int):
    person = get_or_404(Person, person_id, current_user)
    numbers = services.full_numbers(person, current_user)
    return render_template("core/person.html", person=person, numbers=numbers)


@bp.route("/people/<int:person_id>/edit", methods=["GET", "POST"])
@roles_required("admin", "counselor")
def person_edit(person_id: int):
    person = get_or_404(Person, person_id, current_user)
    errors = {}
    if request.method == "POST":
        data, errors = load_form(PersonEditForm(), request.form)
        if not errors:
            try:
                services.update_person(person, data, current_user)
                flash(_("The changes were saved."))
                return redirect(url_for("core.person_detail", person_id=person.id))
            except ServiceError as error:
                errors = error.errors
    form = request.form if request.method == "POST" else _person_as_form(person)
    return _person_form(errors, form, new=False, person=person)


def _person_as_form(person: Person) -> dict:
    keys = PersonEditForm().fields.keys()
    values = {key: getattr(person, key, None) for key in keys}
    form = {k: _form_value(v) for k, v in values.items()}
    for key in ("employment_type", "wish_to_work"):  # not known: the honest "unknown" answer
        if values.get(key) is None:
            form[key] = UNKNOWN
    return form


def _form_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    return value


@bp.get("/employers")
@roles_required("admin", "counselor")
def employers():
    state = services.EMPLOYERS_LIST.parse(request.args)
    page = services.employers_list(current_user, state)
    return render_template("core/employers.html", page=page, state=state)


@bp.route("/employers/new", methods=["GET", "POST"])
@roles_required("admin")
def employer_new():
    errors = {}
    if request.method == "POST":
        data, errors = load_form(EmployerForm(), request.form)
        if not errors:
            try:
                employer = services.register_employer(data)
                return redirect(url_for("core.employer_detail", employer_id=employer.id))
            except ServiceError as error:
                errors = error.errors
    return render_template(
        "core/employer_form.html",
        errors=errors,
        form=request.form,
        counties=divisions.counties(),
        unit_types=UNIT_TYPES,
    ), 422 if errors else 200


@bp.get("/employers/<int:employer_id>")
@roles_required("admin", "counselor", "employer")
def employer_detail(employer_id: int):
    employer = get_or_404(Employer, employer_id, current_user)
    return render_template("core/employer.html", employer=employer)


AUDIT_LIST = listing.ListSpec(
    "audit",
    {"when": AuditEvent.id, "who": AuditEvent.actor_name, "table": AuditEvent.table_name},
    "-when",
    (
        listing.Filter("table", _l("Table"), max_length=40),
        listing.Filter("who", _l("Who"), max_length=80),
        listing.Filter("since", _l("On or after"), "date"),
    ),
    tiebreak=AuditEvent.id.desc(),
)


@bp.get("/admin/audit")
@roles_required("admin")
def audit_log():
    state = AUDIT_LIST.parse(request.args)
    stmt = select(AuditEvent)
    if state.get("table"):
        stmt = stmt.where(AuditEvent.table_name == state.get("table"))
    if state.get("who"):
        stmt = stmt.where(AuditEvent.actor_name == state.get("who"))
    if state.get("since"):
        stmt = stmt.where(AuditEvent.at >= state.get("since"))
    page = listing.query_page(stmt, state)
    return render_template("core/audit.html", page=page, state=state)
