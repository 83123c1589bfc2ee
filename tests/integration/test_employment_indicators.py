"""The plan's indicators computed from the records, against figures computed by hand.

The fixture (year 2025, ages taken on 2025-12-31):

| person | county | type | household | graduate | note |
| a1 | 330106 | full_time | H1 | | |
| a2 | 330106 | unemployed | H1 | | trained twice in 2025 |
| a3 | 330106 | unemployed | H2 | | trained in 2024 only |
| a4 | 330106 | unemployed | H2 | | dropped out |
| a5 | 330106 | unemployed | H3 | | woman of 60: not of working age |
| g1 | 330106 | flexible | | 2025, wishes | |
| g4 | 330106 | unemployed | | 2025, does not wish | |
| g2 | 330212 | unemployed | H4 | 2024, wishes | trained 2025 |
| g3 | 330212 | unemployed | | 2020 (too long ago) | certified 2025 |
| b1 | 330212 | home_based | H5 | | |
| c1 | 330102 | self_employed | | | |

Working age: 10 (all but a5); employed: a1, g1, b1, c1 = 4 -> 40%, 2 short of 60%.
Graduates who want work: g1, g2 -> 1 of 2. Zero-employment households: H2, H4.
Trained in 2025: a2, g2, g3 = 3. Quota (data year 2024, the latest): E1 meets (reward 1,500),
E2 short (paid 144,000), E3 short (paid 30,000 + 10,000); E4's 2023 assessment is older.
"""

from datetime import date
from decimal import Decimal

import pytest

from core.extensions import db
from employment import services
from tests import factories

YEAR = 2025


def _person(county="330106", kind="unemployed", birth=date(1990, 4, 1), male=True, **fields):
    return factories.make_person(
        county=county, birth=birth, male=male, employment_type=kind, **fields
    )


@pytest.fixture
def people(app):
    made = {
        "a1": _person(kind="full_time", household_id="H1"),
        "a2": _person(household_id="H1"),
        "a3": _person(household_id="H2", low_income=True),
        "a4": _person(household_id="H2"),
        "a5": _person(household_id="H3", birth=date(1965, 1, 1), male=False),
        "g1": _person(kind="flexible", graduation_year=2025, birth=date(2002, 3, 3)),
        "g4": _person(graduation_year=2025, wish_to_work=False, birth=date(2002, 3, 3)),
        "g2": _person("330212", household_id="H4", graduation_year=2024, birth=date(2001, 1, 9)),
        "g3": _person("330212", graduation_year=2020, birth=date(1997, 1, 9)),
        "b1": _person("330212", kind="home_based", household_id="H5"),
        "c1": _person("330102", kind="self_employed"),
    }
    return made


def _training(people):
    from training.models import Course, Enrolment, Provider

    provider = Provider(name="培训学校", credit_code="91330106MA0000001X", county_code="330106")
    db.session.add(provider)
    db.session.flush()
    courses = [
        Course(
            provider_id=provider.id,
            title=f"课程{i}",
            county_code="330106",
            starts_on=date(2024, 1, 1),
            ends_on=date(2025, 12, 1),
            seats=30,
        )
        for i in range(2)
    ]
    db.session.add_all(courses)
    db.session.flush()
    rows = [
        ("a2", 0, "completed", date(2025, 5, 1)),
        ("a2", 1, "completed", date(2025, 9, 1)),  # the same person counts once
        ("a3", 0, "completed", date(2024, 12, 31)),  # last year
        ("a4", 0, "dropped", None),
        ("g2", 0, "completed", date(2025, 3, 1)),
        ("g3", 0, "certified", date(2025, 6, 30)),
    ]
    for key, course, status, completed in rows:
        db.session.add(
            Enrolment(
                person_id=people[key].id,
                course_id=courses[course].id,
                status=status,
                applied_on=date(2024, 1, 1),
                completed_on=completed,
            )
        )
    db.session.commit()


def _filing(employer, data_year):
    from quota.models import QuotaFiling

    filing = db.session.query(QuotaFiling).filter_by(employer_id=employer.id, data_year=data_year)
    if filing.first() is None:
        db.session.add(QuotaFiling(employer_id=employer.id, data_year=data_year, status="assessed"))
        db.session.flush()
    return filing.one()


