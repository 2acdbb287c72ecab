"""Offers, interest profiles and applications as the scoring engine's arrays.

Every loader runs a fixed number of queries whatever the number of rows: one ``values_list``
for the rows and one per many-to-many relation, read from the through table and filtered by a
subquery (never one query per object, never a list of ids in the SQL).

Loading every interest profile is most of the time of scoring one offer, so the rows are read
straight from the database cursor (``_fetch``) and turned into arrays column by column, and
the words of the texts are counted once per worker (``texts``), only when a pair needs them
(a side without a vector); the texts' stored vectors are read once per worker (``vectors``).
"""

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django_countries import countries
from scipy import sparse

from matchmaking.models import ExchangeType, FieldOfEducation, InterestProfile, Language, Theme
from matchmaking.scoring import Offers, Seekers

from ..models import Application, Offer
from . import texts as text_cache
from . import vectors


@dataclass(frozen=True)
class Vocabulary:
    """One vocabulary's column order in the engine's matrices, and its terms' names."""

    index: dict  # key (pk or country code) -> column
    names: list  # column -> the term's stored name (a translation msgid)

    @classmethod
    def of(cls, rows):
        rows = list(rows)
        return cls({key: i for i, (key, _name) in enumerate(rows)}, [name for _k, name in rows])

    def __len__(self):
        return len(self.names)

    def columns(self, keys):
        """The columns of integer keys (pks), -1 for keys it does not know."""
        keys = np.asarray(keys, dtype=np.int64)
        known = [key for key in self.index if isinstance(key, int) and key >= 0]
        lookup = np.full(max(known, default=-1) + 2, -1, dtype=np.int64)
        for key in known:
            lookup[key] = self.index[key]
        return lookup[np.where((keys >= 0) & (keys < len(lookup) - 1), keys, -1)]


@dataclass(frozen=True)
class Vocabularies:
    exchange_types: Vocabulary
    themes: Vocabulary
    languages: Vocabulary
    countries: Vocabulary
    fields_of_education: Vocabulary

    @classmethod
    def load(cls):
        """Four queries; the countries come from django-countries."""
        terms = [
            ExchangeType.objects.order_by("pk"),
            Theme.objects.order_by("position", "name", "pk"),
            Language.objects.order_by("name", "pk"),
            FieldOfEducation.objects.order_by("slug", "pk"),
        ]
        exchange_types, themes, languages, fields_of_education = (
            Vocabulary.of(queryset.values_list("pk", "name")) for queryset in terms
        )
        return cls(
            exchange_types=exchange_types,
            themes=themes,
            languages=languages,
            countries=Vocabulary.of((code, str(name)) for code, name in countries),
            fields_of_education=fields_of_education,
        )


# Building blocks ----------------------------------------------------------------------------


def _fetch(queryset):
    """The rows of a ``values_list`` queryset as tuples, from the cursor as they come: none of
    a queryset iterator's per-row work (the values loaded here need no conversion)."""
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _in_order(rows):
    """Rows whose first value is a unique key, in its ascending order."""
    keys = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    if len(keys) < 2 or (keys[1:] > keys[:-1]).all():
        return rows
    return [rows[i] for i in np.argsort(keys, kind="stable").tolist()]


def _columns(rows, width):
    """Rows of ``width`` values as ``width`` tuples of values."""
    return list(zip(*rows)) if rows else [()] * width


def _integers(values, dtype=np.int64):
    return np.fromiter(values, dtype=dtype, count=len(values))


def _pairs_array(rows):
    """(owner, term) rows as an int64 array (k, 2)."""
    flat = np.fromiter(itertools.chain.from_iterable(rows), dtype=np.int64, count=2 * len(rows))
    return flat.reshape(-1, 2)


def _rows_of(owners):
    """Owner (an object or organisation id) -> the rows that belong to it."""
    rows = {}
    for i, owner in enumerate(owners):
        rows.setdefault(owner, []).append(i)
    return rows


def _cells(pairs, rows_of):
    """(owner, term) pairs as (row, term) cells; ``rows_of`` maps an owner to its rows."""
    return ((i, key) for owner, key in pairs for i in rows_of.get(owner, ()))


def _matrix(cells, vocabulary, n):
    """A 0/1 matrix (n × len(vocabulary)) from (row, term key) cells. Terms the vocabulary
    does not know (added since it was loaded) are left out."""
    r, c = [], []
    for i, key in cells:
        j = vocabulary.index.get(key)
        if j is not None:
            r.append(i)
            c.append(j)
    return _zero_one(np.array(r, dtype=np.int64), np.array(c, dtype=np.int64), n, vocabulary)


