"""Figures kept in the cache by generation: a change that makes them wrong starts a new
generation, so every worker's next read counts them again.

``cached(name, key, compute)`` keeps ``compute()`` under the current generation of ``name``
for ``CATALOGUE_CACHE_SECONDS``; ``new_generation(name)`` (once the change commits) forgets
every figure of that name at once. The time limit bounds what no service announces, such as
a change made in the admin.

Two layers: the generation lives in the shared cache (``CACHE_URL``, Redis in production),
so that every worker sees a change; what is kept under a generation never changes, so each
process also keeps it in its own memory (the ``local`` cache), and a page read again costs no
round trip. A process reads the shared generation at most once a second
(``GENERATION_SECONDS``): another worker's change reaches it within that second; its own at
once.
"""

import contextlib
import hashlib

from django.conf import settings
from django.core.cache import cache, caches
from django.db import transaction

CATALOGUE = "catalogue"  # the catalogue's counts, facets and countries, the home page's figures
GENERATION_SECONDS = 1

local = caches["local"]


def _generation_key(name: str) -> str:
    return f"generation:{name}"


def generation(name: str) -> int:
    """The current generation of ``name``'s figures (part of every key they are kept under,
    also by templates' ``{% cache ... using="local" %}`` fragments)."""
    key = _generation_key(name)
    found = local.get(key)
    if found is None:
        found = cache.get_or_set(key, 0, None)
        local.set(key, found, GENERATION_SECONDS)
    return found


def cached(name: str, key: str, compute):
    """``compute()``, kept under ``name``'s generation (0 s: computed every time)."""
    seconds = settings.CATALOGUE_CACHE_SECONDS
    if not seconds:
        return compute()
    digest = hashlib.blake2b(key.encode(), digest_size=12).hexdigest()
    full_key = f"{name}:{generation(name)}:{digest}"
    found = local.get(full_key)
    if found is None:
        found = cache.get(full_key)
        if found is None:
            found = compute()
            cache.set(full_key, found, seconds)
        local.set(full_key, found, seconds)
    return found


def new_generation(name: str) -> None:
    """Forget ``name``'s cached figures once the current transaction commits (a reader in
    between would otherwise keep the old figures under the new generation)."""

    def forget():
        with contextlib.suppress(ValueError):  # no generation yet: nothing is cached
            cache.incr(_generation_key(name))
        local.delete(_generation_key(name))

    transaction.on_commit(forget)
