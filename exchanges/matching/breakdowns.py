"""The explanation of scored pairs, as the JSON stored with a match or an application.

Two formats:

- in full (``breakdowns``), stored with an application (they are few) and used by the pages
  that score on the fly: the engine's own ``Breakdown.as_dict()`` (``Breakdown.from_dict``
  reads it back), plus the names of the shared themes and languages — the engine speaks in
  column indices of the arrays it was given, which mean nothing once the arrays are gone; the
  stored names are the vocabulary's msgids, which ``exchanges.explanations`` translates.
- slim (``SLIM_VERSION``), stored with an offer–profile match (a full re-score writes
  hundreds of thousands): the components, rounded to three decimals, in the order of
  ``COMPONENTS``, and the two facts behind the reciprocity bonus, which only the history of
  the organisations tells::

      {"version": 2, "components": [0.5, 0.137, 1.0, 1.0, 1.0, 0.5, 1.0, 0.0, 0.5],
       "past_partners": false, "host_seeks_what_seeker_hosts": false}

  Everything else an explanation says (the shared themes and languages, the dates, support
  for participants with fewer opportunities) follows from the offer and the profile as they
  are (a match stored before a component existed has fewer components: the last are
  missing), and ``exchanges.explanations.facts`` works it out when a page or an email shows it;
  the total is the match's ``score``, and a stored match is never excluded.

``breakdowns`` computes the facts of many pairs at once with array operations. The engine's
``explain`` does the same for one pair, but costs a few milliseconds each (it copies the
pair's rows into new ``Offers``/``Seekers``), which is too slow for the tens of thousands of
pairs a full re-score stores. tests/exchanges/test_matching.py checks that both agree for
every pair.
"""

import numpy as np

from matchmaking.scoring import COMPONENTS, Breakdown, Exclusion
from matchmaking.scoring.components import date_facts

_EXCLUSION_NAMES = {reason.value: reason.name for reason in Exclusion}
# The engine's format version, read once from the engine itself.
_VERSION = Breakdown(
    total=0.0,
    components={},
    exclusion=Exclusion.NONE,
    shared_theme_indices=(),
    shared_language_indices=(),
    date_overlap_days=0,
    seeker_window_days=None,
    cross_border=False,
    past_partners=False,
    host_seeks_what_seeker_hosts=False,
    fewer_opportunities=(False, 0),
    capacity=(0, 0),
).as_dict()["version"]


def breakdowns(
    offers,
    seekers,
    rows,
    columns,
    *,
    totals,
    exclusions,
    components,
    past_partners,
    vocabularies,
    partners=None,
    places_left=None,
) -> list[dict]:
    """The breakdowns of the pairs (offers row ``rows[p]``, seekers row ``columns[p]``).

    ``totals``, ``exclusions`` and ``components`` (p × len(COMPONENTS)) are the engine's
    results for those pairs (from ``score``, ``top_matches`` or ``score_pairs``);
    ``past_partners`` the array given to the engine, or ``partners`` and ``places_left`` the
    per-pair values given to ``score_pairs``.
    """
    rows = np.asarray(rows, dtype=np.int64)
    columns = np.asarray(columns, dtype=np.int64)
    themes = _shared(offers.themes[rows], seekers.themes[columns])
    languages = _shared(offers.languages[rows], seekers.languages[columns])
    were_partners, seeks = reciprocity(
        offers, seekers, rows, columns, past_partners=past_partners, partners=partners
    )
    has_window = seekers.has_window[columns]
    overlap, window = date_facts(
        offers.start[rows],
        offers.end[rows],
        has_window,
        seekers.start[columns],
        seekers.end[columns],
    )
    # Plain Python values, converted in bulk: the loop below only assembles them.
    cross_border = (offers.country[rows] != seekers.country[columns]).tolist()
    were_partners, seeks = were_partners.tolist(), seeks.tolist()
    supports = offers.supports_fewer_opportunities[rows].tolist()
    brings = seekers.fewer_opportunity_participants[columns].tolist()
    participants = seekers.participants[columns].tolist()
    places_left = (offers.places_left[rows] if places_left is None else places_left).tolist()
    totals = np.asarray(totals, dtype=np.float32).tolist()
    components = np.asarray(components, dtype=np.float32).reshape(len(rows), len(COMPONENTS))
    components = components.tolist()
    exclusions = [_EXCLUSION_NAMES[e] for e in np.asarray(exclusions).tolist()]
    overlap, window, has_window = overlap.tolist(), window.tolist(), has_window.tolist()
    by_vectors = (offers.has_vector[rows] & seekers.has_vector[columns]).tolist()
    offer_languages = _languages(offers, rows)
    seeker_languages = _languages(seekers, columns)
    theme_names, language_names = vocabularies.themes.names, vocabularies.languages.names

    result = []
    for p in range(len(rows)):
        shared_themes, shared_languages = themes[p], languages[p]
        result.append(
            {
                "total": totals[p],
                "components": dict(zip(COMPONENTS, components[p])),
                "exclusion": exclusions[p],
                "shared_theme_indices": shared_themes,
                "shared_language_indices": shared_languages,
                "date_overlap_days": overlap[p],
                "seeker_window_days": window[p] if has_window[p] else None,
                "cross_border": cross_border[p],
                "past_partners": were_partners[p],
                "host_seeks_what_seeker_hosts": seeks[p],
                "fewer_opportunities": [supports[p], brings[p]],
                "capacity": [participants[p], places_left[p]],
                "text_by_vectors": by_vectors[p],
                "text_languages": [offer_languages[p], seeker_languages[p]],
                "version": _VERSION,
                "shared_themes": [theme_names[k] for k in shared_themes],
                "shared_languages": [language_names[k] for k in shared_languages],
            }
        )
    return result


