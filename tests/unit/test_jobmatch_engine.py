"""The matcher: hard constraints, soft factors, explanations, batch ranking and learned weights."""

import numpy as np
import pytest
from sklearn.exceptions import NotFittedError

from bench.synthetic import generate
from jobmatch.engine.accessibility import default_profile
from jobmatch.engine.domain import Outcome, Post, Seeker
from jobmatch.engine.factors import DEFAULT_WEIGHTS, FACTORS
from jobmatch.engine.geography import SAME_CITY, SAME_COUNTY
from jobmatch.engine.matcher import Matcher
from jobmatch.engine.skills import default_vocabulary
from jobmatch.engine.weights import MIN_AUC_GAIN, WEIGHT_BOUNDS, Weights, weight_bounds

XIHU, BINJIANG, HUZHOU_WUXING, JINGNING = "330106", "330108", "330502", "331127"


def post(pid, **kw) -> Post:
    base = dict(skills=("收银员",), county_code=XIHU, salary_min=5000, salary_max=6000)
    return Post(pid, **(base | kw))


def seeker(sid="s", **kw) -> Seeker:
    return Seeker(sid, **(dict(skills=("收银", "仓管"), county_code=XIHU) | kw))


def fitted(*posts) -> Matcher:
    return Matcher().fit(list(posts))


def ranked_ids(matcher, s, **kw) -> list:
    return [r.post_id for r in matcher.rank_posts(s, 10, **kw) if not r.excluded]


def values(matcher, s, pid) -> dict:
    result = matcher.explain_pair(s, pid)
    return {f: result.contributions[f] / matcher.weights_.values[f] for f in FACTORS}


def test_estimator_contract():
    m = Matcher(chunk_size=7)
    assert m.get_params()["chunk_size"] == 7
    assert not [a for a in vars(m) if a.endswith("_")]
    with pytest.raises(NotFittedError):
        m.rank_posts(seeker())
    assert m.fit([post(1)]) is m and m.posts_ and m.weights_.source == "default"


@pytest.mark.parametrize(("kw", "code"), [({"open": False}, "closed"), ({"seats_left": 0}, "full")])
def test_closed_or_full_post_is_removed_with_a_reason(kw, code):
    m = fitted(post(1), post(2, **kw))
    assert ranked_ids(m, seeker()) == [1]
    [excluded] = [r for r in m.rank_posts(seeker(), 10, include_excluded=True) if r.excluded]
    assert excluded.post_id == 2 and [x.code for x in excluded.reasons] == [code]


def codes(result) -> list[str]:
    """The codes of a result's explanation lines (rendered by jobmatch.labels)."""
    return [line.code for line in result.lines]


def line(result, code):
    return next(x for x in result.lines if x.code == code)


def test_function_barrier_removes_post_unless_an_accommodation_bridges_it():
    deaf = seeker(functional_profile=default_profile(2, 1))
    m = fitted(
        post(1, functions={"hearing": 3}),
        post(2, functions={"hearing": 3}, accommodations={"sign_language"}),
    )
    assert ranked_ids(m, deaf) == [2]
    [excluded] = [r for r in m.rank_posts(deaf, 10, include_excluded=True) if r.excluded]
    assert excluded.reasons[0].code == "function"
    assert excluded.reasons[0].params["function"] == "hearing"
    assert excluded.reasons[0].params["missing_accommodation"] == "sign_language"
    assert m.rank_posts(deaf)[0].bridged == ("sign_language",)


def test_same_post_is_fine_for_a_seeker_without_that_limitation():
    m = fitted(post(1, functions={"hearing": 3}))
    assert ranked_ids(m, seeker(functional_profile=default_profile(4, 2))) == [1]


def test_location_out_of_reach_unless_home_based_or_preferred():
    near = seeker(max_commute_km=10)
    m = fitted(post(1, county_code=JINGNING), post(2, county_code=JINGNING, work_mode="home_based"))
    assert ranked_ids(m, near) == [2]
    [excluded] = [r for r in m.rank_posts(near, 10, include_excluded=True) if r.excluded]
    assert excluded.reasons[0].code == "location" and "景宁" in excluded.reasons[0].params["place"]
    assert excluded.reasons[0].params["km"] == 10 and excluded.reasons[0].params["basis"] == "own"
    willing = seeker(max_commute_km=10, preferred_counties={JINGNING})
    assert set(ranked_ids(m, willing)) == {1, 2}


def test_skills_factor_is_coverage_of_the_posts_skills():
    m = fitted(post(1, skills=("POS收银", "库管")), post(2, skills=("收银", "直播带货")))
    assert ranked_ids(m, seeker())[0] == 1
    assert values(m, seeker(), 1)["skills"] > values(m, seeker(), 2)["skills"]
    assert values(m, seeker(), 2)["skills"] == pytest.approx(0.4, abs=0.2)


