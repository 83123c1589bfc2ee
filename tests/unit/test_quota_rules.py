"""Zhejiang quota rule sets and assessments: worked checks, hand-computed cases and properties."""

from __future__ import annotations

import dataclasses
from datetime import date
from decimal import ROUND_HALF_UP, Decimal, localcontext
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from quota.rules.assessment import assess
from quota.rules.filing import UNIT_TYPES, DisabledEmployee, Filing
from quota.rules.rule_sets import (
    RULE_SETS,
    filing_window,
    public_body_lead_finding,
    rule_set_for,
)
from quota.rules.wages import MissingSocialAverageWage, load_average_wages

LEVEL4 = DisabledEmployee(level=4, months=12)
LEVEL2 = DisabledEmployee(level=2, months=12)
LEVEL1 = DisabledEmployee(level=1, months=12)


def filing(**overrides) -> Filing:
    """Return the DESIGN worked-check filing (N = 200, W = 80,000), with overrides."""
    values = dict(
        unit_type="enterprise",
        monthly_headcounts=[200] * 12,
        average_wage=Decimal("80000"),
        social_average_wage=Decimal("100000"),
        disabled_employees=(LEVEL4,),
    )
    values.update(overrides)
    return Filing(**values)


# --- the DESIGN worked check -------------------------------------------------------------------


def test_worked_check_level_4_employee():
    result = assess(filing(), rule_set_for(2024))
    assert result.headcount == Decimal("200.0000")
    assert result.required == Decimal("3.0000")
    assert result.arranged == Decimal("1.0000")
    assert result.shortfall == Decimal("2.0000")
    assert result.arranged_ratio == Decimal("0.005000")
    assert result.factor == Decimal("0.90")
    assert result.levy == Decimal("144000.00")
    assert result.rule_set_id == "CN-ZJ-2024-v1"


def test_worked_check_level_2_employee_counts_two_and_gets_half_factor():
    result = assess(filing(disabled_employees=(LEVEL2,)), rule_set_for(2024))
    assert result.arranged == Decimal("2.0000")
    assert result.arranged_ratio == Decimal("0.010000")
    assert result.factor == Decimal("0.50")
    assert result.levy == Decimal("40000.00")


def test_explanation_shows_each_step_with_numbers():
    lines = assess(filing(), rule_set_for(2024)).explanation
    assert lines[0].zh == "在职职工人数 N = 2400 / 12 = 200"
    assert lines[0].en == "Headcount N = 2400 / 12 = 200"
    assert [line.step for line in lines] == [
        "headcount",
        "arranged",
        "quota",
        "wage_base",
        "factor",
        "levy",
        "reward",
    ]
    assert "2 × 80,000.00 × 0.9 = 144,000.00" in lines[5].zh


def test_explanation_of_arranged_shows_weights_and_exclusions():
    employees = (
        DisabledEmployee(level=1, months=6),
        DisabledEmployee(level=4, months=12, counts=False),
    )
    line = assess(filing(disabled_employees=employees), rule_set_for(2024)).explanation[1]
    assert line.en.startswith("Arranged D = 1 + 0 = 1 (")
    assert "1 not meeting the counting conditions" in line.en
    assert "1人不符合计入条件" in line.zh


def test_as_dict_gives_decimal_strings():
    data = assess(filing(), rule_set_for(2024)).as_dict()
    assert data["levy"] == "144000.00"
    assert data["headcount"] == "200.0000"
    assert data["capped"] is False
    assert data["explanation"][0]["zh"].startswith("在职职工人数")


# --- tiers, cap, exemption ---------------------------------------------------------------------


def test_tier_at_exactly_one_percent_is_inclusive():
    three = (LEVEL4,) * 3
    result = assess(
        filing(monthly_headcounts=[300] * 12, average_wage=60000, disabled_employees=three),
        rule_set_for(2024),
    )
    # required 4.5, D 3, D/N = 1% exactly -> 1.5 x 60,000 x 0.5
    assert result.factor == Decimal("0.50")
    assert result.levy == Decimal("45000.00")


def test_tier_just_below_one_percent_uses_point_nine():
    three = (LEVEL4,) * 3
    months = [300] * 11 + [301]  # N = 3601 / 12, D/N just under 1%
    result = assess(
        filing(monthly_headcounts=months, average_wage=60000, disabled_employees=three),
        rule_set_for(2024),
    )
    # required = 3601/12 x 0.015 = 4.50125; shortfall 1.50125 x 60,000 x 0.9 = 81,067.50
    assert result.factor == Decimal("0.90")
    assert result.shortfall == Decimal("1.5013")
    assert result.levy == Decimal("81067.50")


