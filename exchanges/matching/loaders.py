"""Offers, interest profiles and applications as the scoring engine's arrays.

Every loader runs a fixed number of queries whatever the number of rows: one ``values_list``
for the rows and one per many-to-many relation, read from the through table and filtered by a
subquery (never one query per object, never a list of ids in the SQL).
"""

from dataclasses import dataclass

import numpy as np
from django.db.models import Sum
from django_countries import countries
from scipy import sparse

from matchmaking.models import ExchangeType, InterestProfile, Language, Theme
from matchmaking.scoring import Offers, Seekers

from ..models import Application, Offer


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

    @classmethod
    def load(cls):
        """Three queries; the countries come from django-countries."""
        terms = [
            ExchangeType.objects.order_by("pk"),
            Theme.objects.order_by("position", "name", "pk"),
            Language.objects.order_by("name", "pk"),
        ]
        exchange_types, themes, languages = (
            Vocabulary.of(queryset.values_list("pk", "name")) for queryset in terms
        )
        return cls(
            exchange_types=exchange_types,
            themes=themes,
            languages=languages,
            countries=Vocabulary.of((code, str(name)) for code, name in countries),
        )


# Building blocks ----------------------------------------------------------------------------


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
    ones = np.ones(len(r), dtype=np.float32)
    where = (np.array(r, dtype=np.int64), np.array(c, dtype=np.int64))
    matrix = sparse.csr_matrix((ones, where), shape=(n, len(vocabulary)))
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def _matrix_of_ids(pairs, ids, vocabulary):
    """A 0/1 matrix (len(ids) × len(vocabulary)) from (owner id, term pk) pairs, where
    ``ids`` are the owners' ids in row order, ascending; with array operations, for the
    hundreds of thousands of pairs of a big load."""
    pairs = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
    n = len(ids)
    rows = np.searchsorted(ids, pairs[:, 0]).clip(0, max(n - 1, 0))
    columns = vocabulary.columns(pairs[:, 1])
    known = (columns >= 0) & (ids[rows] == pairs[:, 0]) if n else np.zeros(len(pairs), bool)
    ones = np.ones(int(known.sum()), dtype=np.float32)
    matrix = sparse.csr_matrix(
        (ones, (rows[known], columns[known])), shape=(n, len(vocabulary))
    )
    matrix.sum_duplicates()
    matrix.data[:] = 1
    return matrix


def _through(relation, owner_field, owner_ids, value_field):
    """(owner id, term id) pairs of a many-to-many relation, read from its through table for
    the owners whose ids ``owner_ids`` (a ``values()`` queryset) selects, as a subquery."""
    return relation.through.objects.filter(**{f"{owner_field}__in": owner_ids}).values_list(
        owner_field, value_field
    )


def _hosted_types(organisation_ids):
    """(organisation id, exchange type id) of the organisations' published offers."""
    return (
        Offer.objects.filter(status=Offer.Status.PUBLISHED, organisation__in=organisation_ids)
        .order_by()
        .values_list("organisation_id", "exchange_type_id")
        .distinct()
    )


def _ordinals(dates):
    return np.array([d.toordinal() if d else 0 for d in dates], dtype=np.int32)


def _country_columns(codes, vocabularies):
    return np.array([vocabularies.countries.index.get(code, 0) for code in codes], dtype=np.int32)


def _text(*parts):
    return "\n".join(part for part in parts if part)


def _countries(raw):
    if not raw:
        return []
    if isinstance(raw, str):  # values_list gives what is stored: "DK,SE"
        return [code for code in raw.split(",") if code]
    return [str(code) for code in raw]


# Offers ------------------------------------------------------------------------------------


def load_offers(queryset, vocabularies):
    """The offers of ``queryset``, ordered by pk, as ``Offers``: five queries."""
    queryset = queryset.order_by("pk")
    ids = queryset.values("pk")
    rows = list(
        queryset.values_list(
            "pk", "organisation_id", "exchange_type_id", "organisation__country",
            "available_from", "available_until", "capacity", "supports_fewer_opportunities",
            "title", "description", "programme",
        )
    )  # fmt: skip
    n = len(rows)
    rows_of_host = _rows_of(row[1] for row in rows)
    taken = dict(
        Application.objects.filter(offer__in=ids, status=Application.Status.ACCEPTED)
        .order_by()
        .values("offer_id")
        .annotate(taken=Sum("participants"))
        .values_list("offer_id", "taken")
    )
    offer_ids = np.array([row[0] for row in rows], dtype=np.int64)
    themes = _through(Offer.themes, "offer_id", ids, "theme_id")
    languages = _through(Offer.languages, "offer_id", ids, "language_id")
    # What each host looks for in its own interest profiles (for the reciprocity bonus).
    host_seeks = InterestProfile.exchange_types.through.objects.filter(
        interestprofile__organisation__in=queryset.values("organisation_id")
    ).values_list("interestprofile__organisation_id", "exchangetype_id")
    types = vocabularies.exchange_types
    return Offers(
        ids=offer_ids,
        organisation_ids=np.array([row[1] for row in rows], dtype=np.int64),
        exchange_type=np.array([types.index[row[2]] for row in rows], dtype=np.int32),
        themes=_matrix_of_ids(themes, offer_ids, vocabularies.themes),
        languages=_matrix_of_ids(languages, offer_ids, vocabularies.languages),
        country=_country_columns((row[3] for row in rows), vocabularies),
        start=_ordinals(row[4] for row in rows),
        end=_ordinals(row[5] for row in rows),
        places_left=np.array([row[6] - (taken.get(row[0]) or 0) for row in rows], dtype=np.int32),
        supports_fewer_opportunities=np.array([row[7] for row in rows], dtype=bool),
        texts=[_text(*row[8:11]) for row in rows],
        host_seeks_types=_matrix(_cells(host_seeks, rows_of_host), types, n),
    )


