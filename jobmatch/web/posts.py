"""Web pages of job posts: list, create and edit (employers, counselors), detail, candidates."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core import divisions, listing
from core.access import get_or_404, scope_filter
from core.auth import roles_required
from core.codes import EDUCATION_LEVELS
from core.database import ServiceError
from core.extensions import db
from core.models import Employer
from core.schemas import load_form
from jobmatch import present
from jobmatch.labels import work_mode_options
from jobmatch.models import POST_STATUSES, WORK_MODES, JobPost
from jobmatch.schemas import PostIn
from jobmatch.services import matching as services
from jobmatch.services import records
from jobmatch.web.blueprint import POST_STATUS_NAMES, STAFF, bp
from jobmatch.web.seekers import FormView

EDITORS = (*STAFF, "employer")


POSTS_LIST = listing.ListSpec(
    "posts",
    {
        "title": JobPost.title,
        "employer": Employer.name,
        "county": JobPost.county_code,
        "mode": JobPost.work_mode,
        "status": JobPost.status,
        "added": JobPost.id,
    },
    "-added",
    (
        listing.Filter("q", _l("Post title")),
        listing.Filter("employer", _l("Employer name")),
        listing.Filter("mode", _l("Work mode"), "choice", lambda: work_mode_options(WORK_MODES)),
        listing.Filter(
            "status",
            _l("Status"),
            "choice",
            lambda: [(s, str(POST_STATUS_NAMES[s])) for s in POST_STATUSES],
        ),
    ),
    tiebreak=JobPost.id.desc(),
)


@bp.get("/posts")
@roles_required(*EDITORS)
def posts():
    state = POSTS_LIST.parse(request.args)
    stmt = (
        select(JobPost)
        .join(Employer, Employer.id == JobPost.employer_id)
        .where(scope_filter(JobPost, current_user))
    )
    if state.get("q"):
        stmt = stmt.where(JobPost.title.contains(state.get("q")))
    if state.get("employer"):
        stmt = stmt.where(Employer.name.contains(state.get("employer")))
    if state.get("mode"):
        stmt = stmt.where(JobPost.work_mode == state.get("mode"))
    if state.get("status"):
        stmt = stmt.where(JobPost.status == state.get("status"))
    page = listing.query_page(stmt, state)
    return render_template("jobmatch/posts.html", page=page, state=state)


def _employers():
    if current_user.role == "employer":
        return []
    stmt = select(Employer).where(scope_filter(Employer, current_user)).order_by(Employer.name)
    return list(db.session.scalars(stmt.limit(500)))


def _post_form(form, errors, post=None, status=200):
    return render_template(
        "jobmatch/post_form.html",
        form=form,
        errors=errors,
        post=post,
        employers=_employers(),
        counties=divisions.counties(),
        education_levels=EDUCATION_LEVELS,
        statuses=POST_STATUSES,
        mapped=records.map_skills(form.get("skills_text", "")) if form.get("skills_text") else [],
        unknown=records.unrecognised_words(form.get("skills_text", ""))
        if form.get("skills_text")
        else [],
    ), status


def _post_as_form(post: JobPost) -> dict:
    form = {key: getattr(post, key) for key in records.POST_FIELDS}
    form = {k: ("" if v is None else v) for k, v in form.items()}
    form["skills_text"] = "、".join(records.skill_names(post.skills, "zh"))
    form["accommodations"] = list(post.accommodations or [])
    form.update({f"fn_{f}": v for f, v in (post.functions or {}).items()})
    form["employer_id"] = post.employer_id
    return form


def _save(post=None):
    data, errors = load_form(PostIn(), request.form)
    if not errors:
        try:
            saved = records.save_post(current_user, data, post)
            flash(_("The post %(title)s was saved.", title=saved.title))
            return redirect(url_for("jobmatch.post_detail", post_id=saved.id))
        except ServiceError as error:
            errors = error.errors
    return _post_form(FormView(request.form), errors, post, 422)


@bp.route("/posts/new", methods=["GET", "POST"])
@roles_required(*EDITORS)
def post_new():
    if request.method == "POST":
        return _save()
    return _post_form({"status": "open", "positions": 1, "work_mode": "full_time"}, {})


@bp.route("/posts/<int:post_id>/edit", methods=["GET", "POST"])
@roles_required(*EDITORS)
def post_edit(post_id: int):
    post = get_or_404(JobPost, post_id, current_user)
    if request.method == "POST":
        return _save(post)
    return _post_form(_post_as_form(post), {}, post)


@bp.get("/posts/<int:post_id>")
@roles_required(*EDITORS, "graduate")
def post_detail(post_id: int):
    post = get_or_404(JobPost, post_id, current_user)
    return render_template("jobmatch/post.html", post=post)


@bp.get("/posts/<int:post_id>/candidates")
@roles_required(*EDITORS)
def post_candidates(post_id: int):
    post = get_or_404(JobPost, post_id, current_user)
    weights = services.active_weights().values
    found = services.post_candidates(post, current_user, k=10)
    rows = [present.candidate_dict(i, c, weights) for i, c in enumerate(found, start=1)]
    return render_template("jobmatch/candidates.html", post=post, rows=rows)
