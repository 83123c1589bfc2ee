"""The plan's indicators, the persons hard to employ and the zero-employment households."""

from flask import abort
from flask_babel import gettext as _

from core import divisions
from core.auth import BEARER, api_auth, api_user
from core.i18n import lang
from employment import dashboard, services
from employment.api.blueprint import STAFF, blp
from employment.models import PROVINCE
from employment.schemas import (
    AreaQuery,
    HardToEmployOut,
    HouseholdOut,
    IndicatorQuery,
    IndicatorReportOut,
)


def _indicators(indicators) -> list[dict]:
    language = lang()
    return [
        {
            "code": i.code,
            "label": dashboard.label(i.code, language, i.year),
            "definition": dashboard.definition(i.code, language)[0],
            "source": dashboard.definition(i.code, language)[1],
            "basis": i.basis,
            "as_of": i.as_of,
            "data_year": i.data_year,
            "data": dashboard.data_text(i, language),
            "value": i.value,
            "numerator": i.numerator,
            "denominator": i.denominator,
            "target": i.target,
            "met": i.met,
            "takeaway": dashboard.takeaway(i, language),
        }
        for i in indicators
    ]


@blp.get("/indicators")
@api_auth(*STAFF)
@blp.arguments(IndicatorQuery, location="query")
@blp.response(200, IndicatorReportOut)
@blp.doc(security=BEARER)
def get_indicators(query):
    """The plan's indicators of the province, a city or a county (a counselor's own by default)."""
    user = api_user()
    default = user.county_code if user.role == "counselor" else PROVINCE
    report = services.indicator_report(query["year"], query["county"] or default)
    return {
        "year": report.year,
        "area_code": report.area_code,
        "area_name": report.area_name,
        "indicators": _indicators(report.indicators),
        "breakdown": [
            {"area_code": code, "area_name": services.area_name(code), "indicators": _indicators(i)}
            for code, i in report.breakdown
        ],
        "lead_units": [
            {
                "employer_id": int(u.employer_id),
                "name": u.name,
                "county_code": u.county_code,
                "arranged": u.arranged,
                "employs": u.arranged is not None and u.arranged > 0,
            }
            for u in report.lead_units
        ],
    }


def _county(query) -> str:
    """The county a list is for: a counselor's own (another county is refused), an admin's choice."""
    user, county = api_user(), query["county"]
    if user.role == "counselor":
        if county and county != user.county_code:
            abort(403)
        return user.county_code
    if not divisions.is_county(county):
        abort(422, description={"county": [_("Choose a county-level division of Zhejiang.")]})
    return county


@blp.get("/hard-to-employ")
@api_auth(*STAFF)
@blp.arguments(AreaQuery, location="query")
@blp.response(200, HardToEmployOut(many=True))
@blp.doc(security=BEARER)
def list_hard_to_employ(query):
    """People of a county flagged hard to employ from the records."""
    return services.hard_to_employ(_county(query))


@blp.get("/zero-employment-households")
@api_auth(*STAFF)
@blp.arguments(AreaQuery, location="query")
@blp.response(200, HouseholdOut(many=True))
@blp.doc(security=BEARER)
def list_households(query):
    """A county's households whose working-age members with disabilities are all without work."""
    return services.zero_employment_households(_county(query))
