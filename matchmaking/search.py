"""Search that forgives accents and case: "Boras" finds Borås, "wroclaw" finds Wrocław.

``fold`` is the one definition of how two spellings are compared; ``name_matches`` applies
it to organisations' names in Python, which works the same on SQLite and PostgreSQL. The
directory has a few hundred organisations, so reading their names is cheap.

The catalogue of offers searches with PostgreSQL's full-text search instead
(``exchanges.catalogue``): ``unaccent`` folds the accents there, and ``TEXT_SEARCH_CONFIGS``
says which of PostgreSQL's stemmers reads a text in a given language (``simple``, which only
lower-cases, for the others). SQLite, for the demo, folds with ``fold``.
"""

import unicodedata

from django.db.models import QuerySet

# Letters that Unicode does not decompose into a base letter and an accent.
_UNDECOMPOSED = str.maketrans(
    {
        "ł": "l",
        "ø": "o",
        "đ": "d",
        "ħ": "h",
        "ı": "i",
        "æ": "ae",
        "œ": "oe",
        "ß": "ss",
        "þ": "th",
        "ð": "d",
    }
)


# ISO 639-1 code -> PostgreSQL text search configuration. The database's own copy of this
# table is the function exchanges_search_config (exchanges migration 0012); a test checks
# that they agree.
TEXT_SEARCH_CONFIGS = {
    "ca": "catalan",
    "da": "danish",
    "de": "german",
    "en": "english",
    "es": "spanish",
    "fi": "finnish",
    "fr": "french",
    "it": "italian",
    "nb": "norwegian",
    "nl": "dutch",
    "nn": "norwegian",
    "no": "norwegian",
    "pt": "portuguese",
    "sv": "swedish",
}


def fold(text: str) -> str:
    """``text`` lower-cased, without accents, with single spaces: the form search compares."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.translate(_UNDECOMPOSED).split())


def sort_key(text: str) -> str:
    """A key that sorts names as a reader expects: accents and case aside, so that "Åland"
    and "Österreich" do not follow every unaccented name."""
    return fold(str(text))


def name_matches(queryset: QuerySet, text: str, *, fields: tuple[str, ...] = ("name",)) -> QuerySet:
    """The rows of ``queryset`` whose ``fields`` together contain every word of ``text``,
    accents and case aside."""
    words = fold(text).split()[:10]
    if not words:
        return queryset
    matching = [
        pk
        for pk, *values in queryset.order_by().values_list("pk", *fields)
        if all(word in fold(" ".join(value or "" for value in values)) for word in words)
    ]
    return queryset.filter(pk__in=matching)