def test_cap_at_twice_social_average_wage():
    f = filing(monthly_headcounts=[100] * 12, average_wage=300000, disabled_employees=())
    result = assess(f, rule_set_for(2024))
    assert result.cap == Decimal("200000.00")
    assert result.capped is True
    assert result.wage_base == Decimal("300000.00")
    assert result.capped_wage_base == Decimal("200000.00")
    assert result.levy == Decimal("270000.00")  # 1.5 x 200,000 x 0.9


def test_three_times_cap_for_data_year_2016():
    f = filing(
        monthly_headcounts=[100] * 12,
        average_wage=300000,
        social_average_wage=80000,
        disabled_employees=(),
    )
    result = assess(f, rule_set_for(2016))
    assert result.cap == Decimal("240000.00")
    assert result.capped is True
    assert result.factor == Decimal("1.00")
    assert result.levy == Decimal("360000.00")  # 1.5 x 240,000 x 1


def test_no_cap_for_data_year_2015():
    f = filing(
        monthly_headcounts=[100] * 12,
        average_wage=300000,
        social_average_wage=None,
        disabled_employees=(),
    )
    result = assess(f, rule_set_for(2015))
    assert result.cap is None
    assert result.capped is False
    assert result.levy == Decimal("450000.00")  # 1.5 x 300,000 x 1


def test_social_average_wage_comes_from_data_when_not_given():
    # A rule set on the non-private series takes the shipped figure (2022: 128,825).
    rules = dataclasses.replace(rule_set_for(2022), social_wage_series="non_private")
    result = assess(filing(average_wage=300000, social_average_wage=None), rules)
    assert result.social_average_wage == Decimal("128825.00")
    assert result.cap == Decimal("257650.00")


def test_from_2020_collections_the_cap_uses_the_all_units_wage_never_the_non_private_one():
    """财政部公告2019年第98号 item 3: the weighted average of non-private and private units (全口径)."""
    assert rule_set_for(2018).social_wage_series == "non_private"  # collected 2019
    assert rule_set_for(2019).social_wage_series == "all_units"  # collected 2020
    assert rule_set_for(2022).social_wage_series == "all_units"
    with pytest.raises(MissingSocialAverageWage, match="all_units.*2022"):
        assess(filing(average_wage=300000, social_average_wage=None), rule_set_for(2022))


def test_private_series_can_be_chosen():
    rules = dataclasses.replace(rule_set_for(2022), social_wage_series="private")
    result = assess(filing(average_wage=300000, social_average_wage=None), rules)
    assert result.cap == Decimal("143868.00")


def test_missing_social_average_wage_asks_for_the_figure():
    with pytest.raises(MissingSocialAverageWage, match="social_average_wage.*2024"):
        assess(filing(social_average_wage=None), rule_set_for(2024))
    assert 2024 not in load_average_wages()


@pytest.mark.parametrize(
    ("unit_type", "months", "exempt", "levy"),
    [
        ("enterprise", [30] * 12, True, "0.00"),
        ("public_institution_2", [30] * 12, False, "20250.00"),  # 0.45 x 50,000 x 0.9
        ("enterprise", [30] * 11 + [31], False, "20306.25"),  # N = 30.0833: 0.45125 x 50,000 x 0.9
    ],
)
def test_small_enterprise_exemption(unit_type, months, exempt, levy):
    f = filing(
        unit_type=unit_type, monthly_headcounts=months, average_wage=50000, disabled_employees=()
    )
    result = assess(f, rule_set_for(2024))
    assert result.exempt is exempt
    assert (result.exempt_reason_en is not None) is exempt
    assert result.levy == Decimal(levy)


# --- counting ----------------------------------------------------------------------------------


def test_severe_levels_count_double_and_unmet_conditions_count_nothing():
    employees = (LEVEL1, DisabledEmployee(level=2, months=12, counts=False), LEVEL4)
    assert assess(filing(disabled_employees=employees), rule_set_for(2024)).arranged == Decimal(
        "3.0000"
    )


def test_part_year_counts_in_twelfths():
    employees = (DisabledEmployee(level=4, months=6), DisabledEmployee(level=1, months=6))
    result = assess(filing(disabled_employees=employees), rule_set_for(2024))
    assert result.arranged == Decimal("1.5000")
    rules = dataclasses.replace(rule_set_for(2024), part_year_counting=False)
    assert assess(filing(disabled_employees=employees), rules).arranged == Decimal("3.0000")


