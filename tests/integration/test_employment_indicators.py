"""The plan's indicators computed from the records, against figures computed by hand.

The fixture (review of 2025, ages taken on 2025-12-31, the service's "today"):

| person | county | type | household | graduate | note |
| a1 | 330106 | full_time | H1 | | |
| a2 | 330106 | unemployed | H1 | | trained twice in 2025 |
| a3 | 330106 | unemployed | H2 | | trained in 2024 only |
| a4 | 330106 | unemployed | H2 | | dropped out |
| a5 | 330106 | unemployed | H3 | | woman of 60: not of working age |
| a6 | 330106 | unemployed | H6 | | not able to work |
| g1 | 330106 | flexible, recognised | | 2025 bachelor, wishes | |
| g4 | 330106 | unemployed | | 2025 bachelor, does not wish | |
| g5 | 330106 | unemployed | | 2025 vocational (not 高校), wishes | |
| g2 | 330212 | unemployed | H4 | 2024 bachelor, wishes | trained 2025 |
| g3 | 330212 | unemployed | | 2020 | certified 2025 |
| g6 | 330212 | unemployed | | 2025 master, wishes | |
| b1 | 330212 | home_based, NOT recognised | H5 | | a relative in H5 works |
| c1 | 330102 | self_employed | | | |

Working age: 13 (all but a5); employed: a1, g1, c1 = 3 -> 23.1%, 5 short of 60%.
New graduates of 2025 from college or above who want work: g1, g6 -> 1 of 2.
Zero-employment households: H2, H4 (H5 has a working relative; H6 nobody able; H3 nobody of age).
Training in 2025: 4 person-times (a2 twice, g2, g3), 3 people. Quota (review of 2025 = data year
2024): E1 meets (reward 1,500, a lead body), E2 short (paid 144,000), E3 short (paid 30,000 +
10,000), E5 did not file (a lead body employing none); E4's 2023 assessment is the 2024 review's.
"""

from datetime import date
from decimal import Decimal

import pytest
from flask import current_app
from flask_babel import force_locale

from core.extensions import db
from employment import labels, services
from employment.models import HouseholdRelative, RecognitionApplication
from tests import factories

YEAR = 2025
TODAY = date(2025, 12, 31)


def _en(indicator) -> str:
    """The indicator's one-line takeaway in English."""
    with current_app.test_request_context(), force_locale("en"):
        return labels.takeaway(indicator)


def _person(county="330106", kind="unemployed", birth=date(1990, 4, 1), male=True, **fields):
    return factories.make_person(
        county=county, birth=birth, male=male, employment_type=kind, **fields
    )


def recognise(person, kind):
    db.session.add(
        RecognitionApplication(
            person_id=person.id,
            kind=kind,
            work_started_on=date(2025, 1, 1),
            evidence_text="平台结算记录齐全",
            status="approved",
        )
    )
    db.session.commit()


def relative(household, county, employed, **fields):
    values = {"relation": "spouse", "birth_date": date(1980, 1, 1), "sex": "F"}
    values.update({"able_to_work": True, "wish_to_work": True, "employed": employed, **fields})
    db.session.add(HouseholdRelative(household_id=household, county_code=county, **values))
    db.session.commit()


@pytest.fixture
def people(app):
    born = date(2002, 3, 3)
    made = {
        "a1": _person(kind="full_time", household_id="H1"),
        "a2": _person(household_id="H1"),
        "a3": _person(household_id="H2", low_income=True),
        "a4": _person(household_id="H2"),
        "a5": _person(household_id="H3", birth=date(1965, 1, 1), male=False),
        "a6": _person(household_id="H6", able_to_work=False),
        "g1": _person(kind="flexible", graduation_year=2025, education="bachelor", birth=born),
        "g4": _person(graduation_year=2025, education="bachelor", wish_to_work=False, birth=born),
        "g5": _person(graduation_year=2025, education="vocational", birth=born),
        "g2": _person(
            "330212",
            household_id="H4",
            graduation_year=2024,
            education="bachelor",
            birth=date(2001, 1, 9),
        ),  # fmt: skip
        "g3": _person("330212", graduation_year=2020, birth=date(1997, 1, 9)),
        "g6": _person("330212", graduation_year=2025, education="master", birth=born),
        "b1": _person("330212", kind="home_based", household_id="H5"),
        "c1": _person("330102", kind="self_employed"),
    }
    recognise(made["g1"], "flexible")
    relative("H5", "330212", employed=True)
    relative("H4", "330212", employed=False, wish_to_work=False)
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
        ("a2", 1, "completed", date(2025, 9, 1)),  # the same person: two person-times
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


