"""Absolute URLs and the client's address, from configuration rather than from what a client sends.

Cached pages are served to everyone, so nothing in them may come from one request's `Host` or
`X-Forwarded-*` headers: absolute URLs start with settings.SITE_URL, and forwarded headers
count only as far as settings.TRUSTED_PROXY_COUNT proxies of our own vouch for them.
"""

from urllib.parse import urlsplit

from django.conf import settings


def absolute_url(path: str) -> str:
    """The URL of a path on this site (a path as reverse() gives it, with its leading slash)."""
    return settings.SITE_URL + path


def site_scheme() -> str:
    return urlsplit(settings.SITE_URL).scheme


def site_host() -> str:
    return urlsplit(settings.SITE_URL).netloc


def forwarded_value(request, header: str) -> str | None:
    """The value our outermost trusted proxy put in a comma-separated forwarding header.

    Each proxy appends to the right, so with N proxies of ours the Nth value from the right
    is the one the first of them saw; anything further left came from the client. None when
    no proxy is trusted or fewer values arrived than proxies are configured.
    """
    count = settings.TRUSTED_PROXY_COUNT
    raw = request.META.get(header)
    if count <= 0 or raw is None:
        return None
    values = [value.strip() for value in raw.split(",")]
    return values[-count] if len(values) >= count and values[-count] else None


def client_address(request) -> str:
    """The address of the client: REMOTE_ADDR, or what the trusted proxies say it was."""
    return forwarded_value(request, "HTTP_X_FORWARDED_FOR") or request.META.get("REMOTE_ADDR", "")
