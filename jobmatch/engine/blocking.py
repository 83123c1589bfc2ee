"""Blocking for batch matching: multiply only the seeker x post blocks that can match at all.

A full batch run scores every seeker against every post and then throws away the pairs a hard
constraint excludes (BlockScorer gives them a large penalty). Here the seekers are first grouped
by what decides those constraints, and each group is scored only against the posts that are
feasible for at least one of its members:

- capacity: the seekers' functional capacity vector (from disability category and level); a post
  whose requirement (after the accommodations it offers) exceeds it is excluded, as is a post that
  is closed or has no seat left;
- reach: a seeker whose maximum commute stops at the county, the city or the neighbouring cities
  only reaches on-site posts within it (remote posts are reachable from anywhere); a post in a
  county the seeker prefers stays in reach whatever the distance (as in the scorer);
- the city of the seeker, for the seekers with a limited reach.

Work mode is a soft factor in this engine (an affinity, never an exclusion), so it does not block.
Within a block the scorer is the matcher's BlockScorer restricted to the block's columns
(BlockScorer.columns: its arrays sliced, nothing rebuilt), with the batch's lookup tables built
once and sliced the same way (Lookup.restrict; a table of zeros, such as feasibility when every
column fits every member, is not added at all). It still applies every constraint to every pair,
so a column kept for one member but infeasible for another is excluded exactly as before. Every
column left out is one the full product excludes for every member of the block, so the top-k lists
are the same (the same tie order too: columns keep their order, top_k breaks ties by column).
A preferred county beyond a seeker's commute comes in a block of its own (preferred_blocks), merged
into the seeker's list; a preferred county within the commute is already in the seeker's block.

`seeker_batch` builds the same SeekerBatch as features.build_seeker_batch, vectorised: text vectors
come from per-skill n-gram counts summed by one sparse product (character n-grams never cross a
word boundary, so a text's counts are the sum of its words' counts), attributes are computed once
per distinct value.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import fields

import numpy as np
import scipy.sparse as sp
from sklearn.feature_extraction.text import CountVectorizer
from threadpoolctl import threadpool_limits

from jobmatch.engine import scoring
from jobmatch.engine.domain import Seeker, education_rank
from jobmatch.engine.factors import FACTORS, mode_bits
from jobmatch.engine.features import (
    FUNCTION_IDS,
    PostTable,
    SeekerBatch,
    _capacity,
    _one_hot,
    _preferred,
)
from jobmatch.engine.geography import NEIGHBOUR_CITY, OTHER, SAME_CITY, reach_tier
from jobmatch.engine.scoring import pair_factors, unique_rows

MIN_BLOCK = 256  # seekers: smaller groups of one capacity share a block (columns united)
CREDIT_ROWS = 4096  # seekers per step of the vectorised credit rows (a dense step of 5 MB)


# --- seeker features, vectorised ---------------------------------------------------------------


def seeker_batch(matcher, seekers: Sequence[Seeker]) -> SeekerBatch:
    """The SeekerBatch of `seekers` for a fitted matcher, equal to matcher._batch(seekers)."""
    vocab, geo = matcher.vocabulary_, matcher.geography_
    resolved: dict[tuple, tuple] = {}
    skill_ids = []
    for s in seekers:
        ids = resolved.get(s.skills)
        if ids is None:
            ids = resolved[s.skills] = vocab.resolve(s.skills)
        skill_ids.append(ids)
    held = _one_hot(skill_ids, matcher.vocab_index_)
    extras = [
        " ".join([*(r for r in s.skills if r not in vocab), s.about]).lower() for s in seekers
    ]
    county_of = {code: geo.index(code) for code in {s.county_code for s in seekers}}
    return SeekerBatch(
        ids=[s.id for s in seekers],
        skill_ids=skill_ids,
        onehot=_credit_rows(matcher, held),  # related skills earn credit
        text=_text_vectors(matcher, held, extras),
        education=_mapped([s.education for s in seekers], education_rank, np.int8),
        min_salary=np.array([s.min_salary or 0.0 for s in seekers], dtype=np.float32),
        mode_bits=_mapped([s.preferred_modes for s in seekers], mode_bits, np.int8),
        priority=np.array([s.hard_to_employ for s in seekers], dtype=np.float32),
        county=np.array([county_of[s.county_code] for s in seekers], dtype=np.int32),
        reach=_mapped([s.max_commute_km for s in seekers], reach_tier, np.int8),
        preferred=_preferred(seekers, geo),
        capacity=_capacities(seekers),
    )


def _mapped(values: list, func, dtype) -> np.ndarray:
    """func over a list, computed once per distinct value."""
    cache = {v: func(v) for v in set(values)}
    return np.array([cache[v] for v in values], dtype=dtype)


def _capacities(seekers: Sequence[Seeker]) -> np.ndarray:
    if not seekers:
        return np.zeros((0, len(FUNCTION_IDS)), dtype=np.int8)
    profiles = [s.functional_profile for s in seekers]
    distinct = {p: i for i, p in enumerate(dict.fromkeys(profiles))}
    table = np.stack([_capacity(p) for p in distinct])
    return table[np.fromiter((distinct[p] for p in profiles), dtype=np.int64, count=len(profiles))]


def _credit_rows(matcher, held: sp.csr_matrix) -> sp.csr_matrix:
    """features._credit_rows from the held skills (seekers x skills, ones), vectorised: per
    seeker, the maximum over its held skills of each skill's credit row, CREDIT_ROWS at a time."""
    credit = _credit_table(matcher)
    n, width = held.shape
    counts = np.diff(held.indptr)
    slots = np.full((n, max(1, int(counts.max(initial=0)))), width)  # `width`: the row of zeros
    slots[
        np.repeat(np.arange(n), counts), np.arange(held.nnz) - held.indptr[:-1].repeat(counts)
    ] = held.indices
    parts = []
    for a in range(0, n, CREDIT_ROWS):
        best = credit[slots[a : a + CREDIT_ROWS, 0]]
        for j in range(1, slots.shape[1]):
            np.maximum(best, credit[slots[a : a + CREDIT_ROWS, j]], out=best)
        parts.append(sp.csr_matrix(best))
    return sp.vstack(parts, format="csr") if parts else sp.csr_matrix((0, width), dtype=np.float32)


