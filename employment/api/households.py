"""Household members without a registered disability, and the entered disposable income."""

from core.access import get_or_404
from core.auth import BEARER, api_auth, api_user
from employment import households
from employment.api.blueprint import STAFF, blp, call_service
from employment.models import HouseholdRelative
from employment.schemas import (
    HouseholdQuery,
    IncomeIn,
    IncomeOut,
    RelativeIn,
    RelativeOut,
    RelativeUpdate,
)


@blp.get("/household-relatives")
@api_auth(*STAFF)
@blp.arguments(HouseholdQuery, location="query")
@blp.response(200, RelativeOut(many=True))
@blp.doc(security=BEARER)
def list_relatives(query):
    """A household's members without a registered disability (the household must be visible)."""
    return call_service(households.relatives, api_user(), query["household_id"])


@blp.post("/household-relatives")
@api_auth(*STAFF)
@blp.arguments(RelativeIn)
@blp.response(201, RelativeOut)
@blp.doc(security=BEARER)
def create_relative(data):
    """Record a member without a registered disability: they count for 零就业家庭 too."""
    return call_service(households.add_relative, api_user(), data)


@blp.patch("/household-relatives/<int:relative_id>")
@api_auth(*STAFF)
@blp.arguments(RelativeUpdate(partial=True))
@blp.response(200, RelativeOut)
@blp.doc(security=BEARER)
def patch_relative(data, relative_id):
    """Change a member's facts, such as having found work (audited)."""
    relative = get_or_404(HouseholdRelative, relative_id, api_user())
    return call_service(households.update_relative, api_user(), relative, data)


@blp.delete("/household-relatives/<int:relative_id>")
@api_auth(*STAFF)
@blp.response(204)
@blp.doc(security=BEARER)
def delete_relative(relative_id):
    """Remove a member recorded by mistake or who left the household (audited)."""
    relative = get_or_404(HouseholdRelative, relative_id, api_user())
    households.remove_relative(api_user(), relative)


@blp.get("/household-income")
@api_auth(*STAFF)
@blp.response(200, IncomeOut(many=True))
@blp.doc(security=BEARER)
def list_income():
    """The entered per-capita disposable income figures, newest year first."""
    return households.incomes()


@blp.put("/household-income")
@api_auth("admin")
@blp.arguments(IncomeIn)
@blp.response(200, IncomeOut)
@blp.doc(security=BEARER)
def put_income(data):
    """Enter or correct a year's figure of an area, with its statistical source."""
    return call_service(households.set_income, api_user(), data)
