"""JSON API of the shared kernel: tokens, the current user, people, employers, divisions."""

from pathlib import Path

import flask_swagger_ui
from flask import Blueprint as FlaskBlueprint
from flask import abort, current_app, render_template, send_from_directory
from flask_smorest import Blueprint

from core import divisions, services
from core.access import get_or_404
from core.auth import (
    BEARER,
    InactiveAccount,
    api_auth,
    api_user,
    authenticate,
    issue_token,
    public,
)
from core.extensions import limiter
from core.models import Employer, Person
from core.schemas import (
    DivisionOut,
    EmployerIn,
    EmployerOut,
    ListQuery,
    PersonIn,
    PersonOut,
    PersonUpdate,
    TokenRequest,
    TokenResponse,
    UserOut,
)

blp = Blueprint("core_api", __name__, url_prefix="/api/v1", description="Accounts and registries")

SWAGGER_DIST = Path(flask_swagger_ui.__file__).parent / "dist"
docs_bp = FlaskBlueprint("api_docs", __name__)


@docs_bp.get("/api/docs")
@public
def docs():
    """Interactive API documentation, served from files shipped with the project."""
    return render_template("core/api_docs.html")


@docs_bp.get("/api/docs/assets/<path:filename>")
@public
def docs_assets(filename: str):
    return send_from_directory(SWAGGER_DIST, filename)


@blp.post("/auth/token")
@public
@limiter.limit(lambda: current_app.config["RATELIMIT_LOGIN"])
@blp.arguments(TokenRequest)
@blp.response(200, TokenResponse)
@blp.alt_response(401, description="Wrong username or password")
@blp.alt_response(403, description="The account is waiting for approval or disabled")
def create_token(credentials):
    """Exchange a username and password for a bearer token."""
    try:
        user = authenticate(credentials["username"], credentials["password"])
    except InactiveAccount as inactive:
        abort(403, description={"username": [inactive.message()]})
    if user is None:
        abort(401)
    return {
        "access_token": issue_token(user),
        "token_type": "Bearer",
        "expires_in": current_app.config["API_TOKEN_MAX_AGE"],
        "role": user.role,
    }


@blp.post("/auth/revoke")
@api_auth()
@blp.response(204)
@blp.doc(security=BEARER)
def revoke_tokens():
    """End every session and token of the current user."""
    services.logout_everywhere(api_user())


@blp.get("/me")
@api_auth()
@blp.response(200, UserOut)
@blp.doc(security=BEARER)
def me():
    """The account behind the token."""
    return api_user()


@blp.get("/people")
@api_auth("admin", "counselor")
@blp.arguments(ListQuery, location="query")
@blp.response(200, PersonOut(many=True))
@blp.doc(security=BEARER)
def list_people(query):
    """People the caller may see (a counselor: their county), searchable by name or pinyin."""
    return services.search_people(api_user(), query["q"], query["page"], query["per_page"]).items


@blp.post("/people")
@api_auth("admin", "counselor")
@blp.arguments(PersonIn)
@blp.response(201, PersonOut)
@blp.doc(security=BEARER)
def create_person(data):
    """Register a job-seeker from their disability certificate number."""
    return services.register_person(data, api_user())


@blp.get("/people/<int:person_id>")
@api_auth()
@blp.response(200, PersonOut)
@blp.doc(security=BEARER)
def get_person(person_id):
    """One person, if the caller may see them."""
    return get_or_404(Person, person_id, api_user())


@blp.patch("/people/<int:person_id>")
@api_auth("admin", "counselor")
@blp.arguments(PersonUpdate(partial=True))
@blp.response(200, PersonOut)
@blp.doc(security=BEARER)
def patch_person(data, person_id):
    """Change a person's registry fields (audited)."""
    person = get_or_404(Person, person_id, api_user())
    return services.update_person(person, data, api_user())


@blp.get("/employers")
@api_auth("admin", "counselor", "employer")
@blp.arguments(ListQuery, location="query")
@blp.response(200, EmployerOut(many=True))
@blp.doc(security=BEARER)
def list_employers(query):
    """Employers the caller may see."""
    return services.search_employers(api_user(), query["q"], query["page"], query["per_page"]).items


@blp.post("/employers")
@api_auth("admin")
@blp.arguments(EmployerIn)
@blp.response(201, EmployerOut)
@blp.doc(security=BEARER)
def create_employer(data):
    """Register an employer by its unified social credit code."""
    return services.register_employer(data)


@blp.get("/employers/<int:employer_id>")
@api_auth()
@blp.response(200, EmployerOut)
@blp.doc(security=BEARER)
def get_employer(employer_id):
    """One employer, if the caller may see it."""
    return get_or_404(Employer, employer_id, api_user())


@blp.get("/divisions")
@public
@blp.response(200, DivisionOut(many=True))
def list_divisions():
    """Zhejiang's cities and county-level divisions with their codes (public)."""
    return list(divisions.all_divisions().values())