def _credit_table(matcher) -> np.ndarray:
    """(skills + 1) x skills, float32: the credit a held skill (row) earns on each skill (1 on
    itself, the partial credit on a related one); the last row zeros."""
    cached = getattr(matcher, "_blocking_credit", None)
    if cached is None:
        index, vocab = matcher.vocab_index_, matcher.vocabulary_
        cached = np.zeros((len(index) + 1, len(index)), dtype=np.float32)
        for sid, row in index.items():
            for other, credit in vocab.related(sid).items():
                if other in index:
                    cached[row, index[other]] = credit
            cached[row, row] = 1.0
        matcher._blocking_credit = cached
    return cached


def _skill_counts(matcher) -> sp.csr_matrix:
    """Per vocabulary skill (in index order), the n-gram counts of its text (zh and en names)."""
    cached = getattr(matcher, "_blocking_skill_counts", None)
    if cached is None:
        vocab = matcher.vocabulary_
        order = sorted(matcher.vocab_index_, key=matcher.vocab_index_.get)
        texts = [f"{vocab.skill_name(i, 'zh')} {vocab.skill_name(i, 'en')}".lower() for i in order]
        cached = _counts(matcher, texts)
        matcher._blocking_skill_counts = cached
    return cached


def _counts(matcher, texts: list[str]) -> sp.csr_matrix:
    """The raw n-gram counts the TF-IDF model would start from (before tf scaling and idf)."""
    return CountVectorizer.transform(matcher.text_model_.tfidf_, texts)


def _text_vectors(matcher, onehot: sp.csr_matrix, extras: list[str]) -> np.ndarray:
    """TextModel.transform(texts) for the texts features.text_of would make, from summed counts."""
    model = matcher.text_model_
    counts = (onehot @ _skill_counts(matcher)).tocsr()
    rows = np.array([i for i, extra in enumerate(extras) if extra.strip()], dtype=np.int64)
    if len(rows):
        extra = _counts(matcher, [extras[i] for i in rows]).tocoo()
        counts = counts + sp.csr_matrix(
            (extra.data, (rows[extra.row], extra.col)), shape=counts.shape
        )
    counts = sp.csr_matrix(counts, dtype=np.float32)
    counts.sum_duplicates()
    counts.sort_indices()
    if counts.shape[0] == 0:
        return np.zeros((0, model.n_components), dtype=np.float32)
    # Each distinct count row once (many seekers share their skills), as features does per text.
    keys = [
        counts.indices[a:b].tobytes() + counts.data[a:b].tobytes()
        for a, b in zip(counts.indptr[:-1], counts.indptr[1:], strict=True)
    ]
    first_of: dict[bytes, int] = {}
    for i, key in enumerate(keys):
        first_of.setdefault(key, i)
    position = {key: j for j, key in enumerate(first_of)}
    firsts = np.fromiter(first_of.values(), dtype=np.int64, count=len(first_of))
    tfidf = model.tfidf_._tfidf.transform(counts[firsts], copy=False)
    reduced = np.asarray(tfidf @ model.components_.T, dtype=np.float32)
    norms = np.linalg.norm(reduced, axis=1, keepdims=True)
    vectors = reduced / np.where(norms > 0, norms, 1.0)
    return vectors[np.fromiter((position[k] for k in keys), dtype=np.int64, count=len(keys))]