def _zero_one(rows, columns, n, vocabulary):
    ones = np.ones(len(rows), dtype=np.float32)
    matrix = sparse.csr_matrix((ones, (rows, columns)), shape=(n, len(vocabulary)))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def _fetch_pairs(queryset):
    """The (owner id, term id) rows of a two-column ``values_list`` as an int64 array (k, 2).

    PostgreSQL hands them over as one string, which numpy reads at once: for the hundreds of
    thousands of rows of a big load, about twice as fast as a row per tuple."""
    connection = connections[queryset.db]
    if not _pairs_as_one_string(connection):
        return _pairs_array(_fetch(queryset))
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return np.zeros((0, 2), dtype=np.int64)
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT string_agg(a::text || ',' || b::text, ',') FROM ({sql}) AS q(a, b)", params
        )
        text = cursor.fetchone()[0]
    return np.fromstring(text or "", dtype=np.int64, sep=",").reshape(-1, 2)


_UNIT = "\x1f"  # separates the strings of one column (never in a code, hash or list)


def _fetch_columns(queryset, kinds):
    """The columns of a ``values_list`` queryset whose first column is the pk, in pk order,
    each as ``kinds`` says: "int" an int64 array, "date" an int32 array of day ordinals (0
    for none), "str" a list of strings. On PostgreSQL one row comes back, one string per
    column, which numpy and ``str.split`` read at once: for the 100,000 rows of every
    profile, several times faster than a tuple per row."""
    connection = connections[queryset.db]
    if connection.vendor != "postgresql":
        rows = _in_order(_fetch(queryset))
        columns = _columns(rows, len(kinds))
        converted = {
            "int": _integers,
            "date": _ordinals,
            "str": lambda values: ["" if v is None else str(v) for v in values],
        }
        return [converted[kind](list(column)) for kind, column in zip(kinds, columns)]
    try:
        sql, params = queryset.query.get_compiler(using=queryset.db).as_sql()
    except EmptyResultSet:
        return [
            _integers([]) if k == "int" else np.zeros(0, np.int32) if k == "date" else []
            for k in kinds
        ]
    names = [f"c{k}" for k in range(len(kinds))]
    parts = []
    for name, kind in zip(names, kinds):
        if kind == "int":
            value, separator = f"{name}::text", ","
        elif kind == "date":
            value, separator = f"coalesce(({name} - DATE '0001-01-01') + 1, 0)::text", ","
        else:
            value, separator = f"coalesce({name}::text, '')", _UNIT
        # No ORDER BY (one sort per column): every aggregate of the query reads the rows in
        # the same order, and numpy puts them in pk order below.
        parts.append(f"string_agg({value}, '{separator}')")
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*), {', '.join(parts)} FROM ({sql}) AS q({', '.join(names)})", params
        )
        count, *values = cursor.fetchone()
    result = []
    for kind, value in zip(kinds, values):
        if kind == "str":
            result.append(value.split(_UNIT) if count else [])
        else:
            dtype = np.int64 if kind == "int" else np.int32
            result.append(np.fromstring(value or "", dtype=np.int64, sep=",").astype(dtype))
    pks = result[0]
    if len(pks) > 1 and not (pks[1:] > pks[:-1]).all():
        order = np.argsort(pks, kind="stable")
        positions = order.tolist()
        result = [
            column[order] if isinstance(column, np.ndarray) else [column[i] for i in positions]
            for column in result
        ]
    return result


def _pairs_as_one_string(connection):
    return connection.vendor == "postgresql"


def _matrix_of_ids(pairs, ids, vocabulary):
    """A 0/1 matrix (len(ids) × len(vocabulary)) from (owner id, term pk) pairs, where
    ``ids`` are the owners' ids in row order, ascending; with array operations, for the
    hundreds of thousands of pairs of a big load."""
    pairs = _fetch_pairs(pairs)
    n = len(ids)
    rows = np.searchsorted(ids, pairs[:, 0]).clip(0, max(n - 1, 0))
    columns = vocabulary.columns(pairs[:, 1])
    known = (columns >= 0) & (ids[rows] == pairs[:, 0]) if n else np.zeros(len(pairs), bool)
    return _zero_one(rows[known], columns[known], n, vocabulary)


