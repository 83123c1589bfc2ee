"""Publication, payments with late fees, credit flags raised and lifted, exports."""

import io
import re
from datetime import date
from decimal import Decimal

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from core.extensions import db
from core.models import AuditEvent
from quota.models import CreditFlag, LevyPayment
from quota.schemas import FilingIn
from quota.services import filings as services
from quota.services import payments
from quota.services.year_settings import set_year_parameters
from tests.integration.quota_helpers import YEAR, claimable, employer_account, filing_data

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")


@pytest.fixture
def reviewed(runner):
    """One employer meeting the quota, one owing 108,000.00 yuan, reviewed."""
    cert = claimable(level=1)
    good, _ = employer_account(name="达标公司")
    owing, _ = employer_account(name="欠缴公司")
    for employer, certs in ((good, [cert]), (owing, [])):
        services.save_filing(employer, FilingIn().load({**filing_data(certs), "submit": True}))
    set_year_parameters(YEAR, {"payment_deadline": date(2023, 12, 31)})
    assert runner.invoke(args=["quota", "review", "--year", str(YEAR)]).exit_code == 0
    return good, owing, cert


def test_public_page_lists_without_personal_data(client, reviewed):
    good, owing, cert = reviewed
    page = client.get(f"/quota/publication?year={YEAR}").get_data(as_text=True)
    page += client.get(f"/quota/publication?year={YEAR}&list=unpaid_levy").get_data(as_text=True)
    assert "达标公司" in page and "欠缴公司" in page  # deadline passed: unpaid list shown
    assert cert not in page and cert[:6] + "*" not in page and "李四" not in page
    found = client.get(f"/quota/publication?year={YEAR}&q={good.credit_code}").get_data(
        as_text=True
    )
    assert "达标公司" in found and "欠缴公司" not in found
    api = client.get(f"/api/v1/quota/publication/{YEAR}").json
    assert [r["name"] for r in api["met_quota"]] == ["达标公司"]
    assert api["unpaid_levy"][0]["outstanding"] == "108000.00"


def test_exports(client, reviewed):
    csv_body = client.get(f"/quota/publication/{YEAR}.csv").get_data(as_text=True)
    assert "达标公司" in csv_body and "credit_code" not in csv_body
    lines = csv_body.lstrip("\ufeff").splitlines()
    assert lines[0] == "达到或超过规定比例的单位"
    assert (
        lines[1]
        == "统一社会信用代码,单位名称,县（市、区）,单位类型,在职职工人数 N,应安排人数,已安排人数 D,状态"
    )
    assert not re.search(r"\b[a-z]+_[a-z_]+\b|,enterprise,|,met$|,exceeded$", csv_body)
    xlsx = client.get(f"/quota/publication/{YEAR}.xlsx")
    book = load_workbook(io.BytesIO(xlsx.data))
    assert (
        book["达标单位"]["B2"].value == "达标公司"
        and book["达标单位"]["A1"].value == "统一社会信用代码"
    )
    english = client.get(f"/quota/publication/{YEAR}.csv?lang=en").get_data(as_text=True)
    assert english.lstrip("\ufeff").startswith(
        "Employers meeting or exceeding the quota\r\nCredit code,"
    )


def test_exports_carry_no_formula_from_an_employer_name(client, reviewed):
    good, _owing, _cert = reviewed
    good.name = '=HYPERLINK("http://evil.example","达标")'
    db.session.commit()
    csv_body = client.get(f"/quota/publication/{YEAR}.csv").get_data(as_text=True)
    assert """'=HYPERLINK(""http://evil.example""" in csv_body
    book = load_workbook(io.BytesIO(client.get(f"/quota/publication/{YEAR}.xlsx").data))
    assert book.worksheets[0]["B2"].value.startswith("'=HYPERLINK")


