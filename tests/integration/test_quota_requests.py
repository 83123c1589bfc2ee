"""Requests after the assessment: relief and deferral, review requests, rewards; evidence; decisions."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import AuditEvent
from quota.models import CreditFlag, LevyPayment, QuotaClaim, QuotaEvidence, QuotaRequest
from quota.rules.requests import EVIDENCE_MAX_BYTES
from quota.services import documents, payments
from quota.services.year_settings import payment_deadline
from tests.integration.quota_helpers import YEAR, claimable, employer_account
from tests.integration.quota_year_helpers import (
    assess_year,
    levied_employer,
    over_quota_employer,
    pdf_text,
    set_terms,
    submit,
)

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")
PDF = b"%PDF-1.4 evidence of the flood damage"


def _count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def _apply_relief(client, **fields):
    data = {
        "kind": "relief",
        "data_year": str(YEAR),
        "reason": "7月台风致厂房受损，直接经济损失重大",
        **fields,
    }
    return client.post(
        "/quota/requests/new?kind=relief", data=data, content_type="multipart/form-data"
    )


def test_relief_by_web_form_with_evidence_then_decided_once(client, auth, admin):
    employer, user = levied_employer()
    assess_year()
    set_terms()
    auth.login(user)
    bad = _apply_relief(client, amount="40000", evidence=(io.BytesIO(b"MZ\x90"), "setup.exe"))
    assert bad.status_code == 415 and _count(QuotaRequest) == 0  # nothing half-written
    too_much = _apply_relief(client, amount="200000")
    assert too_much.status_code == 422 and "108,000.00" in too_much.get_data(as_text=True)
    big = io.BytesIO(PDF + b"0" * EVIDENCE_MAX_BYTES)
    assert _apply_relief(client, amount="40000", evidence=(big, "big.pdf")).status_code == 413
    done = _apply_relief(client, amount="40000", evidence=(io.BytesIO(PDF), "损失证明.pdf"))
    assert done.status_code == 302
    item = db.session.scalar(select(QuotaRequest))
    assert (item.status, item.amount_requested) == ("pending", Decimal("40000.00"))
    page = client.get(done.headers["Location"]).get_data(as_text=True)
    assert "损失证明.pdf" in page and "7月台风" in page
    evidence = db.session.scalar(select(QuotaEvidence))
    file = client.get(f"/quota/requests/{item.id}/evidence/{evidence.id}")
    assert file.data == PDF and file.headers["X-Content-Type-Options"] == "nosniff"
    again = _apply_relief(client, amount="1000")
    assert again.status_code == 409  # one pending request of a kind at a time

    auth.logout()
    auth.login(admin)
    no_reason = client.post(
        f"/quota/requests/{item.id}/decision", data={"outcome": "partly", "amount": "30000"}
    )
    assert no_reason.status_code == 422
    decided = client.post(
        f"/quota/requests/{item.id}/decision",
        data={"outcome": "partly", "amount": "30000", "reason": "核定损失后部分减免"},
    )
    assert decided.status_code == 302
    second = client.post(
        f"/quota/requests/{item.id}/decision", data={"outcome": "refuse", "reason": "重复"}
    )
    assert second.status_code == 303  # decided already: the page says so, nothing changes
    db.session.expire_all()
    item = db.session.get(QuotaRequest, item.id)
    assert (item.status, item.amount_granted) == ("partly_approved", Decimal("30000.00"))
    balance = payments.balance(employer.id, YEAR)
    assert balance["amount_due"] == Decimal("78000.00") and balance["outstanding"] == Decimal(
        "78000.00"
    )
    notice = documents.issue("payment_notice", employer, YEAR)
    text = pdf_text(documents.render_pdf(notice))
    assert "30,000.00" in text and "78,000.00" in text  # the notice follows the decision

    auth.logout()
    auth.login(user)
    page = client.get(f"/quota/requests/{item.id}").get_data(as_text=True)
    assert "核定损失后部分减免" in page  # the employer sees the decision and its reason
    actions = db.session.scalars(
        select(AuditEvent.action)
        .where(AuditEvent.table_name == "quota_request")
        .order_by(AuditEvent.id)
    ).all()
    assert actions == ["apply", "upload", "decide"]


def test_second_decision_by_api_answers_409(client, api_headers, admin):
    employer, user = levied_employer()
    assess_year()
    response = client.post(
        "/api/v1/quota/requests",
        json={"kind": "relief", "data_year": YEAR, "reason": "火灾", "amount": "108000"},
        headers=api_headers(user),
    )
    assert response.status_code == 201, response.json
    url = f"/api/v1/quota/requests/{response.json['id']}"
    files = {"evidence": (io.BytesIO(b"\x89PNG\r\n\x1a\nphoto"), "photo.png")}
    added = client.post(url + "/evidence", data=files, headers=api_headers(user))
    assert added.status_code == 200 and added.json["evidence"][0]["content_type"] == "image/png"
    first = client.post(url + "/decision", json={"outcome": "approve"}, headers=api_headers(admin))
    assert first.status_code == 200 and first.json["amount_granted"] == "108000.00"
    second = client.post(
        url + "/decision", json={"outcome": "refuse", "reason": "x"}, headers=api_headers(admin)
    )
    assert second.status_code == 409 and "status" in second.json["errors"]
    assert payments.balance(employer.id, YEAR)["amount_due"] == 0
    other, other_user = employer_account(name="丁公司")
    assert client.get(url, headers=api_headers(other_user)).status_code == 404


def test_deferral_moves_the_deadline_late_fees_and_flags(client, api_headers, admin):
    employer, user = levied_employer()
    assess_year()
    standard = payment_deadline(YEAR)
    later = standard + timedelta(days=90)
    response = client.post(
        "/api/v1/quota/requests",
        json={
            "kind": "deferral",
            "data_year": YEAR,
            "reason": "疫情停产",
            "deadline": later.isoformat(),
        },
        headers=api_headers(user),
    )
    url = f"/api/v1/quota/requests/{response.json['id']}/decision"
    middle = standard + timedelta(days=30)
    bad = client.post(
        url,
        json={"outcome": "partly", "reason": "部分", "deadline": later.isoformat()},
        headers=api_headers(admin),
    )
    assert bad.status_code == 422 and "deadline" in bad.json["errors"]
    client.post(
        url,
        json={"outcome": "partly", "reason": "缓缴30日", "deadline": middle.isoformat()},
        headers=api_headers(admin),
    )
    assert payments.balance(employer.id, YEAR)["due"] == middle
    paid_on = standard + timedelta(days=10)  # late by the standard deadline, on time by the new one
    body = f"credit_code,data_year,amount,paid_on,voucher_no\n{employer.credit_code},{YEAR},1000.00,{paid_on},V1\n"
    payments.import_payments(body)
    assert db.session.scalar(select(LevyPayment.late_fee)) == 0
    payments.evaluate_flags(YEAR, today=middle)  # not overdue yet: no flag
    open_flags = select(CreditFlag.code).where(CreditFlag.lifted_at.is_(None))
    assert db.session.scalars(open_flags).all() == []
    payments.evaluate_flags(YEAR, today=middle + timedelta(days=1))  # late: fees run, no flag
    assert db.session.scalars(open_flags).all() == []
    a_year_later = middle.replace(year=middle.year + 1) + timedelta(days=1)
    payments.evaluate_flags(YEAR, today=a_year_later)  # unpaid a full year after the new deadline
    assert db.session.scalars(open_flags).all() == ["levy_unpaid"]


def test_review_of_a_rejected_claim_upheld_reassesses(client, api_headers, admin):
    employer, user = employer_account()
    # paid below the minimum wage by the employer's own declaration: the claim is not counted
    employees = [{"certificate_no": claimable(), "months": 12, "min_wage": False}]
    submit(employer, employees=employees)
    assess_year()
    set_terms()
    claim = db.session.scalar(select(QuotaClaim))
    assert claim.verdict == "rejected"
    before = documents.issue("assessment_notice", employer, YEAR)
    response = client.post(
        "/api/v1/quota/requests",
        json={
            "kind": "review",
            "data_year": YEAR,
            "subject": "claim",
            "claim_id": claim.id,
            "reason": "该职工已于今年办证，附残疾人证复印件",
        },
        headers=api_headers(user),
    )
    assert response.status_code == 201, response.json
    url = f"/api/v1/quota/requests/{response.json['id']}/decision"
    upheld = client.post(
        url,
        json={"outcome": "approve", "reason": "核实残疾人证有效，予以认定"},
        headers=api_headers(admin),
    )
    assert upheld.status_code == 200, upheld.json
    db.session.expire_all()
    assert db.session.get(QuotaClaim, claim.id).verdict == "accepted"
    after = documents.issue("assessment_notice", employer, YEAR)
    assert after.id != before.id and Decimal(after.figures["levy"]) < Decimal(
        before.figures["levy"]
    )


def _unpaid_levy_flag(employer) -> CreditFlag:
    flag = CreditFlag(
        employer_id=employer.id,
        data_year=YEAR,
        grade="general",
        code="unpaid_levy",
        reason_zh="逾期未缴",
        reason_en="unpaid",
    )
    db.session.add(flag)
    db.session.commit()
    return flag


def test_review_of_a_flag_upheld_lifts_it_and_the_period_is_enforced(client, api_headers, admin):
    employer, user = levied_employer()
    assess_year()
    set_terms(review_request_days=30)
    flag = _unpaid_levy_flag(employer)
    body = {
        "kind": "review",
        "data_year": YEAR,
        "subject": "flag",
        "flag_id": flag.id,
        "reason": "已按期缴纳，附缴款凭证",
    }
    notice = documents.issue("assessment_notice", employer, YEAR)
    notice.issued_at = notice.issued_at - timedelta(days=31)
    db.session.commit()
    late = client.post("/api/v1/quota/requests", json=body, headers=api_headers(user))
    assert late.status_code == 422 and "data_year" in late.json["errors"]
    notice.issued_at = notice.issued_at + timedelta(days=2)
    db.session.commit()
    response = client.post("/api/v1/quota/requests", json=body, headers=api_headers(user))
    assert response.status_code == 201, response.json
    url = f"/api/v1/quota/requests/{response.json['id']}/decision"
    client.post(
        url, json={"outcome": "approve", "reason": "缴款凭证属实"}, headers=api_headers(admin)
    )
    db.session.expire_all()
    flag = db.session.get(CreditFlag, flag.id)
    assert flag.lifted_at is not None and flag.lift_reason == "缴款凭证属实"


def test_reward_applied_approved_paid_and_its_notice(client, auth, api_headers, admin):
    employer, user = over_quota_employer()
    levied, levied_user = levied_employer()
    assess_year()
    refused = client.post(
        "/api/v1/quota/requests",
        json={"kind": "reward", "data_year": YEAR, "reason": "申请奖励"},
        headers=api_headers(levied_user),
    )
    assert refused.status_code == 422  # not over the quota
    auth.login(admin)
    offered = client.post(f"/quota/employers/{employer.id}/reward-offer", data={"data_year": YEAR})
    assert offered.status_code == 302
    item = db.session.scalar(select(QuotaRequest))
    assert (item.kind, item.amount_requested) == ("reward", Decimal("12500.00"))
    assert (
        client.get(f"/quota/employers/{employer.id}/notices/{YEAR}/reward_notice").status_code
        == 409
    )
    client.post(f"/quota/requests/{item.id}/decision", data={"outcome": "approve"})
    document_url = client.get(f"/quota/employers/{employer.id}/notices/{YEAR}/reward_notice")
    assert document_url.status_code == 302
    pay = {"paid_on": date.today().isoformat(), "reference": "ZF20260001"}
    assert client.post(f"/quota/requests/{item.id}/payment", data=pay).status_code == 302
    db.session.expire_all()
    assert db.session.get(QuotaRequest, item.id).status == "paid"
    again = client.post(
        f"/api/v1/quota/requests/{item.id}/payment", json=pay, headers=api_headers(admin)
    )
    assert again.status_code == 409


def test_a_flag_lifted_twice_at_once_keeps_the_first_reason(admin):
    """Two staff lift the same open flag from the same page: the second answers 409."""
    from sqlalchemy import update

    from core.database import ServiceError

    employer, _user = levied_employer()
    flag = _unpaid_levy_flag(employer)
    assert flag.lifted_at is None  # what the second person's page shows
    db.session.expunge(flag)  # the second person's copy, loaded before the first lifted it
    db.session.execute(  # meanwhile the first person lifted it
        update(CreditFlag)
        .where(CreditFlag.id == flag.id)
        .values(lifted_at=date(2026, 1, 5), lift_reason="已缴清")
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    db.session.add(flag)  # still open in this copy
    with pytest.raises(ServiceError) as refused:
        payments.lift_flag(flag, "复核撤销", admin)
    assert refused.value.status == 409
    db.session.expire_all()
    assert db.session.get(CreditFlag, flag.id).lift_reason == "已缴清"
