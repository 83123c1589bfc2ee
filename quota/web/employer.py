"""An employer's quota pages: its overview, filings by form or Excel, and (for staff) a filing's detail."""

import uuid

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError

from core import listing
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.errors import translate_messages
from core.extensions import db
from core.models import Employer
from quota import access, excel  # noqa: F401  (access registers the access rules)
from quota.models import QuotaFiling, QuotaFilingVersion
from quota.rules.filing import FORM_EMPLOYEES_MAX
from quota.schemas import SUBMISSION_KEY, FilingIn
from quota.services import filings as services
from quota.services import nominal, overview, uploads
from quota.services.year_settings import filing_window_for, window_is_open
from quota.web import lists
from quota.web.blueprint import bp, download, excel_type, last_data_year
from quota.web.documents import check_answers, receipt_url
from quota.web.forms import filing_input, filled_rows, flat_errors, rows_to_show

# --- employers -----------------------------------------------------------------------------------


@bp.get("/mine")
@roles_required("employer")
def mine():
    if not current_user.employer_id:
        abort(404)
    return redirect(url_for("quota.employer_page", employer_id=current_user.employer_id))


@bp.get("/employers/<int:employer_id>")
@roles_required("admin", "counselor", "employer")
def employer_page(employer_id: int):
    employer = get_or_404(Employer, employer_id, current_user)
    data = overview.summary(employer)
    return render_template(
        "quota/employer.html",
        employer=employer,
        data=data,
        candidates=overview.candidate_links(employer),
        explain=overview.explanation_text,
        flag_rule=overview.flag_rule,
        this_year=last_data_year(),
        window_open=window_is_open(last_data_year()),
    )


@bp.get("/filings")
@roles_required("admin", "counselor", "employer")
def filings():
    state = lists.FILINGS.parse(request.args)
    stmt = services.filings_query(current_user, state.get("year") or None, state.get("q"))
    if state.get("status"):
        stmt = stmt.where(QuotaFiling.status == state.get("status"))
    page = listing.query_page(stmt, state)
    return render_template("quota/filings.html", page=page, state=state)


@bp.get("/filings/<int:filing_id>")
@roles_required("admin", "counselor", "employer")
def filing_detail(filing_id: int):
    filing = get_or_404(QuotaFiling, filing_id, current_user)
    versions = db.session.scalars(
        db.select(QuotaFilingVersion)
        .where(QuotaFilingVersion.filing_id == filing.id)
        .order_by(QuotaFilingVersion.version.desc())
    )
    claims = [services.claim_view(c) for c in filing.claims]
    staff = current_user.role in nominal.STAFF
    return render_template(
        "quota/filing.html",
        filing=filing,
        claims=claims,
        versions=list(versions),
        findings=nominal.findings_for(filing.employer_id, filing.data_year) if staff else [],
        staff=staff,
    )


def _own_employer() -> Employer:
    employer = db.session.get(Employer, current_user.employer_id or 0)
    if employer is None:
        abort(404)
    return employer


@bp.route("/filings/form/<int:year>", methods=["GET", "POST"])
@roles_required("employer")
def filing_form(year: int):
    employer = _own_employer()
    filing = services.filing_for(employer.id, year)
    errors, status, focus_row = {}, 200, None
    shown = request.form.get("rows", type=int)  # rows the submitted page had
    action = request.form.get("action")
    if action == "more_rows":  # keeps what was typed, saves nothing
        focus_row = _row_count(request.form, shown)
    elif request.method == "POST" and action == "change":
        pass  # back from the check page: the form again, as it was typed
    elif request.method == "POST" and filled_rows(request.form) > MAX_FORM_ROWS:
        errors, status = {"employees": [_too_many_rows_message()]}, 422
    elif request.method == "POST":
        raw = filing_input(request.form, year)
        try:
            data = FilingIn().load(raw)
            if (data["submit"] or raw.get("reason")) and not request.form.get("confirmed"):
                return check_answers(employer, data, request.form)
            saved = services.save_filing(employer, data, current_user)
            if saved.status == "draft":
                flash(_("The filing was saved."))
                return redirect(url_for("quota.filing_detail", filing_id=saved.id))
            return redirect(receipt_url(saved))
        except ValidationError as error:
            errors, status = flat_errors(translate_messages(error.messages)), 422
        except ServiceError as error:
            errors, status = flat_errors(error.errors), error.status
    form = request.form if request.method == "POST" else _filing_as_form(filing)
    return render_template(
        "quota/filing_form.html",
        year=year,
        filing=filing,
        form=form,
        errors=errors,
        rows=max(
            min(_row_count(form, shown) + (10 if focus_row is not None else 0), MAX_FORM_ROWS),
            rows_to_show(form),  # every typed row is kept, even over the limit
        ),
        max_rows=MAX_FORM_ROWS,
        over_limit=filled_rows(form) > MAX_FORM_ROWS,
        focus_row=focus_row,
        window=filing_window_for(year),
        window_open=window_is_open(year),
        submission_key=_submission_key(),
    ), status


