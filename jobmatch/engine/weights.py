"""Factor weights: the domain's defaults, and weights learned from recorded referral outcomes.

Learning cannot unlearn the domain:

* every learned weight stays within ``WEIGHT_BOUNDS`` times its default weight (so a factor the
  domain knows matters, such as distance or pay, never falls to zero however the outcomes were
  drawn), and the fit is regularised towards the defaults;
* the weights are non-negative where the domain is certain of the direction (a nearer, better-paid,
  better-skilled post never ranks lower, other things equal): ``SIGNED_FACTORS``;
* policy factors (``POLICY_FACTORS``) keep their weight;
* a learned set is only *accepted* (to be activated) when, on held-out outcomes (stratified k-fold),
  it ranks better than the weights in use: a higher ROC AUC by at least ``MIN_AUC_GAIN`` and an
  NDCG not lower. Otherwise it is kept as a candidate with the reason.

The bounds, the regularisation and the gain are matching parameters (no regulation sets them),
defined once here.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import minimize
from sklearn.metrics import ndcg_score, roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold

from jobmatch.engine.factors import DEFAULT_WEIGHTS, FACTORS

MIN_OUTCOMES = 40
MIN_PER_CLASS = 8
POLICY_FACTORS = ("priority",)  # set by policy, never learned away from outcomes
# Where the domain is certain of the direction: more of the factor never ranks a post lower.
SIGNED_FACTORS = ("skills", "education", "salary", "distance", "work_mode", "employer_need")
WEIGHT_BOUNDS = (
    0.5,
    2.0,
)  # parameter: a learned weight stays within these multiples of its default
PRIOR_STRENGTH = 5.0  # parameter: pull towards the defaults, worth this many outcomes
MIN_AUC_GAIN = 0.005  # parameter: held-out ROC AUC gain a candidate needs over the weights in use
FOLDS = 5
REPEATS = 2  # the k-fold split is repeated with other shuffles, for steadier figures


@dataclass(frozen=True)
class Evaluation:
    """Held-out figures of a learned candidate against the weights in use (means over folds)."""

    auc: float
    baseline_auc: float
    ndcg: float
    baseline_ndcg: float
    auc_gain_se: float = 0.0  # standard error of the mean per-fold AUC gain

    @property
    def better(self) -> bool:
        """True when the candidate ranks held-out outcomes better than the weights in use.

        The mean AUC gain must reach MIN_AUC_GAIN and exceed twice its standard error over the
        folds (a gain within the folds' noise is no evidence), and the NDCG must not be lower.
        """
        gain = self.auc - self.baseline_auc
        return (
            gain >= MIN_AUC_GAIN and gain > 2 * self.auc_gain_se and self.ndcg >= self.baseline_ndcg
        )


@dataclass(frozen=True)
class Weights:
    """A versioned set of factor weights, with where it came from and how well it validated."""

    version: int = 1
    values: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    source: str = "default"  # default | learned | custom
    n_outcomes: int = 0
    validation_auc: float | None = None  # held-out ROC AUC of the learned weights
    # Where the weights stand, as a code with parameters (jobmatch.labels.weights_note renders it):
    # default | custom | stored (version) | better | candidate (n and the held-out figures) |
    # too_few (n, minimum, per_class).
    note: str = "default"
    note_params: dict = field(default_factory=dict, compare=False)
    evaluation: Evaluation | None = None  # held-out comparison with the weights in use
    accepted: bool = False  # the candidate beat the weights in use on held-out outcomes

    def __post_init__(self) -> None:
        missing = set(FACTORS) - set(self.values)
        if missing:
            raise ValueError(f"weights missing for factors: {sorted(missing)}")
        if any(v < 0 for v in self.values.values()):
            raise ValueError("weights must not be negative")


def default_weights() -> Weights:
    """Return the default weights (version 1)."""
    return Weights()


def weight_bounds(defaults: dict[str, float] = DEFAULT_WEIGHTS) -> dict[str, tuple[float, float]]:
    """Return (lowest, highest) of each learnable factor's weight around its default."""
    lo, hi = WEIGHT_BOUNDS
    return {f: (lo * defaults[f], hi * defaults[f]) for f in FACTORS if f not in POLICY_FACTORS}


def fit_bounded(X: np.ndarray, y: np.ndarray, fixed: dict[str, float]) -> dict[str, float]:
    """Fit logistic regression with the weights constrained to their bounds and to one total.

    The hire log-odds are ``b + s * (X @ w)``: the shares ``w`` of the learnable factors stay
    within ``weight_bounds()`` and sum to what the policy factors leave; the scale ``s`` is
    positive (a higher weighted total never lowers the chance of a hire). A penalty on the
    relative distance of ``w`` from the defaults, worth ``PRIOR_STRENGTH`` outcomes, pulls towards
    the defaults, so little evidence moves the weights little. Started from a sign-constrained
    unbounded fit whose shares are scaled into the bounds.
    """
    learn = [f for f in FACTORS if f not in POLICY_FACTORS]
    cols = [FACTORS.index(f) for f in learn]
    Xl = np.asarray(X, dtype=np.float64)[:, cols]
    y = np.asarray(y, dtype=np.float64)
    n = max(1, len(y))
    share = max(0.0, 1.0 - sum(fixed.values()))
    scale = share / sum(DEFAULT_WEIGHTS[f] for f in learn)
    prior = np.array([DEFAULT_WEIGHTS[f] for f in learn]) * scale
    bounds = weight_bounds()
    lo = np.array([bounds[f][0] for f in learn]) * scale
    hi = np.array([bounds[f][1] for f in learn]) * scale
    beta = _signed_logistic(Xl, y, [f in SIGNED_FACTORS for f in learn])
    start = _project(beta * share / beta.sum(), lo, hi, share) if beta.sum() > 0 else prior
    lam = PRIOR_STRENGTH / n

    def loss(theta: np.ndarray) -> float:
        b, s, w = theta[0], theta[1], theta[2:]
        z = b + s * (Xl @ w)
        log_loss = np.mean(np.logaddexp(0.0, z) - y * z)
        return float(log_loss + lam * np.sum(((w - prior) / prior) ** 2))

    z0 = Xl @ start
    s0 = max(1.0, float(beta.sum()))
    b0 = float(np.log((y.mean() + 1e-3) / (1 - y.mean() + 1e-3)) - s0 * z0.mean())
    result = minimize(
        loss,
        np.concatenate([[b0, s0], start]),
        method="SLSQP",
        bounds=[(None, None), (1e-3, 1e3)] + list(zip(lo, hi, strict=True)),
        constraints=[{"type": "eq", "fun": lambda t: np.sum(t[2:]) - share}],
        options={"maxiter": 300, "ftol": 1e-9},
    )
    w = np.clip(result.x[2:], lo, hi) if result.success else start
    w = _project(w, lo, hi, share)
    return {f: float(v) for f, v in zip(learn, w, strict=True)} | dict(fixed)


def _signed_logistic(X: np.ndarray, y: np.ndarray, signed: list[bool]) -> np.ndarray:
    """Return the coefficients of an L2 logistic regression (C = 1), >= 0 where signed."""

    def loss(theta):
        b, beta = theta[0], theta[1:]
        z = b + X @ beta
        p = 1.0 / (1.0 + np.exp(-z))
        value = np.sum(np.logaddexp(0.0, z) - y * z) + 0.5 * beta @ beta
        grad_z = p - y
        return value, np.concatenate([[grad_z.sum()], X.T @ grad_z + beta])

    box = [(None, None)] + [(0.0, None) if s else (None, None) for s in signed]
    result = minimize(loss, np.zeros(X.shape[1] + 1), jac=True, method="L-BFGS-B", bounds=box)
    return np.clip(result.x[1:], 0.0, None)


def _project(w: np.ndarray, lo: np.ndarray, hi: np.ndarray, total: float) -> np.ndarray:
    """Return clip(t * w, lo, hi) with t > 0 chosen (bisection) so that the result sums to total.

    Scaling keeps the fitted proportions between the factors inside their bounds.
    """
    a, b = 0.0, 1.0
    while np.clip(b * w, lo, hi).sum() < total and b < 1e9:
        b *= 2
    for _ in range(100):
        t = (a + b) / 2
        if np.clip(t * w, lo, hi).sum() > total:
            b = t
        else:
            a = t
    return np.clip(w * (a + b) / 2, lo, hi)


def _score(X: np.ndarray, values: dict[str, float]) -> np.ndarray:
    """The weighted total without the policy factors: they carry the same weight in every set
    compared and say nothing of a hire (a person hired is no longer hard to employ today)."""
    w = np.array([0.0 if f in POLICY_FACTORS else values[f] for f in FACTORS])
    return np.asarray(X, dtype=np.float64) @ w


def evaluate(
    X: np.ndarray, y: np.ndarray, baseline: dict[str, float], random_state: int = 0
) -> Evaluation:
    """Held-out ROC AUC and NDCG (each fold's outcomes ranked by total) of learned vs baseline.

    Totals leave out the policy factors (see _score).
    """
    X, y = np.asarray(X, dtype=np.float64), np.asarray(y, dtype=int)
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    folds = RepeatedStratifiedKFold(
        n_splits=min(FOLDS, n_pos, n_neg), n_repeats=REPEATS, random_state=random_state
    )
    fixed = {f: baseline[f] for f in POLICY_FACTORS}
    figures = []
    for train, test in folds.split(X, y):
        learned = fit_bounded(X[train], y[train], fixed)
        row = []
        for values in (learned, baseline):
            s = _score(X[test], values)
            row += [roc_auc_score(y[test], s), ndcg_score(y[test][None, :], s[None, :])]
        figures.append(row)
    figures = np.array(figures)
    auc, ndcg, base_auc, base_ndcg = figures.mean(axis=0)
    gains = figures[:, 0] - figures[:, 2]
    se = float(gains.std(ddof=1) / np.sqrt(len(gains))) if len(gains) > 1 else 0.0
    return Evaluation(float(auc), float(base_auc), float(ndcg), float(base_ndcg), se)


def learn_weights(
    factor_values: np.ndarray,
    hired: np.ndarray,
    previous: Weights,
    min_outcomes: int = MIN_OUTCOMES,
    random_state: int = 0,
) -> Weights:
    """Learn bounded weights from factor vectors of past referrals, hired or not.

    Returns the candidate (``accepted`` when it beat ``previous`` on held-out outcomes); with too
    few outcomes, ``previous`` is returned unchanged with a note saying why.
    """
    X = np.asarray(factor_values, dtype=np.float64)
    y = np.asarray(hired, dtype=int)
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    if len(y) < min_outcomes or min(n_pos, n_neg) < MIN_PER_CLASS:
        return _kept(previous, len(y), min_outcomes)
    fixed = {f: previous.values[f] for f in POLICY_FACTORS}
    values = fit_bounded(X, y, fixed)
    ev = evaluate(X, y, previous.values, random_state)
    params = {
        "n": len(y),
        "auc": round(ev.auc, 3),
        "baseline_auc": round(ev.baseline_auc, 3),
        "ndcg": round(ev.ndcg, 3),
        "baseline_ndcg": round(ev.baseline_ndcg, 3),
    }
    return Weights(
        version=previous.version + 1,
        values=values,
        source="learned",
        n_outcomes=len(y),
        validation_auc=ev.auc,
        note="better" if ev.better else "candidate",
        note_params=params,
        evaluation=ev,
        accepted=ev.better,
    )


def _kept(previous: Weights, n: int, min_outcomes: int) -> Weights:
    params = {"n": n, "minimum": min_outcomes, "per_class": MIN_PER_CLASS}
    return replace(previous, n_outcomes=n, note="too_few", note_params=params, accepted=False)
