"""The plan's service rules and indicators, against hand-computed cases."""

from datetime import date
from decimal import Decimal

import pytest

from employment.rules import (
    FilingRecord,
    HouseholdMember,
    PersonFacts,
    PersonRecord,
    PlanFacts,
    Targets,
    TrainingRecord,
    age_on,
    city_of,
    income_disregard_schedule,
    indicators,
    is_employed,
    is_hard_to_employ,
    is_working_age,
    zero_employment_households,
)


@pytest.mark.parametrize(
    ("birth", "sex", "on", "expected"),
    [
        (date(1965, 3, 15), "male", date(2025, 3, 14), True),  # 59 the day before
        (date(1965, 3, 15), "male", date(2025, 3, 15), False),  # 60th birthday
        (date(1970, 6, 1), "female", date(2025, 5, 31), True),
        (date(1970, 6, 1), "female", date(2025, 6, 1), False),  # 55th birthday
        (date(1968, 6, 1), "male", date(2025, 6, 1), True),  # a man of 57 still works
        (date(2009, 1, 1), "female", date(2024, 12, 31), False),  # 15
        (date(2009, 1, 1), "female", date(2025, 1, 1), True),  # 16th birthday
        (date(1980, 1, 1), "M", date(2025, 1, 1), True),
        (date(1960, 1, 1), "女", date(2025, 1, 1), False),
    ],
)
def test_is_working_age(birth, sex, on, expected):
    assert is_working_age(birth, sex, on) is expected


def test_retirement_age_is_a_parameter_and_sex_is_validated():
    reform = {"male": 63, "female": 58}
    assert is_working_age(date(1965, 3, 15), "male", date(2025, 3, 15), retirement_age=reform)
    with pytest.raises(ValueError):
        is_working_age(date(1980, 1, 1), "x", date(2025, 1, 1))


def test_age_on_a_leap_day_birthday():
    assert age_on(date(2008, 2, 29), date(2025, 2, 28)) == 16
    assert age_on(date(2008, 2, 29), date(2025, 3, 1)) == 17
    assert age_on(date(2008, 2, 29), date(2024, 2, 29)) == 16


@pytest.mark.parametrize(
    ("kind", "recognised", "employed"),
    [
        ("full_time", False, True),
        ("self_employed", False, True),
        ("flexible", True, True),
        ("flexible", False, False),
        ("home_based", True, True),
        ("home_based", False, False),
        ("unemployed", True, False),
    ],
)
def test_is_employed_counts_recognised_flexible_and_home_based_work(kind, recognised, employed):
    assert is_employed(kind, recognised) is employed


def test_is_employed_rejects_unknown_types():
    with pytest.raises(ValueError):
        is_employed("volunteer")


HARD = PersonFacts(
    certified=True,
    birth_date=date(1990, 5, 1),
    sex="female",
    able_to_work=True,
    wishes_to_work=True,
)
ON = date(2025, 6, 1)


def test_is_hard_to_employ_needs_every_condition():
    assert is_hard_to_employ(HARD, ON)
    for change in (
        {"certified": False},
        {"birth_date": date(1969, 1, 1)},  # a woman of 56
        {"able_to_work": False},
        {"wishes_to_work": False},
        {"employment_type": "full_time"},
        {"employment_type": "home_based"},
    ):
        assert not is_hard_to_employ(PersonFacts(**{**HARD.__dict__, **change}), ON), change
    unrecognised = PersonFacts(
        **{**HARD.__dict__, "employment_type": "flexible", "recognised": False}
    )
    assert is_hard_to_employ(unrecognised, ON)


def test_zero_employment_households():
    members = [
        HouseholdMember("H1", True, False),
        HouseholdMember("H1", True, False),
        HouseholdMember("H2", True, False),
        HouseholdMember("H2", True, True),
        HouseholdMember("H3", False, False),  # no working-age member
        HouseholdMember("H4", True, False),
        HouseholdMember("H4", False, True),  # a retired member's job does not count
    ]
    assert zero_employment_households(members) == ("H1", "H4")


def test_income_disregard_schedule_phases_and_reminders():
    schedule = income_disregard_schedule(date(2025, 3, 15))
    assert [(p.starts_on, p.ends_on, p.disregarded) for p in schedule.phases] == [
        (date(2025, 3, 15), date(2028, 3, 14), Decimal("1")),
        (date(2028, 3, 15), date(2028, 6, 14), Decimal("0.75")),
        (date(2028, 6, 15), date(2028, 9, 14), Decimal("0.50")),
        (date(2028, 9, 15), date(2028, 12, 14), Decimal("0.25")),
        (date(2028, 12, 15), None, Decimal("0")),
    ]
    assert [(r.on, r.change_on, r.new_share) for r in schedule.reminders] == [
        (date(2028, 2, 14), date(2028, 3, 15), Decimal("0.75")),  # 2028 is a leap year
        (date(2028, 5, 16), date(2028, 6, 15), Decimal("0.50")),
        (date(2028, 8, 16), date(2028, 9, 15), Decimal("0.25")),
        (date(2028, 11, 15), date(2028, 12, 15), Decimal("0")),
    ]
    assert "75%" in schedule.reminders[0].zh and "75%" in schedule.reminders[0].en


