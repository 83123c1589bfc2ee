"""The matcher: a scikit-learn style estimator ranking posts for seekers and seekers for posts."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
from sklearn.base import BaseEstimator
from sklearn.utils.validation import check_is_fitted

from jobmatch.engine.domain import Outcome, Post, Seeker
from jobmatch.engine.explain import (
    MatchResult,
    PairContext,
    bridged_accommodations,
    contributions_of,
    exclusion_reasons,
    explain_lines,
)
from jobmatch.engine.factors import FACTORS
from jobmatch.engine.features import (
    PostTable,
    SeekerBatch,
    build_post_table,
    build_seeker_batch,
    text_model_for,
)
from jobmatch.engine.geography import load_geography
from jobmatch.engine.scoring import BlockScorer, pair_factors, top_k
from jobmatch.engine.skills import SkillVocabulary, default_vocabulary
from jobmatch.engine.weights import MIN_OUTCOMES, Weights, default_weights, learn_weights
from jobmatch.engine.welfare import welfare_order


class Matcher(BaseEstimator):
    """Rank open posts for job-seekers under hard constraints and weighted soft factors."""

    def __init__(
        self,
        weights: Weights | Mapping[str, float] | None = None,
        vocabulary: SkillVocabulary | None = None,
        chunk_size: int = 1024,
        min_outcomes: int = MIN_OUTCOMES,
        text_dims: int = 64,
    ) -> None:
        self.weights = weights
        self.vocabulary = vocabulary
        self.chunk_size = chunk_size
        self.min_outcomes = min_outcomes
        self.text_dims = text_dims

    def fit(self, posts: Sequence[Post]) -> Matcher:
        """Index the posts: skill ids, TF-IDF text model, constraint and factor arrays."""
        self.vocabulary_ = self.vocabulary or default_vocabulary()
        self.geography_ = load_geography()
        self.tiers_ = self.geography_.tier_matrix()
        self.vocab_index_ = {sid: i for i, sid in enumerate(self.vocabulary_.skills)}
        self.posts_ = list(posts)
        self.post_index_ = {p.id: i for i, p in enumerate(self.posts_)}
        vocab = self.vocabulary_
        self.text_model_ = text_model_for(vocab, self.text_dims)
        self.table_ = build_post_table(
            self.posts_, vocab, self.vocab_index_, self.text_model_, self.geography_
        )
        self.weights_ = _initial_weights(self.weights)
        self._scorers: dict[int, BlockScorer] = {}
        return self

    def update_posts(self, changed: Sequence[Post] = (), removed: Sequence = ()) -> Matcher:
        """Add or replace the changed posts and drop the removed ones, in place, without a refit.

        Only the changed posts' rows are built (the text model is the vocabulary's); the rest of
        the table is kept. Rankings afterwards equal those of a matcher fitted on the new posts.
        """
        check_is_fitted(self)
        gone = {p.id for p in changed} | set(removed)
        keep = np.array([i for i, p in enumerate(self.posts_) if p.id not in gone], dtype=np.int64)
        table = self.table_.take(keep)
        posts = [self.posts_[i] for i in keep]
        if changed:
            added = build_post_table(
                list(changed),
                self.vocabulary_,
                self.vocab_index_,
                self.text_model_,
                self.geography_,
            )
            table, posts = table.concat(added), posts + list(changed)
        # One dict update: a reader never sees the new table with the old posts (GIL-atomic).
        self.__dict__.update(
            table_=table,
            posts_=posts,
            post_index_={p.id: i for i, p in enumerate(posts)},
            _scorers={},
        )
        return self

    def set_weights(self, weights: Weights | Mapping[str, float]) -> Matcher:
        """Use other weights from now on (no refit: only the scorer is rebuilt)."""
        self.weights_ = _initial_weights(weights)
        self._scorers = {}
        return self

    def rank_posts(
        self, seeker: Seeker, k: int = 10, include_excluded: bool = False
    ) -> list[MatchResult]:
        """Return the seeker's top-k posts; optionally also the excluded posts that would rank there."""
        check_is_fitted(self)
        batch = self._batch([seeker])
        idx, vals = top_k(self._scorer().score(batch, slice(0, 1)), k)
        results = self._results(batch, 0, seeker, idx[0], vals[0])
        if include_excluded:
            raw_idx, raw_vals = top_k(self._scorer().score(batch, slice(0, 1), penalties=False), k)
            shown = set(idx[0][np.isfinite(vals[0])].tolist())
            keep = np.array([c not in shown for c in raw_idx[0]], dtype=bool)
            results += self._results(batch, 0, seeker, raw_idx[0][keep], raw_vals[0][keep], True)
        return results

    def explain_pair(self, seeker: Seeker, post_id) -> MatchResult:
        """Return the score, contributions and (if any) exclusion reasons of one seeker-post pair."""
        check_is_fitted(self)
        col = self.post_index_[post_id]
        batch = self._batch([seeker])
        raw = self._scorer().score(batch, slice(0, 1), penalties=False)[0, col]
        reasons = exclusion_reasons(seeker, self.posts_[col], self.geography_)
        return self._results(batch, 0, seeker, np.array([col]), np.array([raw]), bool(reasons))[0]

    def rank_candidates(
        self, post: Post, seekers: Sequence[Seeker], k: int = 10
    ) -> list[MatchResult]:
        """Return the top-k seekers for one post (hard constraints applied to each)."""
        check_is_fitted(self)
        table = build_post_table(
            [post], self.vocabulary_, self.vocab_index_, self.text_model_, self.geography_
        )
        scorer = BlockScorer(table, self.weights_.values, self.tiers_)
        batch = self._batch(seekers)
        scores = (
            np.concatenate(
                [scorer.score(batch, rows)[:, 0] for rows in _chunks(len(seekers), self.chunk_size)]
            )
            if seekers
            else np.zeros(0, dtype=np.float32)
        )
        if post.welfare:
            rows, vals = welfare_order(seekers, scores, k)
        else:
            rows, vals = top_k(scores[None, :], k)
        out = []
        for r, v in zip(rows[0], vals[0], strict=True):
            if np.isfinite(v):
                out += self._results(
                    batch,
                    int(r),
                    seekers[r],
                    np.array([0]),
                    np.array([v]),
                    table=table,
                    posts=[post],
                )
        return out

    def rank_many(
        self, seekers: Sequence[Seeker], k: int = 10, chunk_size: int | None = None
    ) -> BatchRanking:
        """Rank posts for many seekers in chunks (bounded memory), vectorised, no per-pair loop."""
        check_is_fitted(self)
        batch, scorer = self._batch(seekers), self._scorer()
        k = min(k, len(self.posts_))
        post_idx = np.full((len(seekers), k), -1, dtype=np.int64)
        totals = np.full((len(seekers), k), -np.inf, dtype=np.float32)
        prepared = scorer.prepare(batch)
        chunks = _chunks(len(seekers), chunk_size or self.chunk_size)
        # One score buffer for all chunks: a fresh 80 MB array per chunk costs page faults.
        width = max((c.stop - c.start for c in chunks), default=0)
        out = np.empty((width, len(self.posts_)), dtype=np.float32)
        for rows in chunks:
            idx, vals = scorer.rank(batch, rows, k, prepared, out)
            post_idx[rows], totals[rows] = np.where(np.isfinite(vals), idx, -1), vals
        values = np.zeros((len(seekers), k, len(FACTORS)), dtype=np.float32)
        s, j = np.nonzero(post_idx >= 0)
        values[s, j] = pair_factors(batch, s, self.table_, post_idx[s, j], self.tiers_)
        return BatchRanking(self, seekers, batch, post_idx, totals, values)

    def learn_weights(self, outcomes: Sequence[Outcome]) -> Weights:
        """Learn bounded weights from referral outcomes and return them (the candidate).

        The matcher uses them only when they beat its weights on held-out outcomes (``accepted``).
        """
        check_is_fitted(self)
        values = self.factor_values(outcomes)
        hired = np.array([o.hired for o in outcomes], dtype=int)
        learned = learn_weights(values, hired, self.weights_, self.min_outcomes)
        if learned.accepted:
            self.weights_ = learned
        return learned

    def factor_values(self, outcomes: Sequence[Outcome]) -> np.ndarray:
        """Return the factor vectors (outcomes x FACTORS) of recorded seeker-post pairs."""
        check_is_fitted(self)
        if not outcomes:
            return np.zeros((0, len(FACTORS)), dtype=np.float32)
        batch = self._batch([o.seeker for o in outcomes])
        table = build_post_table(
            [o.post for o in outcomes],
            self.vocabulary_,
            self.vocab_index_,
            self.text_model_,
            self.geography_,
        )
        pairs = np.arange(len(outcomes))
        return pair_factors(batch, pairs, table, pairs, self.tiers_)

    def _batch(self, seekers: Sequence[Seeker]) -> SeekerBatch:
        return build_seeker_batch(
            seekers, self.vocabulary_, self.vocab_index_, self.text_model_, self.geography_
        )

    def _scorer(self) -> BlockScorer:
        key = id(self.weights_)
        if key not in self._scorers:
            self._scorers = {key: BlockScorer(self.table_, self.weights_.values, self.tiers_)}
        return self._scorers[key]

    def _results(self, batch, row, seeker, cols, vals, excluded=False, table=None, posts=None):
        table, posts = table or self.table_, posts or self.posts_
        cols = np.asarray(cols, dtype=np.int64)
        keep = np.isfinite(vals)
        cols, vals = cols[keep], np.asarray(vals)[keep]
        values = pair_factors(batch, np.full(len(cols), row), table, cols, self.tiers_)
        return [
            self._result(batch, row, seeker, table, posts, int(c), float(v), f, excluded)
            for c, v, f in zip(cols, vals, values, strict=True)
        ]

    def _result(self, batch, row, seeker, table, posts, col, total, fvals, excluded):
        values = dict(zip(FACTORS, map(float, fvals), strict=True))
        post = posts[col]
        ctx = _context(batch, row, seeker, table, col, post, values, self)
        lines = tuple(explain_lines(ctx, self.vocabulary_, self.weights_.values))
        reasons = exclusion_reasons(seeker, post, self.geography_) if excluded else ()
        contributions = contributions_of(values, self.weights_.values)
        return MatchResult(
            seeker.id,
            post.id,
            total,
            contributions,
            excluded,
            reasons,
            lines,
            ctx.bridged,
            post.welfare,
            seeker.welfare_group if post.welfare else None,
        )


