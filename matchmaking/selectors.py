"""Reads of the core app that more than one place needs."""

import unicodedata
from collections import defaultdict

from .models import Organisation


def name_key(name: str) -> str:
    """A name as people tell names apart: case, accents and spacing left out.

    "Borås  Stad", "BORAS STAD" and "borås stad" share the key "boras stad". Letters that are
    letters of their own, not accented ones (ø, æ, ß), stay as they are.
    """
    decomposed = unicodedata.normalize("NFKD", name)
    bare = "".join(character for character in decomposed if not unicodedata.combining(character))
    return " ".join(bare.casefold().split())


def _names():
    # Every organisation's name, read once and compared in Python: PostgreSQL would need the
    # unaccent extension for the same comparison, and the table holds hundreds of rows, not
    # millions.
    return Organisation.objects.values_list("pk", "name")


def organisations_sharing_the_name(name: str, *, exclude_pk: int | None = None) -> list:
    """The organisations (in any country) whose name reads the same as ``name``.

    Any country, not only the same one: the country is typed in the same form as the name, so
    someone posing as an organisation can pick another one, and a visitor reads the name first.
    """
    key = name_key(name)
    if not key:
        return []
    pks = [pk for pk, other in _names() if pk != exclude_pk and name_key(other) == key]
    return list(Organisation.objects.filter(pk__in=pks).order_by("name", "pk"))


def organisation_ids_sharing_a_name() -> set[int]:
    """The ids of every organisation whose name reads the same as another's."""
    groups = defaultdict(list)
    for pk, name in _names():
        groups[name_key(name)].append(pk)
    return {pk for pks in groups.values() if len(pks) > 1 for pk in pks}