def test_income_disregard_month_end_start_and_parameters():
    schedule = income_disregard_schedule(date(2025, 11, 30))
    assert [p.starts_on for p in schedule.phases] == [
        date(2025, 11, 30),
        date(2028, 11, 30),
        date(2029, 2, 28),  # clamped, not carried into later quarters
        date(2029, 5, 30),
        date(2029, 8, 30),
    ]
    short = income_disregard_schedule(
        date(2025, 1, 1), full_years=1, taper=(Decimal("0.5"),), reminder_days=7
    )
    assert [(p.starts_on, p.disregarded) for p in short.phases] == [
        (date(2025, 1, 1), Decimal(1)),
        (date(2026, 1, 1), Decimal("0.5")),
        (date(2026, 4, 1), Decimal(0)),
    ]
    assert [r.on for r in short.reminders] == [date(2025, 12, 25), date(2026, 3, 25)]


def _person(pid, county, kind="unemployed", **kw):
    return PersonRecord(pid, county, employment_type=kind, **kw)


FACTS = PlanFacts(
    year=2025,
    persons=(
        _person("a1", "330102", "full_time", household_id="H1"),
        _person("a2", "330102", "flexible", household_id="H1"),
        _person("a3", "330102", household_id="H2"),
        _person("a4", "330102", "home_based", recognised=False, household_id="H2"),
        _person("g1", "330102", "full_time", graduate=True, wishes_to_work=True),
        _person("b1", "330182", "self_employed"),
        _person("b2", "330182", working_age=False),
        _person("g2", "330182", graduate=True, wishes_to_work=True, household_id="H3"),
        _person("c1", "330203", certified=False),
        _person("c2", "330203", "full_time"),
    ),
    trainings=(
        TrainingRecord("a3", "330102", date(2025, 5, 1)),
        TrainingRecord("a3", "330102", date(2025, 9, 1)),  # the same person counts once
        TrainingRecord("b2", "330182", date(2024, 12, 31)),  # last year
        TrainingRecord("c1", "330203", date(2025, 1, 1)),
    ),
    filings=(
        FilingRecord("e1", "330102", True, reward_paid=Decimal("1500.00")),
        FilingRecord("e2", "330102", False, levy_collected=Decimal("144000.00")),
        FilingRecord("e3", "330203", False, levy_collected=Decimal("40000.00")),
    ),
)


def _by_code(indicator_tuple):
    return {i.code: i for i in indicator_tuple}


def test_province_indicators():
    report = _by_code(indicators(FACTS).province)
    rate = report["employment_rate"]
    assert (rate.numerator, rate.denominator, rate.value, rate.met) == (
        5,
        8,
        Decimal("0.6250"),
        True,
    )
    assert rate.en == (
        "Employment rate of certified working-age persons 62.5% (5 of 8), meets the 60% target"
    )
    assert "已达到 60% 目标" in rate.zh
    trained = report["people_trained"]
    assert (trained.value, trained.target, trained.met) == (2, 20_000, False)
    graduates = report["graduate_employment_rate"]
    assert (graduates.numerator, graduates.denominator, graduates.met) == (1, 2, False)
    assert graduates.en.endswith("below the 100% target, 1 short")
    quota = report["quota_compliance"]
    assert (quota.value, quota.target, quota.met) == (Decimal("0.3333"), None, None)
    households = report["zero_employment_households"]
    assert (households.value, households.target, households.met) == (2, 0, False)
    assert report["levy_collected"].value == Decimal("184000.00")
    assert report["levy_collected"].denominator == 3
    assert report["rewards_paid"].value == Decimal("1500.00")


def test_indicators_by_city_and_county():
    report = indicators(FACTS)
    assert list(report.cities) == ["330100", "330200"]
    assert list(report.counties) == ["330102", "330182", "330203"]
    hangzhou = _by_code(report.cities["330100"])
    rate = hangzhou["employment_rate"]
    assert (rate.numerator, rate.denominator, rate.met) == (4, 7, False)
    assert rate.en.endswith("57.1% (4 of 7), below the 60% target, 1 short")
    assert hangzhou["people_trained"].value == 1
    assert hangzhou["people_trained"].target is None and hangzhou["people_trained"].met is None
    exactly = _by_code(report.counties["330102"])["employment_rate"]
    assert (exactly.numerator, exactly.denominator, exactly.met) == (3, 5, True)  # 60% is met
    ningbo = _by_code(report.cities["330200"])
    assert ningbo["zero_employment_households"].met is True
    assert ningbo["levy_collected"].value == Decimal("40000.00")


def test_targets_can_be_changed_and_empty_areas_have_no_data():
    stricter = Targets(employment_rate=Decimal("0.7"), quota_compliance=Decimal("0.3"))
    report = _by_code(indicators(FACTS, stricter).province)
    assert report["employment_rate"].met is False
    assert report["quota_compliance"].met is True
    empty = _by_code(indicators(PlanFacts(year=2025)).province)
    assert empty["employment_rate"].value is None and empty["employment_rate"].met is None
    assert empty["employment_rate"].en.endswith("no data yet")
    assert empty["levy_collected"].value == Decimal("0.00")


def test_city_of_county_codes():
    assert city_of("330182") == "330100"
    assert city_of("331082") == "331000"
