"""What the engine scores: offers and seekers as columns of arrays.

The caller (the Django loader, a test, the benchmark) turns vocabularies into integer indices:
exchange types, themes, languages and countries are numbered 0..n-1 and sets of them are 0/1
sparse rows. The dataclasses check shapes and bring every array to its documented dtype; treat
them as immutable, since derived arrays are computed once per object and kept.

``Offers.from_rows`` and ``Seekers.from_rows`` build them from plain mappings, one per offer or
seeker (see their docstrings for the keys).

Texts, optional on both sides (keyword-only):

- ``vectors``: float32 (n, d) L2-normalised sentence vectors of the texts (``embedding``); an
  all-zero row has no vector yet. ``vector_codes`` may give them already quantised
  (``embedding.quantise``, int8 or float32 holding those integers), as a caller that keeps
  them has them; then ``vectors`` is not needed; ``code_scales`` may give their
  ``embedding.scales`` too.
- ``text_counts``: ``text.term_counts(texts)`` computed beforehand, or a function of no
  argument that returns them, called only if some pair needs the lexical similarity (a pair
  where either side has no vector).
- ``text_languages``: each text's language (ISO 639-1, None where unknown), for the lemmas.
"""

import datetime
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from functools import cached_property

import numpy as np
from scipy import sparse

from . import embedding, text

# ISCED-F 2013 broad fields of education: 00 to 10.
N_FIELDS = 11


def indicator_matrix(rows: Iterable[Iterable[int]], n_columns: int) -> sparse.csr_matrix:
    """A 0/1 float32 CSR matrix with a 1 at (r, c) for every index c listed in rows[r]."""
    indptr, indices = [0], []
    for row in rows:
        indices.extend(row)
        indptr.append(len(indices))
    matrix = sparse.csr_matrix(
        (np.ones(len(indices), dtype=np.float32), np.asarray(indices, dtype=np.int64), indptr),
        shape=(len(indptr) - 1, n_columns),
    )
    return _zero_one(matrix, "rows")


def _zero_one(matrix, name):
    matrix = sparse.csr_matrix(matrix, dtype=np.float32, copy=True)
    matrix.sum_duplicates()
    matrix.eliminate_zeros()
    matrix.data[:] = 1.0
    if matrix.nnz and (matrix.indices.min() < 0):
        raise ValueError(f"{name}: negative index")
    return matrix


def _ordinal(day):
    if isinstance(day, datetime.date):
        return day.toordinal()
    return int(day)