def _matrix_by_owner(pairs, owners, vocabulary):
    """A 0/1 matrix (len(owners) × len(vocabulary)) from (owner, term pk) pairs: row r has
    the terms of its owner ``owners[r]`` (e.g. an organisation, which many rows share)."""
    pairs = _pairs_array(_fetch(pairs))
    order = np.argsort(owners, kind="stable")
    by_owner = owners[order]
    first = np.searchsorted(by_owner, pairs[:, 0], side="left")
    count = np.searchsorted(by_owner, pairs[:, 0], side="right") - first
    columns = vocabulary.columns(pairs[:, 1])
    known = (count > 0) & (columns >= 0)
    first, count, columns = first[known], count[known], columns[known]
    pair = np.repeat(np.arange(len(first)), count)
    offset = np.arange(int(count.sum())) - np.repeat(np.cumsum(count) - count, count)
    return _zero_one(order[first[pair] + offset], columns[pair], len(owners), vocabulary)


def _through(relation, owner_field, owner_ids, value_field, loaded=None):
    """(owner id, term id) pairs of a many-to-many relation, read from its through table for
    the owners whose ids ``owner_ids`` (a ``values()`` queryset) selects, as a subquery.

    ``loaded``: the owners' ids, ascending, when they are known already. If they fill at
    least half of the range they span (e.g. every interest profile), the rows are read by
    that range instead: a plain scan, much cheaper than the subquery's join, and the rows of
    owners in the range but not loaded are dropped by ``_matrix_of_ids``.
    """
    through = relation.through.objects
    if loaded is not None and len(loaded) and 2 * len(loaded) >= loaded[-1] - loaded[0] + 1:
        bounds = {f"{owner_field}__gte": int(loaded[0]), f"{owner_field}__lte": int(loaded[-1])}
        return through.filter(**bounds).values_list(owner_field, value_field)
    return through.filter(**{f"{owner_field}__in": owner_ids}).values_list(owner_field, value_field)


def _hosted_types(organisation_ids):
    """(organisation id, exchange type id) of the organisations' published offers."""
    return (
        Offer.objects.filter(status=Offer.Status.PUBLISHED, organisation__in=organisation_ids)
        .order_by()
        .values_list("organisation_id", "exchange_type_id")
        .distinct()
    )


def _ordinals(dates):
    return np.fromiter((d.toordinal() if d else 0 for d in dates), dtype=np.int32, count=len(dates))


def _country_columns(codes, vocabularies):
    index = vocabularies.countries.index
    return np.fromiter(map(index.get, codes, itertools.repeat(0)), dtype=np.int32, count=len(codes))


def _text(*parts):
    return "\n".join(part for part in parts if part)


def _texts(first, second):
    """``_text(a, b)`` of each pair of columns, without a generator per row."""
    return [(a + "\n" + b) if a and b else (a or b or "") for a, b in zip(first, second)]


def _countries(raw):
    if not raw:
        return []
    if isinstance(raw, str):  # values_list gives what is stored: "DK,SE"
        return [code for code in raw.split(",") if code]
    return [str(code) for code in raw]


class LazyTexts(Sequence):
    """The texts of rows ``ids`` (ascending) of ``queryset``, made of ``fields`` as the engine
    compares them, read with one query the first time one is asked for. A row gone meanwhile
    has an empty text."""

    def __init__(self, queryset, ids, fields):
        self._queryset, self._ids, self._fields = queryset, ids, fields
        self._texts = None

    def __len__(self):
        return len(self._ids)

    def __getitem__(self, index):
        return self._loaded()[index]

    def __iter__(self):
        return iter(self._loaded())

    def _loaded(self):
        if self._texts is None:
            rows = _in_order(_fetch(self._queryset.order_by().values_list("pk", *self._fields)))
            found = _integers([row[0] for row in rows])
            columns = _columns([row[1:] for row in rows], len(self._fields))
            texts = _texts(*columns) if len(self._fields) == 2 else [_text(*r[1:]) for r in rows]
            at = np.searchsorted(found, self._ids).clip(0, max(len(found) - 1, 0))
            present = (found[at] == self._ids) if len(found) else np.zeros(len(self), bool)
            self._texts = [texts[a] if p else "" for a, p in zip(at.tolist(), present.tolist())]
        return self._texts


# Offers ------------------------------------------------------------------------------------


def _vectors(kind, queryset, ids, hashes):
    """The keyword arguments of the stored vectors' codes and scales (``vectors.codes``)."""
    codes, scales = vectors.codes(kind, ids, list(hashes), vectors.fetcher(queryset))
    return {"vector_codes": codes, "code_scales": scales}


def _lazy_counts(kind, ids, texts, languages):
    return lambda: text_cache.term_counts(kind, ids, texts, languages)


