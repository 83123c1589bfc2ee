"""JSON API of the employer's year after filing: receipts, notices, payments hand-off, requests."""

from flask import Response, abort, request
from flask_smorest import Blueprint

from core.access import get_or_404
from core.auth import BEARER, api_auth, api_user, public
from core.extensions import db
from core.models import Employer
from quota import access  # noqa: F401  (registers the access rules)
from quota.models import QuotaDocument, QuotaFiling, QuotaRequest
from quota.rules.requests import EVIDENCE_MAX_BYTES, EVIDENCE_UPLOAD_LIMIT
from quota.schemas_year import (
    DocumentOut,
    LevyExportQuery,
    NoticeIn,
    ReceiptOut,
    ReminderOut,
    RequestDecisionIn,
    RequestIn,
    RequestOut,
    RequestQuery,
    RewardPaymentIn,
    TermsIn,
    TermsOut,
    VerificationOut,
    WhatIfIn,
    WhatIfOut,
)
from quota.services import documents, dues, levy_export, overview, receipts, reminders
from quota.services import requests as requests_service

blp = Blueprint(
    "quota_year_api",
    __name__,
    url_prefix="/api/v1/quota",
    description="Quota review: receipts, notices, payments, relief, review requests and rewards",
)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@blp.get("/filings/<int:filing_id>/receipts/<int:version>")
@api_auth("admin", "counselor", "employer")
@blp.response(200, ReceiptOut)
@blp.doc(security=BEARER)
def get_receipt(filing_id, version):
    """The receipt of one submitted version of a filing: reference, what was submitted, next steps."""
    filing = get_or_404(QuotaFiling, filing_id, api_user())
    data = receipts.receipt(filing, version)
    if data is None:
        abort(404)
    return receipts.receipt_json(data)


@blp.post("/employers/<int:employer_id>/notices")
@api_auth("admin", "counselor", "employer")
@blp.arguments(NoticeIn)
@blp.response(200, DocumentOut)
@blp.doc(security=BEARER)
def issue_notice(data, employer_id):
    """The employer's current notice of a kind for a year, issued now if its figures changed."""
    employer = get_or_404(Employer, employer_id, api_user())
    return documents.issue(data["kind"], employer, data["data_year"], api_user())


@blp.get("/documents/<int:document_id>")
@api_auth("admin", "counselor", "employer")
@blp.response(200, DocumentOut)
@blp.doc(security=BEARER)
def get_document(document_id):
    """An issued notice: number, verification number and the figures it states."""
    return get_or_404(QuotaDocument, document_id, api_user())


@blp.get("/documents/<int:document_id>/pdf")
@api_auth("admin", "counselor", "employer")
@blp.doc(
    security=BEARER,
    responses={"200": {"description": "The notice as PDF", "content": {"application/pdf": {}}}},
)
def get_document_pdf(document_id):
    """An issued notice as a PDF (Chinese, CJK font embedded)."""
    document = get_or_404(QuotaDocument, document_id, api_user())
    return Response(documents.render_pdf(document), mimetype="application/pdf")


@blp.get("/verify/<number>")
@public
@blp.response(200, VerificationOut)
def verify(number):
    """Confirm a notice by its verification number (no login): kind, number, employer, amounts."""
    document = documents.find_by_verification(number[:40])
    if document is None:
        abort(404)
    return documents.public_view(document)


@blp.put("/terms/<int:year>")
@api_auth("admin")
@blp.arguments(TermsIn)
@blp.response(200, TermsOut)
@blp.doc(security=BEARER)
def put_terms(data, year):
    """Set what the year's notices state about paying (the body's data_year must match)."""
    if data.pop("data_year") != year:
        abort(422, description={"data_year": ["does not match the address"]})
    return documents.set_terms(year, data, api_user())


@blp.get("/levies/<int:year>")
@api_auth("admin")
@blp.arguments(LevyExportQuery, location="query")
@blp.doc(
    security=BEARER,
    responses={
        "200": {
            "description": "The year's levies (columns in quota.services.levy_export)",
            "content": {"text/csv": {"schema": {"type": "string"}}, XLSX: {}},
        }
    },
)
def export_levies(query, year):
    """The assessed levies of a year for the tax bureau, with their payment notice numbers."""
    if query["format"] == "xlsx":
        return Response(levy_export.levies_xlsx(year, api_user()), mimetype=XLSX)
    return Response(levy_export.levies_csv(year, api_user()), mimetype="text/csv; charset=utf-8")


