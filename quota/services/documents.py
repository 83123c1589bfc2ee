"""Official notices of the quota review: issued, numbered, verifiable, rendered to PDF.

Kinds (quota.rules.documents.DOCUMENT_KINDS):
- assessment_notice (审核结果通知书): the current assessment's figures, its explanation, the rule set
  and its legal sources;
- payment_notice (缴款通知书): the amount due after any relief, the deadline (after any deferral),
  how and where to pay (the year's terms an administrator sets) and the late-fee rule
  (quota.rules.credit: 5 per mille a day from the day after the deadline, at most the unpaid amount);
- reward_notice (奖励通知书): the reward for employing more persons with disabilities than the quota.

Issuing is idempotent: a notice whose figures have not changed is returned as it is; changed figures
(an amendment reassessed, relief granted) supersede it with a new notice and a new number. At most one
current notice per employer, year and kind (a partial unique index; a concurrent second issue fails
and the first is returned). The verification number is random (secrets) and stored; the public page
/verify/<number> shows the notice's kind, number, date, employer and key amounts, never a person.

PDF: the notice's Jinja template is rendered in Chinese and printed by WeasyPrint with the print
stylesheet static/css/notice.css; the CJK font is Debian's Noto CJK (fonts-noto-cjk), embedded as a
subset in every PDF, found through fontconfig, never downloaded.
"""

import secrets
from datetime import date
from decimal import Decimal
from functools import lru_cache
from pathlib import Path

from flask import current_app, render_template
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from core import audit
from core.database import ServiceError
from core.extensions import db
from core.models import Employer, utcnow
from quota.models import QuotaAssessment, QuotaDocument, QuotaYearTerms
from quota.rules.credit import DAILY_LATE_RATE
from quota.rules.documents import (
    DOCUMENT_KINDS,
    VERIFICATION_BYTES,
    document_number,
    normalise_verification,
    verification_code,
)
from quota.rules.explanation import ExplanationBasis, explain
from quota.rules.rule_sets import RULE_SETS
from quota.services import dues

FIGURE_KEYS = (
    "headcount",
    "required",
    "arranged",
    "shortfall",
    "arranged_ratio",
    "wage_base",
    "social_average_wage",
    "cap",
    "capped_wage_base",
    "factor",
    "levy",
    "excess",
    "reward",
)
TERMS_FIELDS = ("issuer", "payee", "how_to_pay", "where_to_pay", "review_request_days")
KIND_TITLES = {
    "assessment_notice": "审核结果通知书",
    "payment_notice": "缴款通知书",
    "reward_notice": "奖励通知书",
    "relief_decision": "减免缓缴决定书",
}


KIND_NAMES = {
    "assessment_notice": _l("Assessment notice"),
    "payment_notice": _l("Payment notice"),
    "reward_notice": _l("Reward notice"),
    "relief_decision": _l("Relief decision"),
}


def kind_name(kind: str) -> str:
    return str(KIND_NAMES.get(kind, kind))


def _text(value) -> str | None:
    return None if value is None else str(value)


# --- the year's terms ------------------------------------------------------------------------------


def terms(year: int) -> QuotaYearTerms | None:
    return db.session.get(QuotaYearTerms, year)


def set_terms(year: int, values: dict, user=None) -> QuotaYearTerms:
    """Set what the year's notices state about paying (admin), audited."""
    row = terms(year)
    created = row is None
    if created:
        row = QuotaYearTerms(data_year=year)
        db.session.add(row)
    before = None if created else audit.snapshot(row)
    for key in TERMS_FIELDS:
        if key in values:
            setattr(row, key, values[key])
    db.session.flush()
    audit.record("create" if created else "update", _TermsRow(row), before, audit.snapshot(row))
    db.session.commit()
    return row


class _TermsRow:
    """Give the year's terms (keyed by year) the id the audit trail expects."""

    __tablename__ = "quota_year_terms"

    def __init__(self, row: QuotaYearTerms):
        self.id = row.data_year


# --- figures of each kind --------------------------------------------------------------------------


def _assessment_figures(assessment: QuotaAssessment) -> dict:
    rule_set = RULE_SETS.get(assessment.rule_set_id)
    if assessment.explanation_basis is not None:
        basis = ExplanationBasis.from_json(assessment.explanation_basis)
        lines = [{"zh": line.zh, "en": line.en} for line in explain(assessment, basis)]
    else:
        lines = [{"zh": line["zh"], "en": line["en"]} for line in assessment.explanation or []]
    return {
        "assessment_id": assessment.id,
        "filing_version": assessment.filing_version,
        "rule_set_id": assessment.rule_set_id,
        "sources": list(rule_set.sources) if rule_set else [],
        "unit_type": assessment.unit_type,
        "non_filer": assessment.non_filer,
        "exempt": assessment.exempt,
        "capped": assessment.capped,
        "reward_eligible": assessment.reward_eligible,
        **{k: _text(getattr(assessment, k)) for k in FIGURE_KEYS},
        "explanation": lines,
        "findings": [
            {"zh": f.get("zh", ""), "en": f.get("en", "")} for f in assessment.findings or []
        ],
    }