# --- blocks --------------------------------------------------------------------------------------


def _city_index(matcher) -> np.ndarray:
    """For each county row of the tier matrix, an index of its city (the unknown row its own)."""
    geo = matcher.geography_
    cities = {}
    out = np.empty(matcher.tiers_.shape[0], dtype=np.int64)
    for i, code in enumerate(geo.counties):
        out[i] = cities.setdefault(geo.city_of.get(code, code), len(cities))
    out[len(geo.counties) :] = len(cities)
    return out


def blocks(
    matcher, batch: SeekerBatch, min_block: int = MIN_BLOCK
) -> list[tuple[np.ndarray, np.ndarray]]:
    """(seeker rows, post columns) of each block; every row is in exactly one block.

    Seekers whose commute is limited are grouped by city and reach class (county or city;
    neighbouring cities), the others form one group; within a group, the seekers of one capacity
    form their own block when there are at least `min_block` of them (fewer, bigger blocks: each
    block costs a little to set up). A block's columns: the posts feasible for some member.
    """
    n = len(batch)
    if n == 0:
        return []
    cap_of, fits = _fits(matcher, batch)
    reach = batch.reach.astype(np.int64)
    # Reach classes: county or city (1), neighbouring cities (2), anywhere (3: no region).
    reach_class = np.where(reach <= SAME_CITY, 1, np.where(reach == NEIGHBOUR_CITY, 2, 3))
    region = np.where(reach_class == 3, -1, _city_index(matcher)[batch.county])
    keys = np.stack([region, reach_class, cap_of], axis=1)
    _groups, group_of = unique_rows(keys)
    keys[np.bincount(group_of)[group_of] < min_block, 2] = -1  # capacities of a region together
    final, final_of = unique_rows(keys)
    order = np.argsort(final_of, kind="stable")
    bounds = np.searchsorted(final_of[order], np.arange(len(final) + 1))
    out = []
    for b in range(len(final)):
        rows = order[bounds[b] : bounds[b + 1]]
        mask = fits[np.unique(cap_of[rows])].any(axis=0)
        mask &= _in_reach(matcher, batch, rows, reach)
        out.append((rows, np.flatnonzero(mask)))
    return out


def preferred_blocks(matcher, batch: SeekerBatch) -> list[tuple[np.ndarray, np.ndarray]]:
    """(seeker rows, post columns) per preferred county: the open, fitting, on-site posts of the
    county, for the seekers who prefer it but whose commute does not reach it (in reach whatever
    their commute, as the scorer has it; a county within the commute, like a remote post, is
    already in the seeker's block)."""
    table: PostTable = matcher.table_
    cap_of, fits = _fits(matcher, batch)
    preferred = batch.preferred.tocsc()
    onsite = np.flatnonzero(~table.remote)
    by_county = onsite[np.argsort(table.county[onsite], kind="stable")]
    starts = np.searchsorted(table.county[by_county], np.arange(preferred.shape[1] + 1))
    out = []
    for county in np.flatnonzero(np.diff(preferred.indptr)):
        rows = np.sort(preferred.indices[preferred.indptr[county] : preferred.indptr[county + 1]])
        rows = rows[matcher.tiers_[batch.county[rows], county] > batch.reach[rows]]
        posts = by_county[starts[county] : starts[county + 1]]
        if not len(rows) or not len(posts):
            continue
        cols = posts[fits[np.unique(cap_of[rows])][:, posts].any(axis=0)]
        if len(cols):
            out.append((rows, np.sort(cols)))
    return out


def _fits(matcher, batch: SeekerBatch) -> tuple[np.ndarray, np.ndarray]:
    """Each seeker's capacity class, and per class the posts open to it (open, a seat left, and
    no function required beyond the class's capacity after the post's accommodations)."""
    cached = batch.__dict__.get("_blocking_fits")
    if cached is None:
        table: PostTable = matcher.table_
        caps, cap_of = unique_rows(batch.capacity)
        ok = (table.requirement[None, :, :] <= caps[:, None, :]).all(2)
        cached = cap_of.reshape(-1), table.available[None, :] & ok
        batch.__dict__["_blocking_fits"] = cached
    return cached