def test_fractional_headcount_rounds_levy_to_the_fen_at_the_end():
    f = filing(
        monthly_headcounts=None,
        headcount=Decimal("123.45"),
        average_wage=Decimal("77777.77"),
        disabled_employees=(),
    )
    result = assess(f, rule_set_for(2024))
    # 123.45 x 0.015 = 1.85175; x 77,777.77 x 0.9 = 129,622.48703775
    assert result.required == Decimal("1.8518")
    assert result.levy == Decimal("129622.49")


def test_half_fen_rounds_up():
    f = filing(
        monthly_headcounts=[100] * 12, average_wage=Decimal("10000.03"), disabled_employees=()
    )
    assert assess(f, rule_set_for(2027)).levy == Decimal("15000.05")  # 1.5 x 10,000.03 = 15,000.045


def test_wage_total_divided_by_unrounded_headcount():
    f = filing(
        monthly_headcounts=[200] * 11 + [201],
        average_wage=None,
        wage_total=12_000_000,
        disabled_employees=(),
    )
    # W = 12,000,000 / (2401/12); levy = 2401/12 x 0.015 x W x 0.9 = 0.015 x 12,000,000 x 0.9 exactly
    assert assess(f, rule_set_for(2024)).levy == Decimal("162000.00")


def test_factor_one_from_data_year_2027():
    result = assess(filing(), rule_set_for(2027))
    assert result.factor == Decimal("1.00")
    assert result.levy == Decimal("160000.00")
    small = filing(monthly_headcounts=[30] * 12, disabled_employees=())
    assert assess(small, rule_set_for(2027)).exempt is False


# --- reward ------------------------------------------------------------------------------------


def test_reward_for_over_quota_employer():
    rules = dataclasses.replace(rule_set_for(2024), reward_per_excess_person=Decimal("5000"))
    f = filing(monthly_headcounts=[100] * 12, disabled_employees=(LEVEL1, LEVEL1))
    result = assess(f, rules)
    assert result.levy == Decimal("0.00")
    assert result.excess == Decimal("2.5000")
    assert result.reward_eligible is True
    assert result.reward == Decimal("12500.00")


@pytest.mark.parametrize("unit_type", ["government", "public_institution_1"])
def test_no_reward_for_government_or_class_one_institution(unit_type):
    rules = dataclasses.replace(rule_set_for(2024), reward_per_excess_person=Decimal("5000"))
    f = filing(
        unit_type=unit_type, monthly_headcounts=[100] * 12, disabled_employees=(LEVEL1, LEVEL1)
    )
    result = assess(f, rules)
    assert result.reward_eligible is False
    assert result.reward == Decimal("0.00")


def test_reward_amount_unset_by_default():
    f = filing(monthly_headcounts=[100] * 12, disabled_employees=(LEVEL1, LEVEL1))
    result = assess(f, rule_set_for(2024))
    assert result.reward_eligible is True
    assert result.reward is None


def test_exactly_at_quota_is_not_over_quota():
    f = filing(
        monthly_headcounts=[200] * 12, disabled_employees=(LEVEL1, LEVEL4)
    )  # D = 3 = required
    result = assess(f, rule_set_for(2024))
    assert result.levy == Decimal("0.00")
    assert result.reward_eligible is False


# --- rule sets ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("year", "cap", "tiered"),
    [
        (2015, None, False),
        (2016, Decimal(3), False),
        (2017, Decimal(2), False),
        (2018, Decimal(2), False),
        (2019, Decimal(2), True),
        (2026, Decimal(2), True),
        (2027, Decimal(2), False),
        (2030, Decimal(2), False),
    ],
)
def test_rule_set_periods(year, cap, tiered):
    rules = rule_set_for(year)
    assert rules.id == f"CN-ZJ-{year}-v1"
    assert rules.version == 1
    assert rules.collection_year == year + 1
    assert rules.ratio == Decimal("0.015")
    assert rules.cap_multiple == cap
    assert bool(rules.tiers) is tiered
    assert (rules.small_enterprise_exemption is not None) is tiered


def test_registry_covers_2015_to_2030_by_id():
    assert sorted(RULE_SETS) == [f"CN-ZJ-{y}-v1" for y in range(2015, 2031)]
    assert RULE_SETS["CN-ZJ-2024-v1"] is rule_set_for(2024)


