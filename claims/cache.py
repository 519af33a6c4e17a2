"""What readers are answered with: validators and cached responses, both from the database.

A reader page, the feed, the sitemap and an anonymous API read first read one LedgerState row:
the generation of the ledger this reader may see (claims.models.LedgerState: readers follow
only published changes, reviewers every change). The page's ETag, its Last-Modified and the
key of its cached response all come from that read, made before the view runs. A write
raises the row inside its own transaction, so a response built from data read before a
commit lands under the old generation, never under the new one, and no cached answer
outlives the generation the database holds: the cache holds copies, never the word on what
is current, and when it cannot be reached pages are built afresh, slower but right.

Caching is on only where settings.PUBLISHED_CACHE_SECONDS is above zero, which the settings
do when REDIS_URL is set: one cache every app process shares builds each page once.
"""

import hashlib
import tomllib
from functools import cache, wraps

from django.conf import settings
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.cache import cache as response_cache
from django.utils.cache import get_conditional_response
from django.utils.http import http_date, parse_http_date_safe, quote_etag
from django.utils.translation import get_language
from django.views.decorators.vary import vary_on_cookie

from claims.models import LedgerState
from claims.permissions import is_reviewer

HIT_HEADER = "X-Ledger-Cache"


@cache
def app_version() -> str:
    with open(settings.BASE_DIR / "pyproject.toml", "rb") as file:
        return tomllib.load(file)["project"]["version"]


def release() -> str:
    """The code and static files a response is built from: after a deploy, old HTML is stale.

    settings.RELEASE names the deployed code; the manifest's hash changes with every static
    file, whose hashed names the pages link to.
    """
    manifest = getattr(staticfiles_storage, "manifest_hash", "")
    return f"{settings.RELEASE}|{app_version()}|{manifest}"


def ledger_state(request) -> tuple:
    """(generation, changed_at) of the ledger as this request's reader sees it; read once."""
    if not hasattr(request, "_ledger_state"):
        request._ledger_state = LedgerState.current(public=not is_reviewer(request.user))
    return request._ledger_state


def published_cache_seconds() -> int:
    return getattr(settings, "PUBLISHED_CACHE_SECONDS", 0)


def published_cache_key(request, state: tuple) -> str:
    """The key of a response: release, generation, language, path with query, accepted types."""
    what = "\n".join(
        [
            release(),
            *map(str, state),
            request.get_full_path(),
            request.headers.get("Accept", ""),
            get_language() or "",
        ]
    )
    return f"ledger:published:{hashlib.sha256(what.encode()).hexdigest()}"


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
            key = published_cache_key(request, ledger_state(request))
            response = response_cache.get(key)
            if response is not None:
                # The stored response's validators answer a conditional request (304).
                response = get_conditional_response(
                    request,
                    etag=response.get("ETag"),
                    last_modified=parse_http_date_safe(response.get("Last-Modified", "")),
                    response=response,
                )
                response[HIT_HEADER] = "hit"
                return response
            response = view(request, *args, **kwargs)
            response[HIT_HEADER] = "miss"

            def store(rendered):
                if _is_shareable(request, rendered):
                    response_cache.set(key, rendered, timeout if timeout is not None else seconds)

            if hasattr(response, "add_post_render_callback"):
                response.add_post_render_callback(store)
            else:
                store(response)
            return response

        return cached_view

    return decorator


def page_etag(request, state: tuple) -> str:
    """Names the release, the page (path and query), its language, the reader's kind and the
    generation they see: no two pages, languages or deploys share one."""
    parts = [
        release(),
        request.path,
        request.GET.urlencode(),
        get_language(),
        is_reviewer(request.user),
        *state,
    ]
    return quote_etag(hashlib.sha256("|".join(map(str, parts)).encode()).hexdigest()[:32])


def conditional(exists):
    """ETag and Last-Modified on a reader page, and 304 for a repeat view of an unchanged one.

    `exists(request, *args, **kwargs)` says whether the page is there for this reader; it is
    asked only for a conditional request, and a page that is not there is left to the view
    (404), never answered 304. Last-Modified is when the reader's generation began.
    """

    def decorate(view):
        @wraps(view)
        def conditional_view(request, *args, **kwargs):
            if request.method not in ("GET", "HEAD"):
                return view(request, *args, **kwargs)
            state = ledger_state(request)
            etag = page_etag(request, state)
            modified = int(state[1].timestamp()) if len(state) > 1 else None
            response = None
            asks = "If-None-Match" in request.headers or "If-Modified-Since" in request.headers
            if asks and exists(request, *args, **kwargs):
                response = get_conditional_response(request, etag=etag, last_modified=modified)
            if response is None:
                response = view(request, *args, **kwargs)
                if response.status_code != 200:
                    return response
            response.headers.setdefault("ETag", etag)
            if modified is not None:
                response.headers.setdefault("Last-Modified", http_date(modified))
            return response

        return vary_on_cookie(conditional_view)

    return decorate


def always(request, *args, **kwargs) -> bool:
    """For pages that are there for every reader (the index, the feed)."""
    return True
