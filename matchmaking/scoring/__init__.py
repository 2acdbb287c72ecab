"""The matching engine: scores offers against seekers (interest profiles or applications).

Plain Python with numpy and scipy: no ORM, no settings, no request. The caller loads the data
into ``Offers`` and ``Seekers``, passes ``Weights`` (from its settings), and stores what comes
back. Definitions of the constraints and components: ``engine``; of the text similarity:
``text``; of the sentence vectors: ``embedding``.

    matrix = score(offers, seekers, weights, past_partners=pairs)          # n × m, all pairs
    best = top_matches(offers, seekers, weights, k=50, past_partners=pairs)
    best.per_offer[i].indices, .totals, .components                         # best seekers of i
    some = score_pairs(offers, seekers, rows, columns, weights)             # chosen pairs only
    breakdown = explain(offers, i, seekers, j, matrix)                      # facts for words
"""

from .embedding import embed
from .engine import (
    COMPONENTS,
    Exclusion,
    PairScores,
    Ranking,
    ScoreMatrix,
    TopMatches,
    Weights,
    score,
    score_pairs,
    top_matches,
    weighted_total,
)
from .explain import Breakdown, explain
from .inputs import Offers, Seekers, indicator_matrix
from .text import term_counts

__all__ = [
    "COMPONENTS",
    "Breakdown",
    "Exclusion",
    "Offers",
    "PairScores",
    "Ranking",
    "ScoreMatrix",
    "Seekers",
    "TopMatches",
    "Weights",
    "embed",
    "explain",
    "indicator_matrix",
    "score",
    "score_pairs",
    "term_counts",
    "top_matches",
    "weighted_total",
]
