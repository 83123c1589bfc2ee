"""Rural/urban indicators and skills competitions (employment/indicators.py, competition_rules.py)
against hand computations on small data."""

from datetime import date

from employment import competition_rules
from employment.competition_rules import EntryRecord, is_winner, year_figures
from employment.indicators import (
    PersonCounts,
    PersonRecord,
    PlanFacts,
    household_rural,
    indicators,
    person_rural,
    rural_counts,
)
from employment.rules import HouseholdMember

ON = date(2026, 6, 30)
NEW_CODES = (
    "rural_employment_rate",
    "urban_employment_rate",
    "zero_employment_households_rural",
    "zero_employment_households_urban",
    "competition_entrants",
    "competition_winners",
)


def _person(pid, kind="unemployed", county="330106", **kw):
    values = {
        "certified": True,
        "working_age": True,
        "recognised": False,
        "able_to_work": True,
        "wishes_to_work": True,
    }
    return PersonRecord(pid, county, employment_type=kind, **{**values, **kw})


# Households: R1 rural (recorded), R2 rural (recorded; a relative works), U1 urban (recorded),
# X1 unrecorded but its two members with disabilities are recorded rural, X2 unrecorded and its
# members disagree.
PERSONS = (
    _person("p1", "full_time", household_id="R1"),
    _person("p2", household_id="R1"),  # R1 has p1 working: not zero
    _person("p3", household_id="R2"),
    _person("p4", "full_time", household_id="U1"),
    _person("p5", household_id="U1", rural=True),  # own record wins over the household's
    _person("p6", household_id="X1", rural=True),
    _person("p7", household_id="X1", rural=True),
    _person("p8", household_id="X2", rural=True),
    _person("p9", "flexible", household_id="X2", rural=False),  # unrecognised: not employed
    _person("p10", "full_time"),  # no household, no record: in neither part
    _person("p11", "full_time", working_age=False, rural=True),  # not of working age
)
RELATIVES = (("330106", HouseholdMember("R2", True, True, True, True)),)
HOUSEHOLDS = {"R1": True, "R2": True, "U1": False}


def _facts(**kw):
    values = {
        "year": 2026,
        "as_of": ON,
        "persons": PERSONS,
        "relatives": RELATIVES,
        "rural_households": HOUSEHOLDS,
    }
    return PlanFacts(**{**values, **kw})


def test_a_persons_registration_is_their_own_else_their_households():
    assert person_rural(PERSONS[0], HOUSEHOLDS) is True  # R1's
    assert person_rural(PERSONS[4], HOUSEHOLDS) is True  # own record over U1's urban
    assert person_rural(PERSONS[3], HOUSEHOLDS) is False
    assert person_rural(PERSONS[5], HOUSEHOLDS) is True  # own, X1 unrecorded
    assert person_rural(PERSONS[9], HOUSEHOLDS) is None


def test_a_households_registration_is_its_record_else_the_one_its_members_share():
    assert household_rural("U1", PERSONS, HOUSEHOLDS) is False  # record, though p5 is rural
    assert household_rural("X1", PERSONS, HOUSEHOLDS) is True  # p6 and p7 agree
    assert household_rural("X2", PERSONS, HOUSEHOLDS) is None  # p8 and p9 disagree
    assert household_rural("Z9", PERSONS, HOUSEHOLDS) is None


def test_rural_and_urban_counts_by_hand():
    # Rural working-age: p1 p2 p3 (household), p5 p6 p7 p8 (own) = 7, employed p1 = 1.
    # Urban: p4 (household), p9 (own) = 2, employed p4 = 1. p10 is in neither, p11 not of age.
    # Zero households: R1 no (p1), R2 no (relative works), U1 no (p4), X1 yes, X2 yes.
    # X1 rural (members agree); X2 unknown: in neither part.
    counts = rural_counts(_facts())
    assert counts[True] == (7, 1, 1)
    assert counts[False] == (2, 1, 0)


def test_the_rural_indicators_in_the_report():
    report = {i.code: i for i in indicators(_facts()).province}
    rural, urban = report["rural_employment_rate"], report["urban_employment_rate"]
    assert (rural.numerator, rural.denominator, str(rural.value)) == (1, 7, "0.1429")
    assert (urban.numerator, urban.denominator, str(urban.value)) == (1, 2, "0.5000")
    assert rural.target is None and rural.met is None  # the plan sets no separate target
    assert report["zero_employment_households_rural"].value == 1
    assert report["zero_employment_households_urban"].value == 0
    # The overall count has both zero households, the unknown one included.
    assert report["zero_employment_households"].value == 2


def test_a_past_year_from_snapshots_has_no_rural_split_rather_than_an_estimate():
    counts = {"330000": PersonCounts(10, 5, 0, 0, 1, ON, "snapshot")}
    report = {i.code: i for i in indicators(_facts(persons=(), counts=counts)).province}
    for code in NEW_CODES[:4]:
        assert report[code].value is None and report[code].basis == "none"
        assert report[code].kind == "no_data"


def test_the_split_narrows_to_counties():
    other = _person("q1", "full_time", county="330212", rural=True)
    report = indicators(_facts(persons=(*PERSONS, other)))
    far = {i.code: i for i in report.counties["330212"]}
    assert (far["rural_employment_rate"].numerator, far["rural_employment_rate"].denominator) == (
        1,
        1,
    )
    near = {i.code: i for i in report.counties["330106"]}
    assert near["rural_employment_rate"].denominator == 7


ENTRIES = (
    EntryRecord("a", "330106", 2026, "first"),
    EntryRecord("a", "330106", 2026, None),  # a second trade of the same person: counted once
    EntryRecord("b", "330106", 2026, None),  # ranked perhaps, no award: not a winner
    EntryRecord("c", "330212", 2026, "excellence"),
    EntryRecord("d", "330106", 2025, "second"),  # last year's competition
)


def test_entrants_and_winners_of_the_year_each_person_once():
    assert year_figures(ENTRIES, 2026) == (3, 2)
    assert year_figures(ENTRIES, 2025) == (1, 1)
    assert year_figures(ENTRIES, 2024) == (0, 0)


def test_a_winner_has_an_award_not_only_a_rank():
    assert all(is_winner(a) for a in competition_rules.AWARDS)
    assert not is_winner(None) and not is_winner("fourth")


def test_the_competition_figures_in_the_report_by_area():
    report = indicators(_facts(competitions=ENTRIES))
    province = {i.code: i.value for i in report.province}
    assert (province["competition_entrants"], province["competition_winners"]) == (3, 2)
    far = {i.code: i.value for i in report.counties["330212"]}
    assert (far["competition_entrants"], far["competition_winners"]) == (1, 1)