def test_text_fallback_scores_posts_without_vocabulary_skills():
    m = fitted(post(1, skills=(), title="超市收银"), post(2, skills=(), title="码头起重机"))
    assert values(m, seeker(), 1)["skills"] > values(m, seeker(), 2)["skills"]
    assert "skills_text" in codes(m.explain_pair(seeker(), 1))


@pytest.mark.parametrize(
    ("required", "expected"), [("junior", 1.0), ("senior", 0.5), ("master", 0.0)]
)
def test_education_factor(required, expected):
    m = fitted(post(1, min_education=required))
    assert values(m, seeker(education="junior"), 1)["education"] == pytest.approx(expected)


def test_salary_factor_falls_as_the_pay_falls_below_the_wish():
    m = fitted(
        post(1, salary_min=6000, salary_max=7000),
        post(2, salary_min=4000, salary_max=6000),
        post(3, salary_min=2000, salary_max=3000),
    )
    s = seeker(min_salary=5000)
    v = [values(m, s, pid)["salary"] for pid in (1, 2, 3)]
    assert v[0] == 1.0 and 0.75 <= v[1] < 1.0 and v[2] < 0.75
    assert "salary_below" in codes(m.explain_pair(s, 3))
    assert "salary_partly" in codes(m.explain_pair(s, 2))


def test_distance_factor_by_tier_remote_and_preference():
    m = fitted(
        post(1),
        post(2, county_code=BINJIANG),
        post(3, county_code=HUZHOU_WUXING),
        post(4, county_code=JINGNING),
        post(5, county_code=JINGNING, work_mode="home_based"),
    )
    d = [values(m, seeker(), pid)["distance"] for pid in (1, 2, 3, 4, 5)]
    assert d[0] > d[1] > d[2] > d[3] and d[4] == 1.0
    assert values(m, seeker(preferred_counties={JINGNING}), 4)["distance"] >= 0.8
    assert line(m.explain_pair(seeker(), 2), "distance").params["tier"] == SAME_CITY


def test_work_mode_factor_follows_preferences():
    m = fitted(post(1, work_mode="home_based"), post(2, work_mode="full_time"))
    s = seeker(preferred_modes={"home_based"})
    assert values(m, s, 1)["work_mode"] == 1.0 and values(m, s, 2)["work_mode"] == 0.0
    assert ranked_ids(m, s) == [1, 2]


def test_employer_quota_shortfall_factor():
    m = fitted(post(1, employer_shortfall=0.0), post(2, employer_shortfall=1.0))
    assert values(m, seeker(), 1)["employer_need"] == 0.0
    assert values(m, seeker(), 2)["employer_need"] == pytest.approx(1 - np.exp(-1), abs=1e-4)
    assert ranked_ids(m, seeker()) == [2, 1]
    assert line(m.rank_posts(seeker())[0], "employer_need").params["short"] == 1.0


def test_priority_is_a_visible_factor_for_hard_to_employ_seekers():
    p = post(1)
    m = fitted(p)
    plain, priority = seeker("a"), seeker("b", hard_to_employ=True)
    ranked = m.rank_candidates(p, [plain, priority], k=2)
    assert [r.seeker_id for r in ranked] == ["b", "a"]
    assert ranked[0].contributions["priority"] == pytest.approx(DEFAULT_WEIGHTS["priority"])
    assert ranked[1].contributions["priority"] == 0.0
    assert "priority" in codes(ranked[0]) and "priority" not in codes(ranked[1])


def test_rank_candidates_applies_hard_constraints():
    p = post(1, functions={"hearing": 3})
    m = fitted(p)
    ranked = m.rank_candidates(
        p, [seeker("deaf", functional_profile=default_profile(2, 1)), seeker("x")]
    )
    assert [r.seeker_id for r in ranked] == ["x"]


def test_explanation_names_matched_skills_in_both_languages():
    m = fitted(post(1, skills=("收银", "仓储管理", "盘点"), employer_shortfall=1.5))
    result = m.rank_posts(seeker())[0]
    skills = line(result, "skills")
    assert skills.params["matched"] == 2 and skills.params["wanted"] == 3
    assert skills.params["named"] == ["cashier", "warehouse_management"]
    assert skills.params["related"] == [["warehouse_management", "stocktaking"]]
    assert codes(result)[:2] == ["skills", "distance"]
    assert line(result, "distance").params["tier"] == SAME_COUNTY
    assert sum(result.contributions.values()) == pytest.approx(result.total, abs=1e-4)