def _in_reach(matcher, batch, rows, reach) -> np.ndarray:
    """Posts in reach of some member of the group: remote or within a member's commute (posts of
    preferred counties come in preferred_blocks)."""
    table = matcher.table_
    if (reach[rows] >= OTHER).any():
        return np.ones(len(table), dtype=bool)
    ok = table.remote.copy()
    pairs, _ = unique_rows(np.stack([batch.county[rows], reach[rows]], 1))
    for county, r in pairs:
        ok |= matcher.tiers_[county][table.county] <= r
    return ok


# --- taking rows ---------------------------------------------------------------------


def take_seekers(batch: SeekerBatch, rows: np.ndarray) -> SeekerBatch:
    """The seeker batch restricted to some rows (in their order); its list fields (ids, skill
    ids) become object arrays, sliced from arrays made once per batch."""
    n = len(batch)
    values = {}
    for name in (f.name for f in fields(batch)):
        value = getattr(batch, name)
        if isinstance(value, list):
            values[name] = _objects(batch, name)[rows]
        elif (sp.issparse(value) or isinstance(value, np.ndarray)) and value.shape[0] == n:
            values[name] = value[rows]
        else:
            values[name] = value
    return SeekerBatch(**values)


def _objects(batch: SeekerBatch, name: str) -> np.ndarray:
    """A list field of the batch as an object array (made once per batch), for fast slicing."""
    cache = batch.__dict__.setdefault("_blocking_objects", {})
    if name not in cache:
        values = getattr(batch, name)
        cache[name] = np.fromiter(values, dtype=object, count=len(values))
    return cache[name]


# --- ranking -------------------------------------------------------------------------------------


def rank_blocked(
    matcher,
    seekers: Sequence[Seeker],
    k: int = 10,
    chunk_size: int | None = None,
    batch: SeekerBatch | None = None,
    min_block: int = MIN_BLOCK,
    phases: dict | None = None,
):
    """The same ranking as matcher.rank_many(seekers, k), computed block by block.

    `phases`, when given, receives the seconds of each phase: the blocks (grouping included),
    the preferred counties' blocks (merge included) and the factor values of the results."""
    from jobmatch.engine.matcher import BatchRanking

    clock = _Clock(phases)
    batch = batch if batch is not None else seeker_batch(matcher, seekers)
    table = matcher.table_
    k = min(k, len(table))
    n = len(seekers)
    post_idx = np.full((n, k), -1, dtype=np.int64)
    totals = np.full((n, k), -np.inf, dtype=np.float32)
    run = _BlockRun(matcher, batch, k, chunk_size or matcher.chunk_size)
    # Blocks are small products: BLAS threads cost more to wake than they save (and on a busy
    # machine far more); one thread per process, as the rest of the scorer's work.
    with threadpool_limits(limits=1, user_api="blas"):
        for rows, cols in blocks(matcher, batch, min_block):
            if len(cols):
                run.rank(rows, cols, post_idx, totals)
        clock.lap("blocks_seconds")
        for rows, cols in preferred_blocks(matcher, batch):
            extra_idx = np.full((len(rows), k), -1, dtype=np.int64)
            extra_vals = np.full((len(rows), k), -np.inf, dtype=np.float32)
            run.rank(rows, cols, extra_idx, extra_vals, np.arange(len(rows)))
            post_idx[rows], totals[rows] = _merge(
                post_idx[rows], totals[rows], extra_idx, extra_vals, k
            )
        clock.lap("preferred_seconds")
    values = np.zeros((n, k, len(FACTORS)), dtype=np.float32)
    s, j = np.nonzero(post_idx >= 0)
    values[s, j] = pair_factors(batch, s, table, post_idx[s, j], matcher.tiers_)
    clock.lap("factors_seconds")
    return BatchRanking(matcher, seekers, batch, post_idx, totals, values)


class _Clock:
    """Seconds between laps, added to a dict under each lap's name (nothing when no dict)."""

    def __init__(self, into: dict | None) -> None:
        self.into, self.last = into, time.perf_counter()

    def lap(self, name: str) -> None:
        now = time.perf_counter()
        if self.into is not None:
            self.into[name] = self.into.get(name, 0.0) + now - self.last
        self.last = now


