"""Weights fitted to decisions (matchmaking.scoring.fitting): the pairwise model and nDCG."""

import numpy as np
import pytest

from matchmaking.scoring import COMPONENTS, Weights
from matchmaking.scoring.fitting import (
    Decisions,
    cross_validate,
    fit_weights,
    ndcg,
    ordered_pairs,
)

KNOWN = Weights(
    themes=0.4,
    text=0.2,
    dates=0.1,
    languages=0.05,
    capacity=0.0,
    fewer_opportunities=0.15,
    cross_border=0.0,
    reciprocity=0.1,
)


def synthetic_decisions(weights, *, groups=300, per_group=8, sharpness=20.0, seed=1):
    """Hosts who accept the two applications they like best and shortlist the third, liking
    an application by the weighted components plus logistic noise."""
    rng = np.random.default_rng(seed)
    components = rng.random((groups * per_group, len(COMPONENTS))).astype(np.float32)
    liking = components @ weights.normalised() * sharpness + rng.logistic(size=len(components))
    group = np.repeat(np.arange(groups), per_group)
    gains = np.zeros(len(components))
    for g in range(groups):
        mine = np.flatnonzero(group == g)
        best = mine[np.argsort(-liking[mine])]
        gains[best[:2]], gains[best[2]] = 2.0, 1.0
    return Decisions(components, gains, group)


def test_fit_weights_recovers_known_weights_from_synthetic_decisions():
    fitted = fit_weights(synthetic_decisions(KNOWN), prior=Weights())

    assert fitted.normalised() == pytest.approx(KNOWN.normalised(), abs=0.03)


def test_held_out_ndcg_improves_when_the_weights_in_use_are_wrong():
    wrong = Weights(**{name: (1.0 if name == "capacity" else 0.01) for name in COMPONENTS})

    check = cross_validate(synthetic_decisions(KNOWN), prior=wrong, folds=5)

    assert check.folds == 5 and check.groups == 300
    assert check.ndcg_after > check.ndcg_before + 0.1


def test_a_component_that_never_differs_keeps_its_share_of_the_prior():
    decisions = synthetic_decisions(KNOWN)
    cross_border = COMPONENTS.index("cross_border")
    decisions.components[:, cross_border] = 1.0  # every applicant from abroad: no evidence

    fitted = fit_weights(decisions, prior=Weights()).normalised()

    assert fitted[cross_border] == pytest.approx(Weights().normalised()[cross_border], abs=1e-3)
    assert fitted.sum() == pytest.approx(1.0)


def test_without_a_better_and_a_worse_decision_the_prior_comes_back():
    components = np.full((3, len(COMPONENTS)), 0.5, dtype=np.float32)
    all_accepted = Decisions(components, np.full(3, 2.0), np.array([1, 1, 2]))

    assert fit_weights(all_accepted, prior=KNOWN) == KNOWN
    assert len(ordered_pairs(all_accepted)) == 0


def test_ordered_pairs_compare_only_within_a_group():
    components = np.eye(len(COMPONENTS), dtype=np.float32)[:3]
    decisions = Decisions(components, np.array([2.0, 0.0, 1.0]), np.array([7, 7, 8]))

    pairs = ordered_pairs(decisions)

    assert pairs.tolist() == [(components[0] - components[1]).tolist()]


def test_ndcg_is_one_for_the_ideal_order_and_less_for_the_reverse():
    gains = np.array([2.0, 1.0, 0.0])
    groups = np.zeros(3, dtype=np.int64)

    assert ndcg(np.array([0.9, 0.5, 0.1]), gains, groups) == pytest.approx(1.0)
    reverse = ndcg(np.array([0.1, 0.5, 0.9]), gains, groups)
    # DCG of (0, 1, 3) over the ideal (3, 1, 0), with discounts 1, 1/log2(3), 1/2.
    ideal = 3 + 1 / np.log2(3)
    assert reverse == pytest.approx((1 / np.log2(3) + 3 / 2) / ideal)


def test_ndcg_gives_no_credit_for_ties_and_skips_groups_without_a_gain():
    gains = np.array([0.0, 2.0, 0.0, 0.0])
    groups = np.array([1, 1, 2, 2])

    tied = ndcg(np.zeros(4), gains, groups)

    assert tied == pytest.approx((3 / np.log2(3)) / 3)  # group 2 has nothing to find