@pytest.mark.parametrize(
    ("year", "jurisdiction"), [(2014, "CN-ZJ"), (2031, "CN-ZJ"), (2024, "CN-XX")]
)
def test_unknown_year_or_jurisdiction_raises(year, jurisdiction):
    with pytest.raises(ValueError, match="no rule set for data year"):
        rule_set_for(year, jurisdiction)


def test_filing_window_is_may_to_june_of_next_year():
    assert filing_window(rule_set_for(2024)) == (date(2025, 5, 1), date(2025, 6, 30))


# --- filing validation -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"unit_type": "company"}, "unit_type"),
        ({"headcount": 10}, "headcount"),
        ({"monthly_headcounts": None}, "headcount"),
        ({"monthly_headcounts": [10] * 11}, "monthly_headcounts"),
        ({"monthly_headcounts": [10] * 11 + [-1]}, "monthly_headcounts"),
        ({"monthly_headcounts": [10] * 11 + ["x"]}, r"monthly_headcounts\[11\]"),
        ({"monthly_headcounts": [0] * 12}, "monthly_headcounts"),
        ({"wage_total": 1}, "average_wage"),
        ({"average_wage": -1}, "average_wage"),
        ({"social_average_wage": 0}, "social_average_wage"),
        ({"disabled_employees": ("level 4",)}, r"disabled_employees\[0\]"),
    ],
)
def test_filing_rejects_bad_input_naming_the_field(overrides, field):
    with pytest.raises(ValueError, match=field):
        filing(**overrides)


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"level": 5, "months": 12}, "level"),
        ({"level": 2, "months": 0}, "months"),
        ({"level": 2, "months": 13}, "months"),
        ({"level": True, "months": 12}, "level"),
    ],
)
def test_disabled_employee_validation(kwargs, field):
    with pytest.raises(ValueError, match=field):
        DisabledEmployee(**kwargs)


def test_headcount_is_kept_exact():
    f = filing(monthly_headcounts=[30] * 11 + [31])
    assert f.annual_headcount == Fraction(361, 12)


# --- lead public bodies (DESIGN 3.2.10) ----------------------------------------------------------


def test_lead_public_body_without_disabled_employee_gets_a_finding():
    finding = public_body_lead_finding("government", is_lead_unit=True, arranged=0)
    assert finding is not None
    assert finding.code == "public_body_without_disabled_employee"


@pytest.mark.parametrize(("is_lead", "arranged"), [(True, 1), (False, 0)])
def test_no_lead_finding_otherwise(is_lead, arranged):
    assert (
        public_body_lead_finding("public_institution_1", is_lead_unit=is_lead, arranged=arranged)
        is None
    )


def test_lead_finding_rejects_unknown_unit_type():
    with pytest.raises(ValueError, match="unit_type"):
        public_body_lead_finding("ministry", is_lead_unit=True, arranged=0)


# --- properties --------------------------------------------------------------------------------

employees_st = st.builds(
    DisabledEmployee, level=st.integers(1, 4), months=st.integers(1, 12), counts=st.booleans()
)
filings_st = st.builds(
    Filing,
    unit_type=st.sampled_from(sorted(UNIT_TYPES)),
    monthly_headcounts=st.lists(st.integers(0, 3000), min_size=12, max_size=12).filter(
        lambda m: sum(m) > 0
    ),
    average_wage=st.decimals(0, 1_000_000, places=2),
    social_average_wage=st.decimals(1, 300_000, places=2),
    disabled_employees=st.lists(employees_st, max_size=8).map(tuple),
)
years_st = st.integers(2015, 2030)


def independent_levy(f: Filing, year: int) -> Decimal:
    """The levy formula written out again from DESIGN 3.2, without the engine's helpers."""
    n = Fraction(sum(f.monthly_headcounts), 12)
    d = sum(
        (
            Fraction(2 if e.level <= 2 else 1) * Fraction(e.months, 12)
            for e in f.disabled_employees
            if e.counts
        ),
        Fraction(0),
    )
    shortfall = max(Fraction(0), n * Fraction(15, 1000) - d)
    w = Fraction(f.average_wage)
    multiple = None if year == 2015 else (3 if year == 2016 else 2)
    if multiple is not None:
        w = min(w, multiple * Fraction(f.social_average_wage))
    if 2019 <= year <= 2026:
        factor = Fraction(1, 2) if d / n >= Fraction(1, 100) else Fraction(9, 10)
        if f.unit_type == "enterprise" and n <= 30:
            factor = Fraction(0)
    else:
        factor = Fraction(1)
    exact = shortfall * w * factor
    with localcontext() as ctx:
        ctx.prec = 60
        return (Decimal(exact.numerator) / Decimal(exact.denominator)).quantize(
            Decimal("0.01"), ROUND_HALF_UP
        )


