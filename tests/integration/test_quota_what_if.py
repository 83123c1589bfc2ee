"""The what-if simulator: any number of hires, each with its level and months."""

from decimal import Decimal

import pytest

from quota.services import dues, overview
from tests.integration.quota_helpers import YEAR, employer_account
from tests.integration.quota_year_helpers import assess_year, levied_employer

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")


def test_simulate_counts_levels_and_months(app):
    employer, _ = levied_employer()
    assess_year()
    assessment = dues.current_assessment(employer.id, YEAR)
    assert assessment.levy == Decimal("108000.00")  # N 100, D 0: 1.5 x 80,000 x 0.9
    one_severe = overview.simulate(assessment, [(1, 12)])  # level 1 counts 2: D/N 2% > 1.5%
    assert one_severe["levy"] == Decimal("0.00") and one_severe["saving"] == Decimal("108000.00")
    half_year = overview.simulate(assessment, [(4, 6)])  # D 0.5: shortfall 1, D/N 0.5%: x 0.9
    assert half_year["arranged"] == Decimal("0.5") and half_year["levy"] == Decimal("72000.00")
    mixed = overview.simulate(assessment, [(3, 12), (4, 6)])  # D 1.5: none due
    assert mixed["shortfall"] == 0 and mixed["levy"] == Decimal("0.00")


def test_simulator_page_and_api(client, auth, api_headers):
    employer, user = levied_employer()
    assess_year()
    auth.login(user)
    url = f"/quota/employers/{employer.id}/what-if/{YEAR}"
    page = client.get(url)
    assert page.status_code == 200 and 'name="h-2-level"' in page.get_data(as_text=True)
    more = client.get(url, query_string={"rows": "3", "action": "more"}).get_data(as_text=True)
    assert 'name="h-5-level"' in more and 'name="h-6-level"' not in more
    query = {"h-0-level": "4", "h-0-months": "6", "h-1-level": "3", "h-1-months": "12"}
    text = client.get(url, query_string=query).get_data(as_text=True)
    assert "108,000.00" in text and "<strong>0.00</strong>" in text  # levy with the hires
    bad = client.get(url, query_string={"h-0-level": "5"})
    assert bad.status_code == 422 and 'href="#field-h-0-level"' in bad.get_data(as_text=True)
    body = {"data_year": YEAR, "hires": [{"level": 4, "months": 6}]}
    api = client.post(
        f"/api/v1/quota/employers/{employer.id}/what-if", json=body, headers=api_headers(user)
    )
    assert api.status_code == 200 and api.json["levy"] == "72000.00"
    too_many = {"data_year": YEAR, "hires": [{"level": 4, "months": 1}] * 51}
    refused = client.post(
        f"/api/v1/quota/employers/{employer.id}/what-if", json=too_many, headers=api_headers(user)
    )
    assert refused.status_code == 422
    other, other_user = employer_account(name="戊公司")
    auth.login(other_user)
    assert client.get(url).status_code == 404
