"""Reads of the core app that more than one place needs."""

from collections import defaultdict

from django.db.models import Exists, OuterRef, Q, QuerySet

from .models import Membership, Organisation
from .search import fold


def directory_organisations() -> QuerySet[Organisation]:
    """The organisations the public directory lists: every one not suspended, by name."""
    return (
        Organisation.objects.filter(is_suspended=False)
        .prefetch_related("languages")
        .order_by("name", "pk")
    )


def name_key(name: str) -> str:
    """A name as people tell names apart: case, accents and spacing left out ("Borås  Stad",
    "BORAS STAD" and "borås stad" are one name) — the site's one comparison, ``search.fold``."""
    return fold(name)


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


def organisations_only_administered_by(user) -> list[Organisation]:
    """The organisations of which ``user`` is the only admin: they need another admin before
    the person may delete their account (an organisation always keeps one)."""
    other_admins = Membership.objects.filter(
        organisation=OuterRef("pk"), role=Membership.Role.ADMIN
    ).exclude(user=user)
    return list(
        Organisation.objects.filter(memberships__user=user, memberships__role=Membership.Role.ADMIN)
        .exclude(Exists(other_admins))
        .order_by("name", "pk")
    )


def profile_is_complete():
    """The condition (for ``annotate``/``filter`` on organisations) that an organisation's
    public profile tells others what they need to decide: a description and its working
    languages (the rest the form requires)."""
    languages = Organisation.languages.through.objects.filter(organisation_id=OuterRef("pk"))
    return ~Q(description__regex=r"^\s*$") & Exists(languages)