def _assessment(employer, data_year, shortfall, levy="0", reward=None, current=True):
    from quota.models import QuotaAssessment

    zero = Decimal(0)
    db.session.add(
        QuotaAssessment(
            filing_id=_filing(employer, data_year).id,
            employer_id=employer.id,
            data_year=data_year,
            filing_version=1,
            current=current,
            rule_set_id="zj-test",
            unit_type="enterprise",
            headcount=Decimal(200),
            required=Decimal(3),
            arranged=Decimal(3) - Decimal(shortfall),
            shortfall=Decimal(shortfall),
            arranged_ratio=zero,
            wage_base=Decimal(80000),
            capped=False,
            capped_wage_base=Decimal(80000),
            exempt=False,
            factor=Decimal("0.9"),
            levy=Decimal(levy),
            excess=zero,
            reward_eligible=reward is not None,
            reward=Decimal(reward) if reward else None,
            explanation=[],
        )
    )
    db.session.flush()


def _quota():
    from quota.models import LevyPayment

    e1, e2, e4 = (factories.make_employer("330106") for _ in range(3))
    e3 = factories.make_employer("330212")
    _assessment(e1, 2024, 0, reward="1500.00")
    _assessment(e2, 2024, 0, reward="1500.00", current=False)  # superseded by the next one
    _assessment(e2, 2024, 2, levy="144000.00")
    _assessment(e3, 2024, 1, levy="40000.00")
    _assessment(e4, 2023, 0, reward="999.00")  # an older data year
    for employer, voucher, amount, year in (
        (e2, "V1", "144000.00", 2024),
        (e3, "V2", "30000.00", 2024),
        (e3, "V3", "10000.00", 2024),
        (e4, "V4", "5000.00", 2023),
    ):
        db.session.add(
            LevyPayment(
                employer_id=employer.id,
                data_year=year,
                voucher_no=voucher,
                amount=Decimal(amount),
                paid_on=date(year + 1, 10, 1),
            )
        )
    db.session.commit()


@pytest.fixture
def records(people):
    _training(people)
    _quota()
    return people


def _by_code(indicators):
    return {i.code: i for i in indicators}


def test_province_indicators_from_the_records(records):
    report = services.indicator_report(YEAR, "330000")
    figures = _by_code(report.indicators)
    rate = figures["employment_rate"]
    assert (rate.numerator, rate.denominator, rate.value, rate.met) == (
        4,
        10,
        Decimal("0.4000"),
        False,
    )
    assert rate.en.endswith("40.0% (4 of 10), below the 60% target, 2 short")
    trained = figures["people_trained"]
    assert (trained.value, trained.target, trained.met) == (3, 20_000, False)
    graduates = figures["graduate_employment_rate"]
    assert (graduates.numerator, graduates.denominator, graduates.met) == (1, 2, False)
    quota = figures["quota_compliance"]
    assert (quota.numerator, quota.denominator) == (1, 3)
    assert figures["zero_employment_households"].value == 2
    assert figures["levy_collected"].value == Decimal("184000.00")
    assert figures["rewards_paid"].value == Decimal("1500.00")
    assert [code for code, _ in report.breakdown][:2] == ["330100", "330200"]
    assert len(report.breakdown) == 11


def test_city_and_county_indicators(records):
    hangzhou = services.indicator_report(YEAR, "330100")
    figures = _by_code(hangzhou.indicators)
    assert (figures["employment_rate"].numerator, figures["employment_rate"].denominator) == (3, 7)
    assert figures["people_trained"].value == 1 and figures["people_trained"].target is None
    assert figures["levy_collected"].value == Decimal("144000.00")
    assert (figures["quota_compliance"].numerator, figures["quota_compliance"].denominator) == (
        1,
        2,
    )
    counties = dict(hangzhou.breakdown)
    xihu = _by_code(counties["330106"])
    assert (xihu["employment_rate"].numerator, xihu["employment_rate"].denominator) == (2, 6)
    assert xihu["zero_employment_households"].value == 1
    assert _by_code(counties["330102"])["employment_rate"].value == Decimal("1.0000")

    ningbo = _by_code(services.indicator_report(YEAR, "330212").indicators)
    assert (ningbo["employment_rate"].numerator, ningbo["employment_rate"].denominator) == (1, 3)
    assert ningbo["people_trained"].value == 2
    assert ningbo["levy_collected"].value == Decimal("40000.00")
    assert ningbo["quota_compliance"].value == Decimal("0")
    assert ningbo["graduate_employment_rate"].denominator == 1
    assert services.indicator_report(YEAR, "330212").breakdown == []


def test_recognised_work_counts_as_employment(people):
    people["a2"].employment_type = "home_based"
    db.session.commit()
    rate = _by_code(services.indicator_report(YEAR, "330000").indicators)["employment_rate"]
    assert (rate.numerator, rate.denominator) == (5, 10)


def test_bad_area_and_year_are_refused(app):
    from core.database import ServiceError

    with app.test_request_context(), pytest.raises(ServiceError):
        services.indicator_report(YEAR, "110000")
    with app.test_request_context(), pytest.raises(ServiceError):
        services.indicator_report(date.today().year + 1, "330000")
