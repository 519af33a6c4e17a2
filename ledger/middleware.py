"""Request and response hardening: forwarding headers only from proxies we trust."""

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
