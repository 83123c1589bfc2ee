"""Blocking gives the top-k of the full product; the vectorised seeker features equal the plain ones."""

import numpy as np
import pytest

from bench.synthetic import generate
from jobmatch.engine import blocking
from jobmatch.engine.explain import exclusion_reasons
from jobmatch.engine.matcher import Matcher
from jobmatch.engine.skills import default_vocabulary


@pytest.fixture(scope="module")
def world():
    vocab = default_vocabulary()
    seekers, posts = generate(900, 700, vocab, seed=5)
    return Matcher(chunk_size=128).fit(posts), seekers


def test_vectorised_seeker_features_equal_the_plain_ones(world):
    from dataclasses import replace

    matcher, seekers = world
    seekers = [replace(seekers[0], skills=()), *seekers]  # no skill: a credit row of zeros
    plain, fast = matcher._batch(seekers), blocking.seeker_batch(matcher, seekers)
    for name in vars(plain):
        a, b = getattr(plain, name), getattr(fast, name)
        if hasattr(a, "toarray"):
            assert a.shape == b.shape and (a != b).nnz == 0, name
        elif isinstance(a, np.ndarray):
            assert np.array_equal(a, b), name
        else:
            assert a == b, name


def test_free_text_and_unknown_skills_count_in_the_text_vectors(world):
    from dataclasses import replace

    matcher, seekers = world
    odd = [
        replace(seekers[0], about="会用Excel做表格 fork-lift driver"),
        replace(seekers[1], skills=("not-a-skill-id", *seekers[1].skills)),
        replace(seekers[2], skills=(), about=""),
    ]
    assert np.array_equal(blocking.seeker_batch(matcher, odd).text, matcher._batch(odd).text)


@pytest.mark.parametrize("min_block", [1, 16, 64, 10_000])
def test_blocked_top_k_equals_unblocked_top_k(world, min_block):
    matcher, seekers = world
    full = matcher.rank_many(seekers, k=10)
    blocked = blocking.rank_blocked(matcher, seekers, k=10, min_block=min_block)
    compared = blocking.compare_rankings(matcher, full, blocked)
    assert compared["mismatches"] == []
    assert compared["identical"] >= 0.97 * len(seekers)  # the rest: last-bit float ties
    assert np.array_equal(blocked.post_index >= 0, full.post_index >= 0)


def test_blocks_cover_every_seeker_once_and_leave_out_only_infeasible_posts(world):
    matcher, seekers = world
    batch = blocking.seeker_batch(matcher, seekers)
    parts = blocking.blocks(matcher, batch, min_block=1)
    rows = np.concatenate([r for r, _c in parts])
    assert sorted(rows.tolist()) == list(range(len(seekers)))
    assert sum(len(r) * len(c) for r, c in parts) < 0.7 * len(seekers) * len(matcher.posts_)
    preferred = {
        (int(r), int(c))
        for rows_, cols_ in blocking.preferred_blocks(matcher, batch)
        for r in rows_
        for c in cols_
    }
    rng = np.random.default_rng(0)
    checked = covered = 0
    for block_rows, cols in parts:
        left_out = np.setdiff1d(np.arange(len(matcher.posts_)), cols)
        if not len(left_out):
            continue
        for row in rng.choice(block_rows, min(3, len(block_rows)), replace=False):
            seeker = seekers[row]
            for col in rng.choice(left_out, min(5, len(left_out)), replace=False):
                post = matcher.posts_[col]
                if not exclusion_reasons(seeker, post, matcher.geography_):
                    # feasible only as a preferred county beyond the commute: its own block
                    assert post.county_code in seeker.preferred_counties, (row, col)
                    assert (int(row), int(col)) in preferred, (row, col)
                    covered += 1
                checked += 1
    assert checked > 100 and covered < checked / 10


def test_a_preferred_county_beyond_the_commute_is_ranked(world):
    from dataclasses import replace

    matcher, seekers = world
    geo = matcher.geography_
    far_post = next(
        p
        for p in matcher.posts_
        if not p.remote and p.open and p.seats_left > 0 and not p.functions
    )
    home = next(c for c in geo.counties if geo.tier(c, far_post.county_code) == 3)
    seeker = replace(
        seekers[0],
        county_code=home,
        max_commute_km=10.0,
        preferred_counties=frozenset({far_post.county_code}),
    )
    batch = blocking.seeker_batch(matcher, [seeker] * 3)
    col = matcher.post_index_[far_post.id]
    ((_rows, cols),) = blocking.blocks(matcher, batch, min_block=1)
    assert col not in cols  # beyond the commute: not in the reach block
    assert any(col in c for _r, c in blocking.preferred_blocks(matcher, batch))
    k = len(matcher.posts_)  # every feasible post listed: the far one must be among them
    blocked = blocking.rank_blocked(matcher, [seeker] * 3, k=k, min_block=1)
    assert col in blocked.post_index[0]
    full = matcher.rank_many([seeker] * 3, k=k)
    assert blocking.compare_rankings(matcher, full, blocked)["mismatches"] == []


