"""Filing receipts: check your answers, the confirmation page with its reference, later access."""

import pytest
from sqlalchemy import func, select

from core.extensions import db
from quota.models import QuotaFiling
from quota.rules.documents import receipt_reference
from quota.services.year_settings import payment_deadline
from tests.integration.quota_helpers import YEAR, claimable, employer_account, form_data

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")


def _filings() -> int:
    return db.session.scalar(select(func.count()).select_from(QuotaFiling))


def test_submit_shows_check_page_then_receipt(client, auth):
    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    form = form_data([cert], wage_total="8000000.5")
    check = client.post(f"/quota/filings/form/{YEAR}", data=form)
    assert check.status_code == 200
    text = check.get_data(as_text=True)
    assert "Confirm and submit" in text or "确认并提交" in text
    assert cert[:6] + "*" * 10 + cert[-4:] in text and f'value="{cert}"' in text  # kept hidden
    assert "8,000,000.50" in text and 'name="confirmed" value="1"' in text
    assert _filings() == 0  # nothing submitted yet

    done = client.post(f"/quota/filings/form/{YEAR}", data={**form, "confirmed": "1"})
    filing = db.session.scalar(select(QuotaFiling))
    assert filing.status == "submitted"
    assert done.status_code == 302
    assert done.headers["Location"].endswith(
        f"/quota/filings/{filing.id}/receipts/{filing.version}"
    )
    receipt = client.get(done.headers["Location"]).get_data(as_text=True)
    reference = receipt_reference(YEAR, filing.id, filing.version)
    assert reference in receipt and "8,000,000.50" in receipt
    assert payment_deadline(YEAR).isoformat() in receipt  # what happens next, and when
    assert cert not in receipt  # masked
    # the filing page links the receipt later
    page = client.get(f"/quota/filings/{filing.id}").get_data(as_text=True)
    assert reference in page


def test_change_answers_goes_back_to_the_form(client, auth):
    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    form = form_data([cert], action="change", m5="101", confirmed="1")
    response = client.post(f"/quota/filings/form/{YEAR}", data=form)
    assert response.status_code == 200
    text = response.get_data(as_text=True)
    assert 'id="field-m5" name="m5" value="101"' in text and f'value="{cert}"' in text
    assert _filings() == 0


def test_amendment_gets_its_own_receipt_and_needs_a_reason(client, auth):
    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    client.post(f"/quota/filings/form/{YEAR}", data=form_data([cert], confirmed="1"))
    filing = db.session.scalar(select(QuotaFiling))
    first = filing.version
    no_reason = form_data([cert], version=str(filing.version))
    response = client.post(f"/quota/filings/form/{YEAR}", data=no_reason)
    assert response.status_code == 422  # refused on the form, before the check page
    assert 'href="#field-reason"' in response.get_data(as_text=True)
    amend = form_data([cert], version=str(filing.version), reason="更正月数", m2="99")
    check = client.post(f"/quota/filings/form/{YEAR}", data=amend)
    assert check.status_code == 200 and "更正月数" in check.get_data(as_text=True)
    done = client.post(f"/quota/filings/form/{YEAR}", data={**amend, "confirmed": "1"})
    db.session.expire_all()
    filing = db.session.get(QuotaFiling, filing.id)
    assert done.headers["Location"].endswith(f"/receipts/{filing.version}")
    second = client.get(done.headers["Location"]).get_data(as_text=True)
    assert receipt_reference(YEAR, filing.id, filing.version) in second and "更正月数" in second
    assert receipt_reference(YEAR, filing.id, first) not in second


def test_receipt_of_a_draft_or_of_another_employer_is_missing(client, auth, api_headers):
    cert = claimable()
    employer, user = employer_account()
    auth.login(user)
    client.post(f"/quota/filings/form/{YEAR}", data=form_data([cert], action="save"))
    filing = db.session.scalar(select(QuotaFiling))
    draft = filing.version
    assert client.get(f"/quota/filings/{filing.id}/receipts/{draft}").status_code == 404
    done = client.post(f"/quota/filings/{filing.id}/submit", data={"version": draft})
    db.session.expire_all()
    version = db.session.get(QuotaFiling, filing.id).version
    assert done.headers["Location"].endswith(f"/receipts/{version}")
    url = f"/quota/filings/{filing.id}/receipts/{version}"
    assert client.get(url).status_code == 200
    api = client.get(f"/api/v1{url}", headers=api_headers(user))
    assert api.status_code == 200
    assert api.json["reference"] == receipt_reference(YEAR, filing.id, version)
    assert api.json["claims"][0]["cert_masked"].count("*") == 10
    other, other_user = employer_account(name="乙公司")
    auth.login(other_user)
    assert client.get(url).status_code == 404
    response = client.get(f"/api/v1{url}", headers=api_headers(other_user))
    assert response.status_code == 404


def test_amending_an_assessed_filing_ends_on_its_receipt(client, auth):
    """The amendment is reassessed at once (its history entry says assessed): it keeps its receipt."""
    from tests.integration.quota_year_helpers import assess_year, submit

    employer, user = employer_account()
    filing = submit(employer, [claimable()])
    assess_year()
    auth.login(user)
    form = form_data(
        [claimable()], version=str(filing.version), reason="补报一名职工", confirmed="1"
    )
    response = client.post(f"/quota/filings/form/{YEAR}", data=form)
    assert response.status_code == 302
    assert response.headers["Location"].endswith(f"/quota/filings/{filing.id}/receipts/2")
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert receipt_reference(YEAR, filing.id, 2) in page
