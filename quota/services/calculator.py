"""The public calculator: validated input to an assessment under the year's rule set, stateless."""

from decimal import Decimal

from flask_babel import gettext as _

from core.database import ServiceError
from core.i18n import lang
from quota.rules.assessment import ExplanationLine, assess
from quota.rules.filing import DisabledEmployee, Filing
from quota.rules.germany import assess_de
from quota.services.year_settings import effective_rule_set, social_wage


def _lines(lines: tuple[ExplanationLine, ...]) -> list[dict]:
    key = "en" if lang() == "en" else "zh"
    return [
        {"step": line.step, "zh": line.zh, "en": line.en, "text": getattr(line, key)}
        for line in lines
    ]


def _strings(values: dict) -> dict:
    return {
        k: str(v) if isinstance(v, Decimal | int) and not isinstance(v, bool) else v
        for k, v in values.items()
    }


def filing_from_input(data: dict) -> Filing:
    """Build the pure filing from the calculator's validated input."""
    employees = tuple(
        DisabledEmployee(level=e["level"], months=e["months"], counts=e["counts"])
        for e in data.get("disabled_employees", [])
    )
    return Filing(
        unit_type=data["unit_type"],
        headcount=data.get("headcount"),
        monthly_headcounts=data.get("monthly_headcounts"),
        average_wage=data.get("average_wage"),
        wage_total=data.get("wage_total"),
        social_average_wage=data.get("social_average_wage"),
        disabled_employees=employees,
    )


def calculate(data: dict) -> dict:
    """Assess the input under the rules of its data year; refusals name the field."""
    if data.get("jurisdiction") == "DE":
        return _calculate_de(data)
    rule_set = effective_rule_set(data["year"])
    if data.get("social_average_wage") is None and rule_set.cap_multiple is not None:
        known = social_wage(data["year"])
        if known is None:
            raise ServiceError(
                {
                    "social_average_wage": [
                        _(
                            "No social average wage is on file for %(year)s; enter the published figure.",
                            year=data["year"],
                        )
                    ]
                }
            )
        data = {**data, "social_average_wage": known}
    try:
        assessment = assess(filing_from_input(data), rule_set)
    except ValueError as error:
        field = str(error).split(":", 1)[0].split("[", 1)[0]
        raise ServiceError({field: [_("This value is not valid.")]}) from None
    result = assessment.as_dict()
    result.pop("exempt_reason_zh")
    result.pop("exempt_reason_en")
    result["explanation"] = _lines(assessment.explanation)
    result["rule_set"] = result.pop("rule_set_id")
    result["jurisdiction"] = "CN-ZJ"
    result["currency"] = "CNY"
    return result


def _calculate_de(data: dict) -> dict:
    try:
        result = assess_de(data["monthly_headcounts"], data["monthly_disabled"], data["year"])
    except ValueError as error:
        if str(error).startswith("monthly_disabled"):
            raise ServiceError(
                {"monthly_disabled": [_("More occupied places than jobs in this month.")]}
            ) from None
        raise ServiceError(
            {"year": [_("No German levy rates are on file for %(year)s.", year=data["year"])]}
        ) from None
    values = {
        key: getattr(result, key)
        for key in (
            "jobs",
            "average_jobs",
            "occupied",
            "mandatory",
            "unfilled",
            "quota_band",
            "size_class",
            "exempt",
            "rate",
            "levy",
        )
    }
    return {
        **_strings(values),
        "jurisdiction": "DE",
        "rule_set": f"DE-SGB-IX-160-{data['year']}",
        "data_year": data["year"],
        "currency": "EUR",
        "explanation": _lines(result.explanation),
    }