def test_payments_import_late_fee_and_flags(client, auth, admin, reviewed, api_headers):
    good, owing, _cert = reviewed
    today = date(2025, 1, 1)  # a full year after the deadline of 2023-12-31
    result = payments.evaluate_flags(YEAR, today=today)
    assert result == {"raised": 1, "lifted": 0}
    flag = db.session.scalar(select(CreditFlag))
    assert (flag.employer_id, flag.code, flag.grade) == (owing.id, "levy_unpaid", "general")
    body = (
        "credit_code,data_year,amount,paid_on,voucher_no\n"
        f"{owing.credit_code},{YEAR},108000.00,2024-01-10,V0001\n"
    )
    auth.login(admin)
    response = client.post(
        "/quota/admin/payments",
        data={"payments": (io.BytesIO(body.encode()), "p.csv")},
        content_type="multipart/form-data",
    )
    assert response.status_code == 200
    payment = db.session.scalar(select(LevyPayment))
    assert payment.late_fee == Decimal("5400.00")  # 10 days x 5 per mille x 108,000
    again = payments.import_payments(body)
    assert again == {"imported": 0, "skipped": 1}
    assert payments.evaluate_flags(YEAR, today=today) == {"raised": 0, "lifted": 1}
    actions = set(
        db.session.scalars(select(AuditEvent.action).where(AuditEvent.table_name == "credit_flag"))
    )
    assert actions == {"raise_flag", "lift_flag"}
    exported = client.get("/quota/admin/flags.json").json
    assert exported["format"] == "zjdes-credit-flags/1"
    assert exported["flags"][0]["status"] == "lifted"
    table = client.get("/quota/admin/flags.csv").get_data(as_text=True).lstrip("\ufeff")
    header, row = table.splitlines()[:2]
    assert header == (
        "统一社会信用代码,单位名称,数据年度,等级,原因,标记时间（北京时间）,解除时间（北京时间）,状态"
    )
    assert row.endswith(",已解除") and ",一般," in row and "levy_unpaid" not in table
    api = client.get("/api/v1/quota/flags?format=csv", headers=api_headers(admin))
    assert api.get_data(as_text=True).lstrip("\ufeff").startswith("credit_code,employer_name")


def test_the_payments_page_names_each_bad_row_and_imports_nothing(client, auth, admin):
    body = "credit_code,data_year,amount,paid_on,voucher_no\nX,2022,abc,2024-13-01,\n"
    auth.login(admin)
    response = client.post(
        "/quota/admin/payments",
        data={"payments": (io.BytesIO(body.encode()), "p.csv")},
        content_type="multipart/form-data",
    )
    page = response.get_data(as_text=True)
    assert 'id="error-summary"' in page and "未导入任何数据。" in page
    assert "row 2" in page
    assert db.session.scalar(select(func.count()).select_from(LevyPayment)) == 0


def test_bad_payments_file_imports_nothing(reviewed):
    body = "credit_code,data_year,amount,paid_on,voucher_no\nX,2022,abc,2024-13-01,\n"
    with pytest.raises(Exception) as raised:
        payments.import_payments(body)
    assert "row 2" in raised.value.errors
    assert db.session.scalar(select(func.count()).select_from(LevyPayment)) == 0


def test_employer_page_shows_assessment_and_what_if(client, auth, reviewed, api_headers):
    good, owing, _cert = reviewed
    from tests import factories

    user = factories.make_user("employer", employer_id=owing.id)
    auth.login(user)
    page = client.get(f"/quota/employers/{owing.id}").get_data(as_text=True)
    assert '<td class="num">108,000.00</td>' in page  # the figures, grouped to the fen
    assert '<td class="num">20,000.00</td>' in page and "<ol" in page  # what if, explanation
    summary = client.get(
        f"/api/v1/quota/employers/{owing.id}/summary", headers=api_headers(user)
    ).json
    assert summary["assessments"][0]["what_if"][0]["levy"] == "20000.00"
    assert (
        client.get(
            f"/api/v1/quota/employers/{good.id}/summary", headers=api_headers(user)
        ).status_code
        == 404
    )


def test_non_filers_are_published_after_the_filing_deadline(client, reviewed):
    from tests.integration.quota_helpers import employer_account as account

    silent, _user = account(name="沉默公司")
    from quota.services import review

    review.run_review(YEAR)
    page = client.get(f"/quota/publication?year={YEAR}&list=not_filed").get_data(as_text=True)
    assert "Employers that did not file" in page or "未按时申报的用人单位" in page
    assert "沉默公司" in page
    api = client.get(f"/api/v1/quota/publication/{YEAR}").json
    assert api["not_filed_published"] is True and api["filing_deadline"] == "2023-06-30"
    assert [r["name"] for r in api["not_filed"]] == ["沉默公司"]
    assert "达标公司" not in [r["name"] for r in api["not_filed"]]
    csv_body = client.get(f"/quota/publication/{YEAR}.csv").get_data(as_text=True)
    assert "未按时申报的用人单位" in csv_body and "沉默公司" in csv_body
    book = load_workbook(io.BytesIO(client.get(f"/quota/publication/{YEAR}.xlsx").data))
    assert book["未申报"]["B2"].value == "沉默公司"


def test_non_filers_are_not_published_before_the_filing_deadline(app):
    from quota.services import publication

    assert publication.not_filed(YEAR, today=date(2023, 6, 30)) == []
    assert publication.not_filed_published(YEAR, today=date(2023, 7, 1))