def assert_blocked_equals_unblocked(matcher, seekers, k, min_block=1):
    full = matcher.rank_many(seekers, k=k)
    blocked = blocking.rank_blocked(matcher, seekers, k=k, min_block=min_block)
    assert blocking.compare_rankings(matcher, full, blocked)["mismatches"] == []
    assert np.array_equal(blocked.post_index >= 0, full.post_index >= 0)
    return full, blocked


def test_a_block_without_a_feasible_post_ranks_nothing(world):
    from dataclasses import replace

    matcher, seekers = world
    empty = seekers[0].county_code
    onsite = Matcher(chunk_size=64).fit(  # none in the seekers' county, none remote
        [
            replace(p, work_mode="full_time") if p.remote else p
            for p in matcher.posts_
            if p.county_code != empty
        ]
    )
    stranded = [
        replace(s, county_code=empty, max_commute_km=10.0, preferred_counties=frozenset())
        for s in seekers[:40]
    ]
    batch = blocking.seeker_batch(onsite, stranded)
    assert all(len(cols) == 0 for _rows, cols in blocking.blocks(onsite, batch, min_block=1))
    full, blocked = assert_blocked_equals_unblocked(onsite, stranded + seekers[40:200], 10)
    assert (blocked.post_index[:40] == -1).all() and (blocked.post_index[40:] >= 0).any()


@pytest.mark.parametrize("k", [150, 700])
def test_k_beyond_the_feasible_posts(world, k):
    matcher, seekers = world
    full, blocked = assert_blocked_equals_unblocked(matcher, seekers[:300], k, min_block=16)
    short = (blocked.post_index < 0).any(axis=1)
    assert short.sum() > 50  # many seekers have fewer than k feasible posts
    assert np.array_equal((blocked.post_index >= 0).sum(1), (full.post_index >= 0).sum(1))


def test_preferred_counties_within_and_beyond_the_commute(world):
    from dataclasses import replace

    matcher, seekers = world
    geo = matcher.geography_
    counties = sorted({p.county_code for p in matcher.posts_})
    mixed = []
    for i, s in enumerate(seekers[:200]):
        near = [c for c in counties if geo.tier(s.county_code, c) <= 1][:1]
        far = [c for c in counties if geo.tier(s.county_code, c) == 3][i % 3 : i % 3 + 1]
        mixed.append(
            replace(
                s,
                max_commute_km=[10.0, 40.0, None][i % 3],
                preferred_counties=frozenset(near + far),
            )
        )
    batch = blocking.seeker_batch(matcher, mixed)
    preferred = blocking.preferred_blocks(matcher, batch)
    assert preferred  # the far counties of seekers with a limited commute
    anywhere = {i for i, s in enumerate(mixed) if s.max_commute_km is None}
    assert not anywhere & {int(r) for rows, _c in preferred for r in rows}
    assert_blocked_equals_unblocked(matcher, mixed, 10, min_block=8)


def test_merge_keeps_each_post_once_at_its_best():
    rng = np.random.default_rng(4)
    k = 5
    for _ in range(200):
        lists = []
        for _side in range(2):
            n = rng.integers(0, k + 1)
            idx = np.full(k, -1)
            idx[:n] = rng.choice(12, n, replace=False)
            vals = np.where(idx >= 0, rng.integers(0, 4, k).astype(np.float32), -np.inf)
            order = np.lexsort((np.where(idx >= 0, idx, 99), -vals))
            lists += [idx[order][None, :], vals[order].astype(np.float32)[None, :]]
        idx, vals = blocking._merge(*lists, k)
        best: dict[int, float] = {}
        for i, v in zip(
            np.concatenate([lists[0][0], lists[2][0]]),
            np.concatenate([lists[1][0], lists[3][0]]),
            strict=True,
        ):
            if i >= 0:
                best[int(i)] = max(best.get(int(i), -np.inf), float(v))
        want = sorted(best.items(), key=lambda item: (-item[1], item[0]))[:k]
        got = [(int(i), float(v)) for i, v in zip(idx[0], vals[0], strict=True) if i >= 0]
        assert got == want
        assert (idx[0][len(want) :] == -1).all()