def test_rank_many_gives_the_same_top_k_as_rank_posts():
    seekers, posts = generate(40, 300, default_vocabulary(), seed=3)
    m = Matcher().fit(posts)
    batch = m.rank_many(seekers, k=5, chunk_size=7)
    for i, s in enumerate(seekers):
        single = m.rank_posts(s, 5)
        assert batch.post_ids(i) == [r.post_id for r in single]
        assert np.allclose([r.total for r in batch.results(i)], [r.total for r in single])
        assert [r.lines for r in batch.results(i)] == [r.lines for r in single]


@pytest.mark.parametrize("chunk_size", [7, 100, 1000])
def test_rank_many_tiles_give_exactly_what_score_and_top_k_give(chunk_size):
    from jobmatch.engine.matcher import _chunks
    from jobmatch.engine.scoring import top_k

    seekers, posts = generate(250, 400, default_vocabulary(), seed=5)  # chunks of several tiles
    assert any(s.preferred_counties for s in seekers)
    m = Matcher().fit(posts)
    ranking = m.rank_many(seekers, k=8, chunk_size=chunk_size)
    batch, scorer = m._batch(seekers), m._scorer()
    for rows in _chunks(len(seekers), chunk_size):
        idx, vals = top_k(scorer.score(batch, rows), 8)
        assert np.array_equal(ranking.post_index[rows], np.where(np.isfinite(vals), idx, -1))
        assert np.array_equal(ranking.totals[rows], vals)


def test_seekers_sharing_a_text_get_the_vector_they_would_get_alone():
    seekers, posts = generate(60, 50, default_vocabulary(), seed=2)
    seekers = seekers + seekers[:20]
    m = Matcher().fit(posts)
    together = m._batch(seekers).text
    alone = np.vstack([m._batch([s]).text for s in seekers])
    assert np.array_equal(together, alone)


def outcomes(n, seed=0, skill=3.0, distance=0.0, noise_only=False) -> list[Outcome]:
    """Referral outcomes drawn from a known model: hire odds grow with a skill match (and, when
    asked, nearness); salary and place vary at random so the defaults have something to get wrong."""
    rng = np.random.default_rng(seed)
    pool = [("收银",), ("直播带货",), ("数据标注",), ("缝纫",)]
    places = [XIHU, BINJIANG, HUZHOU_WUXING, JINGNING]
    out = []
    for i in range(n):
        skills = pool[rng.integers(4)]
        match = rng.random() < 0.5
        tier = int(rng.integers(4))
        p = post(
            i,
            skills=skills if match else pool[(pool.index(skills) + 1) % 4],
            county_code=places[tier],
            salary_min=int(rng.choice([2000, 4000, 6000])),
            salary_max=int(rng.choice([3000, 6500])),
        )
        logit = -1.5 + skill * match + distance * (1.5 - tier)
        hired = rng.random() < (0.4 if noise_only else 1 / (1 + np.exp(-logit)))
        out.append(Outcome(seeker(i, skills=skills, min_salary=5000), p, bool(hired)))
    return out


def test_learn_weights_keeps_defaults_with_too_few_outcomes():
    m = fitted(post(1))
    weights = m.learn_weights(outcomes(10))
    assert weights.values == DEFAULT_WEIGHTS and weights.version == 1
    assert weights.note == "too_few" and weights.validation_auc is None
    assert weights.note_params == {"n": 10, "minimum": 40, "per_class": 8}
    assert not weights.accepted and m.weights_.source == "default"


def test_learned_weights_beating_the_defaults_on_held_out_outcomes_are_used():
    m = fitted(post(1))
    weights = m.learn_weights(outcomes(300, skill=3.0, distance=0.8))
    ev = weights.evaluation
    assert weights.accepted and m.weights_ is weights and weights.version == 2
    assert ev.auc >= ev.baseline_auc + MIN_AUC_GAIN and ev.ndcg >= ev.baseline_ndcg
    assert weights.validation_auc == ev.auc > 0.75
    assert max(weights.values, key=weights.values.get) == "skills"
    assert weights.values["priority"] == DEFAULT_WEIGHTS["priority"]
    assert sum(weights.values.values()) == pytest.approx(1.0)
    skill_value = m.factor_values([Outcome(seeker(), post(1), False)])[0][FACTORS.index("skills")]
    assert m.rank_posts(seeker())[0].contributions["skills"] == pytest.approx(
        weights.values["skills"] * skill_value, rel=1e-5
    )


def test_weights_learned_from_distance_blind_outcomes_do_not_replace_the_defaults():
    m = fitted(post(1))
    weights = m.learn_weights(outcomes(300, noise_only=True, seed=3))
    assert weights.source == "learned" and not weights.accepted
    assert weights.note == "candidate" and m.weights_.source == "default"
    assert m.weights_.values == DEFAULT_WEIGHTS


