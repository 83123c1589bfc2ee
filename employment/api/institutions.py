"""Concentrated employment: welfare enterprises and blind-massage institutions, their months and
the tax-relief check, and its parameters."""

from datetime import date

from core.access import get_or_404
from core.auth import BEARER, api_auth, api_user
from employment import institutions
from employment.api.blueprint import STAFF, blp
from employment.models import Institution
from employment.schemas import (
    InstitutionIn,
    InstitutionOut,
    InstitutionQuery,
    MonthIn,
    MultipleIn,
    MultipleOut,
    ReliefOut,
    TierIn,
    YearQuery,
)


@blp.get("/institutions")
@api_auth(*STAFF)
@blp.arguments(InstitutionQuery, location="query")
@blp.response(200, InstitutionOut(many=True))
@blp.doc(security=BEARER)
def list_institutions(query):
    """The institutions the caller may see (a counselor: their county)."""
    return institutions.listing(api_user(), query["kind"])


@blp.post("/institutions")
@api_auth(*STAFF)
@blp.arguments(InstitutionIn)
@blp.response(201, InstitutionOut)
@blp.doc(security=BEARER)
def create_institution(data):
    """Register a welfare enterprise or a blind-massage institution."""
    return institutions.register(api_user(), data)


@blp.put("/institutions/<int:institution_id>/months")
@api_auth(*STAFF)
@blp.arguments(MonthIn)
@blp.response(200, ReliefOut)
@blp.doc(security=BEARER)
def put_month(data, institution_id):
    """Record or correct a month's headcounts; answers the year's check with that month."""
    institution = get_or_404(Institution, institution_id, api_user())
    row = institutions.record_month(api_user(), institution, data)
    return institutions.relief(institution, row.month.year)


@blp.get("/institutions/<int:institution_id>/relief")
@api_auth(*STAFF)
@blp.arguments(YearQuery, location="query")
@blp.response(200, ReliefOut)
@blp.doc(security=BEARER)
def get_relief(query, institution_id):
    """The tax-relief conditions month by month (财税〔2016〕52号): the months that fail and why."""
    institution = get_or_404(Institution, institution_id, api_user())
    return institutions.relief(institution, query["year"] or date.today().year)


@blp.put("/wage-tiers")
@api_auth("admin")
@blp.arguments(TierIn)
@blp.response(200, TierIn)
@blp.doc(security=BEARER)
def put_tier(data):
    """Set the minimum-wage tier a city assigned to a county."""
    row = institutions.set_tier(api_user(), data["county_code"], data["tier"])
    return {"county_code": row.county_code, "tier": row.tier}


@blp.put("/tax-relief-settings")
@api_auth("admin")
@blp.arguments(MultipleIn)
@blp.response(200, MultipleOut)
@blp.doc(security=BEARER)
def put_multiple(data):
    """Set a year's multiple of the minimum wage for the monthly refund limit."""
    row = institutions.set_multiple(
        api_user(), data["year"], data["refund_multiple"], data["source"]
    )
    return {"year": row.year, "refund_multiple": row.refund_multiple, "source": row.source}
