"""Match quality on a generated labelled set, against a TF-IDF-cosine-only baseline.

Each query seeker names skills in plain Chinese; its relevant posts name the same skills through
synonyms, English names and IME-style typos, and meet every hard constraint (some only through an
offered accommodation). Trap posts use the seeker's exact words but break one hard constraint.

The realistic-outcomes case learns weights from referral outcomes drawn from a known behavioural
model (the demo's, jobmatch.demo.HIRE_MODEL) and compares, on held-out seekers, the NDCG@10 of the
default weights, the bounded learned weights and the former unbounded learner.
"""

from __future__ import annotations

import argparse
import json

import numpy as np
from pypinyin import lazy_pinyin
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression

from bench.synthetic import generate, random_post, skill_groups
from jobmatch.engine.accessibility import BRIDGES, FUNCTION_IDS, default_profile
from jobmatch.engine.domain import Outcome, Post, Seeker
from jobmatch.engine.explain import bridged_accommodations, exclusion_reasons
from jobmatch.engine.factors import DEFAULT_WEIGHTS, FACTORS
from jobmatch.engine.geography import OTHER, load_geography
from jobmatch.engine.matcher import Matcher
from jobmatch.engine.skills import SkillVocabulary, default_vocabulary
from jobmatch.engine.weights import POLICY_FACTORS, default_weights, learn_weights

K = 10


def homophones(vocab: SkillVocabulary) -> dict[str, list[str]]:
    """Map each Chinese character of the vocabulary to others with the same toneless pinyin."""
    chars = {c for s in vocab.skills.values() for c in s.name_zh + "".join(s.synonyms)}
    by_sound: dict[str, list[str]] = {}
    for c in sorted(chars):
        if "\u4e00" <= c <= "\u9fff":
            by_sound.setdefault(lazy_pinyin(c)[0], []).append(c)
    return {c: [o for o in group if o != c] for group in by_sound.values() for c in group}


def variant(skill_id: str, vocab: SkillVocabulary, sounds: dict, rng) -> str:
    """Return a synonym, the English name, or a typo of the Chinese name of a skill."""
    skill = vocab.skills[skill_id]
    choice = rng.integers(3)
    if choice == 0 and skill.synonyms:
        return str(rng.choice(skill.synonyms))
    if choice == 1:
        return _english_typo(skill.name_en, rng)
    name = skill.name_zh
    spots = [i for i, c in enumerate(name) if sounds.get(c)]
    if not spots:
        return skill.name_en
    i = int(rng.choice(spots))
    return name[:i] + str(rng.choice(sounds[name[i]])) + name[i + 1 :]


def _english_typo(name: str, rng) -> str:
    if len(name) < 6 or rng.random() < 0.5:
        return name
    i = int(rng.integers(1, len(name) - 2))
    return name[:i] + name[i + 1] + name[i] + name[i + 2 :]


def query_seeker(i, rng, groups, geo) -> Seeker:
    """Return a query seeker with 2-3 skills of one family, named plainly in Chinese."""
    family = groups[list(groups)[rng.integers(len(groups))]]
    skills = rng.choice(family, size=min(3, len(family)), replace=False).tolist()
    return Seeker(
        id=f"q{i}",
        skills=tuple(skills),
        education="senior",
        county_code=geo.counties[rng.integers(len(geo.counties))],
        functional_profile=default_profile(int(rng.integers(1, 8)), int(rng.integers(1, 5))),
        preferred_modes=frozenset({"full_time", "flexible"}),
        min_salary=4000.0,
        max_commute_km=40.0,
        hard_to_employ=bool(rng.random() < 0.3),
    )


def relevant_post(pid, seeker, vocab, sounds, rng) -> Post:
    """Return a post for the seeker's skills (in other words) that meets every hard constraint."""
    profile = seeker.functional_profile
    limited = [f for f in FUNCTION_IDS if profile.can_meet(f) < 3]
    fn = str(rng.choice(limited))
    bridges = [a for a, b in BRIDGES.items() if profile.can_meet(fn) + b.get(fn, 0) >= 3]
    bridged = bool(bridges) and rng.random() < 0.5
    remote = rng.random() < 0.3
    return Post(
        id=pid,
        skills=tuple(variant(s, vocab, sounds, rng) for s in seeker.skills),
        min_education="junior",
        county_code=seeker.county_code,
        salary_min=4500.0,
        salary_max=6000.0,
        work_mode="home_based" if remote else "full_time",
        functions={fn: 3 if bridged else profile.can_meet(fn)},
        accommodations=frozenset(bridges[:1] if bridged else []),
        employer_shortfall=float(rng.choice([0.0, 1.0, 2.0])),
    )