def load_offers(queryset, vocabularies):
    """The offers of ``queryset``, ordered by pk, as ``Offers``: seven queries (one more to
    read the vectors this worker has not read yet)."""
    queryset = queryset.order_by("pk")
    ids = queryset.values("pk")
    rows = _fetch(
        queryset.values_list(
            "pk",
            "organisation_id",
            "exchange_type_id",
            "organisation__country",
            "available_from",
            "available_until",
            "capacity",
            "supports_fewer_opportunities",
            "title",
            "description",
            "programme",
            "text_hash",
            "text_language",
        )
    )
    (
        pks,
        hosts,
        exchange_types,
        countries_,
        starts,
        ends,
        capacities,
        supports,
        titles,
        descriptions,
        programmes,
        hashes,
        text_languages,
    ) = _columns(rows, 13)
    taken = Application.objects.filter(offer__in=ids).places_held_by_offer()
    offer_ids = _integers(pks)
    host_ids = _integers(hosts)
    themes = _through(Offer.themes, "offer_id", ids, "theme_id", offer_ids)
    languages = _through(Offer.languages, "offer_id", ids, "language_id", offer_ids)
    fields = _through(Offer.fields_of_education, "offer_id", ids, "fieldofeducation_id", offer_ids)
    # What each host looks for in its own interest profiles (for the reciprocity bonus).
    host_seeks = InterestProfile.exchange_types.through.objects.filter(
        interestprofile__organisation__in=queryset.values("organisation_id")
    ).values_list("interestprofile__organisation_id", "exchangetype_id")
    types = vocabularies.exchange_types
    texts = [_text(*parts) for parts in zip(titles, descriptions, programmes)]
    return Offers(
        ids=offer_ids,
        organisation_ids=host_ids,
        exchange_type=np.array([types.index[pk] for pk in exchange_types], dtype=np.int32),
        themes=_matrix_of_ids(themes, offer_ids, vocabularies.themes),
        languages=_matrix_of_ids(languages, offer_ids, vocabularies.languages),
        country=_country_columns(countries_, vocabularies),
        start=_ordinals(starts),
        end=_ordinals(ends),
        places_left=np.array(
            [capacity - (taken.get(pk) or 0) for pk, capacity in zip(pks, capacities)],
            dtype=np.int32,
        ),
        supports_fewer_opportunities=np.array(supports, dtype=bool),
        texts=texts,
        host_seeks_types=_matrix_by_owner(host_seeks, host_ids, types),
        fields_of_education=_matrix_of_ids(fields, offer_ids, vocabularies.fields_of_education),
        text_counts=_lazy_counts("offer", offer_ids, texts, text_languages),
        text_languages=list(text_languages),
        **_vectors("offer", queryset, offer_ids, hashes),
    )


# Interest profiles -------------------------------------------------------------------------


def load_profiles(queryset, vocabularies):
    """The interest profiles of ``queryset``, ordered by pk, as ``Seekers``: seven queries
    (one more to read the vectors this worker has not read yet)."""
    return load_profiles_and_alerts(queryset, vocabularies)[0]


def load_profiles_and_alerts(queryset, vocabularies):
    """``load_profiles``, and each profile's alert preference (an array of
    ``InterestProfile.Alert`` values, in the same order), from the same queries.

    The texts are read only if something asks for them (``LazyTexts``): with every vector
    stored, scoring one offer against every profile needs none of them."""
    queryset = queryset.order_by("pk")
    ids = queryset.values("pk")
    (
        profile_ids,
        organisation_ids,
        countries_,
        wanted,
        starts,
        ends,
        participants,
        fewer,
        alerts,
        hashes,
        text_languages,
    ) = _fetch_columns(
        queryset.order_by().values_list(
            "pk",
            "organisation_id",
            "organisation__country",
            "countries_wanted",
            "available_from",
            "available_until",
            "participants",
            "fewer_opportunity_participants",
            "alert",
            "text_hash",
            "text_language",
        ),
        ("int", "int", "str", "str", "date", "date", "int", "int", "str", "str", "str"),
    )
    n = len(profile_ids)

    def relation(field, value_field, vocabulary):
        pairs = _through(field, "interestprofile_id", ids, value_field, profile_ids)
        return _matrix_of_ids(pairs, profile_ids, vocabulary)

    hosted = _hosted_types(queryset.values("organisation_id"))
    wanted_cells = ((i, code) for i, raw in enumerate(wanted) if raw for code in _countries(raw))
    types = vocabularies.exchange_types
    texts = LazyTexts(queryset, profile_ids, ("name", "description"))
    seekers = Seekers(
        ids=profile_ids,
        organisation_ids=organisation_ids,
        exchange_types=relation(InterestProfile.exchange_types, "exchangetype_id", types),
        themes=relation(InterestProfile.themes, "theme_id", vocabularies.themes),
        languages=relation(InterestProfile.languages, "language_id", vocabularies.languages),
        countries_wanted=_matrix(wanted_cells, vocabularies.countries, n),
        country=_country_columns(countries_, vocabularies),
        start=starts,
        end=ends,
        has_window=(starts > 0) & (ends > 0),
        participants=participants.astype(np.int32),
        fewer_opportunity_participants=fewer.astype(np.int32),
        texts=texts,
        hosts_types=_matrix_by_owner(hosted, organisation_ids, types),
        fields_of_education=relation(
            InterestProfile.fields_of_education,
            "fieldofeducation_id",
            vocabularies.fields_of_education,
        ),
        text_counts=_lazy_counts("profile", profile_ids, texts, text_languages),
        text_languages=list(text_languages),
        **_vectors("profile", queryset, profile_ids, hashes),
    )
    return seekers, np.array(alerts, dtype=object)