def _submission_key() -> str:
    """The key of this page's save: kept across a re-shown form, so a retry is recognised."""
    sent = (request.form.get("submission_key") or "").strip()
    return sent if SUBMISSION_KEY.fullmatch(sent) else uuid.uuid4().hex


MAX_FORM_ROWS = FORM_EMPLOYEES_MAX  # a bigger workforce files by Excel upload


def _too_many_rows_message() -> str:
    return _(
        "The form takes at most %(max)s employees; nothing was saved. "
        "File a bigger workforce by Excel upload.",
        max=MAX_FORM_ROWS,
    )


def _row_count(form, shown: int | None) -> int:
    """Employee rows to show: those filled in plus three, or as many as were shown before."""
    used = [k for k in form if k.startswith("emp-") and k.endswith("-certificate_no") and form[k]]
    return min(max(len(used) + 3, shown or 5), MAX_FORM_ROWS)


def _filing_as_form(filing: QuotaFiling | None) -> dict:
    if filing is None:
        return {}
    form = {"version": filing.version}
    for i, value in enumerate(filing.monthly_headcounts or [], start=1):
        form[f"m{i}"] = value
    form["wage_total"] = "" if filing.wage_total is None else str(filing.wage_total)
    for i, claim in enumerate(filing.claims):
        form[f"emp-{i}-certificate_no"] = services.certificate_of(claim)
        form[f"emp-{i}-months"] = claim.months
        for key in ("long_contract", "min_wage", "social_insurance"):
            form[f"emp-{i}-{key}"] = "1" if getattr(claim, key) else ""
    return form


@bp.post("/filings/<int:filing_id>/submit")
@roles_required("employer")
def filing_submit(filing_id: int):
    filing = get_or_404(QuotaFiling, filing_id, current_user)
    try:
        filing = services.submit_filing(filing, request.form.get("version", type=int), current_user)
        return redirect(receipt_url(filing))
    except ServiceError as error:
        for messages in error.errors.values():
            for message in messages:
                flash(message)
        if error.status == 409:
            return redirect(url_for("quota.filing_detail", filing_id=filing_id)), 303
    return redirect(url_for("quota.filing_detail", filing_id=filing_id))


@bp.get("/filings/template/<int:year>.xlsx")
@roles_required("employer")
def filing_template(year: int):
    filing = services.filing_for(_own_employer().id, year)
    return download(excel.template(year, filing), f"quota-filing-{year}.xlsx", excel_type())


@bp.route("/filings/upload", methods=["GET", "POST"])
@roles_required("employer")
def filing_upload():
    errors, token, status = {}, None, 200
    year = request.values.get("year", last_data_year(), type=int)
    if request.method == "POST":
        upload = request.files.get("workbook")
        content = upload.stream.read(excel.MAX_UPLOAD_BYTES + 1) if upload else b""
        status = 422
        try:
            data, errors, annotated = excel.read(content)
        except ServiceError as error:  # over a limit: refused before (or while) reading
            data, errors, annotated, status = None, error.errors, None, error.status
        if data is not None:
            key = (request.form.get("submission_key") or "").strip()
            data.update(
                version=request.form.get("version", type=int),
                reason=request.form.get("reason") or None,
                submit=bool(request.form.get("submit")),
                source="excel",
                submission_key=key if SUBMISSION_KEY.fullmatch(key) else None,
            )
            try:
                saved = services.save_filing(_own_employer(), data, current_user)
                flash(_("The workbook was read and the filing saved."))
                if saved.status != "draft":
                    return redirect(receipt_url(saved))
                return redirect(url_for("quota.filing_detail", filing_id=saved.id))
            except ServiceError as error:
                errors = error.errors
        token = uploads.keep(annotated, current_user.id) if annotated else None
    filing = services.filing_for(_own_employer().id, year)
    return render_template(
        "quota/upload.html",
        errors=errors,
        token=token,
        year=year,
        filing=filing,
        submission_key=_submission_key(),
    ), status


@bp.get("/filings/upload/errors/<token>.xlsx")
@roles_required("employer")
def upload_errors(token: str):
    body = uploads.load(token, current_user.id)
    if body is None:
        abort(404)
    return download(body, "quota-filing-errors.xlsx", excel_type())
