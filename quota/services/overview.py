"""An employer's quota overview: filings, current assessments, levy or reward, flags, what-if."""

from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from sqlalchemy import select

from core import offers
from core.extensions import db
from core.i18n import lang
from core.models import Employer
from quota.models import CreditFlag, QuotaAssessment, QuotaFiling
from quota.rules.assessment import assess
from quota.rules.credit import FLAG_RULES
from quota.rules.explanation import ExplanationBasis, explain
from quota.rules.filing import DisabledEmployee
from quota.rules.wages import MissingSocialAverageWage
from quota.services import review
from quota.services.payments import balance
from quota.services.publication import published_status
from quota.services.year_settings import effective_rule_set, social_wage


def filings(employer: Employer) -> list[QuotaFiling]:
    return list(
        db.session.scalars(
            select(QuotaFiling)
            .where(QuotaFiling.employer_id == employer.id)
            .order_by(QuotaFiling.data_year.desc())
        )
    )


def current_assessments(employer: Employer) -> list[QuotaAssessment]:
    return list(
        db.session.scalars(
            select(QuotaAssessment)
            .where(QuotaAssessment.employer_id == employer.id, QuotaAssessment.current.is_(True))
            .order_by(QuotaAssessment.data_year.desc())
        )
    )


def flags(employer: Employer) -> list[CreditFlag]:
    return list(
        db.session.scalars(
            select(CreditFlag)
            .where(CreditFlag.employer_id == employer.id)
            .order_by(CreditFlag.lifted_at.is_not(None), CreditFlag.data_year.desc())
        )
    )


def _base(assessment: QuotaAssessment):
    """The assessed filing as the pure engine sees it, with its rule set (None: no what-if)."""
    year = assessment.data_year
    try:
        rule_set = effective_rule_set(year)
    except Exception:  # a year without rules has no what-if
        return None, None
    rows = review._filing_rows(year, [assessment.filing_id])
    if not rows:
        return None, None
    row = rows[0]
    employees = review._counted_claims(year, [row.id]).get(row.id, [])
    # The social wage the assessment used (a later change of the year's parameters, or a year
    # whose figure is not on file, must not change or break the what-if of a stored assessment).
    stored = assessment.social_average_wage
    social = Fraction(stored) if stored is not None else social_wage(year)
    base = review.pure_filing(row, employees, review._official(year), social)
    return base, rule_set


def simulate(assessment: QuotaAssessment, hires) -> dict | None:
    """The assessment again with more employees with disabilities: hires = [(level, months), ...].

    Each hire counts as the rule set says (levels 1-2 double, part of the year in twelfths), on the
    same headcount, wages and rules as the stored assessment; None when no what-if is possible.
    """
    try:
        base, rule_set = _base(assessment)
        if base is None:
            return None
        extra = tuple(DisabledEmployee(level, months) for level, months in hires)
        result = assess(replace(base, disabled_employees=base.disabled_employees + extra), rule_set)
    except (ValueError, MissingSocialAverageWage):  # a year whose wage figure is not on file
        return None
    return {
        "hires": len(extra),
        "levy_now": Decimal(assessment.levy),
        "levy": result.levy,
        "saving": Decimal(assessment.levy) - result.levy,
        "arranged": result.arranged,
        "required": result.required,
        "shortfall": result.shortfall,
        "arranged_ratio": result.arranged_ratio,
        "factor": result.factor,
        "reward": result.reward,
        "reward_eligible": result.reward_eligible,
    }


def what_if(assessment: QuotaAssessment, extra: tuple[int, ...] = (1, 2)) -> list[dict]:
    """The levy if the employer hired one or two more persons with disabilities (level 3-4, full year)."""
    results = []
    for n in extra:
        result = simulate(assessment, [(4, 12)] * n)
        if result is None:
            return []
        results.append({k: result[k] for k in ("hires", "levy", "saving", "reward")})
    return results


def candidate_links(employer: Employer) -> list[dict]:
    """Links to matched candidates for each of the employer's open posts, as matching offers them."""
    return offers.employer_post_links(employer.id)


def flag_rule(code: str) -> dict:
    """The rule that raised a flag and how the employer remedies it, in the page's language."""
    rule = FLAG_RULES.get(code)
    if rule is None:
        return {"rule": "", "remedy": ""}
    if lang() == "en":
        return {"rule": rule.rule_en, "remedy": rule.remedy_en}
    return {"rule": rule.rule_zh, "remedy": rule.remedy_zh}


def explanation_text(assessment: QuotaAssessment) -> list[str]:
    """The stored assessment's explanation in the page's language, rendered from its figures."""
    key = "en" if lang() == "en" else "zh"
    if assessment.explanation_basis is None:
        return [line[key] for line in assessment.explanation or []]
    basis = ExplanationBasis.from_json(assessment.explanation_basis)
    return [getattr(line, key) for line in explain(assessment, basis)]


def summary(employer: Employer) -> dict:
    """Everything the employer page shows, per data year."""
    years = []
    for assessment in current_assessments(employer):
        years.append(
            {
                "assessment": assessment,
                "balance": balance(employer.id, assessment.data_year),
                "published": published_status(employer.id, assessment.data_year),
                "what_if": what_if(assessment),
            }
        )
    return {"filings": filings(employer), "years": years, "flags": flags(employer)}


def _figures(a: QuotaAssessment) -> dict:
    keys = (
        "headcount",
        "required",
        "arranged",
        "shortfall",
        "arranged_ratio",
        "wage_base",
        "capped_wage_base",
        "factor",
        "levy",
        "excess",
        "reward",
    )
    values = {k: (None if getattr(a, k) is None else str(getattr(a, k))) for k in keys}
    return {
        **values,
        "exempt": a.exempt,
        "reward_eligible": a.reward_eligible,
        "non_filer": a.non_filer,
        "rule_set": a.rule_set_id,
    }


def as_json(employer: Employer) -> dict:
    data = summary(employer)
    return {
        "employer": {"id": employer.id, "name": employer.name, "credit_code": employer.credit_code},
        "filings": [
            {"id": f.id, "data_year": f.data_year, "status": f.status, "version": f.version}
            for f in data["filings"]
        ],
        "assessments": [
            {
                "data_year": y["assessment"].data_year,
                **_figures(y["assessment"]),
                "explanation": explanation_text(y["assessment"]),
                "findings": y["assessment"].findings,
                "published": y["published"],
                "balance": None
                if y["balance"] is None
                else {k: str(v) for k, v in y["balance"].items() if k != "payments"},
                "what_if": [{k: str(v) for k, v in w.items()} for w in y["what_if"]],
            }
            for y in data["years"]
        ],
        "flags": [
            {
                "data_year": f.data_year,
                "grade": f.grade,
                "code": f.code,
                "open": f.lifted_at is None,
                "reason": f.reason_en if lang() == "en" else f.reason_zh,
                **flag_rule(f.code),
            }
            for f in data["flags"]
        ],
        "candidates": candidate_links(employer),
    }
