"""Regressions found by fuzzing the quota API (tests/integration/test_api_fuzz.py).

Each answered 500 (mostly on PostgreSQL), could not be fuzzed at all, or did not match its
documented schema.
"""

import pytest
from sqlalchemy import func, select

from core.extensions import db
from quota.models import LevyPayment, QuotaFiling, QuotaReviewRun
from tests.integration.quota_helpers import YEAR, employer_account, filing_data

NUL = "达标\x00公司"


pytestmark = pytest.mark.usefixtures("open_filing_window")


@pytest.fixture
def headers(api_headers, admin):
    return api_headers(admin)


@pytest.fixture
def spec(client):
    return client.get("/api/openapi.json").json


def test_decimal_inputs_are_documented_with_numeric_bounds(spec):
    """apispec documented the Range of a Decimal field through the field, as strings
    ("minimum": "0"): not a valid JSON Schema, so no case of /assess or /filings could be made."""
    schemas = spec["components"]["schemas"]
    headcount = schemas["AssessIn"]["properties"]["headcount"]
    assert headcount["type"] == "number"
    assert headcount["minimum"] == 0 and headcount["exclusiveMinimum"] is True
    assert isinstance(headcount["maximum"], int)
    wage_total = schemas["FilingIn"]["properties"]["wage_total"]
    assert (wage_total["type"], wage_total["minimum"]) == ("number", 0)
    month = schemas["FilingIn"]["properties"]["monthly_headcounts"]["items"]
    assert (month["type"], month["minimum"]) == ("number", 0)


def test_decimal_bounds_are_still_checked(client, api_headers):
    """The bounds moved out of apispec's sight, not out of the code; a wage total beyond
    NUMERIC(18, 2) was stored as is and answered 500 on PostgreSQL."""
    assess = {"year": YEAR, "unit_type": "enterprise", "headcount": 0, "wage_total": 1}
    response = client.post("/api/v1/quota/assess", json=assess)
    assert response.status_code == 422 and list(response.json["errors"]) == ["headcount"]
    response = client.post("/api/v1/quota/assess", json={**assess, "headcount": "-1"})
    assert response.status_code == 422 and "headcount" in response.json["errors"]
    _employer, user = employer_account()
    headers = api_headers(user)
    for body, field in (
        (filing_data(wage_total="1e30"), "wage_total"),
        (filing_data(wage_total="-5"), "wage_total"),
        (filing_data(headcount="1e20"), "monthly_headcounts"),
        ({**filing_data(), "version": 2**40}, "version"),
    ):
        response = client.post("/api/v1/quota/filings", json=body, headers=headers)
        assert response.status_code == 422, (body, response.json)
        assert field in response.json["errors"]
    assert db.session.scalar(select(func.count()).select_from(QuotaFiling)) == 0
    assert (
        client.post("/api/v1/quota/filings", json=filing_data(), headers=headers).status_code == 200
    )


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/quota/conflicts",
        "/api/v1/quota/conflicts/resolve",
        "/api/v1/quota/publication/{year}",
        "/api/v1/quota/flags",
        "/api/v1/quota/employers/{employer_id}/summary",
        "/api/v1/quota/payments/import",
    ],
)
def test_plain_dictionary_answers_are_documented(spec, path):
    """Without a documented 200 answer, the body was checked against the error schema."""
    (operation,) = [v for k, v in spec["paths"][path].items() if k != "parameters"]
    content = operation["responses"]["200"]["content"]["application/json"]
    assert content["schema"]["$ref"].startswith("#/components/schemas/")


