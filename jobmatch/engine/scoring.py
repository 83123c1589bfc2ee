"""Vectorised scoring of a block of seekers against all posts: one sparse product, small lookup
tables built per block from the seekers' distinct attribute values, hard constraints as -inf masks."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from jobmatch.engine.factors import (
    DISTANCE_VALUES,
    FACTORS,
    MODE_TABLE,
    PREFERRED_COUNTY_VALUE,
    education_value,
    salary_value,
)
from jobmatch.engine.features import PostTable, SeekerBatch

# Excluded pairs get a large finite penalty, not -inf: selection stays fast when most posts are
# excluded (no mass of equal values), and top_k reports anything below the threshold as -inf.
NEG_INF = np.float32(-1000.0)
EXCLUDED_BELOW = -500.0


SMALL_BLOCK = 16  # seekers per block below which products avoid BLAS threads
MAX_LOOKUP_ROWS = 1024  # beyond this many distinct keys a table is built per chunk instead
# Rows of a chunk finished together (lookups added, top-k selected) while they are still in
# cache: one pass per lookup over a whole chunk (1,024 x 20,000 float32 = 80 MB) goes to memory.
TILE_ROWS = 32
# top_k bounds each row's k-th largest value by the maxima of this many column groups; beyond
# CANDIDATES_PER_ROW * k candidates per row (entries at or above the bound: equal values crowding
# it) it takes the exact k-th value instead.
SELECT_GROUPS = 128
CANDIDATES_PER_ROW = 16
PAIR_CHUNK = 8192  # seeker-post pairs whose factor values are computed together


@dataclass
class Lookup:
    """A table of factor rows for distinct seeker keys, and each seeker's row in it."""

    table: np.ndarray  # keys x posts, float32, C order
    index: np.ndarray  # seekers -> row

    def __post_init__(self) -> None:
        self.table = np.ascontiguousarray(self.table, dtype=np.float32)

    def restrict(self, rows: np.ndarray, cols: np.ndarray) -> Lookup | None:
        """This lookup for some seekers (`rows`, indexed 0.. after) and some posts (`cols`): the
        table rows of those seekers only; None when it would add only zeros."""
        present = np.zeros(len(self.table), dtype=bool)
        present[self.index[rows]] = True
        used = np.flatnonzero(present)
        position = np.cumsum(present) - 1
        table = _take_2d(self.table, used, cols)
        return Lookup(table, position[self.index[rows]]) if table.any() else None


