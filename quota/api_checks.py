"""JSON API of the certificates to verify (#17): a county counselor lists the checks of the employers
in their county and confirms or rejects a certificate the registry extract does not know, with a
reason. The decision is a conditional update (quota.services.registry.decide): a second one is 409.
"""

from flask_smorest import Blueprint

from core import divisions
from core.access import get_or_404
from core.auth import api_auth, api_user
from core.extensions import db
from quota import access  # noqa: F401  (registers the access rules)
from quota.models import CertificateCheck
from quota.schemas import CheckDecisionIn, CheckOut, ChecksOut, ChecksQuery
from quota.services import registry

blp = Blueprint(
    "quota_checks_api",
    __name__,
    url_prefix="/api/v1/quota",
    description="Quota review: certificates to verify (certificates the registry does not know)",
)
BEARER = [{"bearerAuth": []}]
PER_PAGE = 50


def _out(check: CertificateCheck) -> dict:
    return {
        "id": check.id,
        "employer_id": check.employer_id,
        "employer": check.employer.name if check.employer else None,
        "data_year": check.data_year,
        "cert_masked": check.cert_masked,
        "issuing_area": check.issuing_area,
        "issuing_area_name": divisions.full_name(check.issuing_area) or None,
        "status": check.status,
        "has_evidence": bool(check.evidence_file),
        "evidence_at": check.evidence_at,
        "decided_at": check.decided_at,
        "reason": check.reason,
        "created_at": check.created_at,
    }


@blp.get("/certificate-checks")
@api_auth("admin", "counselor", "employer")
@blp.arguments(ChecksQuery, location="query")
@blp.response(200, ChecksOut)
@blp.doc(security=BEARER)
def list_checks(query):
    """Certificates to verify (by default the pending ones): a counselor's county, an employer's own."""
    page = db.paginate(
        registry.checks_query(api_user(), year=query["year"], status=query["status"]),
        page=query["page"],
        per_page=PER_PAGE,
        error_out=False,
    )
    return {
        "checks": [_out(c) for c in page.items],
        "page": page.page,
        "pages": page.pages,
        "total": page.total,
    }


@blp.post("/certificate-checks/<int:check_id>/decision")
@api_auth("admin", "counselor")
@blp.arguments(CheckDecisionIn)
@blp.response(200, CheckOut)
@blp.alt_response(409, description="The certificate was already decided.")
@blp.doc(security=BEARER)
def decide_check(data, check_id):
    """Confirm or reject a certificate, with the reason; a check already decided answers 409."""
    check = get_or_404(CertificateCheck, check_id, api_user())
    decided = registry.decide(check, data["decision"] == "confirm", data["reason"], api_user())
    return _out(decided)
