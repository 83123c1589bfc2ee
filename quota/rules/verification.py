"""Verification of claimed disabled employees (pure): each claim's verdict, and who wins a double claim.

A claim is accepted when the certificate is valid and current, the person is known to the registry,
of working age on at least one day of the data year (checked on its first and last day), and the
counting conditions hold (contract of a year or more, at least the minimum wage, social insurance paid
in full), and no counselor found it a nominal hire (挂名). A person may count for one employer a year: the first claim (by filing submission order)
keeps the acceptance, later ones become conflicts for a counselor to resolve.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from core.dates import is_working_age

REASONS = (
    "invalid_certificate",
    "unknown_person",
    "certificate_not_current",
    "not_working_age",
    "conditions_not_met",
    "nominal_hire",
    "claimed_by_another_employer",
)


@dataclass(frozen=True)
class PersonFacts:
    """What the registry says about a claimed person."""

    cert_index: str | None
    birth_date: date
    sex: str


@dataclass(frozen=True)
class ClaimFacts:
    """A claim as the verification needs it."""

    claim_id: int
    person_index: str | None
    cert_index: str | None
    long_contract: bool
    min_wage: bool
    social_insurance: bool
    employer_id: int = 0


def check_claim(
    claim: ClaimFacts, person: PersonFacts | None, data_year: int, nominal_hire: bool = False
) -> str | None:
    """Return the reason a claim cannot count, or None when it passes every individual check.

    `nominal_hire`: a counselor found that this person does not really work for the employer.
    """
    if not claim.person_index or not claim.cert_index:
        return "invalid_certificate"
    if person is None:
        return "unknown_person"
    if person.cert_index != claim.cert_index:
        return "certificate_not_current"
    first, last = date(data_year, 1, 1), date(data_year, 12, 31)
    if not (
        is_working_age(person.birth_date, person.sex, first)
        or is_working_age(person.birth_date, person.sex, last)
    ):
        return "not_working_age"
    if not (claim.long_contract and claim.min_wage and claim.social_insurance):
        return "conditions_not_met"
    if nominal_hire:
        return "nominal_hire"
    return None


def settle_double_claims(
    passing: Iterable[tuple[int, str]], already_accepted: set[str]
) -> tuple[list[int], list[int], set[str]]:
    """Split passing claims (id, person index) in submission order into accepted and conflicting.

    Returns (accepted ids, conflict ids, person indexes now disputed); a person already accepted
    elsewhere makes every new claim of theirs a conflict.
    """
    taken = set(already_accepted)
    accepted: list[int] = []
    conflicts: list[int] = []
    disputed: set[str] = set()
    for claim_id, person_index in passing:
        if person_index in taken:
            conflicts.append(claim_id)
            disputed.add(person_index)
        else:
            taken.add(person_index)
            accepted.append(claim_id)
    return accepted, conflicts, disputed
