"""JSON API of the quota review: calculator, filings, conflicts, review runs, publication, flags."""

from flask import Response, abort, request
from flask_babel import gettext as _
from flask_smorest import Blueprint

from core.access import get_or_404
from core.auth import BEARER, api_auth, api_user, public
from core.extensions import db
from core.models import Employer
from quota import access  # noqa: F401  (registers the access rules)
from quota.models import QuotaFiling, QuotaReviewRun
from quota.schemas import (
    SUBMISSION_KEY,
    AssessIn,
    AssessOut,
    ConflictsOut,
    FilingIn,
    FilingOut,
    FlagsOut,
    FlagsQuery,
    NominalHireIn,
    NominalHireOut,
    OfficialDataIn,
    OfficialDataOut,
    PaymentImportOut,
    PublicationOut,
    PublicationQuery,
    ResolveIn,
    ResolveOut,
    ReviewIn,
    ReviewRunOut,
    SummaryOut,
    VersionIn,
    WithdrawIn,
    YearQuery,
)
from quota.services import calculator, nominal, official, overview, payments, publication, review
from quota.services import filings as services

blp = Blueprint("quota_api", __name__, url_prefix="/api/v1/quota", description="Quota review")


@blp.post("/assess")
@public
@blp.arguments(AssessIn)
@blp.response(200, AssessOut)
def assess(data):
    """Compute the levy or reward for given figures (no login; nothing is stored)."""
    return calculator.calculate(data)


def _employer_of(user) -> Employer:
    employer = db.session.get(Employer, user.employer_id) if user.employer_id else None
    if employer is None:
        abort(403)
    return employer


@blp.get("/filings")
@api_auth("admin", "counselor", "employer")
@blp.arguments(YearQuery, location="query")
@blp.response(200, FilingOut(many=True))
@blp.doc(security=BEARER)
def list_filings(query):
    """Filings the caller may see (an employer: its own; a counselor: its county's)."""
    stmt = services.filings_query(api_user(), query["year"], query["q"]).limit(500)
    return list(db.session.scalars(stmt))


@blp.post("/filings")
@api_auth("employer")
@blp.arguments(FilingIn)
@blp.response(200, FilingOut)
@blp.doc(security=BEARER)
def save_filing(data):
    """Save the caller's filing for a year (draft, submit, or amend with a reason and version).

    Send `submission_key` (or an `Idempotency-Key` header): a retry with the same key after a lost
    answer gets the filing as that save left it, never a refusal as someone else's change.
    """
    user = api_user()
    header = (request.headers.get("Idempotency-Key") or "").strip()
    if header and not data.get("submission_key"):
        if not SUBMISSION_KEY.fullmatch(header):
            abort(422, description={"submission_key": [_("This value is not valid.")]})
        data = {**data, "submission_key": header}
    return services.save_filing(_employer_of(user), data, user)


@blp.get("/filings/<int:filing_id>")
@api_auth("admin", "counselor", "employer")
@blp.response(200, FilingOut)
@blp.doc(security=BEARER)
def get_filing(filing_id):
    """One filing with its claims and their verdicts."""
    return get_or_404(QuotaFiling, filing_id, api_user())


@blp.post("/filings/<int:filing_id>/submit")
@api_auth("employer")
@blp.arguments(VersionIn)
@blp.response(200, FilingOut)
@blp.doc(security=BEARER)
def submit_filing(data, filing_id):
    """Submit a draft; a stale version answers 409."""
    filing = get_or_404(QuotaFiling, filing_id, api_user())
    return services.submit_filing(filing, data["version"], api_user())


@blp.get("/conflicts")
@api_auth("admin", "counselor")
@blp.response(200, ConflictsOut)
@blp.doc(security=BEARER)
def list_conflicts():
    """Open double claims the caller may resolve."""
    groups = services.conflicts(api_user())
    return {
        "conflicts": [
            {
                **{k: g[k] for k in ("data_year", "cert_masked")},
                "claims": [
                    {
                        **{k: c[k] for k in ("claim_id", "verdict", "months")},
                        "employer": c["employer"].name,
                    }
                    for c in g["claims"]
                ],
            }
            for g in groups
        ]
    }