def trap_post(pid, seeker, kind, geo, rng) -> Post:
    """Return a post with the seeker's exact skill names that breaks one hard constraint."""
    profile = seeker.functional_profile
    limited = [f for f in FUNCTION_IDS if profile.can_meet(f) < 3]
    far = [c for c in geo.counties if geo.tier(seeker.county_code, c) == OTHER]
    names = tuple(default_vocabulary().skill_name(s) for s in seeker.skills)
    return Post(
        id=pid,
        skills=names,
        title=" ".join(names),
        county_code=str(rng.choice(far)) if kind == "location" else seeker.county_code,
        salary_min=6000.0,
        salary_max=8000.0,
        work_mode="full_time",
        functions={str(rng.choice(limited)): 3} if kind == "function" else {},
        open=kind != "closed",
        seats_left=0 if kind == "full" else 2,
        employer_shortfall=3.0,
    )


def build_dataset(queries: int, distractors: int, seed: int = 7):
    """Return (query seekers, posts, relevant post ids per query)."""
    rng = np.random.default_rng(seed)
    vocab, geo = default_vocabulary(), load_geography()
    groups, sounds = skill_groups(vocab), homophones(vocab)
    posts = [
        _named(random_post(i, rng, groups, list(geo.counties)), vocab) for i in range(distractors)
    ]
    seekers, relevant = [], {}
    for q in range(queries):
        seeker = query_seeker(q, rng, groups, geo)
        seekers.append(seeker)
        mine = [relevant_post(f"r{q}_{j}", seeker, vocab, sounds, rng) for j in range(3)]
        relevant[seeker.id] = {p.id for p in mine}
        posts += mine
        posts += [
            trap_post(f"t{q}_{kind}", seeker, kind, geo, rng)
            for kind in ("closed", "full", "function", "location")
        ]
    return seekers, posts, relevant


def _named(post: Post, vocab: SkillVocabulary) -> Post:
    names = tuple(vocab.skill_name(s) for s in post.skills)
    return Post(**{**post.__dict__, "id": f"d{post.id}", "skills": names, "title": " ".join(names)})


def metrics(ranked: list, relevant: set) -> tuple[float, float, float]:
    """Return NDCG@10, P@5 and reciprocal rank of one ranked list of post ids."""
    gains = [1.0 if pid in relevant else 0.0 for pid in ranked[:K]]
    dcg = sum(g / np.log2(i + 2) for i, g in enumerate(gains))
    ideal = sum(1.0 / np.log2(i + 2) for i in range(min(len(relevant), K)))
    first = next((i for i, g in enumerate(gains) if g), None)
    return dcg / ideal, sum(gains[:5]) / 5, 0.0 if first is None else 1.0 / (first + 1)


def baseline_rankings(seekers, posts) -> list[list]:
    """Rank by TF-IDF cosine of the raw texts only: no vocabulary, no constraints."""
    vec = TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True)
    post_m = vec.fit_transform([" ".join(p.skills) + " " + p.title for p in posts])
    seek_m = vec.transform([" ".join(s.skills) for s in seekers])
    sims = (seek_m @ post_m.T).toarray()
    top = np.argsort(-sims, axis=1, kind="stable")[:, :K]
    return [[posts[j].id for j in row] for row in top]


def evaluate(name, rankings, seekers, posts_by_id, relevant, geo) -> dict:
    """Return mean metrics and the count of constraint violations in the top-10 lists."""
    scores = np.array([metrics(r, relevant[s.id]) for r, s in zip(rankings, seekers, strict=True)])
    violations = sum(
        bool(exclusion_reasons(s, posts_by_id[pid], geo))
        for r, s in zip(rankings, seekers, strict=True)
        for pid in r
    )
    ndcg, p5, mrr = scores.mean(axis=0)
    return {
        f"{name}_ndcg10": round(float(ndcg), 4),
        f"{name}_p5": round(float(p5), 4),
        f"{name}_mrr": round(float(mrr), 4),
        f"{name}_violations_top10": int(violations),
    }


def _unbounded_weights(X: np.ndarray, y: np.ndarray) -> dict[str, float]:
    """The former learner, for comparison: logistic regression, negatives clipped to 0, rescaled."""
    learn = [f for f in FACTORS if f not in POLICY_FACTORS]
    cols = [FACTORS.index(f) for f in learn]
    coef = np.clip(LogisticRegression(max_iter=1000).fit(X[:, cols], y).coef_.ravel(), 0, None)
    fixed = {f: DEFAULT_WEIGHTS[f] for f in POLICY_FACTORS}
    share = 1.0 - sum(fixed.values())
    total = coef.sum() or 1.0
    return {f: float(share * c / total) for f, c in zip(learn, coef, strict=True)} | fixed


