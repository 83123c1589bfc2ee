"""Receipts of filings, the check-your-answers step, official notices as PDF, and their verification."""

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from core.access import get_or_404
from core.auth import public, roles_required
from core.extensions import db
from core.models import Employer
from core.schemas import load_form
from quota.models import QuotaDocument, QuotaFiling, QuotaYearTerms
from quota.schemas_year import TermsIn
from quota.services import documents, levy_export, receipts
from quota.web.blueprint import bp, download, excel_type, last_data_year

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


# --- official notices ------------------------------------------------------------------------------


@bp.get("/employers/<int:employer_id>/notices/<int:year>/<kind>")
@roles_required("admin", "counselor", "employer")
def issue_notice(employer_id: int, year: int, kind: str):
    """The current notice of a kind (issued now if its figures changed), shown as a page."""
    employer = get_or_404(Employer, employer_id, current_user)
    document = documents.issue(kind, employer, year, current_user)
    return redirect(url_for("quota.document_page", document_id=document.id))


@bp.get("/documents/<int:document_id>")
@roles_required("admin", "counselor", "employer")
def document_page(document_id: int):
    document = get_or_404(QuotaDocument, document_id, current_user)
    return render_template("quota/document.html", **documents.notice_context(document))


@bp.get("/documents/<int:document_id>.pdf")
@roles_required("admin", "counselor", "employer")
def document_pdf(document_id: int):
    document = get_or_404(QuotaDocument, document_id, current_user)
    return download(documents.render_pdf(document), f"{document.number}.pdf", "application/pdf")


@bp.context_processor
def _notice_helpers():
    return {"notice_kinds": documents.available, "kind_name": documents.kind_name}


@bp.route("/admin/terms", methods=["GET", "POST"])
@roles_required("admin")
def admin_terms():
    """How and where to pay, the issuer and the review period stated on each year's notices."""
    errors, status, form = {}, 200, request.form
    if request.method == "POST":
        data, errors = load_form(TermsIn(), request.form)
        if not errors:
            documents.set_terms(data.pop("data_year"), data, current_user)
            flash(_("The terms of the notices were saved."))
            return redirect(url_for("quota.admin_terms"))
        status = 422
    rows = db.session.scalars(select(QuotaYearTerms).order_by(QuotaYearTerms.data_year.desc()))
    return render_template(
        "quota/terms.html", rows=list(rows), errors=errors, form=form, year=last_data_year()
    ), status


# --- public verification (no login) ----------------------------------------------------------------

verify_bp = Blueprint("quota_verify", __name__)


@verify_bp.get("/verify")
@public
def verify_form():
    """A form to type a notice's verification number."""
    code = request.args.get("number", "")[:40].strip()
    if code:
        return redirect(url_for("quota_verify.verify_document", number=code))
    return render_template("quota/verify.html", v=None, code="")


@verify_bp.get("/verify/<number>")
@public
def verify_document(number: str):
    """Confirm that a notice exists, with its key figures (no personal data); 404 otherwise."""
    document = documents.find_by_verification(number[:40])
    if document is None:
        return render_template("quota/verify.html", v=None, code=number[:40], missing=True), 404
    return render_template("quota/verify.html", v=documents.public_view(document), code=number)


@bp.record_once
def _register_verify(state):
    state.app.register_blueprint(verify_bp)


# --- hand-off to the tax bureau --------------------------------------------------------------------


@bp.get("/admin/levies/<int:year>.<fmt>")
@roles_required("admin")
def admin_levies(year: int, fmt: str):
    """The year's assessed levies with their payment notice numbers (layout: levy_export)."""
    if fmt == "csv":
        body = levy_export.levies_csv(year, current_user).encode("utf-8")
        return download(body, f"levies-{year}.csv", "text/csv; charset=utf-8")
    if fmt == "xlsx":
        return download(
            levy_export.levies_xlsx(year, current_user), f"levies-{year}.xlsx", excel_type()
        )
    abort(404)


@bp.get("/admin/levies")
@roles_required("admin")
def admin_levies_form():
    """The export form's answer: the file of the chosen year and format."""
    year = request.args.get("year", last_data_year(), type=int)
    fmt = request.args.get("fmt", "csv")
    return redirect(url_for("quota.admin_levies", year=year, fmt=fmt if fmt == "xlsx" else "csv"))