def test_learned_weights_stay_within_bounds_and_nearer_never_ranks_lower():
    m = fitted(post(1))
    weights = m.learn_weights(outcomes(400, skill=3.0, distance=0.0, seed=5))
    bounds = weight_bounds()
    for factor, (low, high) in bounds.items():
        assert low - 1e-9 <= weights.values[factor] <= high + 1e-9, factor
    assert weights.values["distance"] >= WEIGHT_BOUNDS[0] * DEFAULT_WEIGHTS["distance"] > 0
    assert weights.values["salary"] > 0 and weights.values["employer_need"] > 0
    near, far = post("near", county_code=XIHU), post("far", county_code=JINGNING)
    ranked = Matcher(weights=weights).fit([far, near]).rank_posts(seeker(), 2)
    assert [r.post_id for r in ranked] == ["near", "far"]


def test_custom_weights_are_validated():
    assert Matcher(weights=DEFAULT_WEIGHTS).fit([post(1)]).weights_.source == "custom"
    with pytest.raises(ValueError):
        Weights(values=DEFAULT_WEIGHTS | {"skills": -1.0})
    with pytest.raises(ValueError):
        Weights(values={"skills": 1.0})


def test_an_explanation_line_never_has_a_zero_contribution():
    zero = DEFAULT_WEIGHTS | {"distance": 0.0, "employer_need": 0.0, "salary": 0.0}
    posts = [
        post(1, employer_shortfall=1.4, salary_min=1000, salary_max=2000),
        post(2, skills=("python",), county_code=JINGNING, employer_shortfall=2.0),
        post(3, work_mode="home_based", min_education="bachelor"),
    ]
    s = seeker(min_salary=5000, hard_to_employ=True, preferred_modes={"full_time"})
    for weights in (zero, DEFAULT_WEIGHTS):
        for result in Matcher(weights=weights).fit(posts).rank_posts(s, 10):
            assert result.lines and all(line.contribution != 0 for line in result.lines)
            shown = {line.factor for line in result.lines}
            assert all(weights[f] > 0 for f in shown)
            if weights is zero:
                assert not {"employer_need", "distance", "remote"} & set(codes(result))
    with_need = Matcher().fit(posts).explain_pair(s, 1)
    assert line(with_need, "employer_need").params["short"] == 1.4
    assert "salary_below" in codes(with_need)


def test_work_mode_is_named_only_for_a_seeker_who_stated_a_wish():
    m = fitted(post(1))
    assert "work_mode" not in codes(m.explain_pair(seeker(), 1))
    wished = m.explain_pair(seeker(preferred_modes={"full_time"}), 1)
    assert line(wished, "work_mode").params["mode"] == "full_time"


def test_the_demo_outcome_model_rewards_skills_nearness_pay_and_accommodations():
    from jobmatch.demo import HIRE_MODEL, hire_probability

    base = {f: 0.5 for f in FACTORS}
    p = hire_probability(base, False)
    for factor in ("skills", "distance", "salary", "work_mode", "education"):
        assert hire_probability(base | {factor: 1.0}, False) > p, factor
    assert hire_probability(base, True) > p
    assert hire_probability(base | {"priority": 1.0}, False) == p  # policy, not behaviour
    assert HIRE_MODEL["skills"] > HIRE_MODEL["distance"] > HIRE_MODEL["salary"] > 0


def test_updating_posts_in_place_ranks_as_a_fresh_fit_would():
    from dataclasses import replace

    seekers, posts = generate(30, 120, default_vocabulary(), seed=4)
    m = Matcher().fit(posts)
    model = m.text_model_
    edited = replace(posts[3], salary_min=9000, salary_max=12000, county_code=XIHU)
    closed = replace(posts[7], open=False)
    new = replace(posts[11], id="new-post")
    m.update_posts([edited, closed, new], removed=[posts[20].id])
    expected = [edited if p.id == edited.id else closed if p.id == closed.id else p for p in posts]
    expected = [p for p in expected if p.id != posts[20].id] + [new]
    fresh = Matcher().fit(expected)
    assert m.text_model_ is model is fresh.text_model_  # one text model per vocabulary version
    assert len(m.posts_) == len(expected) and posts[20].id not in m.post_index_
    mine, theirs = m.rank_many(seekers, k=8), fresh.rank_many(seekers, k=8)
    for i in range(len(seekers)):
        a = dict(zip(mine.post_ids(i), np.round(mine.totals[i], 5), strict=False))
        b = dict(zip(theirs.post_ids(i), np.round(theirs.totals[i], 5), strict=False))
        assert a == b
        assert closed.id not in a
