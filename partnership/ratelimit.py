"""A modest limit on how often one visitor may use a form, counted in Django's cache.

It counts per client address in fixed windows. With the default local-memory cache each
server process counts on its own; a shared cache (Redis) makes the limit hold across them.
Behind a proxy, REMOTE_ADDR must be the client's address (set by the proxy), or every
visitor shares one count.
"""

from django.core.cache import cache


def _key(scope, request):
    return f"ratelimit:{scope}:{request.META.get('REMOTE_ADDR', '')}"


def is_limited(scope, request, *, limit):
    """Whether the visitor has used up ``limit`` uses of ``scope`` in the current window."""
    return cache.get(_key(scope, request), 0) >= limit


def count_use(scope, request, *, period):
    """Count one use; the window starts with the first use and lasts ``period`` seconds."""
    key = _key(scope, request)
    if not cache.add(key, 1, timeout=period):
        try:
            cache.incr(key)
        except ValueError:  # the window ended between add() and incr()
            cache.add(key, 1, timeout=period)
