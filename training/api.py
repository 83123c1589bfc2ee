"""Training JSON API: providers, courses, enrolments, a seeker's courses and the evaluation."""

from flask import abort
from flask_babel import gettext as _
from flask_smorest import Blueprint

import training.access  # noqa: F401  (registers the access rules)
from core.access import get_or_404
from core.auth import BEARER, api_auth, api_user, public
from core.extensions import db
from core.models import Person
from training import notice, recommend, services
from training.models import Course, Enrolment, Provider
from training.schemas import (
    CourseIn,
    CourseOut,
    CourseQuery,
    CourseUpdate,
    EnrolmentIn,
    EnrolmentOut,
    EnrolmentQuery,
    EvaluationOut,
    EvaluationRunIn,
    EvaluationRunOut,
    ProviderIn,
    ProviderOut,
    ProviderUpdate,
    RecommendationQuery,
    SeekerCoursesOut,
    TransitionIn,
)

blp = Blueprint("training_api", __name__, url_prefix="/api/v1", description="Training")


def _not_found():
    abort(404)


@blp.get("/providers")
@public
@blp.response(200, ProviderOut(many=True))
def list_providers():
    """Every training provider (public)."""
    return services.list_providers()


@blp.post("/providers")
@api_auth("admin")
@blp.arguments(ProviderIn)
@blp.response(201, ProviderOut)
@blp.doc(security=BEARER)
def create_provider(data):
    """Register a provider by its unified social credit code."""
    return services.create_provider(data)


@blp.get("/providers/<int:provider_id>")
@public
@blp.response(200, ProviderOut)
def get_provider(provider_id):
    """One provider (public)."""
    return db.session.get(Provider, provider_id) or _not_found()


@blp.patch("/providers/<int:provider_id>")
@api_auth("admin")
@blp.arguments(ProviderUpdate(partial=True))
@blp.response(200, ProviderOut)
@blp.doc(security=BEARER)
def patch_provider(data, provider_id):
    """Change a provider (audited)."""
    provider = get_or_404(Provider, provider_id, api_user())
    return services.update_provider(provider, data)


@blp.get("/courses")
@public
@blp.arguments(CourseQuery, location="query")
@blp.response(200, CourseOut(many=True))
def list_courses(query):
    """Courses by title, provider, skill (any language), county, mode or accessibility (public)."""
    return services.search_courses(query, query["page"], query["per_page"]).items


@blp.post("/courses")
@api_auth("admin")
@blp.arguments(CourseIn)
@blp.response(201, CourseOut)
@blp.doc(security=BEARER)
def create_course(data):
    """Add a course; skills may be vocabulary ids or free text, mapped onto the vocabulary."""
    return services.create_course(data)


@blp.get("/courses/<int:course_id>")
@public
@blp.response(200, CourseOut)
def get_course(course_id):
    """One course (public)."""
    return db.session.get(Course, course_id) or _not_found()


@blp.patch("/courses/<int:course_id>")
@api_auth("admin")
@blp.arguments(CourseUpdate(partial=True))
@blp.response(200, CourseOut)
@blp.doc(security=BEARER)
def patch_course(data, course_id):
    """Change a course (audited); seats never drop below those taken."""
    course = get_or_404(Course, course_id, api_user())
    return services.update_course(course, data)


@blp.get("/enrolments")
@api_auth("admin", "counselor", "graduate")
@blp.arguments(EnrolmentQuery, location="query")
@blp.response(200, EnrolmentOut(many=True))
@blp.doc(security=BEARER)
def list_enrolments(query):
    """Enrolments the caller may see: a graduate their own, a counselor their county's."""
    return services.search_enrolments(api_user(), query, query["page"], query["per_page"]).items


@blp.post("/enrolments")
@api_auth("admin", "counselor", "graduate")
@blp.arguments(EnrolmentIn)
@blp.response(201, EnrolmentOut)
@blp.doc(security=BEARER)
def create_enrolment(data):
    """Enrol a person in a course (a graduate: themself); 409 when full or already enrolled."""
    user = api_user()
    person_id = user.person_id if user.role == "graduate" else data.get("person_id")
    if person_id is None:
        abort(422, description={"person_id": [_("Missing data for required field.")]})
    person = get_or_404(Person, person_id, user)
    course = get_or_404(Course, data["course_id"], user)
    return services.enrol(person, course, user)


@blp.get("/enrolments/<int:enrolment_id>")
@api_auth("admin", "counselor", "graduate")
@blp.response(200, EnrolmentOut)
@blp.doc(security=BEARER)
def get_enrolment(enrolment_id):
    """One enrolment, if the caller may see it (404 otherwise)."""
    return get_or_404(Enrolment, enrolment_id, api_user())


@blp.post("/enrolments/<int:enrolment_id>/transitions")
@api_auth("admin", "counselor", "graduate")
@blp.arguments(TransitionIn)
@blp.response(200, EnrolmentOut)
@blp.doc(security=BEARER)
def transition_enrolment(data, enrolment_id):
    """accept, attend, complete, certify or drop (with a reason); 409 when the status forbids it."""
    user = api_user()
    enrolment = get_or_404(Enrolment, enrolment_id, user)
    action = data.pop("action")
    return services.transition(enrolment, action, user, **data)


@blp.get("/seekers/<int:person_id>/courses")
@api_auth("admin", "counselor", "graduate")
@blp.arguments(RecommendationQuery, location="query")
@blp.response(200, SeekerCoursesOut)
@blp.doc(security=BEARER)
def seeker_courses(query, person_id):
    """The courses that close most of a seeker's skill gap to their best posts, with reasons."""
    person = get_or_404(Person, person_id, api_user())
    return recommend.course_recommendations(person, k=query["k"])


@blp.get("/training/evaluations")
@public
@blp.response(200, EvaluationOut(many=True))
def list_evaluations():
    """The latest stored rates of every provider and course and the province (public, no personal data)."""
    return notice.evaluation_listing()


@blp.post("/training/evaluations")
@api_auth("admin")
@blp.arguments(EvaluationRunIn)
@blp.response(201, EvaluationRunOut)
@blp.doc(security=BEARER)
def run_evaluation(data):
    """Recompute the evaluation now (as of today or a given day)."""
    result = notice.run_evaluation(data.get("as_of"), actor=api_user())
    return {
        "as_of": result.as_of,
        "courses": len(result.by_course),
        "providers": len(result.by_provider),
        "enrolments": result.province.enrolled,
    }