def _context(batch, row, seeker, table: PostTable, col, post, values, matcher) -> PairContext:
    mine = batch.skill_ids[row]
    vocab = matcher.vocabulary_
    related = []
    for wanted in table.skill_ids[col]:
        if wanted in mine:
            continue
        credit, held = max(((vocab.credit(h, wanted), h) for h in mine), default=(0.0, None))
        if credit > 0:
            related.append((held, wanted))
    return PairContext(
        matched=tuple(s for s in table.skill_ids[col] if s in mine),
        related=tuple(related),
        post_skill_count=len(table.skill_ids[col]),
        values=values,
        tier=int(matcher.tiers_[batch.county[row], table.county[col]]),
        remote=bool(table.remote[col]),
        preferred_county=post.county_code in seeker.preferred_counties,
        work_mode=post.work_mode,
        shortfall=float(post.employer_shortfall),
        bridged=bridged_accommodations(seeker, post),
        mode_wished=bool(seeker.preferred_modes),
        reach_km=seeker.max_commute_km,
        commute_basis=seeker.commute_basis if seeker.max_commute_km is not None else "none",
        travel_mode=seeker.travel_mode,
        min_education=post.min_education,
    )


def _initial_weights(weights) -> Weights:
    if weights is None:
        return default_weights()
    if isinstance(weights, Weights):
        return weights
    return Weights(values=dict(weights), source="custom", note="custom")


def _chunks(n: int, size: int) -> list[slice]:
    return [slice(i, min(i + size, n)) for i in range(0, n, max(1, size))]


@dataclass
class BatchRanking:
    """Top-k posts per seeker as arrays; MatchResult objects (with explanations) built on demand."""

    matcher: Matcher
    seekers: Sequence[Seeker]
    batch: SeekerBatch
    post_index: np.ndarray  # seekers x k, -1 where fewer than k posts were eligible
    totals: np.ndarray  # seekers x k
    factor_values: np.ndarray  # seekers x k x FACTORS

    def post_ids(self, i: int) -> list:
        """Return the ranked post ids of the i-th seeker."""
        return [self.matcher.posts_[c].id for c in self.post_index[i] if c >= 0]

    def results(self, i: int) -> list[MatchResult]:
        """Return the i-th seeker's results with contributions and explanations."""
        m = self.matcher
        cols = self.post_index[i]
        ok = cols >= 0
        return [
            m._result(
                self.batch, i, self.seekers[i], m.table_, m.posts_, int(c), float(t), f, False
            )
            for c, t, f in zip(cols[ok], self.totals[i][ok], self.factor_values[i][ok], strict=True)
        ]
