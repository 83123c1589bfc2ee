"""Web pages of public-welfare posts, their seats and terms, and the rural household registration
(on the employment blueprint)."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core import listing
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.extensions import db
from core.models import Person
from core.schemas import load_form
from employment import labels, lists, welfare
from employment.models import WelfareAssignment, WelfarePost
from employment.schemas import AssignmentIn, EndIn, RuralIn, WelfarePostIn
from employment.views import STAFF, _county_options, bp, download

# ---- public-welfare posts -----------------------------------------------------------------------


def _welfare_page(errors=None, status=200):
    state = lists.WELFARE_POSTS.parse(request.args)
    page = listing.query_page(lists.welfare_posts(welfare.posts_query(current_user), state), state)
    return render_template(
        "employment/welfare_posts.html",
        rows=page.items,
        page=page,
        state=state,
        occupied=welfare.occupied,
        county_options=_county_options(),
        errors=errors or {},
        form=request.form,
    ), status


@bp.get("/welfare-posts")
@roles_required(*STAFF)
def welfare_posts():
    return _welfare_page()


@bp.get("/welfare-posts.csv")
@roles_required(*STAFF)
def welfare_posts_csv():
    """The posts as filtered and sorted on the page (all the user may see without arguments)."""
    state = lists.WELFARE_POSTS.parse(request.args)
    stmt = lists.welfare_posts(welfare.posts_query(current_user), state)
    rows = db.session.scalars(listing.sorted_query(stmt, state))
    return download(lists.welfare_posts_csv(rows).encode("utf-8"), "welfare-posts.csv")


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
    state = lists.CANDIDATES.parse(request.args)
    page = listing.rows_page(lists.candidates(candidates, state), state)
    return render_template(
        "employment/welfare_post.html",
        post=post,
        occupied=welfare.occupied(post.id),
        candidates=page.items,
        page=page,
        state=state,
        person_options=[("", "—")] + [(p.id, f"{p.name}（{p.id}）") for _g, p, _c in candidates],
        group_name=labels.priority_group_name,
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
