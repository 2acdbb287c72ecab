"""The explanation of scored pairs, as the JSON stored with a match or an application.

The format is the engine's own ``Breakdown.as_dict()`` (``Breakdown.from_dict`` reads it
back), plus the names of the shared themes and languages: the engine speaks in column indices
of the arrays it was given, which mean nothing once the arrays are gone; the stored names are
the vocabulary's msgids, which ``exchanges.explanations`` translates when it says them.

``breakdowns`` computes the facts of many pairs at once with array operations. The engine's
``explain`` does the same for one pair, but costs a few milliseconds each (it copies the
pair's rows into new ``Offers``/``Seekers``), which is too slow for the tens of thousands of
pairs a full re-score stores. tests/exchanges/test_matching.py checks that both agree for
every pair.
"""

import numpy as np

from matchmaking.scoring import COMPONENTS, Breakdown, Exclusion

_EXCLUSION_NAMES = {reason.value: reason.name for reason in Exclusion}
# The engine's format version, read once from the engine itself.
_VERSION = Breakdown(
    total=0.0, components={}, exclusion=Exclusion.NONE, shared_theme_indices=(),
    shared_language_indices=(), date_overlap_days=0, seeker_window_days=None,
    cross_border=False, past_partners=False, host_seeks_what_seeker_hosts=False,
    fewer_opportunities=(False, 0), capacity=(0, 0),
).as_dict()["version"]  # fmt: skip


def breakdowns(offers, seekers, rows, columns, *, totals, exclusions, components,
               past_partners, vocabularies) -> list[dict]:  # fmt: skip
    """The breakdowns of the pairs (offers row ``rows[p]``, seekers row ``columns[p]``).

    ``totals``, ``exclusions`` and ``components`` (p × len(COMPONENTS)) are the engine's
    results for those pairs (from ``score`` or ``top_matches``); ``past_partners`` the array
    given to the engine.
    """
    rows = np.asarray(rows, dtype=np.int64)
    columns = np.asarray(columns, dtype=np.int64)
    themes = _shared(offers.themes[rows], seekers.themes[columns])
    languages = _shared(offers.languages[rows], seekers.languages[columns])
    seeks = _shared(offers.host_seeks_types[rows], seekers.hosts_types[columns])
    offer_start = offers.start[rows].astype(np.int64)
    offer_end = offers.end[rows].astype(np.int64)
    has_window = seekers.has_window[columns]
    seeker_start = seekers.start[columns].astype(np.int64)
    seeker_end = seekers.end[columns].astype(np.int64)
    shared_days = np.minimum(offer_end, seeker_end) - np.maximum(offer_start, seeker_start) + 1
    # A seeker without a window takes any dates: the offer's whole window is shared.
    overlap = np.maximum(0, np.where(has_window, shared_days, offer_end - offer_start + 1))
    window = seeker_end - seeker_start + 1
    # Plain Python values, converted in bulk: the loop below only assembles them.
    cross_border = (offers.country[rows] != seekers.country[columns]).tolist()
    partners = _partners(past_partners)
    pairs = zip(offers.organisation_ids[rows].tolist(), seekers.organisation_ids[columns].tolist())
    were_partners = [pair in partners for pair in pairs]
    supports = offers.supports_fewer_opportunities[rows].tolist()
    brings = seekers.fewer_opportunity_participants[columns].tolist()
    participants = seekers.participants[columns].tolist()
    places_left = offers.places_left[rows].tolist()
    totals = np.asarray(totals, dtype=np.float32).tolist()
    components = np.asarray(components, dtype=np.float32).reshape(len(rows), len(COMPONENTS))
    components = components.tolist()
    exclusions = [_EXCLUSION_NAMES[e] for e in np.asarray(exclusions).tolist()]
    overlap, window, has_window = overlap.tolist(), window.tolist(), has_window.tolist()
    theme_names, language_names = vocabularies.themes.names, vocabularies.languages.names

    result = []
    for p in range(len(rows)):
        shared_themes, shared_languages = themes[p], languages[p]
        result.append({
            "total": totals[p],
            "components": dict(zip(COMPONENTS, components[p])),
            "exclusion": exclusions[p],
            "shared_theme_indices": shared_themes,
            "shared_language_indices": shared_languages,
            "date_overlap_days": overlap[p],
            "seeker_window_days": window[p] if has_window[p] else None,
            "cross_border": cross_border[p],
            "past_partners": were_partners[p],
            "host_seeks_what_seeker_hosts": bool(seeks[p]),
            "fewer_opportunities": [supports[p], brings[p]],
            "capacity": [participants[p], places_left[p]],
            "version": _VERSION,
            "shared_themes": [theme_names[k] for k in shared_themes],
            "shared_languages": [language_names[k] for k in shared_languages],
        })  # fmt: skip
    return result


def _shared(offer_rows, seeker_rows):
    """Per pair, the sorted column indices both rows have."""
    both = offer_rows.multiply(seeker_rows).tocsr()
    both.eliminate_zeros()
    both.sort_indices()
    indices, bounds = both.indices.tolist(), both.indptr.tolist()
    return [indices[bounds[p]:bounds[p + 1]] for p in range(both.shape[0])]


def _partners(past_partners):
    pairs = set()
    if past_partners is not None:
        for a, b in np.asarray(past_partners, dtype=np.int64).reshape(-1, 2).tolist():
            pairs.add((a, b))
            pairs.add((b, a))
    return pairs