def _late_rule() -> dict:
    return {"late_rate_per_mille": str(DAILY_LATE_RATE * 1000), "late_cap": "principal"}


def _payment_figures(employer_id: int, year: int, assessment: QuotaAssessment) -> dict:
    owed = dues.due(employer_id, year, assessment)
    if owed is None or owed["amount_due"] <= 0:
        raise ServiceError({"kind": [_("No levy is due for %(year)s.", year=year)]}, 404)
    year_terms = terms(year)
    if year_terms is None:
        raise ServiceError(
            {"kind": [_("The federation has not yet set how to pay for %(year)s.", year=year)]},
            409,
        )
    return {
        "assessment_id": assessment.id,
        "levy": str(owed["levy"]),
        "reduction": str(owed["reduction"]),
        "amount_due": str(owed["amount_due"]),
        "deadline": owed["deadline"].isoformat(),
        "deferred": owed["deferred"],
        **_late_rule(),
        **{k: getattr(year_terms, k) for k in ("issuer", "payee", "how_to_pay", "where_to_pay")},
    }


def _reward_figures(year: int, assessment: QuotaAssessment) -> dict:
    if not assessment.reward_eligible or not assessment.reward or assessment.reward <= 0:
        raise ServiceError({"kind": [_("No reward is due for %(year)s.", year=year)]}, 404)
    from quota.services import rewards

    decision = rewards.approved_reward(assessment.employer_id, year)
    if decision is None:
        raise ServiceError(
            {"kind": [_("The reward for %(year)s has not been approved yet.", year=year)]}, 409
        )
    return {
        "assessment_id": assessment.id,
        "excess": str(assessment.excess),
        "reward": str(decision["amount"]),
        "approved_on": decision["approved_on"],
    }


def issuer(year: int) -> str:
    """Who issues the year's notices: the administrator's name for it, else the service's."""
    year_terms = terms(year)
    if year_terms is not None and year_terms.issuer:
        return year_terms.issuer
    with force_locale("zh"):
        return _("Zhejiang Disability Employment Service")


def figures_for(kind: str, employer_id: int, year: int) -> tuple[dict, QuotaAssessment]:
    figures, assessment = _figures_for(kind, employer_id, year)
    figures.setdefault("issuer", issuer(year))
    year_terms = terms(year)
    if year_terms is not None and year_terms.review_request_days:
        figures["review_request_days"] = year_terms.review_request_days
    return figures, assessment


def _figures_for(kind: str, employer_id: int, year: int) -> tuple[dict, QuotaAssessment]:
    if kind not in DOCUMENT_KINDS or kind == "relief_decision":
        raise ServiceError({"kind": [_("Unknown kind of notice.")]}, 404)
    assessment = dues.current_assessment(employer_id, year)
    if assessment is None:
        raise ServiceError(
            {"data_year": [_("There is no assessment for %(year)s.", year=year)]}, 404
        )
    if kind == "assessment_notice":
        return _assessment_figures(assessment), assessment
    if kind == "payment_notice":
        return _payment_figures(employer_id, year, assessment), assessment
    return _reward_figures(year, assessment), assessment


# --- issuing ---------------------------------------------------------------------------------------


def current_document(employer_id: int, year: int, kind: str) -> QuotaDocument | None:
    return db.session.scalar(
        select(QuotaDocument).where(
            QuotaDocument.employer_id == employer_id,
            QuotaDocument.data_year == year,
            QuotaDocument.kind == kind,
            QuotaDocument.superseded_at.is_(None),
        )
    )


def issue(kind: str, employer: Employer, year: int, user=None, commit: bool = True):
    """The current notice of this kind, issued now if there is none or its figures changed."""
    figures, assessment = figures_for(kind, employer.id, year)
    current = current_document(employer.id, year, kind)
    if current is not None and current.figures == figures:
        return current
    try:
        with db.session.begin_nested():
            if current is not None:
                current.superseded_at = utcnow()
                db.session.flush()
            document = QuotaDocument(
                kind=kind,
                employer_id=employer.id,
                data_year=year,
                assessment_id=assessment.id,
                figures=figures,
                verification=verification_code(secrets.token_bytes(VERIFICATION_BYTES)),
                issued_by=getattr(user, "id", None),
            )
            db.session.add(document)
            db.session.flush()
            document.number = document_number(kind, document.issued_at.year, document.id)
            db.session.flush()
    except IntegrityError:  # a concurrent issue won: its notice is the current one
        if commit:
            db.session.commit()
        return current_document(employer.id, year, kind)
    audit.record("issue", document, None, {"kind": kind, "number": document.number}, actor=user)
    if current is not None:
        audit.record("supersede", current, None, {"by": document.number}, actor=user)
    if commit:
        db.session.commit()
    return document


