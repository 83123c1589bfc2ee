"""Counselor and administrator pages: conflicts, review runs with progress, parameters, payments, flags."""

from flask import abort, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from marshmallow import ValidationError
from sqlalchemy import select

from core import listing
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.errors import translate_messages
from core.extensions import db
from core.i18n import lang
from core.models import Employer
from quota.models import (
    CreditFlag,
    NominalHireFinding,
    QuotaFiling,
    QuotaReviewRun,
    QuotaYearSetting,
)
from quota.schemas import YearSettingIn
from quota.services import filings as services
from quota.services import nominal, payments, review
from quota.services.year_settings import set_year_parameters
from quota.web import home, lists
from quota.web.blueprint import bp, download, last_data_year


@bp.get("/conflicts")
@roles_required("admin", "counselor")
def conflicts():
    return render_template("quota/conflicts.html", groups=services.conflicts(current_user))


@bp.post("/conflicts/resolve")
@roles_required("admin", "counselor")
def resolve_conflict():
    try:
        services.resolve_conflict(
            request.form.get("winner_claim_id", type=int), current_user, request.form.get("note")
        )
        flash(_("The conflict was resolved."))
    except ServiceError as error:
        if error.status == 404:
            abort(404)
        flash(" ".join(m for ms in error.errors.values() for m in ms))
        if error.status == 409:  # decided by someone else first: say so, with the current state
            groups = services.conflicts(current_user)
            return render_template("quota/conflicts.html", groups=groups), 409
    return redirect(url_for("quota.conflicts"))


@bp.post("/filings/<int:filing_id>/nominal-hires")
@roles_required("admin", "counselor")
def record_nominal_hire(filing_id: int):
    filing = get_or_404(QuotaFiling, filing_id, current_user)
    claim_id = request.form.get("claim_id", type=int)
    if claim_id not in {claim.id for claim in filing.claims}:
        claim_id = None
    return _nominal_outcome(
        filing_id,
        lambda: nominal.record_nominal_hire(claim_id, current_user, request.form.get("note")),
        _("The nominal hire was recorded; the filing was verified again."),
    )


@bp.post("/filings/<int:filing_id>/nominal-hires/<int:finding_id>/withdraw")
@roles_required("admin", "counselor")
def withdraw_nominal_hire(filing_id: int, finding_id: int):
    filing = get_or_404(QuotaFiling, filing_id, current_user)
    finding = db.session.get(NominalHireFinding, finding_id)
    if finding is None or (finding.employer_id, finding.data_year) != (
        filing.employer_id,
        filing.data_year,
    ):
        abort(404)
    return _nominal_outcome(
        filing_id,
        lambda: nominal.withdraw_nominal_hire(finding_id, current_user, request.form.get("reason")),
        _("The finding was withdrawn; the filing was verified again."),
    )


def _nominal_outcome(filing_id: int, action, done: str):
    try:
        action()
        flash(done)
    except ServiceError as error:
        if error.status == 404:
            abort(404)
        flash(" ".join(m for ms in error.errors.values() for m in ms))
    return redirect(url_for("quota.filing_detail", filing_id=filing_id) + "#nominal-hires")


@bp.get("/admin")
@roles_required("admin")
def admin_home():
    runs = db.session.scalars(select(QuotaReviewRun).order_by(QuotaReviewRun.id.desc()).limit(10))
    settings = db.session.scalars(
        select(QuotaYearSetting).order_by(QuotaYearSetting.data_year.desc())
    )
    year = request.args.get("year", type=int) or last_data_year()
    current = db.session.get(QuotaYearSetting, year) if 2000 <= year <= 2100 else None
    form = {"data_year": year}
    if current is not None:  # the form shows the year's current values
        form.update(
            social_average_wage=current.social_average_wage or "",
            reward_per_excess_person=current.reward_per_excess_person or "",
            payment_deadline=current.payment_deadline.isoformat()
            if current.payment_deadline
            else "",
            window={True: "open", False: "closed"}.get(current.window_open, ""),
            social_average_wage_source=current.social_average_wage_source or "",
            verification_deadline=current.verification_deadline.isoformat()
            if current.verification_deadline
            else "",
        )
    return render_template(
        "quota/admin.html",
        runs=list(runs),
        settings=list(settings),
        year=year,
        errors={},
        form=form,
    )


@bp.post("/admin/reviews")
@roles_required("admin")
def admin_queue_review():
    year = request.form.get("year", type=int) or last_data_year()
    if not request.form.get("confirm"):
        flash(_("Tick the box to confirm that every filing of the year is assessed again."))
        return redirect(url_for("quota.admin_home"))
    try:
        run = review.start_run(year, current_user)
    except ServiceError as error:
        flash(" ".join(m for ms in error.errors.values() for m in ms))
        return redirect(url_for("quota.admin_home"))
    flash(_("The review of %(year)s was queued.", year=year))
    return redirect(url_for("quota.admin_review", run_id=run.id))


