"""Public-welfare posts: posts, candidates, seats and terms, and the rural household registration."""

from core.access import get_or_404
from core.auth import BEARER, api_auth, api_user
from core.models import Person
from employment import welfare
from employment.api.blueprint import STAFF, blp
from employment.models import WelfareAssignment, WelfarePost
from employment.schemas import (
    AssignmentIn,
    AssignmentOut,
    EndIn,
    RuralIn,
    WelfareCandidateOut,
    WelfarePostIn,
    WelfarePostOut,
)


@blp.get("/welfare-posts")
@api_auth(*STAFF)
@blp.response(200, WelfarePostOut(many=True))
@blp.doc(security=BEARER)
def list_welfare_posts():
    """The public-welfare posts the caller may see (a counselor: their county)."""
    return welfare.posts(api_user())


@blp.post("/welfare-posts")
@api_auth(*STAFF)
@blp.arguments(WelfarePostIn)
@blp.response(201, WelfarePostOut)
@blp.doc(security=BEARER)
def create_welfare_post(data):
    """Create a government-funded public-welfare post with its term and seats."""
    return welfare.create_post(api_user(), data)


@blp.get("/welfare-posts/<int:welfare_post_id>/candidates")
@api_auth(*STAFF)
@blp.response(200, WelfareCandidateOut(many=True))
@blp.doc(security=BEARER)
def list_welfare_candidates(welfare_post_id):
    """The county's persons hard to employ, rural and zero-employment households first."""
    post = get_or_404(WelfarePost, welfare_post_id, api_user())
    return [
        {"person_id": p.id, "name": p.name, "priority_group": group, "rural": c.rural,
         "zero_household": c.zero_household}
        for group, p, c in welfare.candidates(post.county_code)
    ]  # fmt: skip


@blp.post("/welfare-posts/<int:welfare_post_id>/assignments")
@api_auth(*STAFF)
@blp.arguments(AssignmentIn)
@blp.response(201, AssignmentOut)
@blp.doc(security=BEARER)
def create_welfare_assignment(data, welfare_post_id):
    """Give a seat to a candidate (a reason is required when passing over a priority candidate)."""
    post = get_or_404(WelfarePost, welfare_post_id, api_user())
    return welfare.assign(api_user(), post, data)


@blp.post("/welfare-assignments/<int:assignment_id>/end")
@api_auth(*STAFF)
@blp.arguments(EndIn)
@blp.response(200, AssignmentOut)
@blp.doc(security=BEARER)
def end_welfare_assignment(data, assignment_id):
    """End an occupant's term (409 if it has already ended)."""
    assignment = get_or_404(WelfareAssignment, assignment_id, api_user())
    return welfare.end(api_user(), assignment, data["ended_on"])


@blp.put("/people/<int:person_id>/rural")
@api_auth(*STAFF)
@blp.arguments(RuralIn)
@blp.response(200, RuralIn)
@blp.doc(security=BEARER)
def put_rural(data, person_id):
    """Record whether the person's household registration (户籍) is rural."""
    person = get_or_404(Person, person_id, api_user())
    return {"rural": welfare.set_rural(api_user(), person, data["rural"]).rural}
