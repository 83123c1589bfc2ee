"""The plan's indicators (employment/indicators.py) against hand computations on small data."""

from datetime import date
from decimal import Decimal

from employment.indicators import (
    FilingRecord,
    IncomeFigure,
    InstitutionRecord,
    LeadUnitRecord,
    PersonCounts,
    PersonRecord,
    PlanFacts,
    Targets,
    TrainingRecord,
    indicators,
    is_new_graduate,
    person_counts,
    quota_data_year,
)
from employment.rules import HouseholdMember

ON = date(2025, 6, 30)


def _person(pid, county, kind="unemployed", **kw):
    values = {
        "certified": True,
        "working_age": True,
        "recognised": False,
        "able_to_work": True,
        "wishes_to_work": True,
    }
    return PersonRecord(pid, county, employment_type=kind, **{**values, **kw})


PERSONS = (
    _person("a1", "330102", "full_time", household_id="H1"),
    _person("a2", "330102", "flexible", recognised=True, household_id="H1"),
    _person("a3", "330102", household_id="H2"),
    _person("a4", "330102", "home_based", household_id="H2"),  # not recognised: not employed
    _person("g1", "330102", "full_time", new_graduate=True),
    _person("b1", "330182", "self_employed"),
    _person("b2", "330182", working_age=False),
    _person("g2", "330182", new_graduate=True, household_id="H3"),
    _person("g3", "330182", new_graduate=True, wishes_to_work=False),  # no wish: not counted
    _person("c1", "330203", certified=False),
    _person("c2", "330203", "flexible", household_id="H4"),  # unrecognised
)
# H4 has a relative without a disability who works: not a zero-employment household.
RELATIVES = (("330203", HouseholdMember("H4", True, True, True, True)),)
FACTS = PlanFacts(
    year=2025,
    as_of=ON,
    persons=PERSONS,
    relatives=RELATIVES,
    trainings=(
        TrainingRecord("a3", "330102", date(2025, 5, 1)),
        TrainingRecord("a3", "330102", date(2025, 9, 1)),  # the same person twice: 2 人次
        TrainingRecord("b2", "330182", date(2024, 12, 31)),  # last year
        TrainingRecord("c1", "330203", date(2025, 1, 1)),
    ),
    filings=(
        FilingRecord(
            "e1", "330102", False, True, reward_eligible=True, reward_computed=Decimal(1500)
        ),
        FilingRecord("e2", "330102", False, False, Decimal(144000), Decimal("144000.00")),
        FilingRecord("e3", "330203", False, False, Decimal(40000), Decimal(0)),  # assessed, unpaid
        FilingRecord("e4", "330203", True, False, Decimal(90000), Decimal(0)),  # did not file
    ),
    lead_units=(
        LeadUnitRecord("e1", "省民政厅", "330102", Decimal(2)),
        LeadUnitRecord("e5", "省交通厅", "330102", Decimal(0)),
        LeadUnitRecord("e6", "市残工委成员单位", "330203", None),  # no assessment: counts as none
    ),
    institutions=(
        InstitutionRecord("1", "330102"),
        InstitutionRecord("2", "330203"),
    ),
    incomes={"330000": IncomeFigure("330000", Decimal("41234.5"), "省统计局2025年抽样调查")},
)


def _by_code(items):
    return {i.code: i for i in items}


def test_employment_rate_counts_flexible_work_only_once_recognised():
    report = _by_code(indicators(FACTS).province)
    rate = report["employment_rate"]
    # certified working age: a1 a2 a3 a4 g1 b1 g2 g3 c2 = 9; employed: a1, a2 (recognised), g1, b1
    assert (rate.numerator, rate.denominator, rate.value) == (4, 9, Decimal("0.4444"))
    assert rate.met is False and rate.basis == "records" and rate.as_of == ON
    assert (rate.kind, rate.target, rate.short) == ("rate", Decimal("0.6"), 2)


def test_graduates_are_of_the_year_from_college_or_above_and_wish_to_work():
    graduates = _by_code(indicators(FACTS).province)["graduate_employment_rate"]
    assert (graduates.numerator, graduates.denominator, graduates.met) == (1, 2, False)
    assert is_new_graduate(2025, "associate", 2025) and is_new_graduate(2025, "doctor", 2025)
    assert not is_new_graduate(2024, "bachelor", 2025)  # an earlier cohort
    assert not is_new_graduate(2025, "vocational", 2025)  # 中专 is not 高校
    assert not is_new_graduate(None, "master", 2025)


def test_zero_employment_households_use_every_member_and_the_wish_to_work():
    households = _by_code(indicators(FACTS).province)["zero_employment_households"]
    # H1 has a1 employed; H2: a3, a4 (unrecognised) unemployed -> zero; H3: g2 -> zero;
    # H4: c2 unrecognised but the relative works -> not zero.
    assert (households.value, households.met) == (2, False)
    counts = person_counts(PERSONS, [], ON)
    assert counts.zero_households == 3  # without the working relative H4 is counted too


