"""Verification of claimed employees (pure): each reason, in order, and who wins a double claim."""

from datetime import date

import pytest

from quota.rules.verification import ClaimFacts, PersonFacts, check_claim, settle_double_claims

PERSON = PersonFacts(cert_index="c1", birth_date=date(1990, 3, 1), sex="F")


def claim(**overrides) -> ClaimFacts:
    values = dict(
        claim_id=1,
        person_index="p1",
        cert_index="c1",
        long_contract=True,
        min_wage=True,
        social_insurance=True,
        employer_id=7,
    )
    values.update(overrides)
    return ClaimFacts(**values)


def test_a_claim_meeting_every_check_passes():
    assert check_claim(claim(), PERSON, 2022) is None


@pytest.mark.parametrize(
    ("overrides", "person", "reason"),
    [
        ({"cert_index": None}, PERSON, "invalid_certificate"),
        ({}, None, "unknown_person"),
        ({"cert_index": "old"}, PERSON, "certificate_not_current"),
        ({}, PersonFacts("c1", date(2010, 1, 1), "M"), "not_working_age"),
        ({}, PersonFacts("c1", date(1960, 6, 1), "F"), "not_working_age"),
        ({"social_insurance": False}, PERSON, "conditions_not_met"),
        ({"long_contract": False}, PERSON, "conditions_not_met"),
    ],
)
def test_each_reason(overrides, person, reason):
    assert check_claim(claim(**overrides), person, 2022) == reason


def test_working_age_on_either_end_of_the_year_is_enough():
    turns_16_in_december = PersonFacts("c1", date(2006, 12, 20), "M")
    assert check_claim(claim(), turns_16_in_december, 2022) is None


def test_a_nominal_hire_finding_rejects_an_otherwise_good_claim():
    assert check_claim(claim(), PERSON, 2022, nominal_hire=True) == "nominal_hire"
    assert check_claim(claim(cert_index="old"), PERSON, 2022, nominal_hire=True) == (
        "certificate_not_current"
    )


def test_first_claim_in_submission_order_wins_and_others_conflict():
    accepted, conflicts, disputed = settle_double_claims(
        [(1, "a"), (2, "b"), (3, "a"), (4, "c")], already_accepted={"c"}
    )
    assert accepted == [1, 2] and conflicts == [3, 4] and disputed == {"a", "c"}
