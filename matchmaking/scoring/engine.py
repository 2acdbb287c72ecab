"""Scores every (offer, seeker) pair with a few array operations.

Hard constraints exclude a pair; ``Exclusion`` names the reason, the first that applies in
this order:

1. EXCHANGE_TYPE — the seeker does not look for the offer's exchange type.
2. DATES — both have a date window and they share no day.
3. LANGUAGE — both list working languages and none is common.
4. CAPACITY — the seeker brings more participants than the offer has places left.
5. COUNTRY — the seeker lists countries and the offer's is not among them.
6. SAME_ORGANISATION — the offer is the seeker organisation's own.

Components, each in [0, 1] (computed for excluded pairs too, which always total 0, except
the text, the costliest: 0 for an excluded pair):

- themes: Jaccard index of the two theme sets, |common| / |either|; 0 when neither has one.
  Adding a theme to both sides never lowers it.
- text: when both texts have a sentence vector, their cosine mapped onto [0, 1]
  (``embedding.similarity``: the multilingual model, so across languages); else the cosine
  similarity of the TF-IDF vectors of their lemmas (see ``text``), the fallback. Per pair.
- dates: days of overlap / days in the seeker's window; 1 when the seeker has no window.
- languages: |common| / |seeker's languages|; 1 when either side lists none (no constraint).
- capacity: 1 when the participants fit with places to spare, 0.8 when they would take the
  last places (``LAST_PLACES``), 0 when they do not fit.
- fewer_opportunities: the seeker brings participants with fewer opportunities: 1 when the
  offer supports them, 0 when it does not; the seeker brings none: 0.5.
- cross_border: 1 when the two organisations are in different countries.
- reciprocity: 1 when the organisations were partners in an exchange before (either way), or
  the seeker organisation hosts an exchange type the host organisation seeks.
- fields: ISCED-F fields of education, |common| / min(|offer's|, |seeker's|); 0.5 when either
  side lists none (no information: between a field in common, 1, and none in common, 0).
  Last in ``COMPONENTS`` so that the stored components of older matches keep their places.

total = Σ wᵢ·cᵢ / Σ wᵢ (float32, summed in the order of ``COMPONENTS``), 0 when excluded.

Every result is a function of the inputs alone, bit for bit: set overlaps are exact integer
counts, a pair's text similarity is summed in bucket order whatever block it is computed in,
its vector similarity is an exact integer dot product (``embedding``), and ties in rankings
are broken by id. ``score_pairs`` gives chosen pairs the bits ``score`` gives them, without
scoring the others.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from enum import IntEnum

import numpy as np
from scipy import sparse

from . import components, embedding
from .components import LAST_PLACES  # noqa: F401 (a definition of the engine's; bench reads it)
from .inputs import Offers, Seekers
from .text import TextSimilarity, text_pairs_by_corpus

COMPONENTS = (
    "themes",
    "text",
    "dates",
    "languages",
    "capacity",
    "fewer_opportunities",
    "cross_border",
    "reciprocity",
    "fields",
)
(
    THEMES,
    TEXT,
    DATES,
    LANGUAGES,
    CAPACITY,
    FEWER_OPPORTUNITIES,
    CROSS_BORDER,
    RECIPROCITY,
    FIELDS,
) = range(len(COMPONENTS))

# Pairs scored at once by top_matches (and score) when no chunk size is given: about 2 million
# pairs keep a block's arrays near 150 MB.
PAIRS_PER_BLOCK = 1 << 21


class Exclusion(IntEnum):
    NONE = 0
    EXCHANGE_TYPE = 1
    DATES = 2
    LANGUAGE = 3
    CAPACITY = 4
    COUNTRY = 5
    SAME_ORGANISATION = 6


@dataclass(frozen=True)
class Weights:
    """Weights of the components; only their proportions matter (they are divided by their sum)."""

    themes: float = 0.30
    text: float = 0.15
    dates: float = 0.15
    languages: float = 0.10
    capacity: float = 0.05
    fewer_opportunities: float = 0.10
    cross_border: float = 0.05
    reciprocity: float = 0.10
    fields: float = 0.05

    def __post_init__(self):
        for name in COMPONENTS:
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, int | float | np.floating):
                raise ValueError(f"weight {name!r} must be a number, not {value!r}")
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"weight {name!r} must be finite and >= 0, not {value!r}")
        if sum(getattr(self, name) for name in COMPONENTS) <= 0:
            raise ValueError("at least one weight must be > 0")

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, float]) -> "Weights":
        """Weights from e.g. a settings dict; missing names keep their default."""
        unknown = set(mapping) - set(COMPONENTS)
        if unknown:
            raise ValueError(f"unknown weights: {sorted(unknown)}; known: {list(COMPONENTS)}")
        return cls(**mapping)

    def normalised(self) -> np.ndarray:
        """float32 (len(COMPONENTS),), summing to 1."""
        values = np.array([getattr(self, name) for name in COMPONENTS], dtype=np.float64)
        return (values / values.sum()).astype(np.float32)


@dataclass(frozen=True, eq=False)
class ScoreMatrix:
    total: np.ndarray  # float32 (n, m) in [0, 1], 0 where excluded
    exclusion: np.ndarray  # int8 (n, m) Exclusion values
    components: np.ndarray  # float32 (n, m, len(COMPONENTS))

    def component(self, name: str) -> np.ndarray:
        return self.components[:, :, COMPONENTS.index(name)]


@dataclass(frozen=True, eq=False)
class Ranking:
    """The best matches of one offer (among seekers) or of one seeker (among offers)."""

    indices: np.ndarray  # int64 (r,) rows of the other side, best first
    totals: np.ndarray  # float32 (r,)
    components: np.ndarray  # float32 (r, len(COMPONENTS))

    def __len__(self):
        return len(self.indices)


@dataclass(frozen=True, eq=False)
class PairScores:
    """The scores of chosen (offer, seeker) pairs, one entry per pair."""

    rows: np.ndarray  # int64 (p,) rows of the offers
    columns: np.ndarray  # int64 (p,) rows of the seekers
    total: np.ndarray  # float32 (p,) 0 where excluded
    exclusion: np.ndarray  # int8 (p,) Exclusion values
    components: np.ndarray  # float32 (p, len(COMPONENTS))

    def __len__(self):
        return len(self.rows)


@dataclass(frozen=True, eq=False)
class TopMatches:
    per_offer: list[Ranking]  # one per offer: its best seekers
    per_seeker: list[Ranking]  # one per seeker: its best offers
    # The pairs asked for with ``also_above`` (by offer, then seeker), ranked or not.
    also: PairScores | None = None


def _exclusions(same_organisation, country_ok, fits, language_ok, dates_ok, type_ok):
    """The Exclusion code of each pair; the first reason that applies wins, so they are
    applied from the last to the first."""
    exclusion = same_organisation.view(np.int8) * np.int8(Exclusion.SAME_ORGANISATION)
    for reason, ok in (
        (Exclusion.COUNTRY, country_ok),
        (Exclusion.CAPACITY, fits),
        (Exclusion.LANGUAGE, language_ok),
        (Exclusion.DATES, dates_ok),
        (Exclusion.EXCHANGE_TYPE, type_ok),
    ):
        exclusion *= ok
        exclusion += ~ok * np.int8(reason)
    return exclusion


def score(offers: Offers, seekers: Seekers, weights: Weights, *, past_partners=None) -> ScoreMatrix:
    """Every offer against every seeker.

    ``past_partners``: (k, 2) organisation ids of pairs that had an exchange together, in
    either direction; None for none.
    """
    pairs = _Pairs(offers, seekers, weights, past_partners)
    n, m = len(offers), len(seekers)
    total = np.empty((n, m), dtype=np.float32)
    exclusion = np.empty((n, m), dtype=np.int8)
    components = np.empty((n, m, len(COMPONENTS)), dtype=np.float32)
    for lo, hi in _blocks(n, m, None):
        total[lo:hi], exclusion[lo:hi], planes = pairs.block(lo, hi)
        components[lo:hi] = np.moveaxis(planes, 0, -1)
    return ScoreMatrix(total=total, exclusion=exclusion, components=components)


def top_matches(
    offers: Offers,
    seekers: Seekers,
    weights: Weights,
    *,
    k: int = 50,
    past_partners=None,
    chunk_size: int | None = None,
    also_above: float | None = None,
    also_seekers=None,
    offer_rows: tuple[int, int] | None = None,
) -> TopMatches:
    """The k best non-excluded seekers of each offer and offers of each seeker.

    Best first: higher total, then lower id. Offers are scored ``chunk_size`` at a time (by
    default as many as make ``PAIRS_PER_BLOCK`` pairs), so memory stays bounded; the result
    does not depend on the chunk size.

    With ``also_above``, ``also`` holds besides every non-excluded pair whose total is at
    least that, for the seekers ``also_seekers`` (a bool mask, None for all) selects, found
    on the way at little cost (e.g. the pairs an alert is due for, ranked or not).

    With ``offer_rows`` (lo, hi), only the offers of rows lo:hi are scored, against every
    seeker, as a part of the whole: ``per_offer`` holds their rankings (hi - lo of them),
    ``per_seeker`` each seeker's k best among them, and ``also`` their pairs (rows of the
    whole). Every score has the bits the whole run gives it (the texts' corpus is still every
    offer and seeker), so the k best of a seeker over the union of the parts' rankings are
    its k best over all offers: several processes can share one run.
    """
    if k < 0:
        raise ValueError("k must be >= 0")
    pairs = _Pairs(offers, seekers, weights, past_partners)
    n, m = len(offers), len(seekers)
    first, last = (0, n) if offer_rows is None else offer_rows
    if not 0 <= first <= last <= n:
        raise ValueError(f"offer_rows: expected 0 <= lo <= hi <= {n}, got {offer_rows}")
    also = None
    if also_above is not None:
        selected = np.ones(m, dtype=np.bool_) if also_seekers is None else also_seekers
        selected = np.asarray(selected, dtype=np.bool_).reshape(-1)
        if selected.shape != (m,):
            raise ValueError(f"also_seekers: expected a mask of {m} seekers")
        also = _AlsoPairs(np.float32(also_above), selected)
    # A 64-bit key orders the candidates: the total's bits (monotone for floats >= 0) plus one
    # for a scored pair in the high half, so that every scored pair (even one totalling 0)
    # reaches _SCORED; the inverse rank of the id in the low half, so the lower id wins a tie.
    seeker_tiebreak = (m - _ranks(seekers.ids)).astype(np.uint64)
    offer_tiebreak = (n - _ranks(offers.ids)).astype(np.uint64)[:, np.newaxis]

    per_offer = []
    seeker_best = _SeekerBest(m, k)
    for lo, hi in _blocks(last - first, m, chunk_size):
        lo, hi = lo + first, hi + first
        total, exclusion, planes = pairs.block(lo, hi)
        high = total.view(np.uint32) + (exclusion == Exclusion.NONE)
        high = high.astype(np.uint64) << np.uint64(32)

        keys = high | seeker_tiebreak
        top, counts = _best_in_rows(keys, k)
        for row in range(hi - lo):
            chosen = top[row, : counts[row]]
            per_offer.append(
                Ranking(chosen, total[row, chosen], np.ascontiguousarray(planes[:, row, chosen].T))
            )
        seeker_best.add(high | offer_tiebreak[lo:hi], lo, planes)
        if also is not None:
            also.add(lo, total, exclusion, planes)
    return TopMatches(
        per_offer=per_offer,
        per_seeker=seeker_best.rankings(),
        also=None if also is None else also.result(),
    )


class _AlsoPairs:
    """The pairs of ``top_matches(also_above=…)``, gathered block by block."""

    def __init__(self, threshold, selected):
        self.threshold, self.selected = threshold, selected
        self.parts = []

    def add(self, lo, total, exclusion, planes):
        wanted = (total >= self.threshold) & (exclusion == Exclusion.NONE) & self.selected
        row, column = np.nonzero(wanted)
        self.parts.append(
            (row + lo, column, total[row, column], np.ascontiguousarray(planes[:, row, column].T))
        )

    def result(self):
        if not self.parts:
            return _no_pairs()
        rows, columns, totals, components = (np.concatenate(p) for p in zip(*self.parts))
        return PairScores(
            rows=rows.astype(np.int64),
            columns=columns.astype(np.int64),
            total=totals,
            exclusion=np.zeros(len(rows), dtype=np.int8),
            components=components,
        )


def _no_pairs():
    return PairScores(
        rows=np.zeros(0, dtype=np.int64),
        columns=np.zeros(0, dtype=np.int64),
        total=np.zeros(0, dtype=np.float32),
        exclusion=np.zeros(0, dtype=np.int8),
        components=np.zeros((0, len(COMPONENTS)), dtype=np.float32),
    )


def score_pairs(
    offers: Offers,
    seekers: Seekers,
    rows,
    columns,
    weights: Weights,
    *,
    past_partners=None,
    partners=None,
    places_left=None,
    corpora=None,
) -> PairScores:
    """Offer ``rows[p]`` against seeker ``columns[p]``, for each pair p only.

    The same definitions and arithmetic as ``score``: with ``corpora`` None, each pair gets
    the bits ``score(offers, seekers, …)`` has at [rows[p], columns[p]], at the cost of the
    pairs asked for rather than of all of them. Options for pairs that each see their own
    world (e.g. applications, each scored against its own offer):

    - ``partners``: bool (p,), whether each pair's organisations were partners before, in
      place of the look-up in ``past_partners``;
    - ``places_left``: int (p,), the places left each pair sees, in place of its offer's;
    - ``corpora``: int (p,), a label per pair: the text similarities of the pairs with the
      same label are those of a ``score`` of their offers against their seekers (each
      counted once) alone, i.e. their TF-IDF corpus is those documents.
    """
    if not isinstance(weights, Weights):
        raise TypeError(f"weights must be Weights, not {type(weights).__name__}")
    _check_compatible(offers, seekers)
    o, s = offers, seekers
    rows = np.asarray(rows, dtype=np.int64).reshape(-1)
    columns = np.asarray(columns, dtype=np.int64).reshape(-1)
    n = len(rows)
    if len(columns) != n:
        raise ValueError("rows and columns must have the same length")
    if n and (
        rows.min() < 0 or rows.max() >= len(o) or columns.min() < 0 or columns.max() >= len(s)
    ):
        raise ValueError("rows and columns must be rows of the offers and of the seekers")
    places = o.places_left[rows] if places_left is None else _per_pair(places_left, n, np.int32)
    planes = np.empty((len(COMPONENTS), n), dtype=np.float32)

    shared_themes = _pair_overlap(o.themes, rows, s.themes, columns)
    theme_sizes = _set_sizes(o.themes)[rows], _set_sizes(s.themes)[columns]
    components.themes(shared_themes, *theme_sizes, out=planes[THEMES])

    components.fields(
        _pair_overlap(o.fields_of_education, rows, s.fields_of_education, columns),
        _set_sizes(o.fields_of_education)[rows],
        _set_sizes(s.fields_of_education)[columns],
        out=planes[FIELDS],
    )

    first_day, last_day, window_days = components.seeker_windows(
        s.has_window[columns], s.start[columns], s.end[columns]
    )
    overlap = components.overlap_days(o.start[rows], o.end[rows], first_day, last_day)
    dates_ok = overlap > 0
    components.dates(overlap, window_days, out=planes[DATES])

    shared_languages = _pair_overlap(o.languages, rows, s.languages, columns)
    language_ok = components.languages(
        shared_languages,
        *components.seeker_languages(_set_sizes(s.languages)[columns]),
        _set_sizes(o.languages)[rows] == 0,
        out=planes[LANGUAGES],
    )

    fits = components.capacity(s.participants[columns], places, out=planes[CAPACITY])

    brings = s.fewer_opportunity_participants[columns] > 0
    supports = o.supports_fewer_opportunities[rows]
    planes[FEWER_OPPORTUNITIES] = np.where(brings, np.where(supports, 1.0, 0.0), 0.5)
    np.not_equal(o.country[rows], s.country[columns], out=planes[CROSS_BORDER])
    reciprocal = _pair_overlap(o.host_seeks_types, rows, s.hosts_types, columns) > 0
    if partners is None:
        lookup = _Partners(o.organisation_ids, s.organisation_ids, past_partners)
        partners = lookup.pairs(rows, columns)
    else:
        partners = _per_pair(partners, n, np.bool_)
    np.logical_or(reciprocal, partners, out=planes[RECIPROCITY])

    type_ok = _lookup(s.exchange_types, columns, o.exchange_type[rows])
    country_ok = _lookup(s.countries_wanted, columns, o.country[rows])
    country_ok |= _set_sizes(s.countries_wanted)[columns] == 0
    same = o.organisation_ids[rows] == s.organisation_ids[columns]
    exclusion = _exclusions(same, country_ok, fits, language_ok, dates_ok, type_ok)

    # The text of the pairs that fit only (an excluded pair's is 0).
    fit = exclusion == Exclusion.NONE
    by_vector = _vector_pairs(o, s, rows, columns, out=planes[TEXT], among=fit)
    lexical = fit & ~by_vector
    if lexical.any():
        _check_buckets(o, s)
        if corpora is None:
            # Each pair's lexical similarity is its own sum: only the pairs that need it.
            planes[TEXT][lexical] = TextSimilarity(
                o.term_counts, o.document_frequencies, s.term_counts, s.document_frequencies
            ).pairs(rows[lexical], columns[lexical])
        else:
            # A corpus is the documents of its pairs, all of them, whatever scores them.
            planes[TEXT][lexical] = text_pairs_by_corpus(
                o.term_counts, rows, s.term_counts, columns, _per_pair(corpora, n, np.int64)
            )[lexical]

    total = _weighted(planes, weights.normalised())
    total *= fit
    return PairScores(
        rows=rows,
        columns=columns,
        total=total,
        exclusion=exclusion,
        components=np.ascontiguousarray(planes.T),
    )


def _check_buckets(offers, seekers):
    if offers.term_counts.shape[1] != seekers.term_counts.shape[1]:
        raise ValueError("text_counts: offers and seekers differ in number of buckets")


def _vector_pairs(offers, seekers, rows, columns, *, out, among):
    """The vector similarity of the pairs ``among`` (a mask) where both texts have a vector,
    into ``out`` (0 elsewhere); returns where."""
    both = offers.has_vector[rows] & seekers.has_vector[columns] & among
    out[...] = 0.0
    if both.any():
        r, c = rows[both], columns[both]
        # Integer codes: the sum is exact, so these are the bits a block's product gives.
        dots = np.einsum("ij,ij->i", offers.codes[r], seekers.codes[c])
        out[both] = embedding.similarity(dots, offers.vector_scales[r], seekers.vector_scales[c])
    return both


def _per_pair(values, n, dtype):
    values = np.asarray(values, dtype=dtype).reshape(-1)
    if values.shape != (n,):
        raise ValueError(f"expected one value per pair ({n}), got {values.shape}")
    return values


def _pair_overlap(offer_sets, rows, seeker_sets, columns):
    """|offer set ∩ seeker set| per pair, as float32 counts (exact)."""
    both = offer_sets[rows].multiply(seeker_sets[columns])
    return np.asarray(both.sum(axis=1), dtype=np.float32).reshape(-1)


def _lookup(sets, rows, columns):
    """Whether row ``rows[p]`` of the 0/1 matrix has column ``columns[p]``, per p."""
    found = np.zeros(len(rows), dtype=np.bool_)
    if not len(rows):
        return found
    # The matrix is canonical (rows in order, each row's columns sorted): its cells as
    # row * width + column are sorted, and a binary search finds each pair's cell.
    width = sets.shape[1]
    cells = np.repeat(np.arange(sets.shape[0], dtype=np.int64), np.diff(sets.indptr))
    cells = cells * width + sets.indices
    keys = rows.astype(np.int64) * width + columns
    position = np.minimum(np.searchsorted(cells, keys), max(len(cells) - 1, 0))
    if len(cells):
        found[:] = cells[position] == keys
    return found


_SCORED = np.uint64(1 << 32)  # keys of scored pairs are >= this


def _best_in_rows(keys, k):
    """Per row, the columns of the k largest keys, largest first, and how many are scored."""
    size = keys.shape[1]
    if k == 0:
        top = np.zeros((keys.shape[0], 0), dtype=np.intp)
    elif size > k:
        top = np.argpartition(keys, size - k, axis=1)[:, size - k :]
    else:
        top = np.broadcast_to(np.arange(size), keys.shape)
    order = np.argsort(np.take_along_axis(keys, top, axis=1), axis=1, kind="stable")[:, ::-1]
    top = np.take_along_axis(top, order, axis=1)
    counts = (np.take_along_axis(keys, top, axis=1) >= _SCORED).sum(axis=1)
    return top, counts


class _SeekerBest:
    """The k best offers of every seeker so far, kept in k slots per seeker.

    A block's pair is a candidate only if it beats the seeker's k-th best key (a threshold),
    which after the first blocks leaves few; the candidates that make it into the k best take
    the slots of the ones they push out.
    """

    _EMPTY = np.uint64(1)  # below every scored key, above the padding (0) of ``add``

    def __init__(self, m, k):
        self.k = k
        self.keys = np.full((m, k), self._EMPTY, dtype=np.uint64)
        self.offers = np.zeros((m, k), dtype=np.int64)
        self.components = np.zeros((m, k, len(COMPONENTS)), dtype=np.float32)
        self.threshold = np.full(m, _SCORED - np.uint64(1), dtype=np.uint64)

    def add(self, keys, lo, planes):
        """Offer the block's pairs (``keys``: offers × seekers) as candidates."""
        if self.k == 0:
            return
        candidate = np.ascontiguousarray((keys > self.threshold).T)
        seeker, row = np.nonzero(candidate)  # seeker-major, so each seeker's run is contiguous
        if not len(seeker):
            return
        candidate_keys = keys[row, seeker]
        starts = np.flatnonzero(np.diff(seeker, prepend=-1))
        counts = np.diff(np.append(starts, len(seeker)))
        affected = seeker[starts]
        run = np.repeat(np.arange(len(affected)), counts)
        position = np.arange(len(seeker)) - np.repeat(starts, counts)

        # Per affected seeker: its k slots, then its candidates, padded with 0.
        k, width = self.k, int(counts.max())
        pool = np.zeros((len(affected), k + width), dtype=np.uint64)
        pool[:, :k] = self.keys[affected]
        pool[run, k + position] = candidate_keys
        kept = np.zeros(pool.shape, dtype=np.bool_)
        np.put_along_axis(kept, np.argpartition(pool, width, axis=1)[:, width:], True, axis=1)

        # Row by row, the i-th slot pushed out takes the i-th candidate let in.
        out_run, out_slot = np.nonzero(~kept[:, :k])
        in_run, in_position = np.nonzero(kept[:, k:])
        chosen = starts[in_run] + in_position
        target = affected[out_run]
        self.keys[target, out_slot] = candidate_keys[chosen]
        self.offers[target, out_slot] = row[chosen] + lo
        self.components[target, out_slot] = planes[:, row[chosen], seeker[chosen]].T
        self.threshold[affected] = np.maximum(
            self.keys[affected].min(axis=1), _SCORED - np.uint64(1)
        )

    def rankings(self):
        order = np.argsort(self.keys, axis=1, kind="stable")[:, ::-1]
        keys = np.take_along_axis(self.keys, order, axis=1)
        offers = np.take_along_axis(self.offers, order, axis=1)
        components = np.take_along_axis(self.components, order[:, :, np.newaxis], axis=1)
        totals = ((keys >> np.uint64(32)) - np.uint64(1)).astype(np.uint32).view(np.float32)
        counts = (keys >= _SCORED).sum(axis=1)
        return [
            Ranking(offers[j, :r].copy(), totals[j, :r].copy(), components[j, :r].copy())
            for j, r in enumerate(counts)
        ]