def _languages(items, rows):
    if items.text_languages is None:
        return [None] * len(rows)
    return [items.text_languages[i] or None for i in np.asarray(rows).tolist()]


def reciprocity(offers, seekers, rows, columns, *, past_partners=None, partners=None):
    """Per pair, bool arrays: whether the organisations were partners before (looked up in
    ``past_partners`` as given to the engine, unless ``partners`` gives it per pair), and
    whether the host looks for an exchange type the seeker's organisation hosts."""
    rows = np.asarray(rows, dtype=np.int64)
    columns = np.asarray(columns, dtype=np.int64)
    both = offers.host_seeks_types[rows].multiply(seekers.hosts_types[columns])
    seeks = np.asarray(both.sum(axis=1)).reshape(-1) > 0
    if partners is not None:
        return np.asarray(partners, dtype=bool).reshape(-1), seeks
    known = np.zeros((0, 2), dtype=np.int64)
    if past_partners is not None:
        known = np.asarray(past_partners, dtype=np.int64).reshape(-1, 2)
    # Pairs of organisations as one number each, in both orders.
    keys = np.concatenate(
        [_pair_keys(known[:, 0], known[:, 1]), _pair_keys(known[:, 1], known[:, 0])]
    )
    pairs = _pair_keys(offers.organisation_ids[rows], seekers.organisation_ids[columns])
    return np.isin(pairs, keys), seeks


def _pair_keys(a, b):
    return (np.asarray(a, dtype=np.int64) << np.int64(32)) + np.asarray(b, dtype=np.int64)


# The slim format of a stored match ----------------------------------------------------------

SLIM_VERSION = 2
_DECIMALS = 1000
_NUMBERS = np.array([f"{k / _DECIMALS:.3f}".encode() for k in range(_DECIMALS + 1)])
_BOOLEANS = np.array([b"false", b"true "])  # the same width: JSON allows the space


def thousandths(components) -> np.ndarray:
    """The components (p × len(COMPONENTS)) rounded to three decimals, as int64 thousandths:
    what the slim format stores, the same whichever way it is written."""
    values = np.asarray(components, dtype=np.float64).reshape(-1, len(COMPONENTS))
    return np.rint(np.clip(values, 0.0, 1.0) * _DECIMALS).astype(np.int64)


def slim_breakdowns(thousandths, past_partners, host_seeks) -> list[dict]:
    """The slim breakdowns as dicts (one per pair)."""
    values = (np.asarray(thousandths) / _DECIMALS).tolist()
    return [
        {
            "version": SLIM_VERSION,
            "components": components,
            "past_partners": partners,
            "host_seeks_what_seeker_hosts": seeks,
        }
        for components, partners, seeks in zip(
            values, np.asarray(past_partners).tolist(), np.asarray(host_seeks).tolist()
        )
    ]


def slim_json(thousandths, past_partners, host_seeks) -> np.ndarray:
    """The slim breakdowns as JSON text of one width, uint8 (p × width), built with array
    operations: for writing hundreds of thousands of them with COPY."""
    thousandths = np.asarray(thousandths)
    if not len(thousandths):
        return np.zeros((0, 0), dtype=np.uint8)
    pieces = [b'{"version": %d, "components": [' % SLIM_VERSION]
    for k in range(len(COMPONENTS)):
        pieces += [_NUMBERS[thousandths[:, k]], b", " if k < len(COMPONENTS) - 1 else b"], "]
    pieces += [b'"past_partners": ', _BOOLEANS[np.asarray(past_partners, dtype=np.intp)]]
    pieces += [
        b', "host_seeks_what_seeker_hosts": ',
        _BOOLEANS[np.asarray(host_seeks, dtype=np.intp)],
    ]
    pieces += [b"}"]
    columns = [
        np.broadcast_to(np.frombuffer(piece, dtype=np.uint8), (len(thousandths), len(piece)))
        if isinstance(piece, bytes)
        else piece.view(np.uint8).reshape(len(thousandths), -1)
        for piece in pieces
    ]
    return np.concatenate(columns, axis=1)


def _shared(offer_rows, seeker_rows):
    """Per pair, the sorted column indices both rows have."""
    both = offer_rows.multiply(seeker_rows).tocsr()
    both.eliminate_zeros()
    both.sort_indices()
    indices, bounds = both.indices.tolist(), both.indptr.tolist()
    return [indices[bounds[p] : bounds[p + 1]] for p in range(both.shape[0])]
