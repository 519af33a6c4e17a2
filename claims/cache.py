"""Caching of what anonymous readers see, invalidated by one ledger-wide generation number.

Every cache key holds the generation current when the request began; every write that can
change a published page or API response bumps it once its transaction commits, so no entry
made before the write is read again, and old entries simply expire. Reading the
generation before the view runs matters: a response built from data read before a commit
lands under the old generation, never under the new one.

The cache must be shared by every app process (Redis): with a per-process cache, a bump in
one process would leave the others serving stale pages. So caching is on only where
settings.PUBLISHED_CACHE_SECONDS is above zero, which the settings do when REDIS_URL is set.
"""

import hashlib
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.utils.cache import get_conditional_response
from django.utils.http import parse_http_date_safe
from django.utils.translation import get_language

GENERATION_KEY = "ledger:generation"
HIT_HEADER = "X-Ledger-Cache"


def ledger_generation() -> int:
    generation = cache.get(GENERATION_KEY)
    if generation is None:
        # Starting from the clock, not 1, so a lost counter never reuses an old number.
        cache.add(GENERATION_KEY, time.time_ns() // 1000, timeout=None)
        generation = cache.get(GENERATION_KEY, 0)
    return generation


def bump_ledger_generation() -> None:
    """Make every cached page and response stale. Call it once a write has committed."""
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:
        ledger_generation()
        cache.incr(GENERATION_KEY)


def published_cache_seconds() -> int:
    return getattr(settings, "PUBLISHED_CACHE_SECONDS", 0)


def published_cache_key(request, generation: int) -> str:
    """The key of a response: generation, language, path with query, and accepted types."""
    what = "\n".join(
        [request.get_full_path(), request.headers.get("Accept", ""), get_language() or ""]
    )
    return f"ledger:published:{generation}:{hashlib.sha256(what.encode()).hexdigest()}"


def _is_anonymous_read(request) -> bool:
    # An Authorization header means an API client whose token is checked only inside the view.
    return (
        request.method in ("GET", "HEAD")
        and not request.user.is_authenticated
        and "Authorization" not in request.headers
    )


def _is_shareable(request, response) -> bool:
    """A response any anonymous reader may be given: no cookie, no per-visitor CSRF token."""
    cache_control = response.get("Cache-Control", "")
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and "private" not in cache_control
        and "no-store" not in cache_control
    )


def cache_published(timeout: int | None = None):
    """Serve anonymous GETs of a view from the cache, keyed by the ledger's generation.

    `timeout` (seconds) defaults to settings.PUBLISHED_CACHE_SECONDS; nothing is cached
    while that setting is zero. Responses that set cookies or are private are not kept.
    """

    def decorator(view):
        @wraps(view)
        def cached_view(request, *args, **kwargs):
            seconds = published_cache_seconds()
            if seconds <= 0 or not _is_anonymous_read(request):
                return view(request, *args, **kwargs)
            key = published_cache_key(request, ledger_generation())
            response = cache.get(key)
            if response is not None:
                response[HIT_HEADER] = "hit"
                # The stored response's validators answer a conditional request (304).
                return get_conditional_response(
                    request,
                    etag=response.get("ETag"),
                    last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                    response=response,
                )
            response = view(request, *args, **kwargs)
            response[HIT_HEADER] = "miss"

            def store(rendered):
                if _is_shareable(request, rendered):
                    cache.set(key, rendered, timeout if timeout is not None else seconds)

            if hasattr(response, "add_post_render_callback"):
                response.add_post_render_callback(store)
            else:
                store(response)
            return response

        return cached_view

    return decorator
