"""Pages of the requests after the assessment: relief, deferral, review, reward; evidence; decisions."""

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from core import listing
from core.access import get_or_404
from core.auth import roles_required
from core.database import ServiceError
from core.extensions import db
from core.i18n import lang
from core.models import Employer
from core.schemas import load_form
from quota.models import CreditFlag, QuotaClaim, QuotaEvidence, QuotaRequest
from quota.rules import requests as rules
from quota.schemas_year import RequestDecisionIn, RequestIn, RewardPaymentIn
from quota.services import filings as filing_services
from quota.services import overview
from quota.services import requests as services
from quota.web.blueprint import bp
from quota.web.forms import flat_errors

KIND_TITLES = {
    "relief": _l("Apply for relief of the levy"),
    "deferral": _l("Apply to pay the levy later"),
    "review": _l("Ask for a review"),
    "reward": _l("Apply for the reward"),
}


def _files() -> list[tuple[str, str, bytes]]:
    if (request.content_length or 0) > rules.EVIDENCE_UPLOAD_LIMIT:
        abort(413)
    return [
        (f.filename or "", f.mimetype or "", f.read(rules.EVIDENCE_MAX_BYTES + 1))
        for f in request.files.getlist("evidence")
        if f and f.filename
    ]


def _own_employer() -> Employer:
    employer = db.session.get(Employer, current_user.employer_id or 0)
    if employer is None:
        abort(404)
    return employer


def _choices(employer: Employer, year: int | None) -> dict:
    """Years with an assessment, and (for a review) the rejected claims and open flags."""
    years = [a.data_year for a in overview.current_assessments(employer)]
    claims = flags = []
    if year:
        claims = db.session.scalars(
            select(QuotaClaim).where(
                QuotaClaim.employer_id == employer.id,
                QuotaClaim.data_year == year,
                QuotaClaim.verdict == "rejected",
            )
        ).all()
        flags = db.session.scalars(
            select(CreditFlag).where(
                CreditFlag.employer_id == employer.id,
                CreditFlag.data_year == year,
                CreditFlag.lifted_at.is_(None),
            )
        ).all()
    return {
        "year_options": [(y, y) for y in years],
        "claim_options": [
            (c.id, f"{c.cert_masked} · {filing_services.REASON_TEXT.get(c.reason, '')}")
            for c in claims
        ],
        "flag_options": [(f.id, f.reason_en if lang() == "en" else f.reason_zh) for f in flags],
    }


@bp.route("/requests/new", methods=["GET", "POST"])
@roles_required("employer")
def new_request():
    employer = _own_employer()
    kind = request.values.get("kind", "")
    if kind not in rules.REQUEST_KINDS:
        abort(404)
    year = request.values.get("data_year", type=int) or request.values.get("year", type=int)
    errors, status = {}, 200
    if request.method == "POST":
        files = _files()
        data, errors = load_form(RequestIn(), request.form)
        if not errors:
            try:
                created = services.apply(employer, data, files, current_user)
                flash(_("Your request was received; the federation will decide on it."))
                return redirect(url_for("quota.request_page", request_id=created.id))
            except ServiceError as error:
                errors, status = flat_errors(error.errors), error.status
        else:
            status = 422
    last_day = services.review_period(employer.id, year)[0] if year and kind == "review" else None
    return render_template(
        "quota/request_form.html",
        kind=kind,
        heading=KIND_TITLES[kind],
        form=request.form if request.method == "POST" else {"data_year": year or ""},
        errors=errors,
        year=year,
        review_last_day=last_day,
        limits=rules,
        **_choices(employer, year),
    ), status


@bp.get("/requests")
@roles_required("admin", "counselor", "employer")
def requests_list():
    state = REQUESTS_LIST.parse(request.args)
    stmt = services.visible(current_user, state.get("status") or None, state.get("kind") or None)
    stmt = stmt.join(Employer, Employer.id == QuotaRequest.employer_id)
    if state.get("year"):
        stmt = stmt.where(QuotaRequest.data_year == state.get("year"))
    page = listing.query_page(stmt, state)
    return render_template("quota/requests.html", page=page, state=state)


REQUESTS_LIST = listing.ListSpec(
    "requests",
    {
        "waiting": QuotaRequest.status != "pending",
        "received": QuotaRequest.created_at,
        "employer": Employer.name,
        "year": QuotaRequest.data_year,
        "status": QuotaRequest.status,
    },
    "waiting",
    (
        listing.Filter(
            "status",
            _l("Status"),
            "choice",
            lambda: [(s, str(REQUEST_STATUS_NAMES[s])) for s in rules.STATUSES],
        ),
        listing.Filter(
            "kind",
            _l("Request"),
            "choice",
            lambda: [(k, str(REQUEST_KIND_NAMES[k])) for k in rules.REQUEST_KINDS],
        ),
        listing.Filter("year", _l("Data year"), "int"),
    ),
    tiebreak=QuotaRequest.created_at.desc(),
)