class _Columns:
    """Shared checks: every column has one entry per row, every array its dtype."""

    _arrays: dict = {}  # field name → dtype
    _sets: tuple = ()  # fields holding 0/1 sparse matrices

    def __post_init__(self):
        n = len(self.ids)
        for name, dtype in self._arrays.items():
            value = np.ascontiguousarray(getattr(self, name), dtype=dtype)
            if value.shape != (n,):
                raise ValueError(f"{name}: expected shape ({n},), got {value.shape}")
            object.__setattr__(self, name, value)
        if self.fields_of_education is None:  # no fields known: every row empty
            object.__setattr__(
                self, "fields_of_education", sparse.csr_matrix((n, N_FIELDS), dtype=np.float32)
            )
        for name in self._sets:
            value = _zero_one(getattr(self, name), name)
            if value.shape[0] != n:
                raise ValueError(f"{name}: expected {n} rows, got {value.shape[0]}")
            object.__setattr__(self, name, value)
        if len(self.texts) != n:
            raise ValueError(f"texts: expected {n}, got {len(self.texts)}")
        if self.text_languages is not None and len(self.text_languages) != n:
            raise ValueError(f"text_languages: expected {n}, got {len(self.text_languages)}")
        for name, dtype in (("vectors", np.float32), ("vector_codes", None)):
            value = getattr(self, name)
            if value is None:
                continue
            value = np.ascontiguousarray(value, dtype=dtype)
            if value.ndim != 2 or value.shape[0] != n:
                raise ValueError(f"{name}: expected shape ({n}, d), got {value.shape}")
            object.__setattr__(self, name, value)
        if (
            self.vectors is not None
            and self.vector_codes is not None
            and self.vectors.shape != self.vector_codes.shape
        ):
            raise ValueError("vectors and vector_codes differ in shape")
        if self.text_counts is not None and not callable(self.text_counts):
            counts = sparse.csr_matrix(self.text_counts, dtype=np.float64)
            if counts.shape[0] != n:
                raise ValueError(f"text_counts: expected {n} rows, got {counts.shape[0]}")
            counts.sum_duplicates()
            object.__setattr__(self, "text_counts", counts)
        windows = self._windows()
        if (self.end[windows] < self.start[windows]).any():
            raise ValueError("end: a date window ends before it starts")

    def _windows(self):
        return slice(None)

    def __len__(self):
        return len(self.ids)

    @cached_property
    def term_counts(self) -> sparse.csr_matrix:
        """Bucket counts of the texts (``text_counts`` when given, computed otherwise)."""
        if callable(self.text_counts):
            counts = sparse.csr_matrix(self.text_counts(), dtype=np.float64)
            if counts.shape[0] != len(self):
                raise ValueError(f"text_counts: expected {len(self)} rows, got {counts.shape[0]}")
            counts.sum_duplicates()
            return counts
        if self.text_counts is not None:
            return self.text_counts
        return text.term_counts(self.texts, languages=self.text_languages)

    @cached_property
    def codes(self) -> np.ndarray | None:
        """The vectors' int8 codes as float32 (n, d) (``embedding``), or None without vectors."""
        if self.vector_codes is not None:
            return np.ascontiguousarray(self.vector_codes, dtype=np.float32)
        if self.vectors is None:
            return None
        return embedding.quantise(self.vectors).astype(np.float32)

    @cached_property
    def vector_scales(self) -> np.ndarray:
        """float32 (n,): 1 / |codes| per row, 0 where a row has no vector."""
        if self.code_scales is not None:
            return np.ascontiguousarray(self.code_scales, dtype=np.float32)
        if self.codes is None:
            return np.zeros(len(self), dtype=np.float32)
        return embedding.scales(self.codes)

    @cached_property
    def has_vector(self) -> np.ndarray:
        """bool (n,): which texts have a vector."""
        return self.vector_scales > 0

    @cached_property
    def document_frequencies(self) -> np.ndarray:
        return text.document_frequencies(self.term_counts)

    def take(self, indices):
        """The rows ``indices`` (an integer array or list), in that order, as a new object."""
        indices = np.asarray(indices, dtype=np.int64).reshape(-1)
        values = {}
        for f in fields(self):
            value = getattr(self, f.name)
            if f.name == "text_counts" and "term_counts" in self.__dict__:
                values[f.name] = self.term_counts[indices]  # counted already: keep them
            elif f.name == "text_counts" and callable(value):
                values[f.name] = _rows_of_later(value, indices)
            elif f.name == "vector_codes" and "codes" in self.__dict__:
                values[f.name] = None if self.codes is None else self.codes[indices]
            elif f.name == "code_scales" and "vector_scales" in self.__dict__:
                values[f.name] = self.vector_scales[indices]
            elif value is None:
                values[f.name] = None
            elif f.name in ("texts", "text_languages"):
                values[f.name] = [value[i] for i in indices]
            else:
                values[f.name] = value[indices]
        return type(self)(**values)


def _rows_of_later(count, indices):
    return lambda: sparse.csr_matrix(count())[indices]


