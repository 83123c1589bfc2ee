"""#17 leftover: the certificates to verify through the API (a county counselor lists the pending
checks of the county and decides each once, with a reason; a second decision is 409)."""

from datetime import date

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import AuditEvent
from quota.models import CertificateCheck, QuotaClaim
from quota.schemas import FilingIn
from quota.services import filings as services
from tests import factories
from tests.integration.quota_helpers import employer_account, filing_data

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")
URL = "/api/v1/quota/certificate-checks"


def _pending(county="330106", certs=None):
    employer, user = employer_account(county=county)
    certs = certs or [factories.certificate_number(county="310101", birth=date(1988, 7, 9))]
    services.save_filing(employer, FilingIn().load({**filing_data(certs), "submit": True}))
    return employer, user


def test_a_counselor_lists_the_pending_checks_of_the_county_only(
    client, api_headers, counselor, other_counselor, admin
):
    here, here_user = _pending("330106")
    there, _ = _pending(other_counselor.county_code)
    listed = client.get(URL, headers=api_headers(counselor))
    assert listed.status_code == 200
    body = listed.json
    assert [c["employer_id"] for c in body["checks"]] == [here.id] and body["total"] == 1
    check = body["checks"][0]
    assert check["status"] == "to_verify" and check["issuing_area"] == "310101"
    assert check["cert_masked"].startswith("310101") and "*" in check["cert_masked"]
    assert check["has_evidence"] is False and check["employer"] == here.name
    assert client.get(URL, headers=api_headers(admin)).json["total"] == 2
    own = client.get(URL, headers=api_headers(here_user)).json
    assert [c["employer_id"] for c in own["checks"]] == [here.id]
    assert client.get(URL + "?status=confirmed", headers=api_headers(counselor)).json["total"] == 0
    bad = client.get(URL + "?status=done", headers=api_headers(counselor))
    assert bad.status_code == 422 and "status" in bad.json["errors"]


def test_a_decision_is_taken_once_with_its_reason(client, api_headers, counselor):
    employer, user = _pending()
    check = db.session.scalar(select(CertificateCheck))
    url = f"{URL}/{check.id}/decision"
    missing = client.post(url, json={"decision": "confirm"}, headers=api_headers(counselor))
    assert missing.status_code == 422 and missing.json["errors"]["reason"] == ["此项为必填项。"]
    unknown = client.post(
        url, json={"decision": "maybe", "reason": "x"}, headers=api_headers(counselor)
    )
    assert unknown.status_code == 422 and "decision" in unknown.json["errors"]
    assert (
        client.post(
            url, json={"decision": "confirm", "reason": "x"}, headers=api_headers(user)
        ).status_code
        == 403
    )  # the employer attaches evidence; staff decide
    decided = client.post(
        url,
        json={"decision": "confirm", "reason": "核对原件，证件有效"},
        headers=api_headers(counselor),
    )
    assert decided.status_code == 200, decided.json
    assert decided.json["status"] == "confirmed" and decided.json["reason"] == "核对原件，证件有效"
    assert decided.json["decided_at"]
    again = client.post(
        url, json={"decision": "reject", "reason": "重复"}, headers=api_headers(counselor)
    )
    assert again.status_code == 409 and "status" in again.json["errors"]
    db.session.expire_all()
    assert db.session.get(CertificateCheck, check.id).status == "confirmed"
    assert {c.verdict for c in db.session.scalars(select(QuotaClaim))} == {"accepted"}
    assert db.session.scalar(
        select(AuditEvent).where(AuditEvent.action == "decide_certificate")
    ).row_id == str(check.id)


def test_a_rejection_through_the_api_rejects_the_claim(client, api_headers, counselor):
    _pending()
    check = db.session.scalar(select(CertificateCheck))
    response = client.post(
        f"{URL}/{check.id}/decision",
        json={"decision": "reject", "reason": "发证机关答复：无此证"},
        headers=api_headers(counselor),
    )
    assert response.status_code == 200 and response.json["status"] == "rejected"
    db.session.expire_all()
    assert {c.verdict for c in db.session.scalars(select(QuotaClaim))} == {"rejected"}


def test_a_counselor_of_another_county_gets_404_and_nothing_changes(
    client, api_headers, other_counselor
):
    _pending("330106")
    check = db.session.scalar(select(CertificateCheck))
    response = client.post(
        f"{URL}/{check.id}/decision",
        json={"decision": "confirm", "reason": "ok"},
        headers=api_headers(other_counselor),
    )
    assert response.status_code == 404
    assert db.session.get(CertificateCheck, check.id).status == "to_verify"


def test_the_endpoints_are_documented(client):
    spec = client.get("/api/openapi.json").json
    listing = spec["paths"]["/api/v1/quota/certificate-checks"]["get"]
    decision = spec["paths"]["/api/v1/quota/certificate-checks/{check_id}/decision"]["post"]
    assert {"200"} <= set(listing["responses"]) and {"200", "409"} <= set(decision["responses"])
    assert "CheckDecisionIn" in spec["components"]["schemas"]
    assert {"decision", "reason"} <= set(
        spec["components"]["schemas"]["CheckDecisionIn"]["required"]
    )