@bp.get("/requests/<int:request_id>")
@roles_required("admin", "counselor", "employer")
def request_page(request_id: int):
    item = get_or_404(QuotaRequest, request_id, current_user)
    return _render(item, {}, 200)


def _render(item: QuotaRequest, errors: dict, status: int):
    return render_template(
        "quota/request.html",
        r=item,
        history=services.history(item),
        errors=errors,
        limits=rules,
        claim=db.session.get(QuotaClaim, item.claim_id) if item.claim_id else None,
        flag=db.session.get(CreditFlag, item.flag_id) if item.flag_id else None,
    ), status


@bp.post("/requests/<int:request_id>/decision")
@roles_required("admin")
def decide_request(request_id: int):
    item = get_or_404(QuotaRequest, request_id, current_user)
    data, errors = load_form(RequestDecisionIn(), request.form)
    if errors:
        return _render(item, errors, 422)
    try:
        services.decide(item, data, current_user)
    except ServiceError as error:
        if error.status == 409:
            flash(" ".join(m for ms in error.errors.values() for m in ms))
            return redirect(url_for("quota.request_page", request_id=request_id)), 303
        return _render(item, error.errors, error.status)
    flash(_("The decision was recorded."))
    return redirect(url_for("quota.request_page", request_id=request_id))


@bp.post("/requests/<int:request_id>/payment")
@roles_required("admin")
def pay_reward(request_id: int):
    item = get_or_404(QuotaRequest, request_id, current_user)
    data, errors = load_form(RewardPaymentIn(), request.form)
    if errors:
        return _render(item, errors, 422)
    services.record_reward_payment(item, data, current_user)
    flash(_("The payment of the reward was recorded."))
    return redirect(url_for("quota.request_page", request_id=request_id))


@bp.post("/requests/<int:request_id>/evidence")
@roles_required("employer")
def add_evidence(request_id: int):
    item = get_or_404(QuotaRequest, request_id, current_user)
    try:
        services.add_evidence(item, _files(), current_user)
        flash(_("The evidence was added."))
    except ServiceError as error:
        return _render(item, flat_errors(error.errors), error.status)
    return redirect(url_for("quota.request_page", request_id=request_id))


@bp.get("/requests/<int:request_id>/evidence/<int:evidence_id>")
@roles_required("admin", "counselor", "employer")
def evidence_file(request_id: int, evidence_id: int):
    item = get_or_404(QuotaRequest, request_id, current_user)
    evidence = db.session.get(QuotaEvidence, evidence_id)
    if evidence is None or evidence.request_id != item.id:
        abort(404)
    return Response(
        evidence.data,
        mimetype=evidence.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="evidence-{evidence.id}'
            f'{_extension(evidence.content_type)}"',
            "X-Content-Type-Options": "nosniff",
        },
    )


def _extension(content_type: str) -> str:
    return rules.EVIDENCE_EXTENSIONS.get(content_type, "")


@bp.post("/employers/<int:employer_id>/reward-offer")
@roles_required("admin")
def offer_reward(employer_id: int):
    """The federation offers the reward to an employer over the quota (a pending reward request)."""
    employer = get_or_404(Employer, employer_id, current_user)
    year = request.form.get("data_year", type=int)
    if year is None:
        abort(400)
    data = {"kind": "reward", "data_year": year, "reason": _("Offered by the federation.")}
    created = services.apply(employer, data, (), current_user)
    flash(_("The reward was offered."))
    return redirect(url_for("quota.request_page", request_id=created.id))


REQUEST_KIND_NAMES = {
    "relief": _l("Relief of the levy"),
    "deferral": _l("Deferral of the levy"),
    "review": _l("Review request"),
    "reward": _l("Reward"),
}
REQUEST_STATUS_NAMES = {
    "pending": _l("Waiting for a decision"),
    "approved": _l("Approved"),
    "partly_approved": _l("Approved in part"),
    "refused": _l("Refused"),
    "paid": _l("Paid"),
}
REVIEW_SUBJECT_NAMES = {
    "assessment": _l("A figure of the assessment"),
    "claim": _l("A claim that was not counted"),
    "flag": _l("A credit flag"),
}
REQUEST_EVENT_NAMES = {
    "apply": _l("Request received"),
    "upload": _l("Evidence added"),
    "decide": _l("Decision recorded"),
    "pay_reward": _l("Reward paid"),
}


@bp.context_processor
def _request_names():
    return {
        "request_kind_name": lambda code: str(REQUEST_KIND_NAMES.get(code, code)),
        "request_status_name": lambda code: str(REQUEST_STATUS_NAMES.get(code, code)),
        "review_subject_name": lambda code: str(REVIEW_SUBJECT_NAMES.get(code, code)),
        "request_event_name": lambda code: str(REQUEST_EVENT_NAMES.get(code, code)),
        "requests_of": lambda employer_id, year: [
            r for r in services.of_employer(employer_id) if r.data_year == year
        ],
    }
