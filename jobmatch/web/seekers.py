"""Counselors' matching pages: seekers, a seeker's matches and profile, referrals and outcomes."""

from datetime import timedelta

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from core import divisions, listing
from core import services as core_services
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.extensions import db
from core.models import Employer, Person
from core.schemas import load_form
from jobmatch import present
from jobmatch.models import REFERRAL_STATUSES, JobPost, Referral
from jobmatch.schemas import CorrectionIn, OutcomeIn, ProfileIn
from jobmatch.services import matching as services
from jobmatch.services import records, referrals
from jobmatch.web.blueprint import STAFF, bp


@bp.get("/seekers")
@roles_required(*STAFF)
def seekers():
    state = core_services.PEOPLE_LIST.parse(request.args)
    page = core_services.people_list(current_user, state)
    return render_template("jobmatch/seekers.html", page=page, state=state)


def _matches_page(person: Person, errors=None, status=200):
    ranked, excluded = services.seeker_matches(person, 10, include_excluded=True)
    weights = services.active_weights()
    own = {r.post_id: r for r in referrals.find_all(person.id)}
    return render_template(
        "jobmatch/seeker.html",
        person=person,
        profile=services.profile_of(person),
        commute=present.commute_dict(person, services.profile_of(person)),
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
        unknown=records.unrecognised_words(form.get("skills_text", "")) if form else [],
    ), status


def _profile_as_form(person) -> dict:
    data = present.profile_dict(person, services.profile_of(person))
    form = {k: v for k, v in data.items() if k != "functions"}
    form.update({f"fn_{f}": v for f, v in data["functions"].items()})
    form["max_commute_km"] = "" if data["max_commute_km"] is None else data["max_commute_km"]
    form["travel_mode"] = data["travel_mode"] or ""
    return form


class FormView(dict):
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
    data, errors = load_form(ProfileIn(), request.form)
    if not errors:
        try:
            records.save_profile(person, data)
            flash(_("The profile of %(name)s was saved.", name=person.name))
            return redirect(url_for("jobmatch.seeker", person_id=person.id))
        except ServiceError as error:
            errors = error.errors
    return _profile_form(person, FormView(request.form), errors, 422)


def _status_options():
    return [(code, referrals.status_name(code)) for code in REFERRAL_STATUSES]


PIPELINE_LIST = listing.ListSpec(
    "referrals",
    {
        "referred": Referral.created_at,
        "updated": Referral.updated_at,
        "status": Referral.status,
        "employer": Employer.name,
        "post": JobPost.title,
    },
    "-updated",
    (
        listing.Filter("status", _l("Status"), "choice", _status_options),
        listing.Filter("employer", _l("Employer name")),
        listing.Filter("since", _l("Referred on or after"), "date"),
        listing.Filter("until", _l("Referred on or before"), "date"),
    ),
    tiebreak=Referral.id.desc(),
)


@bp.get("/referrals")
@roles_required(*STAFF, "employer")
def pipeline():
    state = PIPELINE_LIST.parse(request.args)
    stmt = (
        referrals.visible(current_user, state.get("status") or None)
        .join(JobPost, JobPost.id == Referral.post_id)
        .join(Employer, Employer.id == JobPost.employer_id)
    )
    if state.get("employer"):
        stmt = stmt.where(Employer.name.contains(state.get("employer")))
    if state.get("since"):
        stmt = stmt.where(Referral.created_at >= state.get("since"))
    if state.get("until"):
        stmt = stmt.where(Referral.created_at < state.get("until") + timedelta(days=1))
    page = listing.query_page(stmt, state)
    return render_template(
        "jobmatch/referrals.html",
        page=page,
        state=state,
        counts=referrals.pipeline_counts(current_user),
        status=state.get("status"),
        rows=[
            {**present.referral_dict(r, current_user), "employer_name": r.post.employer.name}
            for r in page.items
        ],
    )


def _referral_page(referral: Referral, errors=None, form=None, status=200):
    return render_template(
        "jobmatch/referral.html",
        referral=referral,
        info=present.referral_dict(referral, current_user),
        errors=errors or {},
        form=form or {},
        outcomes=referrals.OUTCOMES,
        correctable=referrals.CORRECTABLE,
    ), status


@bp.get("/referrals/<int:referral_id>")
@roles_required(*STAFF, "employer")
def referral(referral_id: int):
    return _referral_page(get_or_404(Referral, referral_id, current_user))


@bp.post("/referrals/<int:referral_id>/outcome")
@roles_required(*STAFF)
def referral_outcome(referral_id: int):
    item = get_or_404(Referral, referral_id, current_user)
    data, errors = load_form(OutcomeIn(), request.form)
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


@bp.post("/referrals/<int:referral_id>/correction")
@roles_required(*STAFF)
def referral_correction(referral_id: int):
    """Correct a recorded outcome with a reason (409 when someone else changed it first)."""
    item = get_or_404(Referral, referral_id, current_user)
    data, errors = load_form(CorrectionIn(), request.form)
    status = 422
    if not errors:
        try:
            referrals.correct_outcome(
                current_user, item, data["expected"], data["status"], data["reason"]
            )
            flash(
                _(
                    "The outcome was corrected: %(status)s.",
                    status=referrals.status_name(item.status),
                )
            )
            return redirect(url_for("jobmatch.referral", referral_id=item.id))
        except ServiceError as error:
            errors, status = error.errors, error.status
    form = {f"correct_{k}": v for k, v in request.form.items()}
    # a lazy message (marshmallow's error_messages) is one message, not a list of characters
    errors = {f"correct_{k}": v if isinstance(v, list) else [str(v)] for k, v in errors.items()}
    return _referral_page(db.session.get(Referral, referral_id), errors, form, status)
