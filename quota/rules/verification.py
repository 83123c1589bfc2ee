"""Verification of claimed disabled employees (pure): each claim's verdict, and who wins a double claim.

《残疾人就业条例》 art. 8 counts every disabled employee holding a certificate, wherever it was issued: a
valid certificate the service's registry extract does not know (another province's, or one newer than the
last extract) is never rejected for that alone. It is "to be verified" (reason `not_in_registry`): a
counselor of the employer's county confirms or rejects it with the employer's evidence; once confirmed it
counts like a registered one. A deployment can plug in a look-up of the national registry
(`CertificateVerifier`).

A claim is accepted when the certificate is valid and current, the person is known to the registry
(or their certificate was confirmed), of working age on at least one day of the data year (checked on its first and last day), and the
counting conditions hold (contract of a year or more, at least the minimum wage, social insurance paid
in full), and no counselor found it a nominal hire (挂名). A person may count for one employer a year: the first claim (by filing submission order)
keeps the acceptance, later ones become conflicts for a counselor to resolve.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from functools import lru_cache
from typing import NamedTuple, Protocol

from core.dates import is_working_age

REASONS = (
    "invalid_certificate",
    "unknown_person",
    "certificate_not_current",
    "not_working_age",
    "conditions_not_met",
    "nominal_hire",
    "claimed_by_another_employer",
    "not_in_registry",  # to be verified: never a rejection by itself
    "certificate_rejected",  # a counselor rejected an unregistered certificate, with a reason
)
TO_VERIFY = "not_in_registry"
REGISTRY_VALID = "valid"


class PersonFacts(NamedTuple):
    """What the registry says about a claimed person (or, `registered` False, what the certificate
    number itself says: birth date and sex, for a person no registry the service holds knows).
    A named tuple: the review reads one per claimed person."""

    cert_index: str | None
    birth_date: date
    sex: str
    registered: bool = True
    status: str = REGISTRY_VALID
    valid_until: date | None = None


class CertificateVerifier(Protocol):
    """A source of certificate facts beyond the service's own (e.g. the national registry).

    `look_up` gets the full certificate numbers of claims no local source knows and returns the facts
    of those it knows, by certificate number; the rest stay to be verified by a counselor.
    """

    def look_up(self, certificate_numbers: list[str]) -> dict[str, PersonFacts]: ...


class ClaimFacts(NamedTuple):
    """A claim as the verification needs it (a named tuple: the review reads 250,000 of them)."""

    claim_id: int
    person_index: str | None
    cert_index: str | None
    long_contract: bool
    min_wage: bool
    social_insurance: bool
    employer_id: int = 0
    cert_cipher: str | None = None  # read only for a person no local source knows


def check_claim(
    claim: ClaimFacts,
    person: PersonFacts | None,
    data_year: int,
    nominal_hire: bool = False,
    confirmed: bool | None = None,
) -> str | None:
    """Return the reason a claim cannot count, or None when it passes every individual check.

    `nominal_hire`: a counselor found that this person does not really work for the employer.
    `confirmed`: a counselor's decision on a certificate no registry knows (None: not decided yet).
    A certificate the registry does not know gets `not_in_registry` (to be verified) only after the
    checks that would reject it anyway (working age, counting conditions, nominal hire).
    """
    if not claim.person_index or not claim.cert_index:
        return "invalid_certificate"
    if person is None:
        return "unknown_person"
    if person.registered:
        if person.cert_index != claim.cert_index:
            return "certificate_not_current"
        if person.status != REGISTRY_VALID or (
            person.valid_until is not None and person.valid_until < date(data_year, 1, 1)
        ):
            return "certificate_not_current"
    if not of_working_age_in(person.birth_date, person.sex, data_year):
        return "not_working_age"
    if not (claim.long_contract and claim.min_wage and claim.social_insurance):
        return "conditions_not_met"
    if nominal_hire:
        return "nominal_hire"
    if not person.registered:
        if confirmed is None:
            return TO_VERIFY
        if not confirmed:
            return "certificate_rejected"
    return None


@lru_cache(maxsize=65536)
def of_working_age_in(birth_date: date, sex: str, year: int) -> bool:
    """Of working age on the first or the last day of the year (cached: a review checks a few
    hundred thousand people born on some fifteen thousand days)."""
    return is_working_age(birth_date, sex, date(year, 1, 1)) or is_working_age(
        birth_date, sex, date(year, 12, 31)
    )


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