def test_training_counts_person_times_against_the_target_and_people_beside():
    report = _by_code(indicators(FACTS).province)
    times, people = report["training_person_times"], report["people_trained"]
    assert (times.value, times.target, times.met) == (3, 20_000, False)
    assert (people.value, people.target) == (2, None)
    assert (times.kind, times.at_most) == ("count", False)


def test_quota_figures_count_filers_payers_and_computed_rewards():
    report = _by_code(indicators(FACTS).province)
    quota = report["quota_compliance"]
    assert (quota.numerator, quota.denominator) == (1, 3)  # the non-filer is left out
    assert quota.data_year == 2024 == quota_data_year(2025)
    levy = report["levy_collected"]
    assert (levy.value, levy.denominator) == (Decimal("144000.00"), 1)  # one employer paid
    rewards = report["rewards_computed"]
    assert (rewards.value, rewards.denominator) == (Decimal("1500.00"), 1)
    assert rewards.kind == "money"


def test_lead_bodies_blind_massage_and_entered_income():
    report = _by_code(indicators(FACTS).province)
    lead = report["lead_bodies_employing"]
    assert (lead.numerator, lead.denominator, lead.met) == (1, 3, False)
    blind = report["blind_massage_institutions"]
    assert (blind.value, blind.target, blind.met) == (2, 1_000, False)
    income = report["household_income"]
    assert (income.value, income.basis) == (Decimal("41234.50"), "entered")
    assert (income.kind, income.source) == ("income", "省统计局2025年抽样调查")


def test_cities_and_counties_and_their_targets():
    report = indicators(FACTS)
    assert list(report.cities) == ["330100", "330200"]
    assert list(report.counties) == ["330102", "330182", "330203"]
    hangzhou = _by_code(report.cities["330100"])
    rate = hangzhou["employment_rate"]
    assert (rate.numerator, rate.denominator) == (4, 8)
    assert hangzhou["training_person_times"].target is None  # a count target is the province's
    assert hangzhou["blind_massage_institutions"].target is None
    income = hangzhou["household_income"]
    assert income.value is None and income.kind == "not_entered"
    ningbo = _by_code(report.counties["330203"])
    assert ningbo["zero_employment_households"].value == 0
    assert ningbo["quota_compliance"].denominator == 1


def test_a_past_year_reads_the_snapshots_and_says_when_there_is_none():
    counts = {
        "330000": PersonCounts(100, 61, 4, 3, 7, date(2024, 12, 31), "snapshot"),
        "330102": PersonCounts(None, None, None, None, 2, date(2024, 12, 31), "snapshot"),
    }
    report = indicators(PlanFacts(year=2024, as_of=date(2024, 12, 31), counts=counts))
    province = _by_code(report.province)
    rate = province["employment_rate"]
    assert (rate.value, rate.met, rate.basis) == (Decimal("0.6100"), True, "snapshot")
    assert rate.as_of == date(2024, 12, 31)
    assert province["zero_employment_households"].value == 7
    county = _by_code(report.counties["330102"])  # a snapshot from before the rate was stored
    assert county["employment_rate"].value is None
    assert county["employment_rate"].kind == "no_data"
    assert county["employment_rate"].basis == "none"


def test_the_2020_baseline_is_the_plans_figure_labelled_as_such():
    facts = PlanFacts(year=2020, as_of=date(2020, 12, 31), counts={})
    report = indicators(facts)
    rate = _by_code(report.province)["employment_rate"]
    assert (rate.value, rate.basis, rate.numerator, rate.met) == (
        Decimal("0.57"),
        "plan",
        None,
        None,
    )
    assert rate.kind == "baseline"
    graduates = _by_code(report.province)["graduate_employment_rate"]
    assert graduates.value is None and graduates.kind == "no_data"
    later = _by_code(indicators(PlanFacts(year=2021, as_of=date(2021, 12, 31), counts={})).province)
    assert later["employment_rate"].value is None  # only the year the plan states


def test_targets_are_parameters():
    stricter = Targets(employment_rate=Decimal("0.4"), quota_compliance=Decimal("0.3"))
    report = _by_code(indicators(FACTS, stricter).province)
    assert report["employment_rate"].met is True
    assert report["quota_compliance"].met is True


def test_without_quota_records_the_year_says_so():
    report = _by_code(indicators(PlanFacts(year=2025, as_of=ON)).province)
    assert report["quota_compliance"].value is None
    assert report["levy_collected"].kind == "no_data"
    assert report["levy_collected"].data_year == 2024


def test_lead_bodies_without_a_review_say_no_data_and_with_one_count_as_none():
    lead = (LeadUnitRecord("e9", "省某厅", "330102", None),)
    before = _by_code(indicators(PlanFacts(year=2025, as_of=ON, lead_units=lead)).province)
    assert (
        before["lead_bodies_employing"].value is None
        and before["lead_bodies_employing"].basis == "none"
    )
    held = PlanFacts(year=2025, as_of=ON, lead_units=lead, quota_reviewed=True)
    after = _by_code(indicators(held).province)["lead_bodies_employing"]
    assert (after.numerator, after.denominator, after.met) == (0, 1, False)
