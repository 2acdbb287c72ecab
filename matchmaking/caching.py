"""Figures kept in the cache by generation: a change that makes them wrong starts a new
generation, so every worker's next read counts them again (the cache is shared: ``CACHE_URL``).

``cached(name, key, compute)`` keeps ``compute()`` under the current generation of ``name``
for ``CATALOGUE_CACHE_SECONDS``; ``new_generation(name)`` (once the change commits) forgets
every figure of that name at once. The time limit bounds what no service announces, such as
a change made in the admin.
"""

import contextlib
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

CATALOGUE = "catalogue"  # the catalogue's counts, facets and countries, the home page's figures


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def generation(name: str) -> int:
    """The current generation of ``name``'s figures (part of every key they are kept under,
    also by templates' ``{% cache %}`` fragments)."""
    return cache.get_or_set(_generation_key(name), 0, None)


def cached(name: str, key: str, compute):
    """``compute()``, kept in the cache under ``name``'s generation (0 s: computed every time)."""
    seconds = settings.CATALOGUE_CACHE_SECONDS
    if not seconds:
        return compute()
    digest = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
    full_key = f"{name}:{generation(name)}:{digest}"
    found = cache.get(full_key)
    if found is None:
        found = compute()
        cache.set(full_key, found, seconds)
    return found


def new_generation(name: str) -> None:
    """Forget ``name``'s cached figures once the current transaction commits (a reader in
    between would otherwise keep the old figures under the new generation)."""

    def forget():
        with contextlib.suppress(ValueError):  # no generation yet: nothing is cached
            cache.incr(_generation_key(name))

    transaction.on_commit(forget)