@blp.post("/conflicts/resolve")
@api_auth("admin", "counselor")
@blp.arguments(ResolveIn)
@blp.response(200, ResolveOut)
@blp.doc(security=BEARER)
def resolve_conflict(data):
    """Decide which employer's claim is accepted; the others are rejected."""
    claim = services.resolve_conflict(data["winner_claim_id"], api_user(), data["note"])
    return {"claim_id": claim.id, "verdict": claim.verdict}


@blp.post("/nominal-hires")
@api_auth("admin", "counselor")
@blp.arguments(NominalHireIn)
@blp.response(201, NominalHireOut)
@blp.doc(security=BEARER)
def record_nominal_hire(data):
    """Record that a claimed person does not really work for the employer (挂名); the claims stop counting."""
    return nominal.record_nominal_hire(data["claim_id"], api_user(), data["note"])


@blp.post("/nominal-hires/<int:finding_id>/withdraw")
@api_auth("admin", "counselor")
@blp.arguments(WithdrawIn)
@blp.response(200, NominalHireOut)
@blp.doc(security=BEARER)
def withdraw_nominal_hire(data, finding_id):
    """Withdraw a nominal-hire finding; the person's claims are verified again."""
    return nominal.withdraw_nominal_hire(finding_id, api_user(), data["reason"])


@blp.post("/reviews")
@api_auth("admin")
@blp.arguments(ReviewIn)
@blp.response(202, ReviewRunOut)
@blp.doc(security=BEARER)
def queue_review(data):
    """Queue the annual review of a data year; the scheduler runs it."""
    return review.start_run(data["year"], api_user())


@blp.get("/reviews/<int:run_id>")
@api_auth("admin")
@blp.response(200, ReviewRunOut)
@blp.doc(security=BEARER)
def get_review(run_id):
    """A review run's progress."""
    run = db.session.get(QuotaReviewRun, run_id)
    if run is None:
        abort(404)
    return run


@blp.get("/publication/<int:year>")
@public
@blp.arguments(PublicationQuery, location="query")
@blp.response(200, PublicationOut)
def get_publication(query, year):
    """The public lists of a data year: employers meeting the quota, and unpaid levies after the deadline."""
    if not publication.known_year(year):
        abort(404)
    return publication.as_json(year, query["q"])


@blp.get("/employers/<int:employer_id>/summary")
@api_auth("admin", "counselor", "employer")
@blp.response(200, SummaryOut)
@blp.doc(security=BEARER)
def employer_summary(employer_id):
    """An employer's filings, assessments, levy or reward, flags and what-if figures."""
    employer = get_or_404(Employer, employer_id, api_user())
    return overview.as_json(employer)


@blp.get("/flags")
@api_auth("admin")
@blp.arguments(FlagsQuery, location="query")
@blp.response(200, FlagsOut)
@blp.doc(
    security=BEARER,
    responses={
        "200": {
            "description": "OK",
            "content": {
                "application/json": {"schema": FlagsOut},
                "text/csv": {"schema": {"type": "string"}},
            },
        }
    },
)
def export_flags(query):
    """Credit flags in the documented exchange format (?format=csv for CSV)."""
    if query["format"] == "csv":
        return Response(payments.flags_csv(), mimetype="text/csv; charset=utf-8")
    return payments.flags_json()


@blp.post("/payments/import")
@api_auth("admin")
@blp.response(200, PaymentImportOut)
@blp.doc(security=BEARER)
def import_payments():
    """Import the tax bureau's payment CSV (request body; columns in the docs)."""
    result = payments.import_payments(request.get_data(as_text=True), api_user())
    return result


@blp.post("/official-data")
@api_auth("admin")
@blp.arguments(OfficialDataIn)
@blp.response(200, OfficialDataOut)
@blp.doc(security=BEARER)
def import_official_data(data):
    """Import official headcounts and wage totals (social insurance, tax) of a data year.

    Answers how many records were imported and which credit codes are unknown (not stored).
    """
    return official.import_official(data["data_year"], data["records"], api_user())


from quota.api_checks import blp as checks_blp  # noqa: E402  (certificates to verify)
from quota.api_year import blp as year_blp  # noqa: E402  (the year's documents and requests)

blueprints = [blp, year_blp, checks_blp]
