"""Request and response hardening: trusted forwarding headers, CSP, Permissions-Policy, caching,
and a 503 while the database cannot be reached.

Reader pages run no script, so their Content-Security-Policy (settings.CONTENT_SECURITY_POLICY)
allows none; the admin and the API docs page load their own scripts and styles, and get
what they need on top of it, by path.
"""

import base64
import hashlib
import logging
import re
from functools import cache

from csp.constants import SELF
from csp.middleware import CSPMiddleware, PolicyParts
from django.conf import settings
from django.db import InterfaceError, OperationalError, connections
from django.http import HttpResponse, JsonResponse
from django.template.loader import get_template, render_to_string
from django.utils.cache import patch_cache_control

from ledger.site import forwarded_value

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait before trying again while the database is away.
OUTAGE_RETRY_AFTER = 30

ADMIN_POLICY = {
    "script-src": [SELF],
    "style-src": [SELF],
    "img-src": [SELF, "data:"],
    "font-src": [SELF],
    "connect-src": [SELF],
}

PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "camera",
        "display-capture",
        "geolocation",
        "gyroscope",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "usb",
    )
)


@cache
def api_docs_policy() -> dict:
    """Swagger UI's scripts and styles, and the one fixed <style> block its page keeps inline."""
    page = get_template("drf_spectacular/swagger_ui.html").template.source
    styles = [
        f"'sha256-{base64.b64encode(hashlib.sha256(style.encode()).digest()).decode()}'"
        for style in re.findall(r"<style>(.*?)</style>", page, re.DOTALL)
    ]
    return {
        "script-src": [SELF],
        "style-src": [SELF, *styles],
        "img-src": [SELF, "data:"],
        "connect-src": [SELF],
    }


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


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    """django-csp's policy, widened for the admin and the API docs page."""

    def get_policy_parts(self, request, response, report_only=False) -> PolicyParts:
        parts = super().get_policy_parts(request, response, report_only)
        if report_only or parts.update is not None:
            return parts
        match = request.resolver_match
        if match is None:
            return parts
        if "admin" in match.namespaces:
            parts.update = ADMIN_POLICY
        elif match.view_name == "api:docs":
            parts.update = api_docs_policy()
        return parts


class ResponseHeadersMiddleware:
    """Permissions-Policy on every response; Cache-Control on reads that set none.

    A read anyone may be shown is `public` (shared caches may keep it, keyed by its Vary
    headers) and revalidated on every use; one made for a session, a token or a cookie is
    `private`.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
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


def database_outage_response(request):
    """503 with Retry-After: JSON under /api/, the plain page elsewhere."""
    if request.path_info.startswith("/api/"):
        response = JsonResponse(
            {"detail": "The ledger's database cannot be reached; try again shortly."},
            status=503,
        )
    else:
        response = HttpResponse(render_to_string("503.html", request=request), status=503)
    response["Retry-After"] = str(OUTAGE_RETRY_AFTER)
    patch_cache_control(response, no_store=True)
    return response


def is_database_outage(exc) -> bool:
    """A lost or refused connection, not a fault in the query (those are ProgrammingError,
    IntegrityError or DataError)."""
    return isinstance(exc, (OperationalError, InterfaceError))


class DatabaseOutageMiddleware:
    """A view that cannot reach the database answers 503, not 500.

    A connection that failed is dropped here (as Django does at the end of a request), so
    the next query connects afresh: the app recovers as soon as the database is back,
    without a restart. Failures outside views reach handler500, which answers the same way.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_outage(exception):
            return None
        logger.error(
            "database unavailable: %s %s", request.method, request.path, exc_info=exception
        )
        for connection in connections.all(initialized_only=True):
            connection.close_if_unusable_or_obsolete()
        return database_outage_response(request)
