"""Receipts of filings, the check-your-answers step, official notices as PDF, and their verification."""

from flask import abort, render_template
from flask_login import current_user

from core.access import get_or_404
from core.auth import roles_required
from quota.models import QuotaFiling
from quota.services import receipts
from quota.web.blueprint import bp

HIDDEN_SKIP = ("csrf_token", "action", "confirmed")


def check_answers(employer, data: dict, form):
    """The page that shows a filing before it is submitted; refusals come back to the form."""
    state = receipts.precheck(employer, data)
    hidden = [(k, v) for k, v in form.items(multi=True) if k not in HIDDEN_SKIP]
    return render_template(
        "quota/filing_check.html",
        answers=receipts.check_view(data),
        amendment=state["amendment"],
        hidden=hidden,
        year=data["data_year"],
    )


def receipt_url(filing: QuotaFiling) -> str:
    from flask import url_for

    version = receipts.latest_receipt_version(filing)
    if version is None:
        return url_for("quota.filing_detail", filing_id=filing.id)
    return url_for("quota.filing_receipt", filing_id=filing.id, version=version)


@bp.get("/filings/<int:filing_id>/receipts/<int:version>")
@roles_required("admin", "counselor", "employer")
def filing_receipt(filing_id: int, version: int):
    filing = get_or_404(QuotaFiling, filing_id, current_user)
    data = receipts.receipt(filing, version)
    if data is None:
        abort(404)
    return render_template("quota/receipt.html", r=data)
