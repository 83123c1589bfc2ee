"""top_k: the k largest entries per row, equal values by column, whatever the selection path."""

import numpy as np
import pytest

from jobmatch.engine import scoring
from jobmatch.engine.scoring import EXCLUDED_BELOW, top_k, unique_rows


def reference_top_k(total, k):
    """A full sort per row: best first, equal values by column; excluded as -inf, last."""
    n = total.shape[1]
    k = min(k, n)
    idx = np.broadcast_to(np.arange(n), total.shape)
    order = np.lexsort((idx, -total), axis=1)[:, :k]
    cols, vals = np.take_along_axis(idx, order, 1), np.take_along_axis(total, order, 1)
    vals = np.where(vals < EXCLUDED_BELOW, np.float32(-np.inf), vals)
    again = np.lexsort((cols, -vals), axis=1)
    return np.take_along_axis(cols, again, 1), np.take_along_axis(vals, again, 1)


def matrices(rng):
    """Random, heavily tied, mostly excluded and constant rows, of widths around the group count."""
    for n in (1, 7, 255, 256, 257, 300, 2000, 4099):
        for rows in (0, 1, 33):
            yield rng.random((rows, n), dtype=np.float32)
            yield rng.integers(0, 4, (rows, n)).astype(np.float32)  # ties at the k-th value
            excluded = rng.random((rows, n)) < 0.95
            yield np.where(excluded, -1000.0 + rng.integers(0, 3, (rows, n)), rng.random((rows, n)))
            yield np.zeros((rows, n), dtype=np.float32)


@pytest.mark.parametrize("k", [1, 10, 31, 40, 5000])
def test_top_k_equals_a_full_sort(k):
    rng = np.random.default_rng(k)
    for total in matrices(rng):
        total = total.astype(np.float32)
        got, want = top_k(total, k), reference_top_k(total, k)
        assert got[0].shape == want[0].shape
        assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1]), total.shape


def test_top_k_when_the_bound_admits_too_many_candidates(monkeypatch):
    monkeypatch.setattr(scoring, "CANDIDATES_PER_ROW", 1)  # every row takes the exact path
    rng = np.random.default_rng(1)
    total = rng.integers(0, 3, (20, 3000)).astype(np.float32)
    assert all(
        np.array_equal(a, b)
        for a, b in zip(top_k(total, 10), reference_top_k(total, 10), strict=True)
    )


def test_top_k_on_a_tile_of_a_larger_buffer():
    rng = np.random.default_rng(2)
    buffer = rng.random((64, 1000), dtype=np.float32)
    tile = buffer[10:42]
    got, want = top_k(tile, 10), reference_top_k(tile.copy(), 10)
    assert np.array_equal(got[0], want[0]) and np.array_equal(got[1], want[1])


@pytest.mark.parametrize(
    "rows",
    [
        np.random.default_rng(0).integers(0, 4, (500, 9)).astype(np.int8),  # capacity vectors
        np.random.default_rng(1).integers(-3, 200, (300, 3)),
        np.random.default_rng(2).integers(0, 2**40, (50, 2)),  # too varied for one integer
        np.zeros((0, 9), dtype=np.int8),
        np.array([[5, -1, 7]]),
    ],
)
def test_unique_rows_equals_numpy_unique(rows):
    got, inverse = unique_rows(rows)
    want, want_inverse = np.unique(rows, axis=0, return_inverse=True)
    assert np.array_equal(got, want) and got.dtype == rows.dtype
    assert np.array_equal(inverse, want_inverse.reshape(-1))
