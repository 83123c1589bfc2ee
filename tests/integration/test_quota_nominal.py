"""Nominal hires (挂名): recorded by a counselor, survive amendments, raise credit flags, withdrawn."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import AuditEvent
from quota.models import CreditFlag, NominalHireFinding, QuotaAssessment, QuotaClaim
from quota.schemas import FilingIn
from quota.services import filings as services
from quota.services import payments
from quota.services.review import run_review
from tests.integration.quota_helpers import YEAR, claimable, employer_account, filing_data

TODAY = date(2023, 8, 1)  # before any payment deadline: only conduct flags


pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")


@pytest.fixture
def reviewed():
    """An employer (N = 100) with three level-3 employees claimed, reviewed: D = 3, no levy."""
    employer, user = employer_account()
    certs = [claimable(), claimable(), claimable()]
    filing = services.save_filing(employer, FilingIn().load({**filing_data(certs), "submit": True}))
    run_review(YEAR)
    return employer, user, filing, certs


def current(employer) -> QuotaAssessment:
    return db.session.scalar(
        select(QuotaAssessment).where(
            QuotaAssessment.employer_id == employer.id, QuotaAssessment.current.is_(True)
        )
    )


def claim_ids(filing_id) -> list[int]:
    return list(
        db.session.scalars(
            select(QuotaClaim.id).where(QuotaClaim.filing_id == filing_id).order_by(QuotaClaim.id)
        )
    )


def flags(employer) -> set[tuple[str, str]]:
    return {
        (f.code, f.grade)
        for f in db.session.scalars(
            select(CreditFlag).where(
                CreditFlag.employer_id == employer.id, CreditFlag.lifted_at.is_(None)
            )
        )
    }


def test_counselor_records_and_withdraws_on_the_filing_page(client, auth, counselor, reviewed):
    employer, _user, filing, _certs = reviewed
    first, second, _third = claim_ids(filing.id)
    auth.login(counselor)
    page = client.get(f"/quota/filings/{filing.id}?lang=en").get_data(as_text=True)
    assert 'id="nominal-hires"' in page and f'<option value="{first}">' in page
    url = f"/quota/filings/{filing.id}/nominal-hires"
    response = client.post(url, data={"claim_id": first, "note": "2023-07 走访：本人在外地务工"})
    assert response.status_code == 302
    db.session.expire_all()
    claim = db.session.get(QuotaClaim, first)
    assert (claim.verdict, claim.reason) == ("rejected", "nominal_hire")
    assert current(employer).arranged == Decimal("2.0000")  # reassessed at once
    assert payments.evaluate_flags(YEAR, today=TODAY)["raised"] == 1
    assert flags(employer) == {("nominal_hire", "general")}

    client.post(url, data={"claim_id": second, "note": "未参加社保、无考勤记录"})
    payments.evaluate_flags(YEAR, today=TODAY)
    assert flags(employer) == {("nominal_hires", "serious")}

    finding = db.session.scalar(
        select(NominalHireFinding).where(NominalHireFinding.note.contains("走访"))
    )
    withdraw = f"/quota/filings/{filing.id}/nominal-hires/{finding.id}/withdraw"
    assert client.post(withdraw, data={"reason": ""}).status_code == 302  # refused: no reason
    db.session.expire_all()
    assert db.session.get(NominalHireFinding, finding.id).withdrawn_at is None
    client.post(withdraw, data={"reason": "复核：本人确在岗"})
    db.session.expire_all()
    assert db.session.get(QuotaClaim, first).verdict == "accepted"
    assert current(employer).arranged == Decimal("2.0000")  # 3 claimed, one still nominal
    payments.evaluate_flags(YEAR, today=TODAY)
    assert flags(employer) == {("nominal_hire", "general")}
    actions = set(
        db.session.scalars(
            select(AuditEvent.action).where(AuditEvent.table_name == "quota_nominal_hire")
        )
    )
    assert actions == {"create", "withdraw"}


def test_an_amendment_does_not_clear_the_finding(client, api_headers, counselor, reviewed):
    employer, _user, filing, certs = reviewed
    first = claim_ids(filing.id)[0]
    response = client.post(
        "/api/v1/quota/nominal-hires",
        json={"claim_id": first, "note": "现场核查无此人"},
        headers=api_headers(counselor),
    )
    assert response.status_code == 201 and response.json["cert_masked"].startswith("3301")
    filing = services.filing_for(employer.id, YEAR)
    amended = FilingIn().load(
        {
            **filing_data(certs),
            "submit": True,
            "reason": "更正工资总额",
            "version": filing.version,
        }
    )
    services.save_filing(employer, amended)
    run_review(YEAR)
    reasons = [
        c.reason
        for c in db.session.scalars(select(QuotaClaim).where(QuotaClaim.filing_id == filing.id))
    ]
    assert reasons.count("nominal_hire") == 1 and current(employer).arranged == Decimal("2.0000")


def test_only_staff_of_the_county_may_record(client, auth, api_headers, other_counselor, reviewed):
    employer, user, filing, _certs = reviewed
    first = claim_ids(filing.id)[0]
    body = {"claim_id": first, "note": "x"}
    assert (
        client.post("/api/v1/quota/nominal-hires", json=body, headers=api_headers(user)).status_code
        == 403
    )
    far = client.post(
        "/api/v1/quota/nominal-hires", json=body, headers=api_headers(other_counselor)
    )
    assert far.status_code == 404
    auth.login(user)
    assert client.post(f"/quota/filings/{filing.id}/nominal-hires", data=body).status_code == 403
    page = client.get(f"/quota/filings/{filing.id}").get_data(as_text=True)
    assert 'id="nominal-hires"' not in page
    assert db.session.scalar(select(NominalHireFinding)) is None


def test_the_note_is_required_and_a_second_finding_is_refused(
    client, api_headers, counselor, reviewed
):
    _employer, _user, filing, _certs = reviewed
    first = claim_ids(filing.id)[0]
    headers = api_headers(counselor)
    empty = client.post(
        "/api/v1/quota/nominal-hires", json={"claim_id": first, "note": ""}, headers=headers
    )
    assert empty.status_code == 422 and "note" in empty.json["errors"]
    body = {"claim_id": first, "note": "无考勤"}
    assert client.post("/api/v1/quota/nominal-hires", json=body, headers=headers).status_code == 201
    again = client.post("/api/v1/quota/nominal-hires", json=body, headers=headers)
    assert again.status_code == 409 and "claim_id" in again.json["errors"]
