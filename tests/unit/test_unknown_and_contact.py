"""Unknown where honest (indicators leave an unknown status out of a rate and say how many) and
the line that names the counselor in every follow-up message; both against hand computations."""

from dataclasses import replace
from datetime import date
from decimal import Decimal

from employment.indicators import PersonRecord, PlanFacts, indicators, person_counts
from employment.rules import PersonFacts, is_employed, is_hard_to_employ
from followup.timing import RETENTION_GOAL, RETENTION_MONTHS

ON = date(2026, 6, 30)


def _p(pid, kind="unemployed", **kw):
    values = {
        "certified": True,
        "working_age": True,
        "recognised": False,
        "able_to_work": True,
        "wishes_to_work": True,
    }
    return PersonRecord(pid, "330106", employment_type=kind, **{**values, **kw})


PEOPLE = (
    _p("e1", "full_time"),
    _p("e2", "self_employed"),
    _p("u1"),
    _p("x1", None),  # status not known
    _p("x2", None, household_id="H1"),  # not known, and the household's only seeker
    _p("u2", household_id="H2"),  # H2: a seeker with nobody working -> zero employment
    _p("g1", "full_time", new_graduate=True),
    _p("g2", new_graduate=True),
    _p("g3", None, new_graduate=True),  # graduate, status not known
    _p("g4", "full_time", new_graduate=True, wishes_to_work=None),  # wish not known
    _p("g5", new_graduate=True, wishes_to_work=False),  # no wish: outside, not unknown
    _p("n1", None, certified=False),  # not certified: outside the rate altogether
)


def test_unknown_is_left_out_of_numerator_and_denominator_by_hand():
    counts = person_counts(PEOPLE, (), ON)
    # certified working age: e1 e2 u1 x1 x2 u2 g1 g2 g3 g4 g5 = 11, of them unknown x1 x2 g3 = 3
    # known 8: employed e1 e2 g1 g4 = 4
    assert (counts.employed_adults, counts.adults, counts.unknown_adults) == (4, 8, 3)
    # new graduates not refusing work: g1 g2 g3 g4; known wish and status: g1 g2 -> 1 of 2
    assert (counts.employed_graduates, counts.graduates, counts.unknown_graduates) == (1, 2, 2)
    # H1's only member is unknown: not asserted as zero employment; H2 is.
    assert counts.zero_households == 1


def test_the_figure_shows_unknown_beside_it():
    facts = PlanFacts(year=2026, as_of=ON, persons=PEOPLE)
    report = {i.code: i for i in indicators(facts).province}
    rate = report["employment_rate"]
    assert (rate.numerator, rate.denominator, rate.value) == (4, 8, Decimal("0.5000"))
    assert rate.unknown == 3
    graduates = report["graduate_employment_rate"]
    assert (graduates.numerator, graduates.denominator, graduates.unknown) == (1, 2, 2)


def test_without_unknowns_the_figure_is_unchanged():
    known = tuple(p for p in PEOPLE if p.employment_type and p.wishes_to_work is not None)
    rate = {i.code: i for i in indicators(PlanFacts(2026, ON, persons=known)).province}
    assert rate["employment_rate"].unknown == 0


def test_an_unknown_status_is_neither_employed_nor_hard_to_employ():
    assert is_employed(None, True) is False
    facts = PersonFacts(True, date(1998, 5, 17), "M", True, True, None)
    assert is_hard_to_employ(facts, ON) is False
    assert is_hard_to_employ(replace(facts, employment_type="unemployed"), ON) is True
    assert is_hard_to_employ(replace(facts, wishes_to_work=None), ON) is False


def test_the_retention_goal_states_the_check_in_months():
    assert RETENTION_MONTHS == (1, 3, 6)
    assert "上岗后第1、3、6个月回访" in RETENTION_GOAL
