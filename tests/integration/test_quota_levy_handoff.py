"""Hand-off to the tax bureau: the levy export with notice numbers, and payments matched by them."""

import io

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from core.database import ServiceError
from core.extensions import db
from quota.models import LevyPayment, QuotaDocument
from quota.services import payments
from quota.services.levy_export import LEVY_COLUMNS
from quota.services.year_settings import payment_deadline
from tests.integration.quota_helpers import YEAR
from tests.integration.quota_year_helpers import (
    assess_year,
    levied_employer,
    over_quota_employer,
    set_terms,
)

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")


def test_levy_export_lists_amounts_with_notice_numbers(client, auth, admin, runner):
    first, _ = levied_employer(name="甲公司")
    second, _ = levied_employer(name="=HYPERLINK(乙)")
    over_quota_employer()  # no levy: not exported
    assess_year()
    auth.login(admin)
    assert client.get(f"/quota/admin/levies/{YEAR}.csv").status_code == 409  # no terms yet
    set_terms()
    response = client.get(f"/quota/admin/levies/{YEAR}.csv")
    assert response.status_code == 200
    lines = response.get_data(as_text=True).lstrip("\ufeff").splitlines()
    assert lines[0] == ",".join(LEVY_COLUMNS) and len(lines) == 3
    notices = {
        d.employer_id: d.number
        for d in db.session.scalars(
            select(QuotaDocument).where(QuotaDocument.kind == "payment_notice")
        )
    }
    deadline = payment_deadline(YEAR).isoformat()
    assert f"{first.credit_code},甲公司,{YEAR},108000.00,{deadline},{notices[first.id]}" in lines
    assert any(line.startswith(f"{second.credit_code},'=HYPERLINK") for line in lines)  # defused
    again = client.get(f"/quota/admin/levies/{YEAR}.xlsx")
    sheet = load_workbook(io.BytesIO(again.data))["levies"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == LEVY_COLUMNS and {r[5] for r in rows[1:]} == set(
        notices.values()
    )  # same notices
    # The bureau's layout keeps its codes; a second sheet gives their meaning in the reader's language.
    meanings = dict(load_workbook(io.BytesIO(again.data))["列说明"].iter_rows(values_only=True))
    assert meanings["amount"] == "应缴金额（元），已扣除减免" and meanings["列"] == "含义"
    assert set(LEVY_COLUMNS) <= set(meanings)
    cli = runner.invoke(args=["quota", "export-levies", "--year", str(YEAR)])
    assert cli.exit_code == 0 and notices[first.id] in cli.output


def test_payments_matched_by_notice_number(admin):
    employer, _ = levied_employer()
    other, _ = levied_employer()
    assess_year()
    set_terms()
    from quota.services import levy_export

    rows = {r["credit_code"]: r for r in levy_export.levy_rows(YEAR)}
    number = rows[employer.credit_code]["notice_no"]
    late = payment_deadline(YEAR).replace(day=21, month=12)  # before the deadline: no fee
    body = (
        "notice_no,amount,paid_on,voucher_no\n"
        f"{number},100000.00,{late.isoformat()},V1\n"
        f"{number.lower()},8000.00,{late.isoformat()},V2\n"
    )
    assert payments.import_payments(body) == {"imported": 2, "skipped": 0}
    paid = db.session.scalars(select(LevyPayment).order_by(LevyPayment.voucher_no)).all()
    assert {(p.employer_id, p.data_year) for p in paid} == {(employer.id, YEAR)}
    assert payments.balance(employer.id, YEAR)["outstanding"] == 0
    mixed = (
        "credit_code,data_year,amount,paid_on,voucher_no,notice_no\n"
        f"{other.credit_code},{YEAR},1.00,2027-01-01,V3,{number}\n"  # the notice is another's
        f"{other.credit_code},{YEAR},1.00,2027-01-01,V4,JK2026-9999999\n"  # unknown notice
        f"{other.credit_code},{YEAR},1.00,2027-01-01,V5,\n"  # by credit code alone: fine
    )
    with pytest.raises(ServiceError) as refused:
        payments.import_payments(mixed)
    errors = refused.value.errors
    assert set(errors) == {"row 2", "row 3"}  # row 4 was fine, but nothing was imported
    assert db.session.scalar(select(LevyPayment).where(LevyPayment.voucher_no == "V5")) is None
    with pytest.raises(ServiceError):
        payments.import_payments("amount,paid_on,voucher_no\n1.00,2027-01-01,V6\n")  # no levy named
