"""Training pages: the public notice, course pages, a graduate's own training, counselor views."""

from dataclasses import replace
from datetime import date

from flask import Blueprint, Response, abort, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

import training.access  # noqa: F401  (registers the access rules)
from core import listing, navigation, templating
from core.access import get_or_404
from core.auth import public, roles_required
from core.database import ServiceError
from core.extensions import db
from core.i18n import lang
from core.limits import MAX_ID
from core.models import Person
from core.security import safe_next
from training import export, labels, notice, recommend, services, states
from training.models import ENROLMENT_STATUSES, Course, Enrolment

bp = Blueprint("training", __name__, url_prefix="/training")
MAX_PAGE = 100_000  # as the API's limit: a larger OFFSET would overflow the database's integer


def text_arg(source, name: str, length: int) -> str:
    """A submitted text (query or form) cut to length, without NUL (PostgreSQL refuses it)."""
    return source.get(name, "")[:length].replace("\x00", "").strip()


def page_arg() -> int:
    """The ?page= of a list, between 1 and MAX_PAGE."""
    return min(max(request.args.get("page", 1, type=int), 1), MAX_PAGE)


def id_arg(name: str) -> int | None:
    """An ?id= filter, or None when missing or beyond any stored id."""
    value = request.args.get(name, type=int)
    return value if value is not None and 1 <= value <= MAX_ID else None


navigation.register(_l("Training"), "training.notice_page", (navigation.PUBLIC,), order=40)
navigation.register(_l("My training"), "training.my", ("graduate",), order=41)
navigation.register(_l("Enrolments"), "training.enrolments", ("admin", "counselor"), order=42)
navigation.register(_l("Training administration"), "training.admin", ("admin",), order=43)
templating.add_home_link(
    "training", _l("Public notice of training providers and courses"), "training.notice_page"
)
templating.add_person_section("training/_person_courses.html")
from training import home  # noqa: E402, F401  (registers the home page tasks)


@bp.app_context_processor
def _training_helpers():
    return {
        "training_labels": labels,
        "training_courses_for": _courses_for,
        "skill_names": lambda skills: notice.skill_names(skills, lang()),
        "allowed_actions": states.allowed_actions,
    }


def _courses_for(person: Person, k: int = 5):
    """Recommendations for the person page's section, computed once per request."""
    cache = g.setdefault("training_recommendations", {})
    if person.id not in cache:
        cache[person.id] = recommend.course_recommendations(person, k=k)
    return cache[person.id]


NOTICE_LISTS = ("courses", "providers")


def _notice_state():
    """The chosen list of the notice (?list=) and its checked state (a bad value: 400)."""
    chosen = request.args.get("list", "courses")
    if chosen not in NOTICE_LISTS:
        raise listing.ListError(
            {"list": [_("“%(value)s” is not one of the notice's lists.", value=chosen[:40])]}
        )
    return chosen, notice.NOTICE_LISTS[chosen].parse(request.args)


@bp.get("/notice")
@public
def notice_page():
    chosen, state = _notice_state()
    data = notice.notice_data()
    counts = {name: len(notice.matching(data[name], name, state)) for name in NOTICE_LISTS}
    page = listing.rows_page(notice.matching(data[chosen], chosen, state), state)
    return render_template(
        "training/notice.html",
        chosen=chosen,
        state=state,
        counts=counts,
        page=replace(page, items=[notice.shown(row) for row in page.items]),
        as_of=date.fromisoformat(data["as_of"]) if data["as_of"] else None,
        province=notice.province_figures(data),
        province_enrolled=data["province_enrolled"],
    )


