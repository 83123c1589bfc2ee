"""Filing receipts and the "check your answers" step before a filing is submitted or amended.

A receipt belongs to one submitted version of a filing (`QuotaFilingVersion` with status
"submitted"): its reference (quota.rules.documents.receipt_reference), what was submitted (the
version's frozen copy: figures and masked certificates), and what happens next, with the dates of the
year's calendar (filing window, payment deadline).
"""

from decimal import Decimal

from flask_babel import gettext as _
from sqlalchemy import select

from core.database import ServiceError
from core.extensions import db
from core.models import Employer
from quota.models import QuotaFiling, QuotaFilingVersion
from quota.rules.documents import receipt_reference
from quota.services import filings
from quota.services.review import FILED
from quota.services.year_settings import (
    effective_rule_set,
    filing_window_for,
    payment_deadline,
    window_is_open,
)

# A submitted version keeps its receipt after the review marks that version assessed.
RECEIPT_STATUSES = ("submitted", "assessed")


def precheck(employer: Employer, data: dict) -> dict:
    """Refuse what saving would refuse (year, stale version, missing reason, closed window), writing
    nothing, so that the check page is shown only for a filing that can be submitted."""
    year = data["data_year"]
    effective_rule_set(year)
    filing = filings.filing_for(employer.id, year)
    amendment = filing is not None and filing.status in FILED
    if filing is not None and data.get("version") != filing.version:
        raise filings.stale_error()
    if amendment and not (data.get("reason") or "").strip():
        raise ServiceError({"reason": [_("Give the reason for the amendment.")]})
    if not amendment and not window_is_open(year):
        raise filings._window_error(year)
    return {"amendment": amendment, "filing": filing}


def check_view(data: dict) -> dict:
    """The validated filing input as the check page shows it (certificates masked)."""
    months = [Decimal(str(v)) for v in data["monthly_headcounts"]]
    return {
        "data_year": data["data_year"],
        "monthly_headcounts": months,
        "average_headcount": sum(months, Decimal("0")) / 12,
        "wage_total": Decimal(str(data["wage_total"])),
        "employees": [
            {
                "cert_masked": e["certificate_no"][:6] + "*" * 10 + e["certificate_no"][-4:],
                "level": e.get("level"),
                "months": e["months"],
                "long_contract": e.get("long_contract", True),
                "min_wage": e.get("min_wage", True),
                "social_insurance": e.get("social_insurance", True),
            }
            for e in data.get("employees", [])
        ],
        "reason": (data.get("reason") or "").strip(),
    }


def receipt_versions(filing: QuotaFiling) -> list[QuotaFilingVersion]:
    return list(
        db.session.scalars(
            select(QuotaFilingVersion)
            .where(
                QuotaFilingVersion.filing_id == filing.id,
                QuotaFilingVersion.status.in_(RECEIPT_STATUSES),
            )
            .order_by(QuotaFilingVersion.version.desc())
        )
    )


def latest_receipt_version(filing: QuotaFiling) -> int | None:
    versions = receipt_versions(filing)
    return versions[0].version if versions else None


def reference_of(filing: QuotaFiling, version: int) -> str:
    return receipt_reference(filing.data_year, filing.id, version)


def receipt(filing: QuotaFiling, version: int) -> dict | None:
    """The receipt of a submitted version, or None when that version was not a submission."""
    row = db.session.scalar(
        select(QuotaFilingVersion).where(
            QuotaFilingVersion.filing_id == filing.id,
            QuotaFilingVersion.version == version,
            QuotaFilingVersion.status.in_(RECEIPT_STATUSES),
        )
    )
    if row is None:
        return None
    data = row.data or {}
    months = [Decimal(v) for v in data.get("monthly_headcounts") or []]
    return {
        "reference": reference_of(filing, version),
        "filing": filing,
        "version": version,
        "amendment": bool(row.reason),
        "reason": row.reason,
        "submitted_at": row.created_at,
        "employer_name": filing.employer.name,
        "credit_code": filing.employer.credit_code,
        "data_year": filing.data_year,
        "monthly_headcounts": months,
        "average_headcount": sum(months, Decimal("0")) / 12 if months else None,
        "wage_total": None if data.get("wage_total") is None else Decimal(data["wage_total"]),
        "claims": data.get("claims") or [],
        "next_steps": next_steps(filing.data_year),
    }


def next_steps(year: int) -> list[dict]:
    """What happens after a submission, and when, from the year's calendar."""
    window = filing_window_for(year)
    closes = window[1] if window and window[0] <= window[1] else None
    steps = [
        {
            "what": _(
                "Each employee you declared was checked against the disability registry; "
                "the result for each is on the filing page."
            ),
            "when": _("Now"),
        },
        {
            "what": _(
                "The federation assesses every filing of %(year)s in the annual review and sends "
                "you the assessment notice (审核结果通知书) with the figures and how they were "
                "reached.",
                year=year,
            ),
            "when": _("After the filing window closes on %(date)s", date=closes.isoformat())
            if closes
            else _("After the filing window closes"),
        },
        {
            "what": _(
                "If a levy is due, the payment notice (缴款通知书) states the amount and how to pay; "
                "a late payment carries a late fee."
            ),
            "when": _("Due by %(date)s", date=payment_deadline(year).isoformat()),
        },
        {
            "what": _(
                "You may amend the filing with a reason; every version is kept and gets its own "
                "receipt."
            ),
            "when": _("Until the assessment, and afterwards with a reason"),
        },
    ]
    return steps


def receipt_json(data: dict) -> dict:
    return {
        "reference": data["reference"],
        "filing_id": data["filing"].id,
        "version": data["version"],
        "amendment": data["amendment"],
        "reason": data["reason"],
        "submitted_at": data["submitted_at"],
        "employer_name": data["employer_name"],
        "credit_code": data["credit_code"],
        "data_year": data["data_year"],
        "monthly_headcounts": [str(m) for m in data["monthly_headcounts"]],
        "wage_total": None if data["wage_total"] is None else str(data["wage_total"]),
        "claims": [
            {k: c.get(k) for k in ("cert_masked", "level", "months", "verdict")}
            for c in data["claims"]
        ],
        "next_steps": data["next_steps"],
    }
