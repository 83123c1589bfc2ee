"""Public-welfare posts (公益性岗位) as pure rules: who comes first for a government-funded post.

Source: 《就业促进法》 art. 52 (employment assistance: priority support for persons with difficulty in
finding work, among others through public-welfare posts) and art. 56 (public-welfare posts widened so
that every household wishing to work has at least one member in work: the zero-employment household),
and the province's 14th five-year plan for persons with disabilities as issue #18 reads it (posts
allocated with priority to rural persons with disabilities and to zero-employment households; DESIGN.md
carries no text of the plan's employment section). Candidates are
persons with disabilities who are hard to employ (就业困难: certified, of working age, able and
wishing to work, without work as the plan counts it). The order is: rural and in a zero-employment
household, then either, then the others; a counselor who passes over a candidate of a higher group
must say why.
"""

from __future__ import annotations

from dataclasses import dataclass

GROUPS = (0, 1, 2)  # priority groups, 0 first (names: employment.labels.PRIORITY_GROUP_NAMES)


@dataclass(frozen=True)
class Candidate:
    """A person hard to employ, with the facts that give priority (rural None: not recorded)."""

    person_id: int
    rural: bool | None
    zero_household: bool


def priority_group(candidate: Candidate) -> int:
    """0 for rural and zero-employment household, 1 for either, 2 otherwise."""
    return 2 - (candidate.rural is True) - candidate.zero_household


def ranked(candidates: list[Candidate]) -> list[tuple[int, Candidate]]:
    """Candidates by priority group, then by id (registration order), each with its group."""
    return sorted(
        ((priority_group(c), c) for c in candidates), key=lambda item: (item[0], item[1].person_id)
    )


def needs_reason(chosen: Candidate, candidates: list[Candidate]) -> bool:
    """True when someone of a higher priority group than the chosen person is waiting."""
    best = min((priority_group(c) for c in candidates), default=2)
    return priority_group(chosen) > best


def seats_left(seats: int, occupied: int) -> int:
    return max(0, seats - occupied)
