"""Certificates to verify (employers attach evidence, counselors decide) and the registry extract."""

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.extensions import db
from quota.models import CertificateCheck
from quota.services import registry
from quota.web.blueprint import bp, download


@bp.get("/checks")
@roles_required("admin", "counselor", "employer")
def checks():
    status = request.args.get("status", "to_verify")
    if status not in ("to_verify", "confirmed", "rejected"):
        status = "to_verify"
    page = db.paginate(
        registry.checks_query(current_user, status=status),
        page=request.args.get("page", 1, type=int),
        per_page=50,
        error_out=False,
    )
    return render_template("quota/checks.html", page=page, status=status)


@bp.post("/checks/<int:check_id>/decision")
@roles_required("admin", "counselor")
def decide_check(check_id: int):
    check = get_or_404(CertificateCheck, check_id, current_user)
    decision = request.form.get("decision")
    if decision not in ("confirm", "reject"):
        flash(_("Choose whether to confirm or reject the certificate."))
        return redirect(url_for("quota.checks")), 303
    try:
        registry.decide(check, decision == "confirm", request.form.get("reason"), current_user)
        flash(_("The decision was recorded."))
    except ServiceError as error:
        flash(" ".join(m for ms in error.errors.values() for m in ms))
        if error.status == 409:
            return redirect(url_for("quota.checks")), 409
    return redirect(url_for("quota.checks"))


@bp.post("/checks/<int:check_id>/evidence")
@roles_required("employer")
def check_evidence(check_id: int):
    check = get_or_404(CertificateCheck, check_id, current_user)
    upload = request.files.get("evidence")
    content = upload.stream.read(registry.EVIDENCE_MAX_BYTES + 1) if upload else b""
    try:
        registry.attach_evidence(check, content, upload.filename if upload else "", current_user)
        flash(_("The evidence was attached."))
    except ServiceError as error:
        flash(" ".join(m for ms in error.errors.values() for m in ms))
        return redirect(url_for("quota.checks")), error.status
    return redirect(url_for("quota.checks"))


@bp.get("/checks/<int:check_id>/evidence")
@roles_required("admin", "counselor", "employer")
def check_evidence_file(check_id: int):
    check = get_or_404(CertificateCheck, check_id, current_user)
    found = registry.evidence_of(check)
    if found is None:
        abort(404)
    body, mimetype = found
    return download(body, f"evidence-{check.id}.{mimetype.rsplit('/', 1)[-1]}", mimetype)


@bp.route("/admin/registry", methods=["GET", "POST"])
@roles_required("admin")
def admin_registry():
    errors, result, status = {}, None, 200
    if request.method == "POST":
        upload = request.files.get("extract")
        try:
            extract_date = date.fromisoformat(request.form.get("extract_date", ""))
        except ValueError:
            extract_date = None
        if extract_date is None:
            errors, status = {"extract_date": [_("Give the date of the extract.")]}, 422
        else:
            try:
                content = upload.stream.read(registry.MAX_REGISTRY_BYTES + 1) if upload else b""
                result = registry.import_registry(
                    content, upload.filename if upload else "", extract_date, current_user
                )
            except ServiceError as error:
                errors, status = error.errors, error.status
    return render_template(
        "quota/registry.html",
        errors=errors,
        result=result,
        info=registry.registry_status(),
        columns=registry.column_titles(),
    ), status
