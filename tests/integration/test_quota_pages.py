"""Every quota page renders for the roles that may see it; the OpenAPI document lists the API."""

import pytest

from tests.integration.quota_helpers import YEAR, employer_account


@pytest.mark.parametrize(
    "path",
    [
        "/quota/admin",
        "/quota/admin/payments",
        "/quota/admin/flags",
        "/quota/conflicts",
        "/quota/filings",
        f"/quota/publication?year={YEAR}",
        "/quota/calculator?lang=en",
    ],
)
def test_admin_pages_render(client, auth, admin, path):
    auth.login(admin)
    response = client.get(path)
    assert response.status_code == 200
    assert response.get_data(as_text=True).count("<h1") == 1


def test_employer_pages_render(client, auth):
    employer, user = employer_account()
    auth.login(user)
    assert client.get("/quota/mine").status_code == 302
    for path in (
        f"/quota/employers/{employer.id}",
        f"/quota/filings/form/{YEAR}",
        f"/quota/filings/upload?year={YEAR}",
        f"/employers/{employer.id}",
    ):
        response = client.get(path)
        assert response.status_code in (200, 403), path
    assert client.get("/quota/admin").status_code == 403


def test_settings_form_and_openapi(client, auth, admin):
    auth.login(admin)
    response = client.post(
        "/quota/admin/settings",
        data={
            "data_year": "2025",
            "social_average_wage": "130000",
            "reward_per_excess_person": "5000",
            "window": "open",
        },
    )
    assert response.status_code == 302
    from quota.services.year_settings import effective_rule_set, window_is_open

    assert effective_rule_set(2025).reward_per_excess_person == 5000
    assert window_is_open(2025)
    spec = client.get("/api/openapi.json").json
    assert "/api/v1/quota/assess" in spec["paths"]
