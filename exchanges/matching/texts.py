"""The words of offers and interest profiles, counted once per worker process.

Counting words (``matchmaking.scoring.term_counts``) is the slow part of scoring one offer
against every profile — about 1 s per 100,000 texts, against some 0.03 s for the rest of the
engine — and a text's counts depend on that text alone. So the worker keeps them from one
task to the next: ``term_counts(kind, ids, texts)`` returns the counts of the texts, counting
only those it has not seen before.

An entry is found by the row's id and checked against its text and language (a 64-bit hash
of them, kept instead of the text): a profile whose name or description changed, by a form or by any
``update()``, is counted again; nothing needs to be told to forget it. Rows that are gone stay
until the cache holds ``LIMIT`` rows of a kind, when it starts again.

The cache lives in the process (a Celery worker's, or a web process's for the pages that
score); ``clear()`` empties it.
"""

import threading
from dataclasses import dataclass

import numpy as np
from scipy import sparse

from matchmaking.scoring import term_counts as count_terms
from matchmaking.scoring.text import N_BUCKETS

LIMIT = 2_000_000

_lock = threading.Lock()
_kinds: dict = {}


@dataclass(frozen=True)
class _Counted:
    ids: np.ndarray  # int64, ascending
    keys: np.ndarray  # int64: hash of each row's text
    counts: sparse.csr_matrix  # one row per id


def term_counts(kind, ids, texts, languages=None) -> sparse.csr_matrix:
    """The bucket counts of ``texts`` (one per id of ``ids``, ids unique), in their order,
    as lemmas of their ``languages`` (one per text, None or "" to detect it)."""
    ids = np.asarray(ids, dtype=np.int64)
    if languages is None:
        languages = [None] * len(texts)
    languages = [language or None for language in languages]
    keys = np.fromiter(map(hash, zip(texts, languages)), dtype=np.int64, count=len(texts))
    with _lock:
        known = _kinds.get(kind) or _Counted(
            np.zeros(0, np.int64), np.zeros(0, np.int64), sparse.csr_matrix((0, N_BUCKETS))
        )
    if len(known.ids):
        at = np.minimum(np.searchsorted(known.ids, ids), len(known.ids) - 1)
        same_row = known.ids[at] == ids
        hit = same_row & (known.keys[at] == keys)
    else:
        at = np.zeros(len(ids), dtype=np.int64)
        same_row = hit = np.zeros(len(ids), dtype=np.bool_)
    missing = np.flatnonzero(~hit)
    if not len(missing):
        return known.counts[at]
    missing_rows = missing.tolist()
    counted = count_terms(
        [texts[i] for i in missing_rows], languages=[languages[i] for i in missing_rows]
    )
    # The rows counted now follow the known ones.
    source = np.where(hit, at, 0)
    source[missing] = known.counts.shape[0] + np.arange(len(missing))
    result = sparse.vstack([known.counts, counted], format="csr")[source]
    _remember(kind, known, ids[missing], keys[missing], counted, replaced=at[same_row & ~hit])
    return result


def _remember(kind, known, ids, keys, counts, *, replaced):
    """Add the rows just counted; rows whose text changed replace their old counts."""
    if len(known.ids) + len(ids) > LIMIT:
        order = np.argsort(ids, kind="stable")
        entry = _Counted(ids[order], keys[order], counts[order])
    else:
        kept = np.ones(len(known.ids), dtype=np.bool_)
        kept[replaced] = False
        all_ids = np.concatenate([known.ids[kept], ids])
        order = np.argsort(all_ids, kind="stable")
        entry = _Counted(
            all_ids[order],
            np.concatenate([known.keys[kept], keys])[order],
            sparse.vstack([known.counts[np.flatnonzero(kept)], counts], format="csr")[order],
        )
    with _lock:
        _kinds[kind] = entry


def clear():
    """Forget every count (as a freshly started worker)."""
    with _lock:
        _kinds.clear()


def size(kind):
    """How many rows of ``kind`` are kept."""
    with _lock:
        known = _kinds.get(kind)
    return 0 if known is None else len(known.ids)