# Interest profiles -------------------------------------------------------------------------


def load_profiles(queryset, vocabularies):
    """The interest profiles of ``queryset``, ordered by pk, as ``Seekers``: five queries."""
    queryset = queryset.order_by("pk")
    ids = queryset.values("pk")
    rows = list(
        queryset.values_list(
            "pk", "organisation_id", "organisation__country", "countries_wanted",
            "available_from", "available_until", "participants",
            "fewer_opportunity_participants", "name", "description",
        )
    )  # fmt: skip
    n = len(rows)
    profile_ids = np.array([row[0] for row in rows], dtype=np.int64)
    rows_of_organisation = _rows_of(row[1] for row in rows)

    def relation(field, value_field, vocabulary):
        pairs = _through(field, "interestprofile_id", ids, value_field)
        return _matrix_of_ids(pairs, profile_ids, vocabulary)

    hosted = _hosted_types(queryset.values("organisation_id"))
    wanted = ((i, code) for i, row in enumerate(rows) for code in _countries(row[3]))
    types = vocabularies.exchange_types
    return Seekers(
        ids=profile_ids,
        organisation_ids=np.array([row[1] for row in rows], dtype=np.int64),
        exchange_types=relation(InterestProfile.exchange_types, "exchangetype_id", types),
        themes=relation(InterestProfile.themes, "theme_id", vocabularies.themes),
        languages=relation(InterestProfile.languages, "language_id", vocabularies.languages),
        countries_wanted=_matrix(wanted, vocabularies.countries, n),
        country=_country_columns((row[2] for row in rows), vocabularies),
        start=_ordinals(row[4] for row in rows),
        end=_ordinals(row[5] for row in rows),
        has_window=np.array([row[4] is not None and row[5] is not None for row in rows]),
        participants=np.array([row[6] for row in rows], dtype=np.int32),
        fewer_opportunity_participants=np.array([row[7] for row in rows], dtype=np.int32),
        texts=[_text(*row[8:10]) for row in rows],
        hosts_types=_matrix(_cells(hosted, rows_of_organisation), types, n),
    )


# Applications ------------------------------------------------------------------------------


def load_applications(queryset, vocabularies):
    """The applications of ``queryset``, ordered by pk, as ``Seekers``: five queries.

    An application seeks its offer's exchange type on its preferred dates, wherever the offer
    is. Its themes are those of its organisation's interest profiles; an organisation without
    a profile is taken to look for the themes of the offer it applied to.
    """
    queryset = queryset.order_by("pk")
    rows = list(
        queryset.values_list(
            "pk", "organisation_id", "organisation__country", "offer__exchange_type_id",
            "preferred_start", "preferred_end", "participants",
            "fewer_opportunity_participants", "motivation", "participant_roles", "offer_id",
        )
    )  # fmt: skip
    n = len(rows)
    application_ids = np.array([row[0] for row in rows], dtype=np.int64)
    rows_of_organisation = _rows_of(row[1] for row in rows)
    profile_themes = list(
        InterestProfile.themes.through.objects.filter(
            interestprofile__organisation__in=queryset.values("organisation_id")
        ).values_list("interestprofile__organisation_id", "theme_id")
    )
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
        country=_country_columns((row[2] for row in rows), vocabularies),
        start=_ordinals(row[4] for row in rows),
        end=_ordinals(row[5] for row in rows),
        has_window=np.ones(n, dtype=bool),
        participants=np.array([row[6] for row in rows], dtype=np.int32),
        fewer_opportunity_participants=np.array([row[7] for row in rows], dtype=np.int32),
        texts=[_text(*row[8:10]) for row in rows],
        hosts_types=_matrix(_cells(hosted, rows_of_organisation), types, n),
    )


def load_past_partners():
    """Pairs of organisations that had an accepted application together: one query."""
    accepted = Application.objects.filter(status=Application.Status.ACCEPTED).order_by()
    pairs = list(accepted.values_list("organisation_id", "offer__organisation_id").distinct())
    return np.array(pairs, dtype=np.int64).reshape(-1, 2)
