"""Web pages of matching: counselors' seekers, matches and referrals; graduates' recommendations."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select

from core import divisions, navigation, templating
from core import services as core_services
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.extensions import db
from core.models import Person
from jobmatch import batch, present, records, referrals, services
from jobmatch.accessibility import FUNCTION_IDS, accommodation_label, function_label
from jobmatch.functional_model import ACCOMMODATIONS, DEMAND_LABELS
from jobmatch.models import REFERRAL_STATUSES, WORK_MODES, JobPost, Referral
from jobmatch.schemas import OutcomeIn, ProfileIn, load_web_form

bp = Blueprint("jobmatch", __name__, url_prefix="/jobmatch")
STAFF = ("admin", "counselor")

navigation.register(_l("Seekers and matches"), "jobmatch.seekers", STAFF, order=30)
navigation.register(_l("Referral pipeline"), "jobmatch.pipeline", (*STAFF, "employer"), order=31)
navigation.register(_l("Job posts"), "jobmatch.posts", (*STAFF, "employer"), order=32)
navigation.register(
    _l("My recommendations"), "jobmatch.my_recommendations", ("graduate",), order=33
)
navigation.register(_l("My referrals"), "jobmatch.my_referrals", ("graduate",), order=34)
navigation.register(_l("Matching weights"), "jobmatch.weights", ("admin",), order=80)
navigation.register(_l("Matching fairness"), "jobmatch.fairness_page", ("admin",), order=81)
templating.add_person_section("jobmatch/_person_section.html")
templating.add_home_link(
    "employer", _l("Publish job posts and see matched candidates"), "jobmatch.posts"
)
from jobmatch import home  # noqa: E402, F401  (registers the home page tasks)

MODE_NAMES = {
    "full_time": _l("Full-time"),
    "part_time": _l("Part-time"),
    "flexible": _l("Flexible"),
    "home_based": _l("Home-based"),
}
POST_STATUS_NAMES = {"draft": _l("Draft"), "open": _l("Open"), "closed": _l("Closed")}


@bp.app_context_processor
def _helpers():
    return {"matching_summary": _matching_summary}


def _matching_summary(person: Person) -> dict:
    """The person page's matching section: profile, stored top posts, referral count."""
    run = batch.latest_run()
    stored = batch.stored_results(run, person.id)[:5] if run else []
    ids = [r.post_id for r in stored]
    posts = {p.id: p for p in db.session.scalars(select(JobPost).where(JobPost.id.in_(ids)))}
    count_stmt = referrals.visible(current_user, person_id=person.id).subquery()
    count = db.session.scalar(select(func.count()).select_from(count_stmt))
    return {
        "profile": services.profile_of(person),
        "stored": stored,
        "posts": posts,
        "referrals": count,
    }


@bp.context_processor
def _names():
    from core.i18n import lang

    language = lang()
    return {
        "mode_name": lambda m: str(MODE_NAMES.get(m, m)),
        "mode_options": [(m, str(MODE_NAMES[m])) for m in WORK_MODES],
        "status_name": referrals.status_name,
        "function_ids": FUNCTION_IDS,
        "function_label": lambda f: function_label(f, language),
        "accommodation_label": lambda a: accommodation_label(a, language),
        "accommodation_ids": tuple(ACCOMMODATIONS),
        "demand_labels": DEMAND_LABELS[language],
        "skill_names": records.skill_names,
        "post_status_name": lambda s: str(POST_STATUS_NAMES.get(s, s)),
        "status_options": [(s, str(POST_STATUS_NAMES[s])) for s in POST_STATUS_NAMES],
        "employer_options": lambda employers: [(e.id, e.name) for e in employers],
    }


@bp.get("/seekers")
@roles_required(*STAFF)
def seekers():
    q = request.args.get("q", "")[:50]
    page = core_services.search_people(current_user, q, request.args.get("page", 1, type=int))
    return render_template("jobmatch/seekers.html", page=page, q=q)


def _matches_page(person: Person, errors=None, status=200):
    ranked, excluded = services.seeker_matches(person, 10, include_excluded=True)
    weights = services.active_weights()
    own = {r.post_id: r for r in referrals.find_all(person.id)}
    return render_template(
        "jobmatch/seeker.html",
        person=person,
        profile=services.profile_of(person),
        ranked=ranked,
        excluded=excluded,
        weights=weights,
        factor_rows=present.factor_rows,
        own=own,
        errors=errors or {},
    ), status


@bp.get("/seekers/<int:person_id>")
@roles_required(*STAFF)
def seeker(person_id: int):
    return _matches_page(get_or_404(Person, person_id, current_user))


@bp.post("/seekers/<int:person_id>/refer")
@roles_required(*STAFF)
def refer(person_id: int):
    person = get_or_404(Person, person_id, current_user)
    post = db.session.get(JobPost, request.form.get("post_id", type=int) or 0)
    if post is None:
        return _matches_page(person, {"post_id": [_("Choose a post.")]}, 422)
    try:
        referral = referrals.refer(
            current_user,
            person,
            post,
            request.form.get("reason", "")[:300],
            request.form.get("seeker_consented") not in (None, "", "0"),
        )
    except ServiceError as error:
        return _matches_page(person, error.errors, error.status)
    flash(_("%(name)s was referred to %(post)s.", name=person.name, post=post.title))
    return redirect(url_for("jobmatch.referral", referral_id=referral.id))


