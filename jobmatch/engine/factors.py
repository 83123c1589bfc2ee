"""The soft factors of a match, each a value in [0, 1], computed on numpy arrays (broadcasting)."""

from __future__ import annotations

import numpy as np

from jobmatch.engine.domain import WORK_MODES

FACTORS = (
    "skills",
    "education",
    "salary",
    "distance",
    "work_mode",
    "employer_need",
    "priority",
)
DEFAULT_WEIGHTS = {
    "skills": 0.40,
    "education": 0.10,
    "salary": 0.12,
    "distance": 0.12,
    "work_mode": 0.10,
    "employer_need": 0.08,
    "priority": 0.08,
}

# Share of the skill factor from vocabulary coverage when the post names vocabulary skills;
# the rest comes from TF-IDF text similarity (all of it when the post names none).
COVERAGE_SHARE = 0.8
DISTANCE_VALUES = np.array([1.0, 0.7, 0.35, 0.1], dtype=np.float32)  # by geography tier
PREFERRED_COUNTY_VALUE = 0.8  # a county the seeker asked for is close enough, whatever its tier

# MODE_AFFINITY[preferred][offered]: how well an offered work mode suits a stated preference.
MODE_AFFINITY = {
    "full_time": {"full_time": 1.0, "part_time": 0.3, "flexible": 0.5, "home_based": 0.3},
    "part_time": {"full_time": 0.2, "part_time": 1.0, "flexible": 0.8, "home_based": 0.5},
    "flexible": {"full_time": 0.2, "part_time": 0.8, "flexible": 1.0, "home_based": 0.8},
    "home_based": {"full_time": 0.0, "part_time": 0.3, "flexible": 0.5, "home_based": 1.0},
}


def mode_bits(modes: frozenset[str]) -> int:
    """Encode a set of preferred work modes as a bit mask over WORK_MODES."""
    return sum(1 << i for i, m in enumerate(WORK_MODES) if m in modes)


def _mode_table() -> np.ndarray:
    table = np.ones((1 << len(WORK_MODES), len(WORK_MODES)), dtype=np.float32)
    for bits in range(1, 1 << len(WORK_MODES)):
        prefs = [m for i, m in enumerate(WORK_MODES) if bits & (1 << i)]
        for j, offered in enumerate(WORK_MODES):
            table[bits, j] = max(MODE_AFFINITY[p][offered] for p in prefs)
    return table


MODE_TABLE = _mode_table()  # rows: preference bit mask (0 = no preference: every mode suits)


def education_value(seeker_rank, post_rank):
    """1 when the seeker meets the minimum education, half per level short, never below 0."""
    gap = np.asarray(post_rank, dtype=np.float32) - np.asarray(seeker_rank, dtype=np.float32)
    return np.clip(1.0 - 0.5 * np.maximum(gap, 0.0), 0.0, 1.0)


def salary_value(min_salary, salary_min, salary_max):
    """1 when the whole range meets the seeker's minimum, less as the range falls below it."""
    want = np.asarray(min_salary, dtype=np.float32)
    lo = np.asarray(salary_min, dtype=np.float32)
    hi = np.maximum(np.asarray(salary_max, dtype=np.float32), lo)
    spread = np.maximum(hi - lo, 1.0)
    inside = 0.75 + 0.25 * np.clip((hi - want) / spread, 0.0, 1.0)
    below = 0.7 * np.clip(1.0 - 2.0 * (want - hi) / np.maximum(want, 1.0), 0.0, 1.0)
    value = np.where(hi >= want, np.where(lo >= want, 1.0, inside), below)
    return np.where(want <= 0, 1.0, value).astype(np.float32)


def employer_need_value(shortfall):
    """Grows with the employer's quota shortfall in persons: 0 at none, 0.63 at one, near 1 at three."""
    return (1.0 - np.exp(-np.maximum(np.asarray(shortfall, dtype=np.float32), 0.0))).astype(
        np.float32
    )


def skill_coefficients(post_skill_count):
    """Return per post (coverage coefficient per skill, text-similarity coefficient)."""
    count = np.asarray(post_skill_count, dtype=np.float32)
    has = count > 0
    coverage = np.where(has, COVERAGE_SHARE / np.maximum(count, 1.0), 0.0)
    text = np.where(has, 1.0 - COVERAGE_SHARE, 1.0)
    return coverage.astype(np.float32), text.astype(np.float32)