def _assessment(
    employer, data_year, shortfall, levy="0", reward=None, current=True, non_filer=False
):
    from quota.models import QuotaAssessment

    zero = Decimal(0)
    db.session.add(
        QuotaAssessment(
            filing_id=_filing(employer, data_year).id,
            employer_id=employer.id,
            data_year=data_year,
            filing_version=1,
            current=current,
            non_filer=non_filer,
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

    e1 = factories.make_employer("330106", name="省民政厅", is_lead_unit=True)
    e2, e4 = (factories.make_employer("330106") for _ in range(2))
    e3 = factories.make_employer("330212")
    e5 = factories.make_employer("330106", name="省交通运输厅", is_lead_unit=True)
    _assessment(e1, 2024, 0, reward="1500.00")
    _assessment(e5, 2024, 3, levy="90000.00", non_filer=True)
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


def _report(area, year=YEAR, today=TODAY):
    return services.indicator_report(year, area, today=today)


def test_province_indicators_from_the_records(records):
    report = _report("330000")
    figures = _by_code(report.indicators)
    rate = figures["employment_rate"]
    assert (rate.numerator, rate.denominator, rate.value, rate.met) == (
        3,
        13,
        Decimal("0.2308"),
        False,
    )
    assert _en(rate).endswith("23.1% (3 of 13), below the 60% target, 5 short")
    assert (rate.basis, rate.as_of) == ("records", TODAY)
    times = figures["training_person_times"]
    assert (times.value, times.target, times.met) == (4, 20_000, False)
    assert figures["people_trained"].value == 3
    graduates = figures["graduate_employment_rate"]
    assert (graduates.numerator, graduates.denominator, graduates.met) == (1, 2, False)
    quota = figures["quota_compliance"]
    assert (quota.numerator, quota.denominator, quota.data_year) == (1, 3, 2024)
    assert figures["zero_employment_households"].value == 2
    levy = figures["levy_collected"]
    assert (levy.value, levy.denominator) == (Decimal("184000.00"), 2)
    rewards = figures["rewards_computed"]
    assert (rewards.value, rewards.denominator) == (Decimal("1500.00"), 1)
    lead = figures["lead_bodies_employing"]
    assert (lead.numerator, lead.denominator) == (1, 2)
    assert [(u.name, u.arranged) for u in report.lead_units] == [
        ("省交通运输厅", Decimal(0)),
        ("省民政厅", Decimal(3)),
    ]
    assert [code for code, _ in report.breakdown][:2] == ["330100", "330200"]
    assert len(report.breakdown) == 11


def test_city_and_county_indicators(records):
    hangzhou = _report("330100")
    figures = _by_code(hangzhou.indicators)
    assert (figures["employment_rate"].numerator, figures["employment_rate"].denominator) == (
        3,
        9,
    )  # a1, g1, c1 of the 8 in 330106 and c1 in 330102
    assert figures["training_person_times"].value == 2
    assert figures["training_person_times"].target is None
    assert figures["levy_collected"].value == Decimal("144000.00")
    assert (figures["quota_compliance"].numerator, figures["quota_compliance"].denominator) == (
        1,
        2,
    )
    counties = dict(hangzhou.breakdown)
    xihu = _by_code(counties["330106"])
    assert (xihu["employment_rate"].numerator, xihu["employment_rate"].denominator) == (2, 8)
    assert xihu["zero_employment_households"].value == 1  # H2
    assert _by_code(counties["330102"])["employment_rate"].value == Decimal("1.0000")

    ningbo = _by_code(_report("330212").indicators)
    assert (ningbo["employment_rate"].numerator, ningbo["employment_rate"].denominator) == (0, 4)
    assert ningbo["training_person_times"].value == 2
    assert ningbo["levy_collected"].value == Decimal("40000.00")
    assert ningbo["quota_compliance"].value == Decimal("0")
    assert ningbo["graduate_employment_rate"].denominator == 1
    assert ningbo["zero_employment_households"].value == 1  # H4; H5 has a working relative
    assert _report("330212").breakdown == []


def test_flexible_work_counts_only_once_recognised(people):
    rate = _by_code(_report("330000").indicators)["employment_rate"]
    assert rate.numerator == 3  # b1's home-based work is not recognised
    recognise(people["b1"], "home_based")
    rate = _by_code(_report("330000").indicators)["employment_rate"]
    assert (rate.numerator, rate.denominator) == (4, 13)
    recognise(people["a2"], "flexible")  # recognised, but the registry says unemployed
    assert _by_code(_report("330000").indicators)["employment_rate"].numerator == 4


def test_a_past_year_is_read_from_its_snapshot_or_says_none_was_recorded(records):
    services.take_snapshot(date(2024, 12, 31))
    past = _by_code(_report("330000", 2024).indicators)
    rate = past["employment_rate"]
    assert (rate.basis, rate.as_of) == ("snapshot", date(2024, 12, 31))
    assert (rate.numerator, rate.denominator) == (2, 13)  # g1's work was recognised from 2025
    # the records change after the year-end snapshot: 2024 keeps its figure
    recognise(records["b1"], "home_based")
    assert _by_code(_report("330000", 2024).indicators)["employment_rate"].numerator == 2
    assert _by_code(_report("330000").indicators)["employment_rate"].numerator == 4
    # quota and training figures of a past year come from their own dated records
    assert past["quota_compliance"].data_year == 2023
    assert past["levy_collected"].value == Decimal("5000.00")
    assert past["training_person_times"].value == 1
    never = _by_code(_report("330000", 2022).indicators)
    assert never["employment_rate"].value is None and never["employment_rate"].basis == "none"
    assert _en(never["employment_rate"]).endswith("no data recorded for that year")
    baseline = _by_code(_report("330000", 2020).indicators)["employment_rate"]
    assert (baseline.value, baseline.basis) == (Decimal("0.57"), "plan")


def test_the_review_year_decides_the_quota_data_year(records):
    this_year = _by_code(_report("330000", 2026, date(2026, 3, 1)).indicators)
    assert this_year["quota_compliance"].data_year == 2025
    assert this_year["quota_compliance"].value is None  # nothing filed for 2025 yet
    assert _en(this_year["levy_collected"]).endswith("no data recorded for that year")


def test_bad_area_and_year_are_refused(app):
    from core.database import ServiceError

    with app.test_request_context(), pytest.raises(ServiceError):
        services.indicator_report(YEAR, "110000")
    with app.test_request_context(), pytest.raises(ServiceError):
        services.indicator_report(date.today().year + 1, "330000")