def test_documented_answers_match(client, headers):
    conflicts = client.get("/api/v1/quota/conflicts", headers=headers)
    assert conflicts.status_code == 200 and conflicts.json == {"conflicts": []}
    flags = client.get("/api/v1/quota/flags", headers=headers)
    assert flags.status_code == 200 and flags.json["format"] == "zjdes-credit-flags/1"
    csv = client.get("/api/v1/quota/flags", query_string={"format": "csv"}, headers=headers)
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    bad = client.get("/api/v1/quota/flags", query_string={"format": "xml"}, headers=headers)
    assert bad.status_code == 422 and "format" in bad.json["errors"]
    publication = client.get(f"/api/v1/quota/publication/{YEAR}").json
    assert set(publication) == {
        "data_year",
        "met_quota",
        "unpaid_published",
        "payment_deadline",
        "unpaid_levy",
        "not_filed_published",
        "filing_deadline",
        "not_filed",
    }


@pytest.mark.parametrize("winner", [2**31, 546564038485786385973248, 0])
def test_resolving_a_claim_id_beyond_the_integer_column_is_a_422(client, headers, winner):
    """A winner_claim_id beyond INTEGER answered 500 (SQLite: overflow; PostgreSQL: out of range)."""
    response = client.post(
        "/api/v1/quota/conflicts/resolve", json={"winner_claim_id": winner}, headers=headers
    )
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["winner_claim_id"]


def test_resolving_with_extra_keys_ignores_them(client, headers):
    body = {"winner_claim_id": 5, "\ud800x": "a", "": {}, "note": "ok"}
    response = client.post("/api/v1/quota/conflicts/resolve", json=body, headers=headers)
    assert response.status_code == 404
    assert list(response.json["errors"]) == ["winner_claim_id"]


def test_publication_of_a_far_year_is_not_found(client):
    """The deadline of year 9999 and later is beyond the calendar (date(10000, 12, 31)): 500."""
    assert client.get("/api/v1/quota/publication/384").status_code == 404
    response = client.get("/api/v1/quota/publication/99999")
    assert response.status_code == 404 and "errors" in response.json
    assert client.get("/quota/publication?year=99999").status_code == 404
    assert client.get("/quota/publication/99999.csv").status_code == 404
    assert client.get("/quota/publication/99999.xlsx").status_code == 404


def test_publication_search_with_a_nul_character(client):
    """PostgreSQL refuses NUL in a query: the web search answered 500, the API now 422s."""
    response = client.get(f"/api/v1/quota/publication/{YEAR}", query_string={"q": NUL})
    assert response.status_code == 422 and "q" in response.json["errors"]
    page = client.get("/quota/publication", query_string={"year": YEAR, "q": NUL})
    assert page.status_code == 200


def test_payments_of_a_far_year_are_refused(client, headers):
    """A data year beyond the calendar made the deadline date overflow: 500."""
    employer, _user = employer_account()
    body = (
        "credit_code,data_year,amount,paid_on,voucher_no\n"
        f"{employer.credit_code},99999,100.00,2024-01-10,V0001\n"
    )
    response = client.post("/api/v1/quota/payments/import", data=body, headers=headers)
    assert response.status_code == 422 and "row 2" in response.json["errors"]
    assert db.session.scalar(select(func.count()).select_from(LevyPayment)) == 0


def test_review_runs_queue_and_read_back(client, headers):
    """Reported as a 500 by the fuzz run whose failed transaction leaked into later cases."""
    response = client.post("/api/v1/quota/reviews", json={"year": 2015}, headers=headers)
    assert response.status_code == 202, response.json
    run_id = response.json["id"]
    assert db.session.get(QuotaReviewRun, run_id).status == "queued"
    got = client.get(f"/api/v1/quota/reviews/{run_id}", headers=headers)
    assert got.status_code == 200 and got.json["data_year"] == 2015
    for missing in (run_id + 1, 2**31, 2**63):
        assert client.get(f"/api/v1/quota/reviews/{missing}", headers=headers).status_code == 404


def test_a_nul_character_in_the_filings_search_is_a_422(client, headers):
    """A query string is not a dict: BaseSchema let ?q= with NUL through to PostgreSQL (500)."""
    response = client.get("/api/v1/quota/filings", query_string={"q": NUL}, headers=headers)
    assert response.status_code == 422 and "q" in response.json["errors"]