@settings(max_examples=300, deadline=None)
@given(f=filings_st, year=years_st)
def test_levy_matches_independent_formula_and_is_never_negative(f, year):
    levy = assess(f, rule_set_for(year)).levy
    assert levy >= 0
    assert levy == independent_levy(f, year)


@settings(max_examples=300, deadline=None)
@given(f=filings_st, year=years_st, level=st.integers(1, 4), months=st.integers(1, 12))
def test_one_more_disabled_employee_never_raises_the_levy(f, year, level, months):
    rules = rule_set_for(year)
    more = dataclasses.replace(
        f, disabled_employees=f.disabled_employees + (DisabledEmployee(level, months),)
    )
    assert assess(more, rules).levy <= assess(f, rules).levy


# --- issue #13 item 4: smaller rule faults --------------------------------------------------------


@pytest.mark.parametrize(
    "unit_type", ["welfare_enterprise", "state_owned_enterprise", "enterprise"]
)
def test_every_enterprise_of_thirty_or_fewer_is_exempt(unit_type):
    result = assess(filing(unit_type=unit_type, monthly_headcounts=[30] * 12), rule_set_for(2022))
    assert result.exempt and result.levy == Decimal("0.00")


def test_public_bodies_of_thirty_or_fewer_are_not_exempt():
    result = assess(
        filing(unit_type="public_institution_2", monthly_headcounts=[30] * 12), rule_set_for(2022)
    )
    assert not result.exempt


def _levy_terms(result):
    line = next(x for x in result.explanation if x.step == "levy").en
    left, right = line.removeprefix("Levy = ").removesuffix(" yuan").split(" = ")
    terms = [Decimal(t.replace(",", "")) for t in left.split(" × ")]
    return terms, Decimal(right.replace(",", ""))


@pytest.mark.parametrize(
    ("months", "employees", "wage"),
    [
        (
            [30] * 11 + [31],
            (),
            "72000",
        ),  # shortfall 0.45125: shown as 0.4513 it did not multiply out
        ([200] * 12, (DisabledEmployee(4, 7),), "80000"),  # 7/12 of a person: a repeating decimal
        ([137] * 12, (DisabledEmployee(3, 5),), "81234.57"),
        ([1001, 999] * 6, (), "66666.66"),
    ],
)
def test_the_levy_line_multiplies_out(months, employees, wage):
    f = filing(
        unit_type="public_institution_2",
        monthly_headcounts=months,
        average_wage=Decimal(wage),
        disabled_employees=employees,
    )
    result = assess(f, rule_set_for(2022))
    (shortfall, base, factor), levy = _levy_terms(result)
    assert levy == result.levy
    assert (shortfall * base * factor).quantize(Decimal("0.01"), ROUND_HALF_UP) == levy


def test_the_issue_example_shows_the_exact_shortfall():
    f = filing(
        unit_type="public_institution_2",
        monthly_headcounts=[30] * 11 + [31],
        average_wage=Decimal("72000"),
        disabled_employees=(),
    )
    line = next(x for x in assess(f, rule_set_for(2022)).explanation if x.step == "levy")
    assert "0.45125 × 72,000.00 × 0.9 = 29,241.00" in line.zh


def test_the_reward_line_gives_the_actual_reason():
    below = assess(filing(), rule_set_for(2022))  # an enterprise below the quota
    line = next(x for x in below.explanation if x.step == "reward")
    assert "not above the quota" in line.en and "enterprise" not in line.en
    many = tuple(DisabledEmployee(4, 12) for _ in range(5))
    government = assess(filing(unit_type="government", disabled_employees=many), rule_set_for(2022))
    line = next(x for x in government.explanation if x.step == "reward")
    assert "Government bodies" in line.en and "党政机关" in line.zh


def test_unit_types_are_one_list_with_state_owned_enterprises():
    from core.codes import UNIT_TYPES as CORE

    assert "state_owned_enterprise" in UNIT_TYPES
    assert set(CORE) == set(UNIT_TYPES)
