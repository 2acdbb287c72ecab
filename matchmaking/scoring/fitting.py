"""Weights learnt from what people decided: a pairwise ranking model, and nDCG to judge it.

The data are items in groups — the applications to one offer (gain 2 accepted, 1 shortlisted,
0 declined), or the offers judged for one interest profile (gain = relevance 0–3) — each with
its components (a row of ``COMPONENTS``). Within a group, every item with a higher gain than
another should score above it. ``fit_weights`` finds the non-negative weights w minimising

    mean over those ordered pairs (a above b) of log(1 + exp(−w·(c_a − c_b)))  +  l2·|w|²

(a logistic model of "a beats b", i.e. RankNet with a linear score), then divides w by its sum,
since only the proportions matter to the engine. The score it ranks by is the engine's total
without exclusions, Σ wᵢ·cᵢ / Σ wᵢ; each weight reads as "how much this component decided".

A component that never differs within any ordered pair carries no evidence: it keeps its
share of the ``prior`` weights (the weights in use), and the others share the rest in the
fitted proportions. With no ordered pair at all, the prior comes back unchanged.

``cross_validate`` reports the mean nDCG of held-out groups, ranked by the prior and by
weights fitted without them (groups split into folds, so that no group is fitted and judged
at once).
"""

from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize

from .engine import COMPONENTS, Weights, weighted_total

L2 = 1e-3


@dataclass(frozen=True, eq=False)
class Decisions:
    """Items in groups, each with its components and gain."""

    components: np.ndarray  # float (n, len(COMPONENTS)), in [0, 1]
    gains: np.ndarray  # float (n,), higher is better
    groups: np.ndarray  # int (n,), e.g. the offer's id

    def __post_init__(self):
        n = len(self.gains)
        if self.components.shape != (n, len(COMPONENTS)) or self.groups.shape != (n,):
            raise ValueError(f"expected {n} rows of {len(COMPONENTS)} components and groups")

    def __len__(self):
        return len(self.gains)

    def take(self, mask) -> "Decisions":
        return Decisions(self.components[mask], self.gains[mask], self.groups[mask])

    @classmethod
    def concatenate(cls, parts) -> "Decisions":
        parts = list(parts)
        return cls(
            np.concatenate([p.components for p in parts]).reshape(-1, len(COMPONENTS)),
            np.concatenate([p.gains for p in parts]).astype(np.float64),
            np.concatenate([p.groups for p in parts]).astype(np.int64),
        )


def ordered_pairs(decisions: Decisions) -> np.ndarray:
    """c_a − c_b for every pair (a, b) of one group with gain a > gain b: float (p, C)."""
    order = np.argsort(decisions.groups, kind="stable")
    groups, gains = decisions.groups[order], decisions.gains[order]
    components = decisions.components[order].astype(np.float64)
    bounds = np.flatnonzero(np.diff(groups, prepend=groups[:1] - 1, append=groups[-1:] + 1))
    parts = []
    for lo, hi in zip(bounds[:-1], bounds[1:]):
        g = gains[lo:hi]
        better, worse = np.nonzero(g[:, None] > g[None, :])
        if len(better):
            parts.append(components[lo:hi][better] - components[lo:hi][worse])
    if not parts:
        return np.zeros((0, len(COMPONENTS)))
    return np.concatenate(parts)


def fit_weights(decisions: Decisions, *, prior: Weights, l2: float = L2) -> Weights:
    """The non-negative weights that best order each group's items by gain (see above)."""
    differences = ordered_pairs(decisions) if len(decisions) else np.zeros((0, len(COMPONENTS)))
    informative = np.any(differences != 0, axis=0)
    base = prior.normalised().astype(np.float64)
    if not len(differences) or not informative.any():
        return prior
    d = differences[:, informative]

    def loss(w):
        margin = d @ w
        # log(1 + e^−m) and its derivative −1 / (1 + e^m), computed stably.
        value = np.logaddexp(0.0, -margin).mean() + l2 * w @ w
        gradient = -(d.T @ _sigmoid(-margin)) / len(d) + 2 * l2 * w
        return value, gradient

    start = base[informative] / max(base[informative].sum(), 1e-9)
    result = minimize(
        loss, start, jac=True, method="L-BFGS-B", bounds=[(0.0, None)] * informative.sum()
    )
    fitted = np.clip(result.x, 0.0, None)
    if fitted.sum() <= 0:
        return prior
    weights = base.copy()
    weights[informative] = fitted / fitted.sum() * base[informative].sum()
    if base[informative].sum() <= 0:  # the prior gave them nothing: they take everything
        weights = np.zeros_like(base)
        weights[informative] = fitted / fitted.sum()
    weights /= weights.sum()
    return Weights(**{name: float(round(w, 4)) for name, w in zip(COMPONENTS, weights)})


def _sigmoid(x):
    return np.exp(-np.logaddexp(0.0, -x))


def ndcg(scores, gains, groups, *, k: int | None = None) -> float:
    """Mean nDCG (@k, or of the whole list) over the groups with some gain > 0.

    Each group's items are ranked by score, best first; ties go to the lower gain (so a
    constant score earns no credit). DCG = Σ (2^gain − 1) / log2(rank + 1).
    """
    scores, gains, groups = np.asarray(scores), np.asarray(gains), np.asarray(groups)
    values = []
    for group in np.unique(groups):
        mine = groups == group
        g, s = gains[mine].astype(np.float64), scores[mine].astype(np.float64)
        if not (g > 0).any():
            continue
        ranked = g[np.lexsort((g, -s))][:k]
        ideal = np.sort(g)[::-1][:k]
        discount = 1.0 / np.log2(np.arange(2, len(ranked) + 2))
        values.append(((2**ranked - 1) * discount).sum() / ((2**ideal - 1) * discount).sum())
    return float(np.mean(values)) if values else float("nan")


def scores_of(decisions: Decisions, weights: Weights) -> np.ndarray:
    return weighted_total(decisions.components, weights)


@dataclass(frozen=True)
class CrossValidation:
    folds: int
    groups: int  # groups with an ordered pair
    pairs: int
    ndcg_before: float
    ndcg_after: float


def cross_validate(
    decisions: Decisions, *, prior: Weights, folds: int = 5, seed: int = 0, l2: float = L2
) -> CrossValidation:
    """Held-out nDCG with the prior weights and with weights fitted on the other folds."""
    useful = np.unique(
        [
            g
            for g in np.unique(decisions.groups)
            if len(set(decisions.gains[decisions.groups == g])) > 1
        ]
    )
    data = decisions.take(np.isin(decisions.groups, useful))
    folds = max(1, min(folds, len(useful)))
    shuffled = np.random.default_rng(seed).permutation(useful)
    fold_of = {int(g): i % folds for i, g in enumerate(shuffled)}
    fold = np.array([fold_of[int(g)] for g in data.groups], dtype=np.int64)
    before = np.zeros(len(data), dtype=np.float64)
    after = np.zeros(len(data), dtype=np.float64)
    for f in range(folds):
        held = fold == f
        train = data.take(~held) if folds > 1 else data
        fitted = fit_weights(train, prior=prior, l2=l2)
        before[held] = scores_of(data.take(held), prior)
        after[held] = scores_of(data.take(held), fitted)
    return CrossValidation(
        folds=folds,
        groups=len(useful),
        pairs=len(ordered_pairs(data)) if len(data) else 0,
        ndcg_before=ndcg(before, data.gains, data.groups),
        ndcg_after=ndcg(after, data.gains, data.groups),
    )
