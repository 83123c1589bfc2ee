"""Synthetic seekers and posts for the benchmarks: job families drawn from the skill groups."""

from __future__ import annotations

import numpy as np

from jobmatch.engine.accessibility import default_profile
from jobmatch.engine.domain import EDUCATION_LEVELS, WORK_MODES, Post, Seeker
from jobmatch.engine.functional_model import ACCOMMODATIONS, FUNCTIONS
from jobmatch.engine.geography import load_geography
from jobmatch.engine.skills import SkillVocabulary

FUNCTION_IDS = list(FUNCTIONS)
ACCOMMODATION_IDS = list(ACCOMMODATIONS)


def skill_groups(vocab: SkillVocabulary) -> dict[str, list[str]]:
    """Return the vocabulary's skill ids by group."""
    groups: dict[str, list[str]] = {}
    for skill in vocab.skills.values():
        groups.setdefault(skill.group, []).append(skill.id)
    return groups


def random_post(i: int, rng: np.random.Generator, groups: dict, counties: list[str]) -> Post:
    """Return a post from one job family with random demands, offers and terms."""
    family = groups[list(groups)[rng.integers(len(groups))]]
    skills = tuple(
        rng.choice(family, size=min(len(family), rng.integers(2, 5)), replace=False).tolist()
    )
    n_fn = rng.integers(0, 4)
    functions = {
        f: int(rng.integers(1, 4)) for f in rng.choice(FUNCTION_IDS, n_fn, replace=False).tolist()
    }
    offers = frozenset(rng.choice(ACCOMMODATION_IDS, rng.integers(0, 4), replace=False).tolist())
    low = float(rng.integers(6, 16) * 500)
    return Post(
        id=i,
        employer_id=int(rng.integers(0, max(1, i // 3 + 1))),
        skills=skills,
        min_education=EDUCATION_LEVELS[rng.integers(0, 7)],
        county_code=counties[rng.integers(len(counties))],
        salary_min=low,
        salary_max=low + float(rng.integers(0, 6) * 500),
        work_mode=WORK_MODES[rng.integers(len(WORK_MODES))],
        functions=functions,
        accommodations=offers,
        open=bool(rng.random() > 0.05),
        seats_left=int(rng.integers(0, 5)),
        employer_shortfall=float(rng.choice([0.0, 0.0, 0.5, 1.0, 2.5])),
    )


def random_seeker(i: int, rng: np.random.Generator, groups: dict, counties: list[str]) -> Seeker:
    """Return a seeker with skills from one or two job families and a certificate-based profile."""
    names = list(groups)
    skills: list[str] = []
    for g in rng.choice(names, size=rng.integers(1, 3), replace=False):
        family = groups[g]
        skills += rng.choice(
            family, size=min(len(family), rng.integers(1, 4)), replace=False
        ).tolist()
    return Seeker(
        id=i,
        skills=tuple(dict.fromkeys(skills)),
        education=EDUCATION_LEVELS[rng.integers(0, 8)],
        county_code=counties[rng.integers(len(counties))],
        functional_profile=default_profile(int(rng.integers(1, 8)), int(rng.integers(1, 5))),
        preferred_modes=frozenset(
            rng.choice(WORK_MODES, rng.integers(0, 3), replace=False).tolist()
        ),
        min_salary=float(rng.integers(0, 14) * 500),
        preferred_counties=frozenset(
            rng.choice(counties, rng.integers(0, 3), replace=False).tolist()
        ),
        max_commute_km=[None, 10.0, 40.0, 100.0][rng.integers(4)],
        hard_to_employ=bool(rng.random() < 0.2),
    )


def generate(n_seekers: int, n_posts: int, vocab: SkillVocabulary, seed: int = 0):
    """Return (seekers, posts) drawn with a fixed seed."""
    rng = np.random.default_rng(seed)
    groups, counties = skill_groups(vocab), list(load_geography().counties)
    posts = [random_post(i, rng, groups, counties) for i in range(n_posts)]
    seekers = [random_seeker(i, rng, groups, counties) for i in range(n_seekers)]
    return seekers, posts
