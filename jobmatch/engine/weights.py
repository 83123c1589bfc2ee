"""Factor weights: sensible defaults, and weights learned from recorded referral outcomes."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score

from jobmatch.engine.factors import DEFAULT_WEIGHTS, FACTORS

MIN_OUTCOMES = 40
MIN_PER_CLASS = 8
POLICY_FACTORS = ("priority",)  # set by policy, never learned away from outcomes


@dataclass(frozen=True)
class Weights:
    """A versioned set of factor weights, with where it came from and how well it validated."""

    version: int = 1
    values: dict[str, float] = field(default_factory=lambda: dict(DEFAULT_WEIGHTS))
    source: str = "default"  # default | learned | custom
    n_outcomes: int = 0
    validation_auc: float | None = None  # cross-validated ROC AUC of the learned model
    note_zh: str = "默认权重"
    note_en: str = "default weights"

    def __post_init__(self) -> None:
        missing = set(FACTORS) - set(self.values)
        if missing:
            raise ValueError(f"weights missing for factors: {sorted(missing)}")
        if any(v < 0 for v in self.values.values()):
            raise ValueError("weights must not be negative")


def default_weights() -> Weights:
    """Return the default weights (version 1)."""
    return Weights()


def learn_weights(
    factor_values: np.ndarray,
    hired: np.ndarray,
    previous: Weights,
    min_outcomes: int = MIN_OUTCOMES,
    random_state: int = 0,
) -> Weights:
    """Fit a logistic regression on factor vectors of past referrals, hired or not.

    With too few outcomes the previous weights are kept (with a note saying why). Negative
    coefficients are clipped to 0; policy factors keep their previous weight and the learned
    weights share the rest, so totals stay on the same scale.
    """
    X = np.asarray(factor_values, dtype=np.float64)
    y = np.asarray(hired, dtype=int)
    n_pos, n_neg = int(y.sum()), int(len(y) - y.sum())
    if len(y) < min_outcomes or min(n_pos, n_neg) < MIN_PER_CLASS:
        return _kept(previous, len(y), min_outcomes)
    learn = [i for i, f in enumerate(FACTORS) if f not in POLICY_FACTORS]
    model = LogisticRegression(C=1.0, max_iter=1000)
    folds = StratifiedKFold(n_splits=min(5, n_pos, n_neg), shuffle=True, random_state=random_state)
    auc = float(np.mean(cross_val_score(model, X[:, learn], y, cv=folds, scoring="roc_auc")))
    coef = np.clip(model.fit(X[:, learn], y).coef_.ravel(), 0.0, None)
    if coef.sum() <= 0:
        return _kept(previous, len(y), min_outcomes, no_signal=True)
    fixed = {f: previous.values[f] for f in POLICY_FACTORS}
    share = max(0.0, 1.0 - sum(fixed.values()))
    values = {FACTORS[i]: float(share * c / coef.sum()) for i, c in zip(learn, coef, strict=True)}
    return Weights(
        version=previous.version + 1,
        values=values | fixed,
        source="learned",
        n_outcomes=len(y),
        validation_auc=auc,
        note_zh=f"由{len(y)}条推荐结果学习，交叉验证AUC {auc:.3f}",
        note_en=f"learned from {len(y)} referral outcomes, cross-validated ROC AUC {auc:.3f}",
    )


def _kept(previous: Weights, n: int, min_outcomes: int, no_signal: bool = False) -> Weights:
    if no_signal:
        zh, en = "结果中没有可用信号，保留原权重", "no usable signal in the outcomes; weights kept"
    else:
        zh = f"推荐结果不足（{n}条，至少需{min_outcomes}条且录用与未录用各{MIN_PER_CLASS}条），保留原权重"
        en = (
            f"too few outcomes ({n}; need {min_outcomes} with at least {MIN_PER_CLASS} "
            "hired and not hired); weights kept"
        )
    return Weights(
        previous.version, dict(previous.values), previous.source, n, previous.validation_auc, zh, en
    )
