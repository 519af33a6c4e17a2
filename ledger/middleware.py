"""Request and response hardening: forwarding headers only from proxies we trust, caching."""

from django.conf import settings
from django.utils.cache import patch_cache_control

from ledger.site import forwarded_value


class TrustedProxyMiddleware:
    """Keep only the X-Forwarded-Proto value our own proxies set: a client cannot claim HTTPS."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        scheme = forwarded_value(request, "HTTP_X_FORWARDED_PROTO")
        if scheme is None:
            request.META.pop("HTTP_X_FORWARDED_PROTO", None)
        else:
            request.META["HTTP_X_FORWARDED_PROTO"] = scheme
        return self.get_response(request)


class ResponseHeadersMiddleware:
    """Cache-Control on reads that set none.

    A read anyone may be shown is `public` (shared caches may keep it, keyed by its Vary
    headers) and revalidated on every use; one made for a session, a token or a cookie is
    `private`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (
            request.method in ("GET", "HEAD")
            and response.status_code in (200, 304)
            and "Cache-Control" not in response
        ):
            personal = (
                response.cookies
                or "Authorization" in request.headers
                or settings.SESSION_COOKIE_NAME in request.COOKIES
                or getattr(request, "user", None) is not None
                and request.user.is_authenticated
            )
            if personal:
                patch_cache_control(response, private=True, max_age=0, must_revalidate=True)
            else:
                patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
        return response
