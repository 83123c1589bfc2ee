"""Regressions found by fuzzing the employment API (tests/integration/test_api_fuzz.py).

Each answered 500 (mostly on PostgreSQL) or did not match its documented schema.
"""

import io

import pytest

from core.extensions import db
from employment.models import RecognitionApplication
from tests import factories

NUL = "在淘宝开设网店\x00，月均销售额约3200元。"
SURROGATE = "在淘宝开设网店\ud800，月均销售额约3200元。"
INVALID = "请删除文本中的无效字符。"
PDF = b"%PDF-1.4\n%test\n"


@pytest.fixture(autouse=True)
def upload_dir(app, tmp_path):
    app.config["EMPLOYMENT_UPLOAD_DIR"] = str(tmp_path)
    yield tmp_path
    app.config.pop("EMPLOYMENT_UPLOAD_DIR", None)


@pytest.fixture
def headers(api_headers, admin):
    return api_headers(admin)


def _apply(client, headers, person_id, text="在淘宝开设网店，近六个月月均销售额约3200元。"):
    body = {
        "person_id": person_id,
        "kind": "flexible",
        "work_started_on": "2025-03-01",
        "evidence_text": text,
    }
    return client.post("/api/v1/recognitions", json=body, headers=headers)


def test_indicator_decimals_are_documented_as_the_strings_they_are(client, headers):
    """value, numerator and target are answered as exact decimal strings; the schema said number."""
    factories.make_person()
    spec = client.get("/api/openapi.json").json
    properties = spec["components"]["schemas"]["IndicatorOut"]["properties"]
    for name in ("value", "numerator", "target"):
        assert (properties[name]["type"], properties[name]["format"]) == ("string", "decimal")
    assert properties["value"]["nullable"] is True
    rate = client.get("/api/v1/indicators?county=330106", headers=headers).json["indicators"][0]
    assert isinstance(rate["numerator"], str) and isinstance(rate["target"], str)


def test_a_person_id_beyond_the_integer_column_is_a_422(client, headers):
    """2**63 and more answered 500 (SQLite cannot bind it; PostgreSQL compares it as numeric)."""
    for person_id in (2**31, 2**63 + 5):
        response = _apply(client, headers, person_id)
        assert response.status_code == 422
        assert list(response.json["errors"]) == ["person_id"]


@pytest.mark.parametrize("text", [NUL, SURROGATE])
def test_text_the_database_cannot_store_is_a_422_on_its_field(client, headers, text):
    person = factories.make_person()
    response = _apply(client, headers, person.id, text)
    assert response.status_code == 422 and response.json["errors"] == {"evidence_text": [INVALID]}
    application = _apply(client, headers, person.id).json
    url = f"/api/v1/recognitions/{application['id']}/reject"
    response = client.post(url, json={"reason": text}, headers=headers)
    assert response.status_code == 422 and response.json["errors"] == {"reason": [INVALID]}
    assert db.session.get(RecognitionApplication, application["id"]).status == "pending"


def test_a_county_with_a_trailing_new_line_is_refused(client, headers):
    """The pattern's "$" also matched before a final new line, so "330106\\n" passed as a county."""
    for url in ("/api/v1/indicators", "/api/v1/hard-to-employ"):
        response = client.get(url, query_string={"county": "330106\n"}, headers=headers)
        assert response.status_code == 422, url
        assert response.json["errors"] == {"county": ["请输入浙江省的6位行政区划代码。"]}, url
    spec = client.get("/api/openapi.json").json
    county = next(
        p for p in spec["paths"]["/api/v1/indicators"]["get"]["parameters"] if p["name"] == "county"
    )
    assert (county["schema"]["minLength"], county["schema"]["maxLength"]) == (6, 6)


def test_an_evidence_file_name_with_a_nul_is_stored_without_it(client, headers, upload_dir):
    """The uploaded name is kept for display: a NUL in it answered 500 on PostgreSQL."""
    person = factories.make_person()
    application = _apply(client, headers, person.id).json
    response = client.put(
        f"/api/v1/recognitions/{application['id']}/evidence",
        data={"evidence_file": (io.BytesIO(PDF), "收入\x00证明.pdf")},
        content_type="multipart/form-data",
        headers=headers,
    )
    assert response.status_code == 200, response.json
    assert response.json["evidence_filename"] == "收入证明.pdf"
    assert response.json["has_evidence_file"] is True


def test_the_web_list_of_applications_survives_a_huge_page(client, auth, admin):
    """?page= beyond the database's integer OFFSET answered 500; now a 400 naming the page."""
    auth.login(admin)
    response = client.get("/employment/recognitions?page=99999999999999999999")
    assert response.status_code == 400
