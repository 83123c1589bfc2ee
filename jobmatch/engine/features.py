"""Turn seekers and posts into the arrays and sparse matrices the vectorised scorer works on."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from threadpoolctl import threadpool_limits

from jobmatch.engine.accessibility import FUNCTION_IDS, FunctionalProfile, requirement_vector
from jobmatch.engine.domain import WORK_MODES, Post, Seeker, education_rank
from jobmatch.engine.factors import employer_need_value, mode_bits, skill_coefficients
from jobmatch.engine.geography import Geography, reach_tier
from jobmatch.engine.skills import SkillVocabulary

FULL_CAPACITY = np.full(len(FUNCTION_IDS), 3, dtype=np.int8)


class TextModel:
    """TF-IDF of character n-grams reduced by a truncated SVD to a few dense, unit-length dimensions.

    Character n-grams need no word segmentation and tolerate typos in Chinese and English; the
    reduction makes the seeker x post text similarity a dense matrix product instead of a sparse
    product with a nearly dense result. The SVD is exact, through the small Gram matrix of the
    fitted texts (texts x texts, a few hundred: the vocabulary), not a randomized range finder
    over the n-gram space.
    """

    def __init__(self, dims: int = 64, random_state: int = 0) -> None:
        self.dims, self.random_state = dims, random_state

    def fit(self, texts: Sequence[str]) -> TextModel:
        """Learn the n-gram weights and the reduced space from texts (the vocabulary's names)."""
        self.tfidf_ = TfidfVectorizer(
            analyzer="char_wb", ngram_range=(2, 3), sublinear_tf=True, dtype=np.float32
        )
        matrix = self.tfidf_.fit_transform(texts).astype(np.float64)
        gram = (matrix @ matrix.T).toarray()
        # A few hundred rows: one thread is faster than waking a BLAS pool (10x on a busy host).
        with threadpool_limits(1):
            values, vectors = np.linalg.eigh(gram)  # ascending
        order = np.argsort(values)[::-1]
        keep = [i for i in order if values[i] > 1e-10][
            : max(1, min(self.dims, matrix.shape[0] - 1))
        ]
        sing = np.sqrt(values[keep])
        # Right singular vectors: V = X^T U / s (n-grams x dims), stored as dims x n-grams.
        self.components_ = np.asarray((matrix.T @ vectors[:, keep]) / sing, dtype=np.float32).T
        self.n_components = len(keep)
        return self

    def transform(self, texts: Sequence[str]) -> np.ndarray:
        """Return unit-length dense vectors (zero for empty text), float32."""
        if not texts:
            return np.zeros((0, self.n_components), dtype=np.float32)
        reduced = np.asarray(self.tfidf_.transform(texts) @ self.components_.T, dtype=np.float32)
        norms = np.linalg.norm(reduced, axis=1, keepdims=True)
        return reduced / np.where(norms > 0, norms, 1.0)


_TEXT_MODELS: dict[tuple[str, int, int], TextModel] = {}


def text_model_for(vocab: SkillVocabulary, dims: int = 64, random_state: int = 0) -> TextModel:
    """Return the text model of a vocabulary version, fitted once per process and reused.

    It is fitted on the vocabulary's names and synonyms (both languages), not on the posts: it does
    not change when posts change, so no post edit refits it.
    """
    key = (vocab.version, dims, random_state)
    if key not in _TEXT_MODELS:
        texts = [text_of((sid,), vocab.skills[sid].synonyms, "", vocab) for sid in vocab.skills]
        _TEXT_MODELS[key] = TextModel(dims, random_state).fit(texts)
    return _TEXT_MODELS[key]


@dataclass
class PostTable:
    """Column-side arrays: one entry per post."""

    ids: list
    skill_ids: list[tuple[str, ...]]
    onehot: sp.csr_matrix  # posts x skills, each 1 scaled by the post's coverage coefficient
    onehot_t: sp.csr_matrix  # the same, transposed, for seeker x post products
    text: np.ndarray  # posts x dims, unit text vectors scaled by the post's text coefficient
    education: np.ndarray
    salary_min: np.ndarray
    salary_max: np.ndarray
    mode: np.ndarray
    county: np.ndarray
    remote: np.ndarray
    requirement: np.ndarray  # posts x functions: capacity needed after the offered bridges
    available: np.ndarray  # open with seats left
    need: np.ndarray  # employer_need factor value
    welfare: np.ndarray  # a public-welfare post: only for seekers hard to employ
    county_onehot: sp.csr_matrix  # counties x posts

    def __len__(self) -> int:
        return len(self.ids)

    def take(self, rows: np.ndarray) -> PostTable:
        """Return the table of the given rows (positions), in that order."""
        rows = np.asarray(rows, dtype=np.int64)
        onehot = self.onehot[rows]
        return PostTable(
            ids=[self.ids[i] for i in rows],
            skill_ids=[self.skill_ids[i] for i in rows],
            onehot=onehot,
            onehot_t=onehot.T.tocsr(),
            county_onehot=self.county_onehot[:, rows].tocsr(),
            **{f: getattr(self, f)[rows] for f in _ROW_ARRAYS},
        )

    def concat(self, other: PostTable) -> PostTable:
        """Return this table with the other's rows appended."""
        onehot = sp.vstack([self.onehot, other.onehot]).tocsr()
        return PostTable(
            ids=self.ids + other.ids,
            skill_ids=self.skill_ids + other.skill_ids,
            onehot=onehot,
            onehot_t=onehot.T.tocsr(),
            county_onehot=sp.hstack([self.county_onehot, other.county_onehot]).tocsr(),
            **{f: np.concatenate([getattr(self, f), getattr(other, f)]) for f in _ROW_ARRAYS},
        )


_ROW_ARRAYS = (
    "text",
    "education",
    "salary_min",
    "salary_max",
    "mode",
    "county",
    "remote",
    "requirement",
    "available",
    "need",
    "welfare",
)


@dataclass
class SeekerBatch:
    """Row-side arrays: one entry per seeker."""

    ids: list
    skill_ids: list[tuple[str, ...]]
    onehot: sp.csr_matrix  # seekers x skills: 1 for a skill held, partial credit for a related one
    text: np.ndarray  # seekers x dims, unit text vectors
    education: np.ndarray
    min_salary: np.ndarray
    mode_bits: np.ndarray
    priority: np.ndarray
    county: np.ndarray
    reach: np.ndarray
    preferred: sp.csr_matrix  # seekers x counties
    capacity: np.ndarray  # seekers x functions

    def __len__(self) -> int:
        return len(self.ids)


def text_of(ids: tuple[str, ...], raw: Sequence[str], extra: str, vocab: SkillVocabulary) -> str:
    """Return the text the TF-IDF fallback sees: skill names in both languages plus free text."""
    names = [f"{vocab.skill_name(i, 'zh')} {vocab.skill_name(i, 'en')}" for i in ids]
    unmapped = [r for r in raw if r not in vocab]
    return " ".join([*names, *unmapped, extra]).lower()


def _one_hot(rows: list[tuple[str, ...]], vocab_index: dict[str, int]) -> sp.csr_matrix:
    indptr, indices = [0], []
    for ids in rows:
        indices.extend(vocab_index[i] for i in ids)
        indptr.append(len(indices))
    data = np.ones(len(indices), dtype=np.float32)
    return sp.csr_matrix((data, indices, indptr), shape=(len(rows), len(vocab_index)))


def build_post_table(
    posts: Sequence[Post],
    vocab: SkillVocabulary,
    vocab_index: dict[str, int],
    text_model: TextModel,
    geo: Geography,
) -> PostTable:
    """Build the column-side arrays for posts, with an already fitted vectorizer."""
    skill_ids = [vocab.resolve(p.skills) for p in posts]
    texts = [
        text_of(ids, p.skills, p.title, vocab) for ids, p in zip(skill_ids, posts, strict=True)
    ]
    onehot = _one_hot(skill_ids, vocab_index)
    coverage, text_share = skill_coefficients(np.diff(onehot.indptr))
    onehot = (sp.diags(coverage) @ onehot).tocsr().astype(np.float32)
    county = np.array([geo.index(p.county_code) for p in posts], dtype=np.int32)
    n_counties = len(geo.counties) + 1
    return PostTable(
        ids=[p.id for p in posts],
        skill_ids=skill_ids,
        onehot=onehot,
        onehot_t=onehot.T.tocsr(),
        text=text_model.transform(texts) * text_share[:, None],
        education=np.array([education_rank(p.min_education) for p in posts], dtype=np.int8),
        salary_min=np.array([p.salary_min for p in posts], dtype=np.float32),
        salary_max=np.array([p.salary_max for p in posts], dtype=np.float32),
        mode=np.array([WORK_MODES.index(p.work_mode) for p in posts], dtype=np.int8),
        county=county,
        remote=np.array([p.remote for p in posts], dtype=bool),
        requirement=_requirements(posts),
        available=np.array([p.open and p.seats_left > 0 for p in posts], dtype=bool),
        need=employer_need_value([p.employer_shortfall for p in posts]),
        welfare=np.array([p.welfare for p in posts], dtype=bool),
        county_onehot=sp.csr_matrix(
            (np.ones(len(posts), dtype=np.float32), (county, np.arange(len(posts)))),
            shape=(n_counties, len(posts)),
        ),
    )


def _requirements(posts: Sequence[Post]) -> np.ndarray:
    out = np.zeros((len(posts), len(FUNCTION_IDS)), dtype=np.int8)
    seen: dict = {}
    for i, p in enumerate(posts):
        if p.functions:
            key = (tuple(sorted(p.functions.items())), p.accommodations)
            if key not in seen:
                seen[key] = requirement_vector(p.functions, p.accommodations)
            out[i] = seen[key]
    return out


def build_seeker_batch(
    seekers: Sequence[Seeker],
    vocab: SkillVocabulary,
    vocab_index: dict[str, int],
    text_model: TextModel,
    geo: Geography,
) -> SeekerBatch:
    """Build the row-side arrays for seekers, with an already fitted vectorizer."""
    skill_ids = [vocab.resolve(s.skills) for s in seekers]
    texts = [
        text_of(ids, s.skills, s.about, vocab) for ids, s in zip(skill_ids, seekers, strict=True)
    ]
    return SeekerBatch(
        ids=[s.id for s in seekers],
        skill_ids=skill_ids,
        onehot=_credit_rows(skill_ids, vocab_index, vocab),
        text=_transform_distinct(text_model, texts),
        education=np.array([education_rank(s.education) for s in seekers], dtype=np.int8),
        min_salary=np.array([s.min_salary or 0.0 for s in seekers], dtype=np.float32),
        mode_bits=np.array([mode_bits(s.preferred_modes) for s in seekers], dtype=np.int8),
        priority=np.array([s.hard_to_employ for s in seekers], dtype=np.float32),
        county=np.array([geo.index(s.county_code) for s in seekers], dtype=np.int32),
        reach=np.array([reach_tier(s.max_commute_km) for s in seekers], dtype=np.int8),
        preferred=_preferred(seekers, geo),
        capacity=np.stack([_capacity(s.functional_profile) for s in seekers])
        if seekers
        else np.zeros((0, len(FUNCTION_IDS)), dtype=np.int8),
    )


def _credit_rows(
    rows: list[tuple[str, ...]], vocab_index: dict[str, int], vocab: SkillVocabulary
) -> sp.csr_matrix:
    """Return seekers x skills: 1 for each skill held, the best partial credit for a related one."""
    indptr, indices, data = [0], [], []
    cache: dict[tuple[str, ...], tuple[list[int], list[float]]] = {}
    for ids in rows:
        if ids not in cache:
            best: dict[str, float] = {}
            for sid in ids:
                for other, credit in vocab.related(sid).items():
                    best[other] = max(best.get(other, 0.0), credit)
            best.update({sid: 1.0 for sid in ids})
            cols = sorted((vocab_index[k], v) for k, v in best.items() if k in vocab_index)
            cache[ids] = ([c for c, _ in cols], [v for _, v in cols])
        cols, vals = cache[ids]
        indices.extend(cols)
        data.extend(vals)
        indptr.append(len(indices))
    return sp.csr_matrix(
        (np.asarray(data, dtype=np.float32), indices, indptr), shape=(len(rows), len(vocab_index))
    )


def _transform_distinct(text_model: TextModel, texts: list[str]) -> np.ndarray:
    """Return text_model.transform(texts), transforming each distinct text once.

    Many seekers share a text (the same skills, no free text); the transform is row by row,
    so a shared row is the same vector it would be on its own.
    """
    distinct = {t: i for i, t in enumerate(dict.fromkeys(texts))}
    if len(distinct) == len(texts):
        return text_model.transform(texts)
    vectors = text_model.transform(list(distinct))
    return vectors[np.fromiter((distinct[t] for t in texts), dtype=np.int64, count=len(texts))]


def _preferred(seekers: Sequence[Seeker], geo: Geography) -> sp.csr_matrix:
    rows, cols = [], []
    for i, s in enumerate(seekers):
        for code in s.preferred_counties:
            rows.append(i)
            cols.append(geo.index(code))
    data = np.ones(len(rows), dtype=np.float32)
    return sp.csr_matrix((data, (rows, cols)), shape=(len(seekers), len(geo.counties) + 1))


def _capacity(profile: FunctionalProfile | None) -> np.ndarray:
    return FULL_CAPACITY if profile is None else _profile_vector(profile)


@lru_cache(maxsize=4096)
def _profile_vector(profile: FunctionalProfile) -> np.ndarray:
    return profile.vector()
