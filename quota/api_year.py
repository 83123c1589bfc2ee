"""JSON API of the employer's year after filing: receipts, notices, payments hand-off, requests."""

from flask import abort
from flask_smorest import Blueprint

from core.access import get_or_404
from core.auth import api_auth, api_user
from quota import access  # noqa: F401  (registers the access rules)
from quota.models import QuotaFiling
from quota.schemas_year import ReceiptOut
from quota.services import receipts

blp = Blueprint(
    "quota_year_api",
    __name__,
    url_prefix="/api/v1/quota",
    description="Quota review: receipts, notices, payments, relief, review requests and rewards",
)
BEARER = [{"bearerAuth": []}]


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