def realistic_outcomes(n_train: int, n_test: int, n_posts: int, seed: int = 7) -> dict:
    """Weights learned on outcomes drawn from a known behavioural model (jobmatch.demo.HIRE_MODEL).

    Training seekers are referred to one of their 30 best posts under the default weights, hired
    with the model's probability. Each weight set then ranks the held-out seekers' posts; NDCG@10
    uses the model's true hire probability of each (feasible) post as its graded relevance.
    """
    from jobmatch.demo import REFERRAL_POOL, hire_probability

    rng = np.random.default_rng(seed)
    vocab = default_vocabulary()
    seekers, posts = generate(n_train + n_test, n_posts, vocab, seed=seed)
    by_id = {p.id: p for p in posts}
    default = Matcher().fit(posts)

    def truth(seeker, result) -> float:
        values = {f: result.contributions[f] / DEFAULT_WEIGHTS[f] for f in FACTORS}
        return hire_probability(values, bool(bridged_accommodations(seeker, by_id[result.post_id])))

    outcomes = []
    train = default.rank_many(seekers[:n_train], k=REFERRAL_POOL)
    for i, seeker in enumerate(seekers[:n_train]):
        results = train.results(i)
        if results:
            r = results[int(rng.integers(len(results)))]
            outcomes.append(
                Outcome(seeker, by_id[r.post_id], bool(rng.random() < truth(seeker, r)))
            )
    X = default.factor_values(outcomes)
    y = np.array([o.hired for o in outcomes], dtype=int)
    bounded = learn_weights(X, y, default_weights())
    sets = {
        "default": DEFAULT_WEIGHTS,
        "bounded": bounded.values,
        "learned_unbounded": _unbounded_weights(X, y),
    }
    scores = {name: [] for name in sets}
    matchers = {name: Matcher(weights=w).fit(posts) for name, w in sets.items()}
    for seeker in seekers[n_train:]:
        every = default.rank_posts(seeker, len(posts))
        gain = {r.post_id: truth(seeker, r) for r in every}
        ideal = sorted(gain.values(), reverse=True)[:K]
        idcg = sum(g / np.log2(i + 2) for i, g in enumerate(ideal))
        if idcg <= 0:
            continue
        for name, matcher in matchers.items():
            ranked = [r.post_id for r in matcher.rank_posts(seeker, K)]
            dcg = sum(gain.get(pid, 0.0) / np.log2(i + 2) for i, pid in enumerate(ranked))
            scores[name].append(dcg / idcg)
    figures = {
        "outcomes": len(outcomes),
        "hire_rate": round(float(y.mean()), 3),
        "bounded_accepted": bounded.accepted,
        "bounded_heldout_auc": round(bounded.evaluation.auc, 4) if bounded.evaluation else None,
        "default_heldout_auc": round(bounded.evaluation.baseline_auc, 4)
        if bounded.evaluation
        else None,
    }
    for name, values in scores.items():
        figures[f"{name}_ndcg10"] = round(float(np.mean(values)), 4)
        figures[f"{name}_weights"] = {f: round(v, 3) for f, v in sets[name].items()}
    return figures


def main(argv=None) -> dict:
    """Run the engine and the baseline on the same labelled set; print figures, the last line JSON."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--distractors", type=int, default=3000)
    parser.add_argument("--outcome-seekers", type=int, default=1500)
    parser.add_argument("--heldout-seekers", type=int, default=200)
    parser.add_argument("--outcome-posts", type=int, default=1000)
    args = parser.parse_args(argv)
    seekers, posts, relevant = build_dataset(args.queries, args.distractors)
    geo, by_id = load_geography(), {p.id: p for p in posts}
    matcher = Matcher().fit(posts)
    engine = [[r.post_id for r in matcher.rank_posts(s, K)] for s in seekers]
    figures = {"queries": len(seekers), "posts": len(posts)}
    figures |= evaluate("engine", engine, seekers, by_id, relevant, geo)
    figures |= evaluate(
        "baseline", baseline_rankings(seekers, posts), seekers, by_id, relevant, geo
    )
    figures["ndcg10_gain"] = round(figures["engine_ndcg10"] - figures["baseline_ndcg10"], 4)
    figures["realistic_outcomes"] = realistic_outcomes(
        args.outcome_seekers, args.heldout_seekers, args.outcome_posts
    )
    for key, value in figures.items():
        print(f"{key}: {value}")
    print(json.dumps(figures))
    return figures


if __name__ == "__main__":
    main()
