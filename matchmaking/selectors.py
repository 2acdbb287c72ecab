"""Reads of the core app that pages share."""

from django.db.models import QuerySet

from .models import Organisation


def directory_organisations() -> QuerySet[Organisation]:
    """The organisations the public directory lists: every one not suspended, by name."""
    return (
        Organisation.objects.filter(is_suspended=False)
        .prefetch_related("languages")
        .order_by("name", "pk")
    )
