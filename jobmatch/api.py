"""JSON API of matching: seekers' profiles, posts, referrals, matches and candidates."""

from flask import abort
from flask_smorest import Blueprint
from sqlalchemy import select

from core.access import get_or_404, scope_filter
from core.auth import BEARER, api_auth, api_user
from core.extensions import db
from core.models import Person
from core.schemas import ListQuery
from jobmatch import present
from jobmatch.models import JobPost, Referral, SeekerProfile
from jobmatch.schemas import (
    CandidateOut,
    CorrectionIn,
    MatchesOut,
    MatchQuery,
    OutcomeIn,
    PostIn,
    PostOut,
    PostPatch,
    PostQuery,
    ProfileIn,
    ProfileOut,
    ReferralIn,
    ReferralOut,
    ReferralQuery,
)
from jobmatch.services import matching as services
from jobmatch.services import records, referrals

blp = Blueprint("jobmatch_api", __name__, url_prefix="/api/v1", description="Job matching")
STAFF = ("admin", "counselor")
POST_EDITORS = ("admin", "counselor", "employer")


def _page(stmt, query):
    return db.paginate(stmt, page=query["page"], per_page=query["per_page"], error_out=False).items


@blp.get("/seekers")
@api_auth(*STAFF)
@blp.arguments(ListQuery, location="query")
@blp.response(200, ProfileOut(many=True))
@blp.doc(security=BEARER)
def list_seekers(query):
    """Seekers' matching profiles the caller may see (a counselor: their county)."""
    stmt = (
        select(Person, SeekerProfile)
        .join(SeekerProfile, SeekerProfile.person_id == Person.id)
        .where(scope_filter(Person, api_user()))
        .order_by(Person.id)
    )
    q = query["q"]
    if q:
        stmt = stmt.where(Person.name.contains(q) | Person.name_pinyin.like(f"%{q.lower()}%"))
    offset = (query["page"] - 1) * query["per_page"]
    rows = db.session.execute(stmt.limit(query["per_page"]).offset(offset))
    return [present.profile_dict(person, profile) for person, profile in rows]


@blp.get("/seekers/<int:person_id>")
@api_auth(*STAFF, "graduate")
@blp.response(200, ProfileOut)
@blp.doc(security=BEARER)
def get_seeker(person_id):
    """One seeker's matching profile, with the effective functional profile."""
    person = get_or_404(Person, person_id, api_user())
    return present.profile_dict(person, services.profile_of(person))


@blp.put("/seekers/<int:person_id>")
@api_auth(*STAFF)
@blp.arguments(ProfileIn)
@blp.response(200, ProfileOut)
@blp.doc(security=BEARER)
def put_seeker(data, person_id):
    """Save a seeker's profile; functional adjustments are audited."""
    person = get_or_404(Person, person_id, api_user())
    profile = records.save_profile(person, data)
    return present.profile_dict(person, profile)


@blp.get("/seekers/<int:person_id>/matches")
@api_auth(*STAFF, "graduate")
@blp.arguments(MatchQuery, location="query")
@blp.response(200, MatchesOut)
@blp.doc(security=BEARER)
def seeker_matches(query, person_id):
    """The seeker's k best posts with factors and explanations; optionally the excluded posts."""
    person = get_or_404(Person, person_id, api_user())
    ranked, excluded = services.seeker_matches(person, query["k"], query["include_excluded"])
    weights = services.active_weights().values
    return {
        "person_id": person.id,
        "weights_version": services.active_version(),
        "results": [present.match_dict(i, r, weights) for i, r in enumerate(ranked, start=1)],
        "excluded": [present.match_dict(0, r, weights) for r in excluded],
    }


@blp.get("/posts")
@api_auth()
@blp.arguments(PostQuery, location="query")
@blp.response(200, PostOut(many=True))
@blp.doc(security=BEARER)
def list_posts(query):
    """Posts the caller may see: an employer its own, a counselor its county's, a graduate open ones."""
    stmt = select(JobPost).where(scope_filter(JobPost, api_user())).order_by(JobPost.id)
    if query["q"]:
        stmt = stmt.where(JobPost.title.contains(query["q"]))
    return _page(stmt, query)