@dataclass(frozen=True, eq=False)
class Offers(_Columns):
    """n offers. Dates are day ordinals (``date.toordinal()``), both ends included."""

    ids: np.ndarray  # int64 (n,)
    organisation_ids: np.ndarray  # int64 (n,)
    exchange_type: np.ndarray  # int32 (n,) index into the exchange types
    themes: sparse.csr_matrix  # (n, n_themes) 0/1
    languages: sparse.csr_matrix  # (n, n_languages) 0/1
    country: np.ndarray  # int32 (n,) index into the countries
    start: np.ndarray  # int32 (n,)
    end: np.ndarray  # int32 (n,)
    places_left: np.ndarray  # int32 (n,)
    supports_fewer_opportunities: np.ndarray  # bool (n,)
    texts: Sequence[str]
    # Exchange types the host organisation looks for in its own interest profiles.
    host_seeks_types: sparse.csr_matrix  # (n, n_types) 0/1, may be all zero
    # ISCED-F broad fields (columns 0..N_FIELDS-1 unless the caller numbers them otherwise).
    fields_of_education: sparse.csr_matrix | None = field(default=None, kw_only=True)
    # Optional: text.term_counts(texts) computed beforehand (e.g. kept by the caller).
    text_counts: sparse.csr_matrix | None = field(default=None, kw_only=True)
    text_languages: Sequence[str | None] | None = field(default=None, kw_only=True)
    vectors: np.ndarray | None = field(default=None, kw_only=True)
    vector_codes: np.ndarray | None = field(default=None, kw_only=True)
    code_scales: np.ndarray | None = field(default=None, kw_only=True)

    _arrays = {
        "ids": np.int64,
        "organisation_ids": np.int64,
        "exchange_type": np.int32,
        "country": np.int32,
        "start": np.int32,
        "end": np.int32,
        "places_left": np.int32,
        "supports_fewer_opportunities": np.bool_,
    }
    _sets = ("themes", "languages", "host_seeks_types", "fields_of_education")

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping],
        *,
        n_types: int,
        n_themes: int,
        n_languages: int,
        n_countries: int,
        n_fields: int = N_FIELDS,
    ) -> "Offers":
        """Offers from one mapping per offer.

        Keys: ``id``, ``organisation_id``, ``exchange_type`` (int), ``country`` (int),
        ``start`` and ``end`` (``date`` or day ordinal), ``places_left``; optional: ``themes``,
        ``languages``, ``host_seeks_types`` (iterables of ints, default empty),
        ``supports_fewer_opportunities`` (default False), ``text`` (default ""),
        ``fields_of_education`` (iterable of ints < ``n_fields``), ``text_language`` (None).
        ``n_countries`` is checked against the countries used.
        """
        rows = [_checked(row, _OFFER_KEYS, _OFFER_DEFAULTS) for row in rows]
        offers = cls(
            ids=[row["id"] for row in rows],
            organisation_ids=[row["organisation_id"] for row in rows],
            exchange_type=[row["exchange_type"] for row in rows],
            themes=indicator_matrix((row["themes"] for row in rows), n_themes),
            languages=indicator_matrix((row["languages"] for row in rows), n_languages),
            country=[row["country"] for row in rows],
            start=[_ordinal(row["start"]) for row in rows],
            end=[_ordinal(row["end"]) for row in rows],
            places_left=[row["places_left"] for row in rows],
            supports_fewer_opportunities=[
                bool(row["supports_fewer_opportunities"]) for row in rows
            ],
            texts=[row["text"] for row in rows],
            host_seeks_types=indicator_matrix((row["host_seeks_types"] for row in rows), n_types),
            fields_of_education=indicator_matrix(
                (row["fields_of_education"] for row in rows), n_fields
            ),
            text_languages=[row["text_language"] for row in rows],
        )
        _check_below(offers.exchange_type, n_types, "exchange_type")
        _check_below(offers.country, n_countries, "country")
        return offers