def _profile_form(person, form, errors, status=200):
    return render_template(
        "jobmatch/profile_form.html",
        person=person,
        form=form,
        errors=errors,
        defaults=records.default_functions(person),
        counties=divisions.counties(),
        mapped=records.map_skills(form.get("skills_text", "")) if form else [],
    ), status


def _profile_as_form(person) -> dict:
    data = present.profile_dict(person, services.profile_of(person))
    form = {k: v for k, v in data.items() if k != "functions"}
    form.update({f"fn_{f}": v for f, v in data["functions"].items()})
    form["max_commute_km"] = "" if data["max_commute_km"] is None else data["max_commute_km"]
    return form


class _FormView(dict):
    """A submitted form readable like the stored one (lists for repeated fields)."""

    def __init__(self, form):
        super().__init__({k: form.get(k) for k in form})
        for key in (
            "preferred_modes",
            "preferred_counties",
            "accessibility_needs",
            "accommodations",
        ):
            self[key] = form.getlist(key)
        self["active"] = form.get("active") not in (None, "", "0")


@bp.route("/seekers/<int:person_id>/profile", methods=["GET", "POST"])
@roles_required(*STAFF)
def profile_edit(person_id: int):
    person = get_or_404(Person, person_id, current_user)
    if request.method == "GET":
        return _profile_form(person, _profile_as_form(person), {})
    data, errors = load_web_form(ProfileIn(), request.form)
    if not errors:
        try:
            records.save_profile(person, data)
            flash(_("The profile of %(name)s was saved.", name=person.name))
            return redirect(url_for("jobmatch.seeker", person_id=person.id))
        except ServiceError as error:
            errors = error.errors
    return _profile_form(person, _FormView(request.form), errors, 422)


@bp.get("/referrals")
@roles_required(*STAFF, "employer")
def pipeline():
    status = request.args.get("status", "")
    status = status if status in REFERRAL_STATUSES else None
    stmt = referrals.visible(current_user, status)
    page = db.paginate(
        stmt, page=request.args.get("page", 1, type=int), per_page=50, error_out=False
    )
    return render_template(
        "jobmatch/referrals.html",
        page=page,
        counts=referrals.pipeline_counts(current_user),
        status=status,
        rows=[present.referral_dict(r, current_user) for r in page.items],
    )


def _referral_page(referral: Referral, errors=None, form=None, status=200):
    return render_template(
        "jobmatch/referral.html",
        referral=referral,
        info=present.referral_dict(referral, current_user),
        errors=errors or {},
        form=form or {},
        outcomes=referrals.OUTCOMES,
    ), status


@bp.get("/referrals/<int:referral_id>")
@roles_required(*STAFF, "employer")
def referral(referral_id: int):
    return _referral_page(get_or_404(Referral, referral_id, current_user))


@bp.post("/referrals/<int:referral_id>/outcome")
@roles_required(*STAFF)
def referral_outcome(referral_id: int):
    item = get_or_404(Referral, referral_id, current_user)
    data, errors = load_web_form(OutcomeIn(), request.form)
    status = 422
    if not errors:
        try:
            referrals.record_outcome(current_user, item, data["status"], data["reason"])
            flash(
                _(
                    "The outcome was recorded: %(status)s.",
                    status=referrals.status_name(item.status),
                )
            )
            return redirect(url_for("jobmatch.referral", referral_id=item.id))
        except ServiceError as error:
            errors, status = error.errors, error.status
    return _referral_page(item, errors, request.form, status)


def _own_person() -> Person:
    person = db.session.get(Person, current_user.person_id) if current_user.person_id else None
    if person is None:
        abort(404)
    return person


@bp.get("/my/recommendations")
@roles_required("graduate")
def my_recommendations():
    person = _own_person()
    easy = request.args.get("easy") == "1"
    profile = services.profile_of(person)
    weights = services.active_weights().values
    ranked = services.ranked_posts(person, k=10)
    own = {r.post_id: r for r in referrals.find_all(person.id)}
    items = [
        {
            "ranked": r,
            "reasons": present.plain_reasons(r, profile, weights, easy),
            "referral": own.get(r.post.id),
        }
        for r in ranked
    ]
    return render_template(
        "jobmatch/my_recommendations.html", items=items, easy=easy, person=person
    )


@bp.post("/my/recommendations/<int:post_id>/interest")
@roles_required("graduate")
def mark_interest(post_id: int):
    person = _own_person()
    post = get_or_404(JobPost, post_id, current_user)
    try:
        referrals.mark_interest(person, post)
        flash(_("Your counselor will see that you are interested in %(post)s.", post=post.title))
    except ServiceError as error:
        flash(" ".join(m for ms in error.errors.values() for m in ms))
    return redirect(url_for("jobmatch.my_recommendations"))


@bp.get("/my/referrals")
@roles_required("graduate")
def my_referrals():
    person = _own_person()
    rows = db.session.scalars(referrals.visible(current_user, person_id=person.id)).all()
    return render_template("jobmatch/my_referrals.html", rows=rows)


@bp.post("/my/referrals/<int:referral_id>/consent")
@roles_required("graduate")
def consent(referral_id: int):
    item = get_or_404(Referral, referral_id, current_user)
    referrals.consent(item)
    flash(_("The employer can now see your name for %(post)s.", post=item.post.title))
    return redirect(url_for("jobmatch.my_referrals"))


from jobmatch import views_admin, views_posts  # noqa: E402, F401  (more routes on bp)
