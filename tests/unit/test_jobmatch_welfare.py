"""Public-welfare posts in the engine: only for the hard to employ, candidates in priority order."""

import numpy as np

from jobmatch.engine.domain import Post, Seeker
from jobmatch.engine.matcher import Matcher
from jobmatch.engine.welfare import welfare_order

XIHU = "330106"


def _seeker(sid, skills=("收银",), hard=True, group=None):
    return Seeker(sid, skills=skills, county_code=XIHU, hard_to_employ=hard, welfare_group=group)


def test_a_welfare_post_is_only_for_seekers_hard_to_employ():
    m = Matcher().fit(
        [Post(1, skills=("收银",), county_code=XIHU), Post(2, county_code=XIHU, welfare=True)]
    )
    plain = m.rank_posts(_seeker("a", hard=False), include_excluded=True)
    assert [r.post_id for r in plain if not r.excluded] == [1]
    [barred] = [r for r in plain if r.excluded]
    assert barred.post_id == 2 and [x.code for x in barred.reasons] == ["welfare"]
    hard = m.rank_posts(_seeker("b", group=1))
    welfare = next(r for r in hard if r.post_id == 2)
    assert welfare.welfare and welfare.welfare_group == 1
    assert not next(r for r in hard if r.post_id == 1).welfare
    assert m.explain_pair(_seeker("b", group=1), 1).welfare_group is None


def test_welfare_candidates_come_by_priority_group_then_score():
    post = Post("w", skills=("收银",), county_code=XIHU, welfare=True, title="社区协管员")
    m = Matcher().fit([post])
    skilled_other = _seeker("skilled", skills=("收银", "移动支付"), group=2)
    rural_zero = _seeker("first", skills=("python",), group=0)
    rural = _seeker("second", skills=("收银",), group=1)
    not_hard = _seeker("plain", skills=("收银",), hard=False)
    ranked = m.rank_candidates(post, [skilled_other, not_hard, rural, rural_zero], k=10)
    assert [r.seeker_id for r in ranked] == ["first", "second", "skilled"]
    assert ranked[0].total < ranked[2].total  # the group comes before the score
    # An ordinary post of the same kind ranks by score alone.
    plain_post = Post("p", skills=("收银",), county_code=XIHU)
    ordinary = (
        Matcher()
        .fit([plain_post])
        .rank_candidates(plain_post, [skilled_other, rural_zero, rural], k=10)
    )
    assert [r.seeker_id for r in ordinary][-1] == "first"  # no skill in common: last


def test_welfare_order_keeps_only_feasible_seekers_and_k():
    seekers = [_seeker(i, group=g) for i, g in enumerate((2, None, 0, 1))]
    scores = np.array([0.9, 0.95, 0.1, -1000.0], dtype=np.float32)  # the last is excluded
    rows, vals = welfare_order(seekers, scores, k=2)
    assert rows[0].tolist() == [2, 0] and vals[0].tolist() == [np.float32(0.1), np.float32(0.9)]
