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


# --- item 7: official data in --------------------------------------------------------------------


def _official_explained(employer_id):
    from quota.rules.explanation import ExplanationBasis, explain

    assessment = db.session.scalar(
        select(QuotaAssessment).where(
            QuotaAssessment.employer_id == employer_id, QuotaAssessment.current.is_(True)
        )
    )
    lines = explain(assessment, ExplanationBasis.from_json(assessment.explanation_basis))
    return assessment, next(line for line in lines if line.step == "data")


def test_official_data_by_api_raises_the_headcount(client, api_headers, admin):
    from quota.models import CreditFlag
    from quota.services import payments
    from tests.integration.quota_helpers import YEAR

    employer, user = employer_account()
    _submit(employer, [], YEAR)  # declares 100 and 8,000,000
    unknown = "91330106MA00000000"
    body = {
        "data_year": YEAR,
        "records": [
            {"credit_code": employer.credit_code, "headcount": "120", "wage_total": "9000000"},
            {"credit_code": unknown, "headcount": "10"},
        ],
    }
    assert (
        client.post("/api/v1/quota/official-data", json=body, headers=api_headers(user)).status_code
        == 403
    )
    answer = client.post("/api/v1/quota/official-data", json=body, headers=api_headers(admin))
    assert answer.status_code == 200, answer.json
    assert answer.json == {"data_year": YEAR, "imported": 1, "unknown_credit_codes": [unknown]}
    review.run_review(YEAR)
    assessment, data = _official_explained(employer.id)
    assert assessment.headcount == 120
    assert "social insurance records: 120, larger than the 100 declared" in data.en
    assert "社保数据 120（高于申报数 100，按较大者计）" in data.zh
    assert "9,000,000" not in data.en  # figures as stored: 9000000.00
    assert "9000000.00, larger than the 8000000.00 declared" in data.en
    payments.evaluate_flags(YEAR)
    codes = set(db.session.scalars(select(CreditFlag.code)))
    assert {"headcount_under_declared", "wages_under_declared"} <= codes
    assert (
        db.session.scalar(select(AuditEvent).where(AuditEvent.action == "import_official")).new[
            "imported"
        ]
        == 1
    )


def test_official_data_is_bounded_and_validated(client, api_headers, admin):
    too_many = {
        "data_year": 2022,
        "records": [{"credit_code": "91330106MA00000000", "headcount": "1"}] * 10_001,
    }
    answer = client.post("/api/v1/quota/official-data", json=too_many, headers=api_headers(admin))
    assert answer.status_code == 422
    bad = {"data_year": 2022, "records": [{"credit_code": "x", "headcount": "-1"}]}
    answer = client.post("/api/v1/quota/official-data", json=bad, headers=api_headers(admin))
    assert answer.status_code == 422 and "records" in answer.json["errors"]


def test_official_data_by_cli_and_a_smaller_official_figure(runner, tmp_path):
    from tests.integration.quota_helpers import YEAR

    higher, _u = employer_account()
    lower, _u = employer_account()
    for employer in (higher, lower):
        _submit(employer, [], YEAR)
    path = tmp_path / "official.csv"
    path.write_text(
        "credit_code,headcount,wage_total,source\n"
        f"{higher.credit_code},130,,social_insurance\n"
        f"{lower.credit_code},90,7000000,tax\n",
        encoding="utf-8",
    )
    result = runner.invoke(args=["quota", "import-official", "--year", str(YEAR), str(path)])
    assert result.exit_code == 0, result.output
    assert "imported: 2" in result.output
    review.run_review(YEAR)
    assessment, data = _official_explained(higher.id)
    assert assessment.headcount == 130
    assert "larger than the 100 declared" in data.en
    assessment, data = _official_explained(lower.id)
    assert assessment.headcount == 100  # the declared figure is larger: it stands
    assert "Headcount as declared: 100 (tax records: 90, not larger)" in data.en
