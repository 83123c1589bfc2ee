"""Regressions found by fuzzing the follow-up API (tests/integration/test_api_fuzz.py).

Each answered 500 (SQLite: Python int too large; PostgreSQL: integer out of range).
"""

import pytest

from core.extensions import db
from followup.models import Plan
from tests import factories

BEYOND = [2**31, 15319851745, 10**30, 0]


@pytest.fixture
def headers(api_headers, admin):
    return api_headers(admin)


@pytest.mark.parametrize("person_id", BEYOND)
def test_a_plan_for_a_person_id_beyond_the_integer_column_is_a_422(client, headers, person_id):
    response = client.post("/api/v1/plans", json={"person_id": person_id}, headers=headers)
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["person_id"]
    assert db.session.query(Plan).count() == 0


@pytest.mark.parametrize("counselor_id", BEYOND)
def test_a_counselor_id_beyond_the_integer_column_is_a_422(client, headers, counselor_id):
    person = factories.make_person()
    body = {"person_id": person.id, "counselor_id": counselor_id}
    response = client.post("/api/v1/plans", json=body, headers=headers)
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["counselor_id"]
    plan = client.post("/api/v1/plans", json={"person_id": person.id}, headers=headers)
    assert plan.status_code in (200, 201), plan.json
    response = client.patch(
        f"/api/v1/plans/{plan.json['id']}", json={"counselor_id": counselor_id}, headers=headers
    )
    assert response.status_code == 422
    assert list(response.json["errors"]) == ["counselor_id"]
