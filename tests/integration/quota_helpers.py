"""Helpers for the quota integration tests: claimable people, employer accounts, filings."""

from datetime import date

from core.extensions import db
from core.services import new_person
from tests import factories

YEAR = 2022  # a data year with the social average wage on file and tiers in force

# The public calculator's worked check: 200 staff, one level-4 employee all year (levy factor 0.9).
CALCULATOR_FORM = {
    "year": "2024",
    "unit_type": "enterprise",
    "headcount": "200",
    "average_wage": "80000",
    "social_average_wage": "100000",
    "emp-0-level": "4",
    "emp-0-months": "12",
}


def calculator_body(**overrides) -> dict:
    """The worked check as the calculator API's JSON body, with `overrides`."""
    values = {
        "year": 2024,
        "unit_type": "enterprise",
        "headcount": "200",
        "average_wage": "80000",
        "social_average_wage": "100000",
        "disabled_employees": [{"level": 4, "months": 12}],
    }
    values.update(overrides)
    return values


def claimable(county="330106", level=3, birth=date(1990, 3, 1)) -> str:
    """Register a person and return their certificate number."""
    cert = factories.certificate_number(county=county, birth=birth, level=level)
    db.session.add(
        new_person({"certificate_no": cert, "name": "李四", "county_code": county, "consent": True})
    )
    db.session.commit()
    return cert


def employer_account(county="330106", unit_type="enterprise", **fields):
    employer = factories.make_employer(county=county, unit_type=unit_type, **fields)
    user = factories.make_user("employer", employer_id=employer.id)
    return employer, user


def filing_data(certs=(), year=YEAR, headcount="100", wage_total="8000000", **extra) -> dict:
    return {
        "data_year": year,
        "monthly_headcounts": [headcount] * 12,
        "wage_total": wage_total,
        "employees": [{"certificate_no": c, "months": 12} for c in certs],
        **extra,
    }


def form_data(certs=(), action="submit", headcount="100", wage_total="8000000", **extra) -> dict:
    form = {f"m{m}": headcount for m in range(1, 13)}
    form.update(wage_total=wage_total, action=action, **extra)
    for i, cert in enumerate(certs):
        form.update(
            {
                f"emp-{i}-certificate_no": cert,
                f"emp-{i}-months": "12",
                f"emp-{i}-long_contract": "1",
                f"emp-{i}-min_wage": "1",
                f"emp-{i}-social_insurance": "1",
            }
        )
    return form
