"""The plan's service rules and indicators, against hand-computed cases."""

from datetime import date
from decimal import Decimal

import pytest

from employment.rules import (
    HouseholdMember,
    PersonFacts,
    age_on,
    city_of,
    income_disregard_schedule,
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
        is_employed("volunteer", recognised=False)


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
        {"employment_type": "home_based", "recognised": True},
    ):
        assert not is_hard_to_employ(PersonFacts(**{**HARD.__dict__, **change}), ON), change
    unrecognised = PersonFacts(
        **{**HARD.__dict__, "employment_type": "flexible", "recognised": False}
    )
    assert is_hard_to_employ(unrecognised, ON)
    # Recognition is a fact to give: unrecognised flexible work is assumed, never recognition.
    assert is_hard_to_employ(PersonFacts(**{**HARD.__dict__, "employment_type": "flexible"}), ON)


def _member(household, working_age=True, able=True, wishes=True, employed=False):
    return HouseholdMember(household, working_age, able, wishes, employed)


def test_zero_employment_households():
    members = [
        _member("H1"),
        _member("H1"),
        _member("H2"),
        _member("H2", employed=True),
        _member("H3", working_age=False),  # no working-age member
        _member("H4"),
        _member("H4", working_age=False, employed=True),  # a retired member's job does not count
        _member("H5", able=False),  # nobody able to work: not a zero-employment household
        _member("H6", wishes=False),  # nobody wishing to work: neither
        _member("H7", able=False),
        _member("H7", wishes=False, employed=True),  # a job holder clears it, wish or not
        _member("H8", able=False),
        _member("H8"),  # one able and wishing member without work is enough
    ]
    assert zero_employment_households(members) == ("H1", "H4", "H8")


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


def test_city_of_county_codes():
    assert city_of("330182") == "330100"
    assert city_of("331082") == "331000"