# --- requests after the assessment: relief, deferral, review, reward ----------------------------


def _employer_of(user) -> Employer:
    employer = db.session.get(Employer, user.employer_id) if user.employer_id else None
    if employer is None:
        abort(403)
    return employer


@blp.post("/requests")
@api_auth("employer")
@blp.arguments(RequestIn)
@blp.response(201, RequestOut)
@blp.doc(security=BEARER)
def create_request(data):
    """Apply for relief, a deferral, a review or the reward (evidence: POST .../evidence)."""
    user = api_user()
    return requests_service.apply(_employer_of(user), data, (), user)


@blp.get("/requests")
@api_auth("admin", "counselor", "employer")
@blp.arguments(RequestQuery, location="query")
@blp.response(200, RequestOut(many=True))
@blp.doc(security=BEARER)
def list_requests(query):
    """Requests the caller may see, pending first."""
    stmt = requests_service.visible(api_user(), query["status"], query["kind"]).limit(500)
    return list(db.session.scalars(stmt))


@blp.get("/requests/<int:request_id>")
@api_auth("admin", "counselor", "employer")
@blp.response(200, RequestOut)
@blp.doc(security=BEARER)
def get_request(request_id):
    """One request with its decision and evidence list."""
    return get_or_404(QuotaRequest, request_id, api_user())


@blp.post("/requests/<int:request_id>/evidence")
@api_auth("employer")
@blp.response(200, RequestOut)
@blp.doc(
    security=BEARER,
    requestBody={
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "properties": {
                        "evidence": {
                            "type": "array",
                            "items": {"type": "string", "format": "binary"},
                        }
                    },
                }
            }
        }
    },
)
def post_evidence(request_id):
    """Attach evidence files (PDF, JPEG, PNG; limits in quota.rules.requests) to a pending request."""
    item = get_or_404(QuotaRequest, request_id, api_user())
    if (request.content_length or 0) > EVIDENCE_UPLOAD_LIMIT:
        abort(413)
    files = [
        (f.filename or "", f.mimetype or "", f.read(EVIDENCE_MAX_BYTES + 1))
        for f in request.files.getlist("evidence")
        if f and f.filename
    ]
    return requests_service.add_evidence(item, files, api_user())


@blp.post("/requests/<int:request_id>/decision")
@api_auth("admin")
@blp.arguments(RequestDecisionIn)
@blp.response(200, RequestOut)
@blp.doc(security=BEARER)
def decide_request(data, request_id):
    """Decide a pending request (approve, approve in part, refuse); a decided one answers 409."""
    item = get_or_404(QuotaRequest, request_id, api_user())
    return requests_service.decide(item, data, api_user())


@blp.post("/requests/<int:request_id>/payment")
@api_auth("admin")
@blp.arguments(RewardPaymentIn)
@blp.response(200, RequestOut)
@blp.doc(security=BEARER)
def pay_reward(data, request_id):
    """Record the payment of an approved reward."""
    item = get_or_404(QuotaRequest, request_id, api_user())
    return requests_service.record_reward_payment(item, data, api_user())


@blp.post("/employers/<int:employer_id>/what-if")
@api_auth("admin", "counselor", "employer")
@blp.arguments(WhatIfIn)
@blp.response(200, WhatIfOut)
@blp.doc(security=BEARER)
def what_if(data, employer_id):
    """The year's levy with further hires (level and months each), and links to candidates."""
    employer = get_or_404(Employer, employer_id, api_user())
    assessment = dues.current_assessment(employer.id, data["data_year"])
    result = (
        None
        if assessment is None
        else overview.simulate(assessment, [(h["level"], h["months"]) for h in data["hires"]])
    )
    if result is None:
        abort(404)
    return {**result, "candidates": overview.candidate_links(employer)}


@blp.get("/reminders")
@api_auth("employer")
@blp.response(200, ReminderOut(many=True))
@blp.doc(security=BEARER)
def list_reminders():
    """The caller's reminders of the quota calendar, newest first."""
    return reminders.of_employer(_employer_of(api_user()).id)
