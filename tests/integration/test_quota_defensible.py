"""Issue #13: a quota review you can defend (parameters, flags, rule faults, registry, official data)."""

from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import select

from core.extensions import db
from core.models import AuditEvent
from quota.models import QuotaAssessment, QuotaYearSetting
from quota.schemas import FilingIn
from quota.services import filings as services
from quota.services import review
from quota.services.year_settings import set_year_parameters
from tests.integration.quota_helpers import claimable, employer_account, filing_data

pytestmark = pytest.mark.usefixtures("open_filing_window", "all_units_wage")

RECENT = 2025  # a data year whose social average wage is not in the data series


def _submit(employer, certs, year, **extra):
    data = FilingIn().load({**filing_data(certs, year=year), "submit": True, **extra})
    return services.save_filing(employer, data)


# --- item 2: a partial save of the year's parameters -----------------------------------------


def test_saving_only_the_deadline_keeps_the_other_parameters(client, auth, admin, api_headers):
    set_year_parameters(
        RECENT,
        {
            "social_average_wage": Decimal("130000"),
            "reward_per_excess_person": Decimal("5000"),
            "window_open": True,
        },
    )
    employer, user = employer_account()
    _submit(employer, [claimable()], RECENT)
    review.run_review(RECENT)
    auth.login(admin)
    response = client.post(
        "/quota/admin/settings", data={"data_year": str(RECENT), "payment_deadline": "2026-11-30"}
    )
    assert response.status_code == 302
    db.session.expire_all()
    setting = db.session.get(QuotaYearSetting, RECENT)
    assert setting.payment_deadline == date(2026, 11, 30)
    assert setting.social_average_wage == Decimal("130000")
    assert setting.reward_per_excess_person == Decimal("5000")
    assert setting.window_open is True
    last = db.session.scalars(
        select(AuditEvent)
        .where(AuditEvent.table_name == "quota_year_setting")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert "social_average_wage" not in (last.new or {}) or last.new["social_average_wage"]
    page = client.get(f"/quota/admin?year={RECENT}").get_data(as_text=True)
    assert 'value="130000' in page and 'value="2026-11-30"' in page
    auth.logout()
    auth.login(user)
    assert client.get(f"/quota/employers/{employer.id}").status_code == 200
    answer = client.get(f"/api/v1/quota/employers/{employer.id}/summary", headers=api_headers(user))
    assert answer.status_code == 200
    assert answer.json["assessments"][0]["what_if"]


def test_what_if_uses_the_social_wage_the_assessment_stored():
    from quota.services.overview import what_if

    set_year_parameters(RECENT, {"social_average_wage": Decimal("130000")})
    employer, _user = employer_account()
    _submit(employer, [], RECENT, wage_total="30000000")  # average 300,000: over the cap
    review.run_review(RECENT)
    setting = db.session.get(QuotaYearSetting, RECENT)
    setting.social_average_wage = None  # the year's figure removed after the assessment
    db.session.commit()
    assessment = db.session.scalar(select(QuotaAssessment).where(QuotaAssessment.current))
    rows = what_if(assessment)
    assert rows and rows[0]["levy"] < assessment.levy


# --- item 3: flags by the rule -------------------------------------------------------------------


def _years_and_days_ago(years: int, days: int) -> date:
    """A deadline `years` calendar years and `days` days before today (366 or 731 days, give or
    take a 29 February, so the test does not depend on the date it runs)."""
    from datetime import timedelta

    today = date.today()
    try:
        back = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        back = today.replace(year=today.year - years, day=28)
    return back - timedelta(days=days)


@pytest.mark.parametrize(
    ("years", "days", "expected"),
    [
        (0, 6, []),  # six days late: a late fee accrues, no flag
        (1, 1, [("general", "levy_unpaid")]),  # 366 days
        (2, 1, [("serious", "levy_unpaid_two_years")]),  # 731 days
    ],
)
def test_unpaid_flag_only_after_a_full_year(runner, client, auth, years, days, expected):
    from quota.models import CreditFlag
    from tests.integration.quota_helpers import YEAR

    employer, user = employer_account()
    _submit(employer, [], YEAR)
    assert runner.invoke(args=["quota", "review", "--year", str(YEAR)]).exit_code == 0
    set_year_parameters(YEAR, {"payment_deadline": _years_and_days_ago(years, days)})
    result = runner.invoke(args=["quota", "flags", "--year", str(YEAR)])
    assert result.exit_code == 0, result.output
    flags = list(db.session.scalars(select(CreditFlag)))
    assert [(f.grade, f.code) for f in flags] == expected
    if flags:
        assert ("a year" if years == 1 else "2 years") in flags[0].reason_en
        auth.login(user)
        page = client.get(f"/quota/employers/{employer.id}").get_data(as_text=True)
        assert flags[0].reason_zh in page
        assert "缴清所欠保障金" in page  # the remedy is shown to the employer
