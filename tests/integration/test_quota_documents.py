"""Official notices: issued once per figures, verifiable in public, rendered to PDF in Chinese."""

import pytest
from sqlalchemy import func, select

from core.extensions import db
from core.models import AuditEvent
from quota.models import QuotaDocument
from quota.services import documents, requests
from quota.services.year_settings import payment_deadline
from tests.integration.quota_helpers import YEAR, claimable, employer_account
from tests.integration.quota_year_helpers import (
    TERMS,
    assess_year,
    levied_employer,
    over_quota_employer,
    pdf_fonts,
    pdf_text,
    set_terms,
    submit,
)

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")


def _issue(client, employer, kind):
    response = client.get(f"/quota/employers/{employer.id}/notices/{YEAR}/{kind}")
    assert response.status_code == 302, response.get_data(as_text=True)[:500]
    document_id = int(response.headers["Location"].rsplit("/", 1)[1])
    return db.session.get(QuotaDocument, document_id)


def test_assessment_notice_pdf_states_figures_rules_and_verification(client, auth):
    employer, user = levied_employer(name="甲机械有限公司")
    assess_year()
    set_terms()
    auth.login(user)
    document = _issue(client, employer, "assessment_notice")
    assert document.number.startswith("SH") and len(document.verification) == 19
    again = _issue(client, employer, "assessment_notice")
    assert again.id == document.id  # same figures: the same notice
    page = client.get(f"/quota/documents/{document.id}").get_data(as_text=True)
    assert document.number in page and document.verification in page
    response = client.get(f"/quota/documents/{document.id}.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    text = pdf_text(response.data)
    for expected in (
        "审核结果通知书",
        "甲机械有限公司",
        employer.credit_code,
        "108,000.00",
        "80,000.00",
        "差额",
        f"CN-ZJ-{YEAR}-v1",
        "财税〔2015〕72号",
        "30日内",  # the review period the terms state
        document.number,
        document.verification,
    ):
        assert expected in text, expected
    assert any("Noto-Serif-CJK" in name for name in pdf_fonts(response.data))  # embedded
    assert (
        db.session.scalar(select(func.count()).where(AuditEvent.table_name == "quota_document"))
        == 1
    )


def test_payment_notice_needs_the_terms_and_states_how_to_pay(client, auth):
    employer, user = levied_employer()
    assess_year()
    auth.login(user)
    response = client.get(f"/quota/employers/{employer.id}/notices/{YEAR}/payment_notice")
    assert response.status_code == 409  # how to pay is not set yet
    set_terms()
    document = _issue(client, employer, "payment_notice")
    text = pdf_text(client.get(f"/quota/documents/{document.id}.pdf").data)
    deadline = payment_deadline(YEAR)
    for expected in (
        "缴款通知书",
        "108,000.00",
        f"{deadline.year}年{deadline.month}月{deadline.day}日",
        TERMS["payee"],
        TERMS["how_to_pay"],
        TERMS["where_to_pay"],
        "千分之5",
        document.number,
        document.verification,
    ):
        assert expected in text, expected


def test_reward_notice_for_an_over_quota_employer(client, auth):
    employer, user = over_quota_employer()
    levied, _ = levied_employer()
    assess_year()
    auth.login(user)
    waiting = client.get(f"/quota/employers/{employer.id}/notices/{YEAR}/reward_notice")
    assert waiting.status_code == 409  # not approved yet
    reward = requests.apply(employer, {"kind": "reward", "data_year": YEAR, "reason": "申请"})
    requests.decide(reward, {"outcome": "approve"})
    document = _issue(client, employer, "reward_notice")
    text = pdf_text(client.get(f"/quota/documents/{document.id}.pdf").data)
    assert "奖励通知书" in text and "12,500.00" in text and document.verification in text
    none = client.get(f"/quota/employers/{employer.id}/notices/{YEAR}/payment_notice")
    assert none.status_code == 404  # no levy due
    assert client.get(f"/quota/employers/{employer.id}/notices/{YEAR}/nonsense").status_code == 404


def test_public_verification_shows_key_figures_only(client, auth):
    cert = claimable()
    employer, user = employer_account(name="乙贸易有限公司")
    submit(employer, [cert])
    assess_year()
    document = documents.issue("assessment_notice", employer, YEAR)
    page = client.get(f"/verify/{document.verification}")  # no login
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "乙贸易有限公司" in text and document.number in text and "20,000.00" in text
    assert cert not in text and cert[-4:] not in text  # no personal data
    lenient = document.verification.replace("-", "").lower()
    assert client.get(f"/verify/{lenient}").status_code == 200
    assert client.get("/verify?number=" + lenient).status_code == 302
    made_up = "ABCD-EFGH-JKMN-PQRS"
    assert client.get(f"/verify/{made_up}").status_code == 404
    assert client.get("/verify/nonsense").status_code == 404
    api = client.get(f"/api/v1/quota/verify/{document.verification}")
    assert api.status_code == 200 and api.json["figures"]["levy"] == "20000.00"
    assert client.get(f"/api/v1/quota/verify/{made_up}").status_code == 404


def test_changed_figures_supersede_the_notice(client, auth):
    employer, user = levied_employer()
    assess_year()
    first = documents.issue("assessment_notice", employer, YEAR)
    filing = employer_filing(employer)
    submit(employer, [claimable()], version=filing.version, reason="补报一名残疾职工")
    second = documents.issue("assessment_notice", employer, YEAR)
    assert second.id != first.id and second.figures["levy"] == "20000.00"
    db.session.refresh(first)
    assert first.superseded_at is not None
    text = client.get(f"/verify/{first.verification}").get_data(as_text=True)
    assert "此通知书已被新的通知书取代。" in text


def employer_filing(employer):
    from quota.services.filings import filing_for

    return filing_for(employer.id, YEAR)


def test_other_parties_cannot_see_a_notice(client, auth, api_headers):
    employer, user = levied_employer()
    other, other_user = employer_account(name="丙公司")
    assess_year()
    set_terms()
    document = documents.issue("assessment_notice", employer, YEAR)
    auth.login(other_user)
    assert client.get(f"/quota/documents/{document.id}").status_code == 404
    assert client.get(f"/quota/documents/{document.id}.pdf").status_code == 404
    url = f"/quota/employers/{employer.id}/notices/{YEAR}/assessment_notice"
    assert client.get(url).status_code == 404
    headers = api_headers(other_user)
    assert client.get(f"/api/v1/quota/documents/{document.id}", headers=headers).status_code == 404
    own = api_headers(user)
    issued = client.post(
        f"/api/v1/quota/employers/{employer.id}/notices",
        json={"data_year": YEAR, "kind": "payment_notice"},
        headers=own,
    )
    assert issued.status_code == 200 and issued.json["figures"]["amount_due"] == "108000.00"
    pdf = client.get(f"/api/v1/quota/documents/{issued.json['id']}/pdf", headers=own)
    assert pdf.mimetype == "application/pdf" and issued.json["number"] in pdf_text(pdf.data)


def test_cli_issues_and_renders_the_years_notices(runner, tmp_path):
    levied_employer()
    over_quota_employer()
    assess_year()
    result = runner.invoke(
        args=[
            "quota",
            "set-terms",
            "--year",
            str(YEAR),
            "--issuer",
            TERMS["issuer"],
            "--payee",
            TERMS["payee"],
            "--how",
            TERMS["how_to_pay"],
            "--where",
            TERMS["where_to_pay"],
            "--review-days",
            "30",
        ]
    )
    assert result.exit_code == 0, result.output
    result = runner.invoke(args=["quota", "notices", "--year", str(YEAR), "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "assessment_notice: 2" in result.output and "payment_notice: 1" in result.output
    files = sorted(p.name for p in tmp_path.iterdir())
    assert len(files) == 3 and all(f.endswith(".pdf") for f in files)
    again = runner.invoke(args=["quota", "notices", "--year", str(YEAR)])
    assert again.exit_code == 0
    assert db.session.scalar(select(func.count()).select_from(QuotaDocument)) == 3  # idempotent