@dataclass(frozen=True, eq=False)
class Seekers(_Columns):
    """m seekers: interest profiles or applications."""

    ids: np.ndarray  # int64 (m,)
    organisation_ids: np.ndarray  # int64 (m,)
    exchange_types: sparse.csr_matrix  # (m, n_types) 0/1: types sought
    themes: sparse.csr_matrix  # (m, n_themes)
    languages: sparse.csr_matrix  # (m, n_languages)
    countries_wanted: sparse.csr_matrix  # (m, n_countries); an empty row = anywhere
    country: np.ndarray  # int32 (m,) the seeker organisation's own country
    start: np.ndarray  # int32 (m,) ignored where has_window is False
    end: np.ndarray  # int32 (m,)
    has_window: np.ndarray  # bool (m,) False = any dates
    participants: np.ndarray  # int32 (m,) >= 1
    fewer_opportunity_participants: np.ndarray  # int32 (m,)
    texts: Sequence[str]
    # Exchange types the seeker organisation hosts in its own published offers.
    hosts_types: sparse.csr_matrix  # (m, n_types) 0/1
    fields_of_education: sparse.csr_matrix | None = field(default=None, kw_only=True)
    text_counts: sparse.csr_matrix | None = field(default=None, kw_only=True)
    text_languages: Sequence[str | None] | None = field(default=None, kw_only=True)
    vectors: np.ndarray | None = field(default=None, kw_only=True)
    vector_codes: np.ndarray | None = field(default=None, kw_only=True)
    code_scales: np.ndarray | None = field(default=None, kw_only=True)

    _arrays = {
        "ids": np.int64,
        "organisation_ids": np.int64,
        "country": np.int32,
        "start": np.int32,
        "end": np.int32,
        "has_window": np.bool_,
        "participants": np.int32,
        "fewer_opportunity_participants": np.int32,
    }
    _sets = (
        "exchange_types",
        "themes",
        "languages",
        "countries_wanted",
        "hosts_types",
        "fields_of_education",
    )

    def _windows(self):
        return self.has_window

    @classmethod
    def from_rows(
        cls,
        rows: Iterable[Mapping],
        *,
        n_types: int,
        n_themes: int,
        n_languages: int,
        n_countries: int,
        n_fields: int = N_FIELDS,
    ) -> "Seekers":
        """Seekers from one mapping per seeker.

        Keys: ``id``, ``organisation_id``, ``exchange_types`` (iterable of ints), ``country``
        (int), ``participants``; optional: ``themes``, ``languages``, ``countries_wanted``,
        ``hosts_types`` (iterables of ints, default empty), ``start`` and ``end`` (``date``, day
        ordinal or None for "any dates", default None), ``fewer_opportunity_participants``
        (default 0), ``text`` (default ""), ``fields_of_education`` (iterable of ints <
        ``n_fields``), ``text_language`` (default None).
        """
        rows = [_checked(row, _SEEKER_KEYS, _SEEKER_DEFAULTS) for row in rows]
        for row in rows:
            if (row["start"] is None) != (row["end"] is None):
                raise ValueError(f"seeker {row['id']}: give both start and end, or neither")
        seekers = cls(
            ids=[row["id"] for row in rows],
            organisation_ids=[row["organisation_id"] for row in rows],
            exchange_types=indicator_matrix((row["exchange_types"] for row in rows), n_types),
            themes=indicator_matrix((row["themes"] for row in rows), n_themes),
            languages=indicator_matrix((row["languages"] for row in rows), n_languages),
            countries_wanted=indicator_matrix(
                (row["countries_wanted"] for row in rows), n_countries
            ),
            country=[row["country"] for row in rows],
            start=[0 if row["start"] is None else _ordinal(row["start"]) for row in rows],
            end=[0 if row["end"] is None else _ordinal(row["end"]) for row in rows],
            has_window=[row["start"] is not None for row in rows],
            participants=[row["participants"] for row in rows],
            fewer_opportunity_participants=[row["fewer_opportunity_participants"] for row in rows],
            texts=[row["text"] for row in rows],
            hosts_types=indicator_matrix((row["hosts_types"] for row in rows), n_types),
            fields_of_education=indicator_matrix(
                (row["fields_of_education"] for row in rows), n_fields
            ),
            text_languages=[row["text_language"] for row in rows],
        )
        _check_below(seekers.country, n_countries, "country")
        return seekers


_OFFER_KEYS = {"id", "organisation_id", "exchange_type", "country", "start", "end", "places_left"}
_OFFER_DEFAULTS = {
    "themes": (),
    "languages": (),
    "host_seeks_types": (),
    "supports_fewer_opportunities": False,
    "text": "",
    "fields_of_education": (),
    "text_language": None,
}
_SEEKER_KEYS = {"id", "organisation_id", "exchange_types", "country", "participants"}
_SEEKER_DEFAULTS = {
    "themes": (),
    "languages": (),
    "countries_wanted": (),
    "hosts_types": (),
    "start": None,
    "end": None,
    "fewer_opportunity_participants": 0,
    "text": "",
    "fields_of_education": (),
    "text_language": None,
}


def _checked(row, required, defaults):
    missing = required - row.keys()
    unknown = row.keys() - required - defaults.keys()
    if missing or unknown:
        raise ValueError(f"missing keys {sorted(missing)}, unknown keys {sorted(unknown)}")
    return {**defaults, **row}


def _check_below(values, bound, name):
    if len(values) and (values.min() < 0 or values.max() >= bound):
        raise ValueError(f"{name}: indices must lie in [0, {bound})")