@blp.post("/posts")
@api_auth(*POST_EDITORS)
@blp.arguments(PostIn)
@blp.response(201, PostOut)
@blp.doc(security=BEARER)
def create_post(data):
    """Create a post; a requirement that names a disability category is refused (422)."""
    return records.save_post(api_user(), data)


@blp.get("/posts/<int:post_id>")
@api_auth()
@blp.response(200, PostOut)
@blp.doc(security=BEARER)
def get_post(post_id):
    """One post, if the caller may see it."""
    return get_or_404(JobPost, post_id, api_user())


@blp.patch("/posts/<int:post_id>")
@api_auth(*POST_EDITORS)
@blp.arguments(PostPatch(partial=True))
@blp.response(200, PostOut)
@blp.doc(security=BEARER)
def patch_post(data, post_id):
    """Change a post (audited)."""
    post = get_or_404(JobPost, post_id, api_user())
    return records.save_post(api_user(), data, post)


@blp.get("/posts/<int:post_id>/candidates")
@api_auth(*POST_EDITORS)
@blp.arguments(MatchQuery, location="query")
@blp.response(200, CandidateOut(many=True))
@blp.doc(security=BEARER)
def post_candidates(query, post_id):
    """The post's k best seekers; an employer gets anonymised profiles until a seeker consents."""
    user = api_user()
    post = get_or_404(JobPost, post_id, user)
    weights = services.active_weights().values
    found = services.post_candidates(post, user, query["k"])
    return [present.candidate_dict(i, c, weights) for i, c in enumerate(found, start=1)]


@blp.get("/referrals")
@api_auth()
@blp.arguments(ReferralQuery, location="query")
@blp.response(200, ReferralOut(many=True))
@blp.doc(security=BEARER)
def list_referrals(query):
    """Referrals the caller may see, newest first, optionally of one status."""
    user = api_user()
    items = _page(referrals.visible(user, query["status"]), query)
    return [present.referral_dict(r, user) for r in items]


@blp.post("/referrals")
@api_auth(*STAFF)
@blp.arguments(ReferralIn)
@blp.response(201, ReferralOut)
@blp.doc(security=BEARER)
def create_referral(data):
    """Refer a seeker of the caller's county to an open post."""
    user = api_user()
    person = get_or_404(Person, data["person_id"], user)
    post = db.session.get(JobPost, data["post_id"])
    if post is None or post.status == "draft":
        abort(404)
    referral = referrals.refer(user, person, post, data["reason"], data["seeker_consented"])
    return present.referral_dict(referral, user)


@blp.get("/referrals/<int:referral_id>")
@api_auth()
@blp.response(200, ReferralOut)
@blp.doc(security=BEARER)
def get_referral(referral_id):
    """One referral, if the caller may see it."""
    user = api_user()
    return present.referral_dict(get_or_404(Referral, referral_id, user), user)


@blp.post("/referrals/<int:referral_id>/outcome")
@api_auth(*STAFF)
@blp.arguments(OutcomeIn)
@blp.response(200, ReferralOut)
@blp.doc(security=BEARER)
def referral_outcome(data, referral_id):
    """Record an outcome: interviewed, hired (employs the seeker), not hired or declined."""
    user = api_user()
    referral = get_or_404(Referral, referral_id, user)
    referrals.record_outcome(user, referral, data["status"], data["reason"])
    return present.referral_dict(referral, user)


@blp.post("/referrals/<int:referral_id>/correction")
@api_auth(*STAFF)
@blp.arguments(CorrectionIn)
@blp.response(200, ReferralOut)
@blp.doc(security=BEARER)
def referral_correction(data, referral_id):
    """Correct a recorded outcome with a reason (audited); 409 if it changed from `expected`."""
    user = api_user()
    referral = get_or_404(Referral, referral_id, user)
    referrals.correct_outcome(user, referral, data["expected"], data["status"], data["reason"])
    return present.referral_dict(referral, user)


@blp.post("/referrals/<int:referral_id>/consent")
@api_auth("graduate")
@blp.response(200, ReferralOut)
@blp.doc(security=BEARER)
def referral_consent(referral_id):
    """The seeker agrees that the employer may see who they are for this referral."""
    user = api_user()
    referral = get_or_404(Referral, referral_id, user)
    return present.referral_dict(referrals.consent(referral), user)