def _merge(idx_a, vals_a, idx_b, vals_b, k):
    """The k best of two top-k lists per row (a post listed in both counted once, at its best
    total), best first, ties by post index as top_k orders them."""
    empty = np.iinfo(np.int64).max
    idx = np.concatenate([idx_a, idx_b], axis=1)
    vals = np.concatenate([vals_a, vals_b], axis=1).astype(np.float32)
    key = np.where(idx >= 0, idx, empty)
    vals = np.where(idx >= 0, vals, np.float32(-np.inf))
    by_post = np.lexsort((-vals, key), axis=1)  # each post's best listing first
    key, vals = np.take_along_axis(key, by_post, 1), np.take_along_axis(vals, by_post, 1)
    again = np.zeros(key.shape, dtype=bool)
    again[:, 1:] = (key[:, 1:] == key[:, :-1]) & (key[:, 1:] != empty)
    key, vals = np.where(again, empty, key), np.where(again, np.float32(-np.inf), vals)
    best = np.lexsort((key, -vals), axis=1)[:, :k]
    idx, vals = np.take_along_axis(key, best, 1), np.take_along_axis(vals, best, 1)
    return np.where(np.isfinite(vals), idx, -1), vals


class _BlockRun:
    """Ranks blocks with the matcher's scorer and lookup tables built once for the whole batch,
    each restricted to a block by slicing (no table rebuilt per block), and one reused buffer."""

    def __init__(self, matcher, batch: SeekerBatch, k: int, chunk: int) -> None:
        self.batch, self.k, self.chunk = batch, k, chunk
        self.n_posts = len(matcher.table_)
        self.scorer = matcher._scorer()
        self.lookups = self.scorer.prepare(batch)
        self.keys = batch.county.astype(np.int64) * 4 + batch.reach
        self.out = np.empty(0, np.float32)

    def rank(self, rows, cols, post_idx, totals, targets=None) -> None:
        """Rank a block's rows against its columns, writing global post indices into post_idx
        (at `targets`, the block's own rows by default)."""
        targets = rows if targets is None else targets
        part = take_seekers(self.batch, rows)
        scorer = self.scorer.columns(cols, np.unique(self.keys[rows]))
        prepared = {name: lookup.restrict(rows, cols) for name, lookup in self.lookups.items()}
        # A tile of TILE_ROWS rows of every post stays in cache; a block with fewer columns
        # takes more rows per tile for the same bytes (fewer, bigger steps).
        tile_rows = int(np.clip(scoring.TILE_ROWS * self.n_posts // len(cols), 1, 1024))
        tile_rows = max(tile_rows, scoring.TILE_ROWS)
        width = min(self.chunk, len(rows))
        if self.out.size < width * len(cols):
            self.out = np.empty(width * len(cols), np.float32)
        kk = min(self.k, len(cols))
        for a in range(0, len(rows), self.chunk):
            b = min(a + self.chunk, len(rows))
            buf = self.out[: (b - a) * len(cols)].reshape(b - a, len(cols))
            idx, vals = scorer.rank(part, slice(a, b), kk, prepared, buf, tile_rows)
            post_idx[targets[a:b], :kk] = np.where(np.isfinite(vals), cols[idx], -1)
            totals[targets[a:b], :kk] = vals


# --- checking ------------------------------------------------------------------------------------


def compare_rankings(matcher, reference, blocked, rows=None, atol: float = 1e-5) -> dict:
    """Compare two BatchRankings of the same seekers row by row.

    A row is identical when the same posts come in the same order. Float products of different
    shapes may differ in the last bits (BLAS sums in another order), so two posts whose totals are
    equal to a few units in the last place can swap, or trade the last place; such a row counts as
    a tie. Anything else is a mismatch: a different number of results, totals that differ by more
    than `atol` at some rank, or a listed post that is excluded or does not score what is listed.
    """
    from jobmatch.engine.explain import exclusion_reasons

    rows = range(len(reference.seekers)) if rows is None else rows
    weights = np.array([matcher.weights_.values[f] for f in FACTORS], dtype=np.float64)
    identical = ties = 0
    mismatches = []
    for i in rows:
        a, b = reference.post_index[i], blocked.post_index[i]
        if np.array_equal(a, b):
            identical += 1
            continue
        ok_a, ok_b = a >= 0, b >= 0
        same = ok_a.sum() == ok_b.sum() and np.allclose(
            reference.totals[i][ok_a], blocked.totals[i][ok_b], rtol=0, atol=atol
        )
        if same:
            cols = b[ok_b]
            values = pair_factors(
                blocked.batch, np.full(len(cols), i), matcher.table_, cols, matcher.tiers_
            )
            recomputed = values.astype(np.float64) @ weights
            seeker = blocked.seekers[i]
            same = np.allclose(recomputed, blocked.totals[i][ok_b], rtol=0, atol=atol) and not any(
                exclusion_reasons(seeker, matcher.posts_[c], matcher.geography_) for c in cols
            )
        if same:
            ties += 1
        else:
            mismatches.append(i)
    return {"identical": identical, "ties": ties, "mismatches": mismatches}