def _run_or_404(run_id: int) -> QuotaReviewRun:
    run = db.session.get(QuotaReviewRun, run_id)
    if run is None:
        abort(404)
    return run


@bp.get("/admin/reviews/<int:run_id>")
@roles_required("admin")
def admin_review(run_id: int):
    return render_template("quota/review_run.html", run=_run_or_404(run_id))


@bp.get("/admin/reviews/<int:run_id>/progress")
@roles_required("admin")
def admin_review_progress(run_id: int):
    run = _run_or_404(run_id)
    return jsonify(
        {
            "status": run.status,
            "total": run.total,
            "done": run.done,
            "text": _(
                "%(done)s of %(total)s filings reviewed (%(status)s).",
                done=run.done,
                total=run.total,
                status=home.run_status_name(run.status),
            ),
        }
    )


@bp.post("/admin/settings")
@roles_required("admin")
def admin_settings():
    year = request.form.get("data_year", type=int) or last_data_year()
    # Only what was sent changes: a field left out (or blank) keeps its value.
    raw = {
        k: v
        for k, v in request.form.items()
        if k in YearSettingIn().fields and k != "window_open" and v.strip()
    }
    if "window" in request.form:
        raw["window_open"] = {"open": True, "closed": False}.get(request.form["window"])
    try:
        values = YearSettingIn().load(raw)
        set_year_parameters(year, values)
        flash(_("The parameters of %(year)s were saved.", year=year))
    except ValidationError as error:
        messages = translate_messages(error.messages)
        flash(" ".join(f"{k}: {m}" for k, ms in messages.items() for m in ms))
    except ServiceError as error:
        flash(" ".join(m for ms in error.errors.values() for m in ms))
    return redirect(url_for("quota.admin_home", year=year))


@bp.route("/admin/payments", methods=["GET", "POST"])
@roles_required("admin")
def admin_payments():
    errors, result, status = {}, None, 200
    if request.method == "POST":
        upload = request.files.get("payments")
        text = upload.read().decode("utf-8", errors="replace") if upload else ""
        try:
            result = payments.import_payments(text, current_user)
        except ServiceError as error:
            errors, status = error.errors, 422
    return render_template(
        "quota/payments.html", errors=errors, result=result, columns=payments.PAYMENT_COLUMNS
    ), status


@bp.get("/admin/flags")
@roles_required("admin")
def admin_flags():
    state = lists.FLAGS.parse(request.args)
    page = listing.query_page(_flags_stmt(state), state)
    return render_template(
        "quota/flags.html", flags=page.items, page=page, state=state, year=last_data_year()
    )


def _flags_stmt(state):
    stmt = select(CreditFlag).join(Employer, Employer.id == CreditFlag.employer_id)
    return lists.filter_flags(stmt, state)


@bp.post("/admin/flags/evaluate")
@roles_required("admin")
def admin_flags_evaluate():
    year = request.form.get("year", type=int) or last_data_year()
    if not request.form.get("confirm"):
        flash(_("Tick the box to confirm that flags are raised and lifted for every employer."))
        return redirect(url_for("quota.admin_flags"))
    result = payments.evaluate_flags(year, user=current_user)
    flash(_("%(raised)s flags raised, %(lifted)s lifted.", **result))
    return redirect(url_for("quota.admin_flags"))


@bp.post("/admin/flags/<int:flag_id>/lift")
@roles_required("admin")
def admin_flag_lift(flag_id: int):
    flag = db.session.get(CreditFlag, flag_id)
    if flag is None or flag.lifted_at is not None:
        abort(404)
    reason = (request.form.get("reason") or "").strip()[:500]
    if not reason:
        flash(_("Give the reason for lifting the flag."))
        return redirect(url_for("quota.admin_flags") + f"#flag-{flag.id}")
    payments.lift_flag(flag, reason, current_user)
    flash(_("The flag was lifted."))
    return redirect(url_for("quota.admin_flags"))


@bp.get("/admin/flags.json")
@roles_required("admin")
def admin_flags_json():
    return jsonify(payments.flags_json())


@bp.get("/admin/flags.csv")
@roles_required("admin")
def admin_flags_csv():
    """The flags as filtered and sorted on the page (every flag without arguments)."""
    state = lists.FLAGS.parse(request.args)
    flags = db.session.scalars(listing.sorted_query(_flags_stmt(state), state))
    body = payments.flags_table_csv(lang(), [(flag, flag.employer) for flag in flags])
    return download(body.encode("utf-8"), "credit-flags.csv", "text/csv; charset=utf-8")