def weighted_total(components, weights: Weights) -> np.ndarray:
    """Σ wᵢ·cᵢ / Σ wᵢ along the last axis of ``components`` (…, len(COMPONENTS)), with the
    same bits as the engine's totals; exclusions are not applied."""
    values = np.asarray(components, dtype=np.float32)
    planes = np.moveaxis(values.reshape(-1, len(COMPONENTS)), -1, 0)
    return _weighted(planes, weights.normalised()).reshape(values.shape[:-1])


def _weighted(planes, normalised):
    # Always summed in the same order, so the same components give the same bits.
    total = planes[0] * normalised[0]
    term = np.empty_like(total)
    for index in range(1, len(COMPONENTS)):
        total += np.multiply(planes[index], normalised[index], out=term)
    return np.minimum(total, np.float32(1.0), out=total)


def _ranks(ids):
    ranks = np.empty(len(ids), dtype=np.int64)
    ranks[np.argsort(ids, kind="stable")] = np.arange(len(ids))
    return ranks


def _blocks(n, m, chunk_size):
    size = chunk_size if chunk_size is not None else max(1, PAIRS_PER_BLOCK // max(m, 1))
    if size < 1:
        raise ValueError("chunk_size must be >= 1")
    return [(lo, min(lo + size, n)) for lo in range(0, n, size)]


class _Pairs:
    """Everything scoring needs, prepared once; ``block(lo, hi)`` scores offers lo:hi.

    A block is built from whole-array operations on (offers × seekers) arrays; the seekers'
    side is arranged beforehand so that most of them are row look-ups or broadcasts.
    """

    # With more offers than this, set overlaps may go through dense (BLAS) products.
    DENSE_OFFERS = 16

    def __init__(self, offers, seekers, weights, past_partners, *, with_text=True):
        if not isinstance(weights, Weights):
            raise TypeError(f"weights must be Weights, not {type(weights).__name__}")
        _check_compatible(offers, seekers)
        o, s = offers, seekers
        self.offers, self.seekers = o, s
        self.weights = weights.normalised()
        self.planes = None
        self.with_text = with_text
        self._lexical = None
        vectors = (o.codes, s.codes) if with_text else (None, None)
        if all(v is not None for v in vectors) and vectors[0].shape[1] != vectors[1].shape[1]:
            raise ValueError("vectors: offers and seekers differ in dimension")
        self.seekers_without_vector = np.flatnonzero(~s.has_vector)
        self.partners = _Partners(o.organisation_ids, s.organisation_ids, past_partners)
        many = len(o) > self.DENSE_OFFERS
        self.shared_themes = _Overlap(s.themes, many_offers=many)
        self.shared_languages = _Overlap(s.languages, many_offers=many)
        self.shared_types = _Overlap(s.hosts_types, many_offers=many)
        self.shared_fields = _Overlap(s.fields_of_education, many_offers=many)
        self.offer_field_count = _set_sizes(o.fields_of_education)[:, np.newaxis]
        self.seeker_field_count = _set_sizes(s.fields_of_education)

        # Row t: which seekers look for exchange type t; row c: which accept country c.
        self.seeks_type = _by_column(s.exchange_types)
        self.accepts_country = _by_column(s.countries_wanted)
        self.accepts_country[:, _set_sizes(s.countries_wanted) == 0] = True

        self.offer_theme_count = _set_sizes(o.themes)[:, np.newaxis]
        self.seeker_theme_count = _set_sizes(s.themes)

        self.first_day, self.last_day, self.window_days = components.seeker_windows(
            s.has_window, s.start, s.end
        )
        self.seeker_languages = components.seeker_languages(_set_sizes(s.languages))
        self.offer_without_languages = _set_sizes(o.languages) == 0

        # Row 0 for an offer without support for fewer opportunities, row 1 with.
        brings = s.fewer_opportunity_participants > 0
        self.fewer_opportunities = np.array(
            [np.where(brings, 0.0, 0.5), np.where(brings, 1.0, 0.5)], dtype=np.float32
        )

    def block(self, lo, hi):
        """(total float32, exclusion int8, components float32 (len(COMPONENTS), c, m))."""
        o, s = self.offers, self.seekers
        rows = slice(lo, hi)
        if self.planes is None or self.planes.shape[1] < hi - lo:
            self.planes = np.empty((len(COMPONENTS), hi - lo, len(s)), dtype=np.float32)
        # Reused from block to block (fresh memory costs page faults): callers copy out.
        planes = self.planes[:, : hi - lo]

        type_ok = self.seeks_type[o.exchange_type[rows]]
        country_ok = self.accepts_country[o.country[rows]]

        shared_themes = self.shared_themes(o.themes[rows])
        components.themes(
            shared_themes,
            self.offer_theme_count[rows],
            self.seeker_theme_count,
            out=planes[THEMES],
        )

        overlap = components.overlap_days(
            o.start[rows, np.newaxis], o.end[rows, np.newaxis], self.first_day, self.last_day
        )
        dates_ok = overlap > 0
        components.dates(overlap, self.window_days, out=planes[DATES])

        shared_languages = self.shared_languages(o.languages[rows])
        language_ok = components.languages(
            shared_languages,
            *self.seeker_languages,
            self.offer_without_languages[rows],
            out=planes[LANGUAGES],
        )

        places = o.places_left[rows, np.newaxis]
        fits = components.capacity(s.participants, places, out=planes[CAPACITY])

        supports = o.supports_fewer_opportunities[rows].astype(np.intp)
        planes[FEWER_OPPORTUNITIES] = self.fewer_opportunities[supports]
        np.not_equal(o.country[rows, np.newaxis], s.country, out=planes[CROSS_BORDER])
        reciprocal = self.shared_types(o.host_seeks_types[rows]) > 0
        np.logical_or(reciprocal, self.partners.block(lo, hi), out=planes[RECIPROCITY])
        components.fields(
            self.shared_fields(o.fields_of_education[rows]),
            self.offer_field_count[rows],
            self.seeker_field_count,
            out=planes[FIELDS],
        )

        same = o.organisation_ids[rows, np.newaxis] == s.organisation_ids
        exclusion = _exclusions(same, country_ok, fits, language_ok, dates_ok, type_ok)
        fit = exclusion == Exclusion.NONE

        # The text last, for the pairs that fit only (an excluded pair's is 0): most pairs
        # are excluded, and the text is the costliest component.
        if self.with_text:
            self._text(lo, hi, fit, out=planes[TEXT])
        else:
            planes[TEXT] = 0.0

        total = _weighted(planes, self.weights)
        total *= fit
        return total, exclusion, planes

    @property
    def lexical(self):
        """The TF-IDF similarities, prepared the first time a pair needs them."""
        if self._lexical is None:
            o, s = self.offers, self.seekers
            _check_buckets(o, s)
            self._lexical = TextSimilarity(
                o.term_counts, o.document_frequencies, s.term_counts, s.document_frequencies
            )
        return self._lexical

    def _text(self, lo, hi, fit, *, out):
        """The text plane of offers lo:hi for the pairs that ``fit``: vector similarity where
        both sides have a vector, the lexical one elsewhere; 0 for the others."""
        o, s = self.offers, self.seekers
        offer_has = o.has_vector[lo:hi]
        out[...] = 0.0
        if hi - lo == 1:
            # One offer: only the seekers that fit it, gathered (a pair's sum is the same).
            columns = np.flatnonzero(fit[0])
            if offer_has[0] and s.codes is not None:
                by_vector = columns[s.has_vector[columns]]
                lexical = columns[~s.has_vector[columns]]
                dots = s.codes[by_vector] @ o.codes[lo]
                out[0, by_vector] = embedding.similarity(
                    dots, o.vector_scales[lo], s.vector_scales[by_vector]
                )
            else:
                lexical = columns
            if len(lexical):
                out[0, lexical] = self.lexical.block(lo, hi, columns=lexical)[0]
            return
        if offer_has.any() and len(self.seekers_without_vector) < len(s):
            dots = s.codes @ o.codes[lo:hi].T  # (m, c): exact integer sums
            embedding.similarity(
                dots.T, o.vector_scales[lo:hi, np.newaxis], s.vector_scales, out=out
            )
        need = fit & ~(offer_has[:, np.newaxis] & s.has_vector)
        if need.any():
            wanted = np.flatnonzero(need.any(axis=0))
            lexical = self.lexical.block(lo, hi, columns=wanted)
            part = out[:, wanted]
            part[need[:, wanted]] = lexical[need[:, wanted]]
            out[:, wanted] = part
        out *= fit


class _Overlap:
    """|offer set ∩ seeker set| for a block of offers against every seeker, as float32 counts.

    Exact (sums of 0/1 products stay small integers) whichever way it is computed: the sparse
    seekers against a few dense offers, or, for many offers and a vocabulary small enough to
    hold the seekers densely, dense against dense (BLAS).
    """

    DENSE_CELLS = 1 << 25  # 128 MB of float32

    def __init__(self, seeker_sets, *, many_offers):
        self.dense = many_offers and np.prod(seeker_sets.shape) <= self.DENSE_CELLS
        self.seekers = seeker_sets.toarray() if self.dense else seeker_sets

    def __call__(self, offer_sets):
        offers = offer_sets.toarray()
        if self.dense:
            return offers @ self.seekers.T
        return np.ascontiguousarray((self.seekers @ offers.T).T)


class _Partners:
    """Whether two organisations had an exchange together, for blocks of pairs."""

    def __init__(self, offer_organisations, seeker_organisations, past_partners):
        pairs = np.zeros((0, 2), dtype=np.int64)
        if past_partners is not None:
            pairs = np.asarray(past_partners, dtype=np.int64).reshape(-1, 2)
        self.n_seekers = len(seeker_organisations)
        self.matrix = None
        if not len(pairs):
            return
        # Number the organisations that have partners 0..p-1; every other one is p.
        known = np.unique(pairs)
        p = len(known)
        a, b = np.searchsorted(known, pairs[:, 0]), np.searchsorted(known, pairs[:, 1])
        self.matrix = sparse.csr_matrix(
            (np.ones(2 * len(a), dtype=np.bool_), (np.concatenate([a, b]), np.concatenate([b, a]))),
            shape=(p + 1, p + 1),
        )
        self.offer_rows = _position(known, offer_organisations)
        self.seeker_columns = _position(known, seeker_organisations)

    def block(self, lo, hi):
        if self.matrix is None:
            return np.zeros((hi - lo, self.n_seekers), dtype=np.bool_)
        return self.matrix[self.offer_rows[lo:hi]].toarray()[:, self.seeker_columns]

    def pairs(self, rows, columns):
        """Per pair (offer rows[p], seeker columns[p])."""
        if self.matrix is None or not len(rows):
            return np.zeros(len(rows), dtype=np.bool_)
        cells = self.matrix[self.offer_rows[rows], self.seeker_columns[columns]]
        return np.asarray(cells, dtype=np.bool_).reshape(-1)


def _position(known, values):
    """Index of each value in the sorted ``known``, or len(known) when absent."""
    if len(values) and values.min() >= 0 and values.max() < 1 << 24 and known[-1] < 1 << 24:
        # Database ids are small: a look-up table beats a binary search per value.
        table = np.full(int(max(values.max(), known[-1])) + 1, len(known), dtype=np.int64)
        table[known[known >= 0]] = np.flatnonzero(known >= 0)
        return table[values]
    index = np.searchsorted(known, values).clip(0, max(len(known) - 1, 0))
    found = known[index] == values
    return np.where(found, index, len(known))


def _by_column(sets):
    """The transposed 0/1 matrix as bool (columns × rows): row c lists who has c."""
    table = np.zeros((sets.shape[1], sets.shape[0]), dtype=np.bool_)
    rows = np.repeat(np.arange(sets.shape[0]), np.diff(sets.indptr))
    table[sets.indices, rows] = True
    return table


def _set_sizes(sets):
    return np.diff(sets.indptr).astype(np.float32)


def _check_compatible(offers, seekers):
    def same(name, a, b):
        if a != b:
            raise ValueError(f"{name}: offers have {a} columns, seekers {b}")

    same("themes", offers.themes.shape[1], seekers.themes.shape[1])
    same(
        "fields of education",
        offers.fields_of_education.shape[1],
        seekers.fields_of_education.shape[1],
    )
    same("languages", offers.languages.shape[1], seekers.languages.shape[1])
    n_types = seekers.exchange_types.shape[1]
    same("exchange types", offers.host_seeks_types.shape[1], n_types)
    same("hosted exchange types", seekers.hosts_types.shape[1], n_types)
    if len(offers) and offers.exchange_type.max() >= n_types:
        raise ValueError("exchange_type: an offer's type is beyond the seekers' exchange_types")
    if len(offers) and offers.country.max() >= seekers.countries_wanted.shape[1]:
        raise ValueError("country: an offer's country is beyond the seekers' countries_wanted")
    if len(offers) and min(offers.exchange_type.min(), offers.country.min()) < 0:
        raise ValueError("exchange_type and country must be >= 0")
