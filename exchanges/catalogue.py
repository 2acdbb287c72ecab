"""The catalogue's reads at the partnership's scale: keyword search, the counts next to each
filter value (facets), a capped count of the results and the list of countries.

- Keywords, on PostgreSQL, are looked up in ``Offer.search_vector`` (kept by triggers,
  GIN-indexed: exchanges migration 0016) with a ``websearch`` query ("quoted phrases", OR,
  -word), unaccented and read both as written and stemmed in each language the catalogue
  stems, and ranked by relevance (a word in the title weighs more than one in the host's
  name, which weighs more than one in the description). SQLite, for the demo, folds accents
  and case in Python (``matchmaking.search.fold``) over the same texts, unranked.
- Counts stop at ``COUNT_CAP``: past it the catalogue says "more than 10,000 offers", so that
  neither the count nor the pages cost more as the table grows.
- The counts and the country list are kept in the cache (``matchmaking.caching``) and
  forgotten when an offer is published, closed or edited or an organisation suspended.
"""

import hashlib

from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, F, QuerySet
from django.utils.formats import number_format
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django_countries import countries

from matchmaking import caching
from matchmaking.search import TEXT_SEARCH_CONFIGS, name_matches

from .models import Offer

COUNT_CAP = 10_000

# What SQLite's keyword search reads (PostgreSQL's vector holds the same texts).
SEARCHED_FIELDS = (
    "title",
    "description",
    "city",
    "region_name",
    "organisation__name",
    "organisation__city",
)


def _full_text_search(connection_alias: str) -> bool:
    return connections[connection_alias].vendor == "postgresql"


def keywords_query(text: str, *, using: str = "default") -> SearchQuery | None:
    """The words as written (``simple``) or stemmed in any language the catalogue stems: an
    offer matches in the language it was stemmed in, whatever the reader's language. None
    when nothing is left to look for (only punctuation).

    The database turns the words into one query per language (``websearch_to_tsquery``, after
    ``unaccent``); most languages leave most words as they are, so the distinct ones are
    joined (a query with the same word fourteen times over would mislead the planner's
    estimates). This process keeps them: a given text always gives the same query.
    """
    digest = hashlib.blake2b(text.encode(), digest_size=12).hexdigest()
    key = f"catalogue:tsquery:{digest}"
    found = caching.local.get(key)
    if found is None:
        codes = ["", *sorted(TEXT_SEARCH_CONFIGS)]
        with connections[using].cursor() as cursor:
            cursor.execute(
                "SELECT DISTINCT websearch_to_tsquery(exchanges_search_config(code),"
                " exchanges_unaccent(%s))::text FROM unnest(%s::text[]) AS code",
                [text, codes],
            )
            found = " | ".join(f"({row[0]})" for row in sorted(cursor.fetchall()) if row[0])
        caching.local.set(key, found, 24 * 3600)
    return SearchQuery(found, config="simple", search_type="raw") if found else None


def search(offers: QuerySet[Offer], text: str) -> QuerySet[Offer]:
    """The offers that match the keywords, the best match first on PostgreSQL."""
    text = " ".join(text.split())[:200]
    if not text:
        return offers
    if not _full_text_search(offers.db):
        return name_matches(offers, text, fields=SEARCHED_FIELDS)
    query = keywords_query(text, using=offers.db)
    if query is None:
        return offers.none()
    return (
        offers.filter(search_vector=query)
        .annotate(rank=SearchRank(F("search_vector"), query))
        .order_by("-rank", "-published_at", "-pk")
    )


def capped_count(offers: QuerySet[Offer], cap: int | None = None) -> int:
    """The number of offers, or ``cap + 1`` when there are more than ``cap``: a count over a
    LIMIT, whose cost does not grow with the table."""
    cap = COUNT_CAP if cap is None else cap
    return offers.order_by().values("pk")[: cap + 1].count()


def is_capped(count: int) -> bool:
    return count > COUNT_CAP


def count_shown(count: int) -> str:
    """A capped count as people read it: "1,234", or "more than 10,000"."""
    if is_capped(count):
        return _("more than %(count)s") % {"count": number_format(COUNT_CAP, force_grouping=True)}
    return number_format(count, force_grouping=True)


def grouped_counts(offers: QuerySet[Offer], field: str) -> dict:
    """How many of the offers have each value of ``field`` (one grouped query). For a
    many-to-many field (``themes``, ``languages``) the keys are the related rows' pks."""
    relation = None if "__" in field else Offer._meta.get_field(field)
    if relation is not None and relation.many_to_many:
        through = relation.remote_field.through
        target = relation.m2m_reverse_name()
        rows = (
            through.objects.filter(offer__in=offers.order_by().values("pk"))
            .order_by()
            .values_list(target)
            .annotate(n=Count("pk"))
        )
    else:
        rows = offers.order_by().values_list(field).annotate(n=Count("pk"))
    return dict(rows)


def catalogue_countries() -> list[tuple[str, str]]:
    """The countries the catalogue has offers from, as (code, name) sorted by name in the
    reader's language; the codes are kept in the cache, not counted on every page."""
    codes = caching.cached(
        caching.CATALOGUE,
        "countries",
        lambda: sorted(
            grouped_counts(Offer.objects.visible_in_catalogue(), "organisation__country")
        ),
    )
    return sorted(((code, countries.name(code)) for code in codes), key=lambda choice: choice[1])


def catalogue_base() -> QuerySet[Offer]:
    """What the catalogue filters: the published offers of organisations in good standing,
    newest first, without what a card shows (counts and facets need none of it)."""
    return Offer.objects.visible_in_catalogue().order_by("-published_at", "-pk")


class CataloguePaginator(Paginator):
    """Pages over a count already taken (``capped_count``, from the cache): past
    ``COUNT_CAP`` the last page is the one that reaches it, and the page says "more than"."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._count = count

    @cached_property
    def count(self):
        return self._count

    @property
    def is_capped(self) -> bool:
        return is_capped(self._count)

    @property
    def cap_shown(self) -> str:
        return number_format(COUNT_CAP, force_grouping=True)