# Applications ------------------------------------------------------------------------------


def load_applications(queryset, vocabularies):
    """The applications of ``queryset``, ordered by pk, as ``Seekers``: seven queries (one
    more to read the vectors this worker has not read yet).

    An application seeks its offer's exchange type on its preferred dates, wherever the offer
    is. Its themes are those of its organisation's interest profiles; an organisation without
    a profile is taken to look for the themes of the offer it applied to.
    """
    queryset = queryset.order_by("pk")
    rows = list(
        queryset.values_list(
            "pk",
            "organisation_id",
            "organisation__country",
            "offer__exchange_type_id",
            "preferred_start",
            "preferred_end",
            "participants",
            "fewer_opportunity_participants",
            "motivation",
            "participant_roles",
            "offer_id",
            "text_hash",
            "text_language",
        )
    )
    n = len(rows)
    application_ids = np.array([row[0] for row in rows], dtype=np.int64)
    rows_of_organisation = _rows_of(row[1] for row in rows)
    profile_themes = list(
        InterestProfile.themes.through.objects.filter(
            interestprofile__organisation__in=queryset.values("organisation_id")
        ).values_list("interestprofile__organisation_id", "theme_id")
    )
    profile_fields = InterestProfile.fields_of_education.through.objects.filter(
        interestprofile__organisation__in=queryset.values("organisation_id")
    ).values_list("interestprofile__organisation_id", "fieldofeducation_id")
    with_profiles = {organisation_id for organisation_id, _theme in profile_themes}
    rows_without_profile_of_offer = _rows_of(
        row[10] if row[1] not in with_profiles else None for row in rows
    )
    offer_themes = _through(Offer.themes, "offer_id", queryset.values("offer_id"), "theme_id")
    themes = [
        *_cells(profile_themes, rows_of_organisation),
        *_cells(offer_themes, rows_without_profile_of_offer),
    ]
    languages = _through(
        Application.languages, "application_id", queryset.values("pk"), "language_id"
    )
    hosted = _hosted_types(queryset.values("organisation_id"))
    types = vocabularies.exchange_types
    return Seekers(
        ids=application_ids,
        organisation_ids=np.array([row[1] for row in rows], dtype=np.int64),
        exchange_types=_matrix(((i, row[3]) for i, row in enumerate(rows)), types, n),
        themes=_matrix(themes, vocabularies.themes, n),
        languages=_matrix_of_ids(languages, application_ids, vocabularies.languages),
        countries_wanted=_matrix((), vocabularies.countries, n),
        country=_country_columns([row[2] for row in rows], vocabularies),
        start=_ordinals([row[4] for row in rows]),
        end=_ordinals([row[5] for row in rows]),
        has_window=np.ones(n, dtype=bool),
        participants=np.array([row[6] for row in rows], dtype=np.int32),
        fewer_opportunity_participants=np.array([row[7] for row in rows], dtype=np.int32),
        texts=[_text(*row[8:10]) for row in rows],
        hosts_types=_matrix_by_owner(
            hosted, np.array([row[1] for row in rows], dtype=np.int64), types
        ),
        # The fields of its organisation's interest profiles (none: no information).
        fields_of_education=_matrix(
            _cells(profile_fields, rows_of_organisation), vocabularies.fields_of_education, n
        ),
        text_languages=[row[12] for row in rows],
        **_vectors("application", queryset, application_ids, [row[11] for row in rows]),
    )


def load_past_partners():
    """Pairs of organisations that had an accepted application together: one query."""
    accepted = Application.objects.filter(status=Application.Status.ACCEPTED).order_by()
    pairs = list(accepted.values_list("organisation_id", "offer__organisation_id").distinct())
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)
