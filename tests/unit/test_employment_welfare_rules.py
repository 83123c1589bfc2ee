"""Priority for public-welfare posts: rural and zero-employment households first."""

from employment.welfare_rules import Candidate, needs_reason, priority_group, ranked, seats_left


def test_priority_groups():
    assert priority_group(Candidate(1, True, True)) == 0
    assert priority_group(Candidate(2, True, False)) == 1
    assert priority_group(Candidate(3, False, True)) == 1
    assert priority_group(Candidate(4, None, False)) == 2  # rural not recorded: no priority
    assert priority_group(Candidate(5, False, False)) == 2


def test_ranking_and_the_reason_for_passing_over_a_priority_candidate():
    people = [Candidate(9, False, False), Candidate(7, None, True), Candidate(8, True, True)]
    assert [(g, c.person_id) for g, c in ranked(people)] == [(0, 8), (1, 7), (2, 9)]
    assert needs_reason(people[0], people) and needs_reason(people[1], people)
    assert not needs_reason(people[2], people)
    assert not needs_reason(people[0], [people[0]])


def test_seats_left():
    assert seats_left(3, 1) == 2 and seats_left(2, 2) == 0 and seats_left(1, 5) == 0
