"""Public-welfare posts (公益性岗位) in matching: who may be offered one, and in which order.

Source: 《就业促进法》 art. 52 (the government helps persons with difficulties in finding work through
public-welfare posts among others, first of all members of zero-employment households) and the
province's 14th five-year plan for persons with disabilities: public-welfare posts are allocated
with priority to rural persons with disabilities and to zero-employment households. The groups are
the employment package's (employment/welfare_rules.py: 0 rural and in a zero-employment household,
1 either, 2 other persons hard to employ); matching receives each seeker's group through
core.offers.welfare_priority and never imports employment.

In matching a public-welfare post is a post like any other (skills, distance, pay, functions are
scored and constrained as usual), with two rules of its own:
- only a seeker who is hard to employ (就业困难) may be offered it (a hard constraint, in the scorer's
  priority lookup);
- its candidates come in priority-group order first, then by score (``welfare_order``): a seeker of
  a lower group never ranks above a feasible seeker of a higher one.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from jobmatch.engine.scoring import EXCLUDED_BELOW

GROUPS = (0, 1, 2)
NO_GROUP = len(GROUPS)  # a seeker with no known group comes after every group


def welfare_order(seekers: Sequence, scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return (rows, values) of the k best seekers for a public-welfare post, as top_k does:
    feasible seekers by priority group, then by score (best first), then by position."""
    scores = np.asarray(scores, dtype=np.float32)
    groups = np.array(
        [NO_GROUP if s.welfare_group is None else int(s.welfare_group) for s in seekers],
        dtype=np.int64,
    )
    feasible = scores >= EXCLUDED_BELOW
    order = np.lexsort((np.arange(len(scores)), -scores, groups))
    order = [i for i in order if feasible[i]][:k]
    rows = np.array(order, dtype=np.int64)
    return rows[None, :], scores[rows][None, :]
