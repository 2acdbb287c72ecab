"""Matching offers with interest profiles and applications, on top of matchmaking.scoring.

The engine (``matchmaking.scoring``) is plain arrays in, scores out. This package is the
Django side: ``loaders`` turns querysets into the engine's arrays with a fixed number of
queries (``texts`` keeps the words of the texts counted, per worker), ``breakdowns`` turns the
engine's explanation into the JSON that is stored and said in words by
``exchanges.explanations``, ``scoring`` runs and chooses what to keep, ``storage`` writes it,
``alerts`` tells the organisations, ``rescores`` shares a full re-score among workers, and
``requests`` notes the scoring owed until it ran. The Celery tasks (``exchanges.tasks``) call
the functions exported here.
"""

from .alerts import send_weekly_digests
from .rescores import lost_steps as lost_rescore_steps
from .rescores import rescore_chunk, rescore_finish
from .rescores import start_run as start_rescore_run
from .scoring import rescore_all, score_application, score_offer, score_profile, weights

__all__ = [
    "lost_rescore_steps",
    "rescore_chunk",
    "rescore_finish",
    "start_rescore_run",
    "rescore_all",
    "score_application",
    "score_offer",
    "score_profile",
    "send_weekly_digests",
    "weights",
]
