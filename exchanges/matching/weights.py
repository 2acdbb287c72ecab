"""The weights the engine scores with, and the hosts' decisions that weights are fitted to.

The weights in use are those of the active ``MatchingWeights`` version, over the defaults in
``settings.MATCHING_WEIGHTS`` (a component the version does not name keeps its default); with
no active version, the defaults alone.
"""

import numpy as np
from django.conf import settings

from matchmaking.scoring import COMPONENTS, Exclusion, Weights
from matchmaking.scoring.fitting import Decisions

from ..models import Application, MatchingWeights

# The gain of each decision, for fitting and for nDCG: accepted above shortlisted above declined.
DECISION_GAINS = {
    Application.Status.ACCEPTED: 2.0,
    Application.Status.SHORTLISTED: 1.0,
    Application.Status.DECLINED: 0.0,
}


def default_weights() -> Weights:
    return Weights.from_mapping(settings.MATCHING_WEIGHTS)


def as_weights(mapping) -> Weights:
    """A version's weights over the defaults (names the engine no longer has are ignored)."""
    known = {name: value for name, value in (mapping or {}).items() if name in COMPONENTS}
    return Weights.from_mapping({**settings.MATCHING_WEIGHTS, **known})


def active_version() -> MatchingWeights | None:
    return MatchingWeights.objects.filter(status=MatchingWeights.Status.ACTIVE).first()


def weights_in_use() -> Weights:
    """One query."""
    active = (
        MatchingWeights.objects.filter(status=MatchingWeights.Status.ACTIVE)
        .values_list("weights", flat=True)
        .first()
    )
    return default_weights() if active is None else as_weights(active)


def decided_applications() -> tuple[Decisions, dict]:
    """The hosts' decisions as ``Decisions`` grouped by offer, and what was left out.

    Each decided application (accepted, shortlisted, declined) with its stored components;
    left out: the excluded ones (their total is 0 whatever the weights) and those whose
    stored breakdown lacks a component (scored before it existed; a re-score fills them).
    """
    rows = Application.objects.filter(status__in=list(DECISION_GAINS)).values_list(
        "offer_id", "status", "score_breakdown"
    )
    components, gains, groups = [], [], []
    left_out = {"excluded": 0, "not_scored": 0}
    for offer_id, status, breakdown in rows.order_by("offer_id", "pk"):
        values = (breakdown or {}).get("components") or {}
        if not all(name in values for name in COMPONENTS):
            left_out["not_scored"] += 1
            continue
        if (breakdown.get("exclusion") or "NONE") != Exclusion.NONE.name:
            left_out["excluded"] += 1
            continue
        components.append([float(values[name]) for name in COMPONENTS])
        gains.append(DECISION_GAINS[status])
        groups.append(offer_id)
    decisions = Decisions(
        np.array(components, dtype=np.float32).reshape(-1, len(COMPONENTS)),
        np.array(gains, dtype=np.float64),
        np.array(groups, dtype=np.int64),
    )
    return decisions, left_out