class BlockScorer:
    """Scores seeker blocks against one post table under fixed weights."""

    def __init__(self, posts: PostTable, weights: Mapping[str, float], tiers: np.ndarray) -> None:
        self._posts, self._source = posts, None
        self.w, self.tiers = dict(weights), tiers
        self.keys = None  # the distance key of each distance table row; None: the row's own
        self.county_onehot = posts.county_onehot
        self.skill_t = (posts.onehot_t * np.float32(self.w["skills"])).tocsr()
        self.skill_csc = self.skill_t.tocsc()  # for taking columns
        self.text_rows = np.ascontiguousarray(posts.text * np.float32(self.w["skills"]))
        self.text_t = np.ascontiguousarray(self.text_rows.T)
        self.column_bias = (self.w["employer_need"] * posts.need).astype(np.float32)
        self.closed = np.where(posts.available, 0.0, NEG_INF).astype(np.float32)
        all_keys = np.arange(tiers.shape[0] * 4)
        values, too_far = self._distance_rows(all_keys)
        penalised = np.where(too_far, NEG_INF, self.w["distance"] * values)
        # C order: a seeker's row must be one contiguous read (a strided row costs ~40 ms).
        self.distance_values = np.ascontiguousarray(values, dtype=np.float32)
        self.distance_table = np.ascontiguousarray(penalised, dtype=np.float32)

    @property
    def posts(self) -> PostTable:
        """The post table (a scorer made by columns() takes its posts when first asked)."""
        if self._posts is None:
            table, cols = self._source
            self._posts = table.take(cols)
        return self._posts

    def columns(self, cols: np.ndarray, keys: np.ndarray) -> BlockScorer:
        """This scorer on some of its posts (`cols`), for seekers of some distance keys (county *
        4 + reach, sorted): its arrays sliced, nothing recomputed."""
        sub = copy.copy(self)
        sub._posts, sub._source = None, (self.posts, cols)
        county = self.posts.county[cols]
        sub.county_onehot = sp.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), (county, np.arange(len(cols)))),
            shape=(self.county_onehot.shape[0], len(cols)),
        )
        sub.skill_csc = self.skill_csc[:, cols]
        sub.skill_t = sub.skill_csc.tocsr()
        sub.text_rows = self.text_rows[cols]
        sub.text_t = np.ascontiguousarray(sub.text_rows.T)
        sub.column_bias, sub.closed = self.column_bias[cols], self.closed[cols]
        rows = keys if self.keys is None else np.searchsorted(self.keys, keys)
        sub.distance_values = _take_2d(self.distance_values, rows, cols)
        sub.distance_table = _take_2d(self.distance_table, rows, cols)
        sub.keys = keys
        return sub

    def distance_keys(self, batch: SeekerBatch, rows) -> np.ndarray:
        """Each seeker's row in the distance tables."""
        keys = batch.county[rows].astype(np.int64) * 4 + batch.reach[rows]
        return keys if self.keys is None else np.searchsorted(self.keys, keys)

    def prepare(self, batch: SeekerBatch) -> dict[str, Lookup]:
        """Build the lookup tables of a whole batch once (those small enough to keep)."""
        everyone = slice(None)
        prepared = {"mode_priority": self._mode_priority(batch, everyone, True)}
        for name, build in (
            ("education_salary", self._education_salary),
            ("feasibility", self._feasibility),
        ):
            lookup = build(batch, everyone, True, limit=MAX_LOOKUP_ROWS)
            if lookup is not None:
                prepared[name] = lookup
        return prepared

    def score(self, batch: SeekerBatch, rows, penalties: bool = True, prepared=None) -> np.ndarray:
        """Return the weighted totals (rows x posts, float32); excluded pairs fall below EXCLUDED_BELOW."""
        prepared = prepared if penalties and prepared is not None else {}
        total = skill_scores(batch, rows, self.skill_t, self.text_t)
        buf = np.empty_like(total)
        es = prepared.get("education_salary") or self._education_salary(batch, rows, penalties)
        _add(total, es, rows, buf, prepared is not None and "education_salary" in prepared)
        mp = prepared.get("mode_priority") or self._mode_priority(batch, rows, penalties)
        _add(total, mp, rows, buf, "mode_priority" in prepared)
        if penalties:
            fe = prepared.get("feasibility") or self._feasibility(batch, rows)
            _add(total, fe, rows, buf, "feasibility" in prepared)
        self._add_distance(total, batch, rows, penalties, buf)
        return total

    def rank(
        self, batch: SeekerBatch, rows: slice, k: int, prepared=None, out=None, tile_rows=None
    ) -> tuple[np.ndarray, np.ndarray]:
        """Return top_k(score(batch, rows, prepared=prepared), k), computed tile by tile.

        The products run on the whole chunk (the dense one into ``out`` when given: a reused
        C-order buffer of at least rows x posts float32); clipping, coverage, lookups, distance
        and selection then run on `tile_rows` rows at a time (TILE_ROWS by default) while they
        are in cache, instead of one pass to memory per step over the whole chunk. Same
        operations in the same order, per value, as score() followed by top_k(): the same totals
        and the same selection. A prepared lookup given as None is known to add only zeros.
        """
        prepared = prepared if prepared is not None else {}
        tile_rows = tile_rows or TILE_ROWS
        start, stop, _ = rows.indices(len(batch))
        n = max(0, stop - start)
        total = _text_products(batch.text[rows], self.text_t, None if out is None else out[:n])
        adds = []
        for name, build in (
            ("education_salary", lambda: self._education_salary(batch, rows, True)),
            ("mode_priority", lambda: self._mode_priority(batch, rows, True)),
            ("feasibility", lambda: self._feasibility(batch, rows)),
        ):
            if name in prepared:  # built for the whole batch: index by the chunk's rows
                if prepared[name] is not None:
                    adds.append((prepared[name].table, prepared[name].index[rows]))
            else:
                lookup = build()
                adds.append((lookup.table, lookup.index))
        keys = self.distance_keys(batch, rows)
        shared = _RowEntries(batch.onehot[rows] @ self.skill_t, n)
        pref = _RowEntries(batch.preferred[rows] @ self.county_onehot, n)
        idx = np.empty((n, min(k, total.shape[1])), dtype=np.int64)
        vals = np.empty(idx.shape, dtype=np.float32)
        buf = np.empty((min(n, tile_rows), total.shape[1]), dtype=np.float32)
        w_distance = self.w["distance"]
        zeros = np.zeros(total.shape[1], dtype=np.float32)  # (a scalar 0 is 4x slower)
        for a in range(0, n, tile_rows):
            b = min(a + tile_rows, n)
            tile, tmp = total[a:b], buf[: b - a]
            np.maximum(tile, zeros, out=tile)
            shared.add_to(tile, a)
            for table, index in adds:
                np.take(table, index[a:b], axis=0, out=tmp, mode="clip")
                tile += tmp
            pr, pc, _ = pref.between(a, b)
            before = tile[pr, pc]  # a preferred county replaces the distance (and its penalty)
            np.take(self.distance_table, keys[a:b], axis=0, out=tmp, mode="clip")
            tile += tmp
            if len(pr):
                near = np.maximum(self.distance_values[keys[a:b][pr], pc], PREFERRED_COUNTY_VALUE)
                tile[pr, pc] = before + w_distance * near
            idx[a:b], vals[a:b] = top_k(tile, k)
        return idx, vals

    def _education_salary(self, batch, rows, penalties, limit=None) -> Lookup | None:
        edu, want = batch.education[rows], batch.min_salary[rows]
        keys, inv = np.unique(edu.astype(np.float64) * 1e10 + want, return_inverse=True)
        if limit is not None and len(keys) > limit:
            return None
        first = _first_index(inv, len(keys))
        p = self.posts
        table = self.w["education"] * education_value(edu[first][:, None], p.education[None, :])
        table += self.w["salary"] * salary_value(want[first][:, None], p.salary_min, p.salary_max)
        table += self.column_bias + (self.closed if penalties else np.float32(0.0))
        return Lookup(table.astype(np.float32), inv.reshape(-1))

    def _mode_priority(self, batch: SeekerBatch, rows, penalties: bool = True) -> Lookup:
        """Work mode and priority, and (with penalties) the public-welfare posts' exclusion of
        seekers who are not hard to employ (the priority flag)."""
        bits, prio = batch.mode_bits[rows].astype(np.int64), batch.priority[rows]
        keys, inv = np.unique(bits * 2 + (prio > 0), return_inverse=True)
        table = self.w["work_mode"] * MODE_TABLE[keys // 2][:, self.posts.mode]
        table += (self.w["priority"] * (keys % 2)).astype(np.float32)[:, None]
        if penalties and self.posts.welfare.any():
            barred = (keys % 2 == 0)[:, None] & self.posts.welfare[None, :]
            table = np.where(barred, table + NEG_INF, table)
        return Lookup(table.astype(np.float32), inv.reshape(-1))

    def _feasibility(self, batch, rows, penalties=True, limit=None) -> Lookup | None:
        caps, inv = unique_rows(batch.capacity[rows])
        if limit is not None and len(caps) > limit:
            return None
        ok = (self.posts.requirement[None, :, :] <= caps[:, None, :]).all(axis=2)
        return Lookup(np.where(ok, np.float32(0.0), NEG_INF), inv.reshape(-1))

    def _distance_rows(self, keys: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """Return distance values and the out-of-reach mask for (county * 4 + reach) keys."""
        p = self.posts
        tiers = self.tiers[keys // 4][:, p.county]
        value = np.where(p.remote, np.float32(1.0), DISTANCE_VALUES[tiers]).astype(np.float32)
        return value, (tiers > (keys % 4)[:, None]) & ~p.remote

    def _add_distance(self, total, batch: SeekerBatch, rows, penalties: bool, buf) -> None:
        keys = self.distance_keys(batch, rows)
        table = self.distance_table if penalties else self.w["distance"] * self.distance_values
        pref = (batch.preferred[rows] @ self.county_onehot).tocoo()
        before = total[pref.row, pref.col]
        _add(total, Lookup(table, keys), slice(None), buf, True)
        if pref.nnz:
            near = np.maximum(
                self.distance_values[keys[pref.row], pref.col], PREFERRED_COUNTY_VALUE
            )
            total[pref.row, pref.col] = before + self.w["distance"] * near


def _take_2d(table: np.ndarray, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """table[np.ix_(rows, cols)], C order, in two takes (2.5x faster), the smaller one first."""
    if len(rows) * table.shape[1] <= table.shape[0] * len(cols):
        return np.take(np.take(table, rows, axis=0), cols, axis=1)
    return np.take(np.take(table, cols, axis=1), rows, axis=0)


def _add(total: np.ndarray, lookup: Lookup, rows, buf: np.ndarray, batch_wide: bool) -> None:
    """Add each row's table row to the totals, through a reused buffer."""
    index = lookup.index[rows] if batch_wide else lookup.index
    np.take(lookup.table, index, axis=0, out=buf, mode="clip")  # "raise" would buffer
    total += buf


def skill_scores(
    batch: SeekerBatch, rows, onehot_t: sp.csr_matrix, text_t: np.ndarray
) -> np.ndarray:
    """Return coverage (sparse product) plus clipped text similarity (dense product), per pair."""
    total = _text_products(batch.text[rows], text_t)
    np.maximum(total, 0.0, out=total)
    shared = (batch.onehot[rows] @ onehot_t).tocoo()
    total[shared.row, shared.col] += shared.data
    return total


def _text_products(text: np.ndarray, text_t: np.ndarray, out=None) -> np.ndarray:
    """Return text @ text_t (into ``out``, a C-order float32 buffer, when given)."""
    # A seeker or a few: skip BLAS, whose idle threads can take milliseconds to wake.
    if len(text) <= SMALL_BLOCK:
        return np.einsum("ij,jk->ik", text, text_t, out=out)
    return np.matmul(text, text_t, out=out)


class _RowEntries:
    """The non-zero entries of a sparse rows x posts product, taken a range of rows at a time."""

    def __init__(self, product: sp.spmatrix, n_rows: int) -> None:
        csr = sp.csr_matrix(product)
        self.indptr, self.col, self.data = csr.indptr, csr.indices, csr.data
        self.row = np.repeat(np.arange(n_rows, dtype=np.int64), np.diff(self.indptr))

    def between(self, a: int, b: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Return (row - a, column, value) of the entries in rows a..b-1."""
        lo, hi = self.indptr[a], self.indptr[b]
        return self.row[lo:hi] - a, self.col[lo:hi], self.data[lo:hi]

    def add_to(self, tile: np.ndarray, a: int) -> None:
        """Add the entries of rows a.. to `tile` (those rows, C order), by flat position (2x
        faster than by row and column)."""
        lo, hi = self.indptr[a], self.indptr[a + len(tile)]
        flat = (self.row[lo:hi] - a) * tile.shape[1] + self.col[lo:hi]
        np.reshape(tile, -1, copy=False)[flat] += self.data[lo:hi]


def unique_rows(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """np.unique(a, axis=0, return_inverse=True) for a 2-D integer array, the inverse 1-D.

    Each row becomes one integer (mixed radix over the columns' ranges, the first column most
    significant: the same order), so the sort is of integers, not of rows (40x faster for
    100,000 capacity vectors); rows too varied for one int64 take np.unique's own way.
    """
    if a.size == 0:
        return a[:0], np.zeros(len(a), dtype=np.int64)
    low = a.min(axis=0).astype(np.int64)
    span = a.max(axis=0).astype(np.int64) - low + 1
    if np.sum(np.log2(span)) >= 62:
        uniq, inverse = np.unique(a, axis=0, return_inverse=True)
        return uniq, inverse.reshape(-1)
    radix = np.concatenate([np.cumprod(span[::-1])[::-1][1:], [1]])
    _keys, first, inverse = np.unique((a - low) @ radix, return_index=True, return_inverse=True)
    return a[first], inverse.reshape(-1)


def _first_index(inverse: np.ndarray, n: int) -> np.ndarray:
    """Return, for each distinct key, the position of one row holding it."""
    first = np.empty(n, dtype=np.int64)
    first[inverse.reshape(-1)[::-1]] = np.arange(len(inverse.reshape(-1)))[::-1]
    return first


def top_k(total: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Return per row the column indices and values of the k largest entries, best first (equal
    values by column, the lowest first); excluded entries (below EXCLUDED_BELOW) as -inf, last."""
    n = total.shape[1]
    k = min(k, n)
    if k <= 0:
        empty = np.zeros((total.shape[0], 0))
        return empty.astype(np.int64), empty.astype(np.float32)
    rows, cols = _top_cells(total, k)
    idx = cols.reshape(-1, k)
    vals = total[rows, cols].reshape(-1, k)
    vals = np.where(vals < EXCLUDED_BELOW, np.float32(-np.inf), vals)
    order = np.lexsort((idx, -vals), axis=1)
    return np.take_along_axis(idx, order, axis=1), np.take_along_axis(vals, order, axis=1)


def _top_cells(total: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Row and column of each row's k largest entries (equal values: the lowest columns), k per
    row, rows in order.

    Entries at or above a lower bound of the k-th largest value are the candidates: per row, the
    k-th largest of the maxima of SELECT_GROUPS interleaved column groups (k of those maxima are
    distinct entries at or above it). Two passes over the row instead of a partition; when equal
    values crowd the bound, the exact k-th largest is taken instead.
    """
    n_rows, n = total.shape
    if n >= 2 * SELECT_GROUPS and k <= SELECT_GROUPS // 4:
        maxima = _group_maxima(total)
        bound = np.partition(maxima, SELECT_GROUPS - k, axis=1)[:, SELECT_GROUPS - k]
        rows, cols = np.divmod(np.flatnonzero(total >= bound[:, None]), n)  # (2-D nonzero: 15x)
        if len(rows) <= CANDIDATES_PER_ROW * k * n_rows:
            vals = total[rows, cols]
            order = np.lexsort((cols, -vals, rows))  # by row, best first, then by column
            first = np.searchsorted(rows[order], np.arange(n_rows))
            keep = order[(first[:, None] + np.arange(k)).ravel()]
            return rows[keep], cols[keep]
    return _exact_top_cells(total, k)


def _group_maxima(total: np.ndarray) -> np.ndarray:
    """Per row, the maxima of SELECT_GROUPS groups of columns (column j in group j mod
    SELECT_GROUPS; the columns past the last whole round in group 0), by halving: each step one
    elementwise maximum of contiguous halves (a reduction along a middle axis is slower)."""
    n_rows, n = total.shape
    rounds = n // SELECT_GROUPS
    part = total[:, : rounds * SELECT_GROUPS].reshape(n_rows, rounds, SELECT_GROUPS)
    while part.shape[1] > 1:
        half = part.shape[1] // 2
        folded = np.maximum(part[:, :half], part[:, half : 2 * half])
        if part.shape[1] % 2:
            np.maximum(folded[:, 0], part[:, 2 * half], out=folded[:, 0])
        part = folded
    maxima = part[:, 0].copy()
    if rounds * SELECT_GROUPS < n:
        np.maximum(maxima[:, 0], total[:, rounds * SELECT_GROUPS :].max(1), out=maxima[:, 0])
    return maxima


def _exact_top_cells(total: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """_top_cells through the exact k-th largest value: the entries above it, then the entries
    equal to it by column until k."""
    n_rows, n = total.shape
    kth = np.partition(total, n - k, axis=1)[:, n - k]
    rows, cols = np.divmod(np.flatnonzero(total >= kth[:, None]), n)  # by row, then column
    above = total[rows, cols] > kth[rows]  # fewer than k per row
    need = k - np.bincount(rows[above], minlength=n_rows)
    tied = np.flatnonzero(~above)
    start = np.searchsorted(rows[tied], np.arange(n_rows))
    tied = tied[np.arange(len(tied)) - start[rows[tied]] < need[rows[tied]]]
    keep = np.sort(np.concatenate([np.flatnonzero(above), tied]))
    return rows[keep], cols[keep]


def pair_factors(
    batch: SeekerBatch, s_idx: np.ndarray, posts: PostTable, p_idx: np.ndarray, tiers: np.ndarray
) -> np.ndarray:
    """Return the factor values (pairs x FACTORS) of chosen seeker-post pairs."""
    s_idx, p_idx = np.asarray(s_idx, dtype=np.int64), np.asarray(p_idx, dtype=np.int64)
    coverage = np.asarray(batch.onehot[s_idx].multiply(posts.onehot[p_idx]).sum(axis=1)).ravel()
    text = np.maximum(_row_dots(batch.text, s_idx, posts.text, p_idx), 0.0)
    skills = coverage + text
    tier = tiers[batch.county[s_idx], posts.county[p_idx]]
    preferred = _preferred_flags(batch.preferred, s_idx, posts.county[p_idx])
    dist = np.where(
        preferred, np.maximum(DISTANCE_VALUES[tier], PREFERRED_COUNTY_VALUE), DISTANCE_VALUES[tier]
    )
    columns = {
        "skills": skills,
        "education": education_value(batch.education[s_idx], posts.education[p_idx]),
        "salary": salary_value(
            batch.min_salary[s_idx], posts.salary_min[p_idx], posts.salary_max[p_idx]
        ),
        "distance": np.where(posts.remote[p_idx], 1.0, dist),
        "work_mode": MODE_TABLE[batch.mode_bits[s_idx], posts.mode[p_idx]],
        "employer_need": posts.need[p_idx],
        "priority": batch.priority[s_idx],
    }
    return np.column_stack([np.asarray(columns[f], dtype=np.float32) for f in FACTORS])


def _row_dots(a: np.ndarray, rows_a: np.ndarray, b: np.ndarray, rows_b: np.ndarray) -> np.ndarray:
    """Dot products of a[rows_a[i]] and b[rows_b[i]], PAIR_CHUNK pairs at a time (the gathered
    rows stay in cache: 4x faster than gathering all of them first)."""
    out = np.empty(len(rows_a), dtype=np.result_type(a, b))
    for i in range(0, len(rows_a), PAIR_CHUNK):
        j = slice(i, i + PAIR_CHUNK)
        out[j] = np.einsum("ij,ij->i", a[rows_a[j]], b[rows_b[j]])
    return out


def _preferred_flags(preferred: sp.csr_matrix, rows: np.ndarray, cols: np.ndarray) -> np.ndarray:
    """Return whether each (seeker row, county column) pair is a preferred county, vectorised."""
    if preferred.nnz == 0 or len(rows) == 0:
        return np.zeros(len(rows), dtype=bool)
    coo = preferred.tocoo()
    width = preferred.shape[1]
    keys = np.unique(coo.row.astype(np.int64) * width + coo.col)
    wanted = rows.astype(np.int64) * width + cols
    pos = np.minimum(np.searchsorted(keys, wanted), len(keys) - 1)
    return keys[pos] == wanted