def issue_year(year: int, kinds=("assessment_notice", "payment_notice"), user=None) -> dict:
    """Issue every notice of the year that is due (the CLI's bulk run); counts per kind."""
    counts = {kind: 0 for kind in kinds}
    employers = db.session.scalars(
        select(Employer)
        .join(QuotaAssessment, QuotaAssessment.employer_id == Employer.id)
        .where(QuotaAssessment.data_year == year, QuotaAssessment.current.is_(True))
        .order_by(Employer.id)
    ).all()
    for employer in employers:
        for kind in kinds:
            try:
                issue(kind, employer, year, user, commit=False)
                counts[kind] += 1
            except ServiceError:
                continue
    db.session.commit()
    return counts


def current_documents(year: int, kinds: tuple[str, ...]) -> list[QuotaDocument]:
    return list(
        db.session.scalars(
            select(QuotaDocument)
            .where(
                QuotaDocument.data_year == year,
                QuotaDocument.kind.in_(kinds),
                QuotaDocument.superseded_at.is_(None),
            )
            .order_by(QuotaDocument.id)
        )
    )


def available(employer: Employer, year: int) -> list[str]:
    """The kinds of notice the employer can have for the year now."""
    kinds = []
    for kind in ("assessment_notice", "payment_notice", "reward_notice"):
        try:
            figures_for(kind, employer.id, year)
        except ServiceError:
            continue
        kinds.append(kind)
    return kinds


def documents_of(employer_id: int) -> list[QuotaDocument]:
    return list(
        db.session.scalars(
            select(QuotaDocument)
            .where(QuotaDocument.employer_id == employer_id)
            .order_by(QuotaDocument.data_year.desc(), QuotaDocument.id.desc())
        )
    )


# --- verification ----------------------------------------------------------------------------------


def find_by_verification(text: str) -> QuotaDocument | None:
    code = normalise_verification(text)
    if code is None:
        return None
    return db.session.scalar(select(QuotaDocument).where(QuotaDocument.verification == code))


PUBLIC_FIGURES = {
    "assessment_notice": ("levy", "reward", "rule_set_id"),
    "payment_notice": ("amount_due", "deadline"),
    "reward_notice": ("reward",),
}


def public_view(document: QuotaDocument) -> dict:
    """What the public verification page confirms: the notice, its employer and key amounts."""
    return {
        "kind": document.kind,
        "title": KIND_TITLES[document.kind],
        "number": document.number,
        "issued_on": document.issued_at.date().isoformat(),
        "employer_name": document.employer.name,
        "credit_code": document.employer.credit_code,
        "data_year": document.data_year,
        "current": document.superseded_at is None,
        "figures": {k: document.figures.get(k) for k in PUBLIC_FIGURES.get(document.kind, ())},
    }


# --- rendering ------------------------------------------------------------------------------------


def verify_url(document: QuotaDocument) -> str:
    """The public address that confirms the notice (the host of this request, or PUBLIC_BASE_URL)."""
    from flask import has_request_context, request

    base = request.host_url if has_request_context() else current_app.config.get("PUBLIC_BASE_URL")
    return f"{(base or '').rstrip('/')}/verify/{document.verification}"


def notice_context(document: QuotaDocument) -> dict:
    figures = dict(document.figures)
    for key in (*FIGURE_KEYS, "amount_due", "reduction"):
        if figures.get(key) is not None:
            figures[key] = Decimal(figures[key])
    return {
        "doc": document,
        "f": figures,
        "title": KIND_TITLES[document.kind],
        "employer": document.employer,
        "deadline": date.fromisoformat(figures["deadline"]) if "deadline" in figures else None,
        "verify_url": verify_url(document),
        "kind_name": kind_name,
    }


def render_html(document: QuotaDocument) -> str:
    """The notice as a standalone HTML page in Chinese (what the PDF prints)."""
    with force_locale("zh"):
        return render_template("quota/notices/print.html", **notice_context(document), lang="zh")


def stylesheet_path() -> Path:
    return Path(current_app.static_folder) / "css" / "notice.css"


@lru_cache(maxsize=4)
def _print_setup(stylesheet: str):
    """One font configuration and parsed stylesheet per process: the fonts load once (seconds)."""
    from weasyprint import CSS  # imported here: the web workers that never print skip it
    from weasyprint.text.fonts import FontConfiguration

    fonts = FontConfiguration()
    return fonts, CSS(filename=stylesheet, font_config=fonts)


def render_pdf(document: QuotaDocument) -> bytes:
    """The notice as a PDF with its CJK font embedded (as a subset)."""
    from weasyprint import HTML

    fonts, css = _print_setup(str(stylesheet_path()))
    html = HTML(string=render_html(document), base_url=current_app.static_folder)
    return html.write_pdf(stylesheets=[css], font_config=fonts)