@bp.get("/notice.<fmt>")
@public
def notice_export(fmt: str):
    """The notice as a file: with ?list=, that list as filtered and sorted on the page; without,
    both lists with the same filters."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    chosen, state = _notice_state()
    data = notice.notice_data()
    names = [chosen] if "list" in request.args else NOTICE_LISTS
    filters = {key: request.args.get(key, "") for key in ("q", "county")}
    picked = {"providers": [], "courses": []}
    for name in names:
        own = state if name == chosen else notice.NOTICE_LISTS[name].parse(filters)
        rows = listing.sorted_rows(notice.matching(data[name], name, own), own)
        picked[name] = [(row, row.figures) for row in map(notice.shown, rows)]
    picked["province"] = notice.province_figures(data)
    rows = export.export_rows(picked, lang())
    stamp = date.today().isoformat()
    if fmt == "csv":
        body, mime = export.export_csv(rows), "text/csv"
    else:
        body = export.export_xlsx(rows, "training-notice")
        mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    headers = {"Content-Disposition": f'attachment; filename="training-notice-{stamp}.{fmt}"'}
    return Response(body, mimetype=mime, headers=headers)


@bp.get("/courses/<int:course_id>")
@public
def course_detail(course_id: int):
    course = db.get_or_404(Course, course_id)
    stored = notice.latest_rows()
    figures = notice.figures(stored["course"].get(course.id), stored["province"])
    closed = services.enrolment_closed_reason(course, date.today())
    return render_template("training/course.html", course=course, figures=figures, closed=closed)


@bp.post("/courses/<int:course_id>/enrol")
@roles_required("graduate", "counselor", "admin")
def enrol(course_id: int):
    course = db.get_or_404(Course, course_id)
    person_id = current_user.person_id if current_user.role == "graduate" else None
    person_id = person_id or request.form.get("person_id", type=int)
    person = get_or_404(Person, person_id, current_user)
    try:
        services.enrol(person, course, current_user)
        flash(_("Enrolled in “%(course)s”.", course=course.title))
    except ServiceError as error:
        flash(" ".join(m for messages in error.errors.values() for m in messages))
    if current_user.role == "graduate":
        return redirect(url_for("training.my"))
    return redirect(url_for("training.seeker_courses", person_id=person.id))


@bp.get("/my")
@roles_required("graduate")
def my():
    person = get_or_404(Person, current_user.person_id, current_user)
    result = recommend.course_recommendations(person, k=5)
    enrolments = services.my_enrolments(person.id)
    return render_template("training/my.html", person=person, result=result, enrolments=enrolments)


@bp.get("/people/<int:person_id>/courses")
@roles_required("admin", "counselor", "graduate")
def seeker_courses(person_id: int):
    person = get_or_404(Person, person_id, current_user)
    k = min(max(request.args.get("k", 10, type=int), 1), 50)
    result = recommend.course_recommendations(person, k=k)
    enrolments = services.my_enrolments(person.id)
    return render_template(
        "training/seeker_courses.html", person=person, result=result, enrolments=enrolments
    )


ENROLMENTS_LIST = listing.ListSpec(
    "enrolments",
    {
        "person": Person.name_pinyin,
        "course": Course.title,
        "status": Enrolment.status,
        "applied": Enrolment.applied_on,
        "completed": Enrolment.completed_on,
    },
    "-applied",
    (
        listing.Filter("q", _l("Course title")),
        listing.Filter(
            "status",
            _l("Status"),
            "choice",
            lambda: [(s, labels.status_name(s)) for s in ENROLMENT_STATUSES],
        ),
        listing.Filter("course_id", _l("Course number"), "int"),
        listing.Filter("since", _l("Applied on or after"), "date"),
    ),
    tiebreak=Enrolment.id.desc(),
)


@bp.get("/enrolments")
@roles_required("admin", "counselor")
def enrolments():
    state = ENROLMENTS_LIST.parse(request.args)
    stmt = (
        services.enrolments_query(
            current_user,
            {"course_id": state.get("course_id") or None, "status": state.get("status")},
        )
        .join(Course, Course.id == Enrolment.course_id)
        .join(Person, Person.id == Enrolment.person_id)
    )
    if state.get("q"):
        stmt = stmt.where(Course.title.contains(state.get("q")))
    if state.get("since"):
        stmt = stmt.where(Enrolment.applied_on >= state.get("since"))
    page = listing.query_page(stmt, state)
    return render_template("training/enrolments.html", page=page, state=state)


@bp.post("/enrolments/<int:enrolment_id>/action")
@roles_required("admin", "counselor", "graduate")
def enrolment_action(enrolment_id: int):
    enrolment = get_or_404(Enrolment, enrolment_id, current_user)
    action = request.form.get("action", "")
    details = {
        "reason": text_arg(request.form, "reason", 300),
        "certificate_no": text_arg(request.form, "certificate_no", 60),
    }
    try:
        services.transition(enrolment, action, current_user, **details)
        flash(_("The enrolment is now “%(status)s”.", status=labels.status_name(enrolment.status)))
    except ServiceError as error:
        flash(" ".join(m for messages in error.errors.values() for m in messages))
    return redirect(_back(enrolment))


def _back(enrolment: Enrolment) -> str:
    if current_user.role == "graduate":
        return url_for("training.my")
    return safe_next(request.form.get("next"), url_for("training.enrolments"))


from training import views_admin  # noqa: E402,F401  (admin pages on the same blueprint)
