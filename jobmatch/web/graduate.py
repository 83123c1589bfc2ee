"""A graduate's own matching pages: recommendations, interest, referrals and consent."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.extensions import db
from core.models import Person
from jobmatch import present
from jobmatch.models import JobPost, Referral
from jobmatch.services import matching as services
from jobmatch.services import referrals
from jobmatch.web.blueprint import bp


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
