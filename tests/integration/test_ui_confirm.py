"""Confirm, then act: a review rerun and the bulk flag run need a ticked confirmation; lifting a
flag needs a reason; the flags page shows each flag's status, and the lift form beside it."""

import re

import pytest
from sqlalchemy import func, select

from core.extensions import db as _db
from quota.models import CreditFlag, QuotaReviewRun
from tests import factories
from tests.integration.quota_helpers import YEAR


def _flag(employer, code="unpaid", **fields) -> CreditFlag:
    flag = CreditFlag(
        employer_id=employer.id,
        data_year=2025,
        grade="general",
        code=code,
        reason_zh="未缴纳保障金",
        reason_en="levy unpaid",
        **fields,
    )
    _db.session.add(flag)
    _db.session.commit()
    return flag


def _runs() -> int:
    return _db.session.scalar(select(func.count()).select_from(QuotaReviewRun))


@pytest.mark.usefixtures("all_units_wage")  # a review needs the year's all-units social wage
def test_a_review_run_without_the_confirmation_is_not_started(client, auth, admin):
    auth.login(admin)
    page = client.get("/quota/admin").get_data(as_text=True)
    assert re.search(
        r'<input type="checkbox" id="review-confirm" name="confirm" value="1" required', page
    )
    response = client.post("/quota/admin/reviews", data={"year": str(YEAR)})
    assert response.status_code == 302 and response.headers["Location"].endswith("/quota/admin")
    assert _runs() == 0
    assert "请勾选确认框：该年度的全部申报将重新核定。" in client.get("/quota/admin").get_data(
        as_text=True
    )
    confirmed = {"year": str(YEAR), "confirm": "1"}
    assert client.post("/quota/admin/reviews", data=confirmed).status_code == 302
    assert _runs() == 1
    # the next time, the page says what the last run was before a rerun
    page = client.get("/quota/admin").get_data(as_text=True)
    assert "上一次年审" in page and "排队中" in page


def test_the_bulk_flag_run_needs_the_confirmation(client, auth, admin, monkeypatch):
    from quota.services import payments

    calls = []
    monkeypatch.setattr(
        payments,
        "evaluate_flags",
        lambda year, user=None: calls.append(year) or {"raised": 0, "lifted": 0},
    )
    auth.login(admin)
    client.post("/quota/admin/flags/evaluate", data={"year": "2025"})
    assert calls == []
    assert "请勾选确认框" in client.get("/quota/admin/flags").get_data(as_text=True)
    client.post("/quota/admin/flags/evaluate", data={"year": "2025", "confirm": "1"})
    assert calls == [2025]


def test_the_flags_page_shows_the_status_and_a_separate_lift_form(client, auth, admin):
    employer = factories.make_employer(name="信用测试有限公司")
    open_flag = _flag(employer)
    lifted = _flag(employer, code="other")
    lifted.lifted_at = open_flag.raised_at
    lifted.lift_reason = "已补缴"
    _db.session.commit()
    auth.login(admin)
    page = client.get("/quota/admin/flags").get_data(as_text=True)
    rows = dict(re.findall(r'<tr id="flag-(\d+)">(.*?)</tr>', page, re.S))
    status_cells = {k: re.findall(r"<td>(.*?)</td>", v, re.S)[3] for k, v in rows.items()}
    assert (
        "有效" in status_cells[str(open_flag.id)]
        and "<input" not in status_cells[str(open_flag.id)]
    )
    assert "已解除" in status_cells[str(lifted.id)] and "已补缴" in status_cells[str(lifted.id)]
    assert f'id="lift-{open_flag.id}"' in rows[str(open_flag.id)]
    assert f'id="lift-{lifted.id}"' not in page
    assert '<label for="lift-' in page  # a visible label, not only a hidden one


def test_a_flag_is_lifted_only_with_a_reason(client, auth, admin):
    flag = _flag(factories.make_employer())
    auth.login(admin)
    client.post(f"/quota/admin/flags/{flag.id}/lift", data={"reason": "   "})
    _db.session.refresh(flag)
    assert flag.lifted_at is None
    assert "请填写解除信用标记的原因。" in client.get("/quota/admin/flags").get_data(as_text=True)
    client.post(f"/quota/admin/flags/{flag.id}/lift", data={"reason": "已补缴"})
    _db.session.refresh(flag)
    assert flag.lifted_at is not None and flag.lift_reason == "已补缴"
