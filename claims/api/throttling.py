"""Rate limits for anonymous API clients, by the client's real address.

Each address gets settings' `anon` rate per window, which opens with its first request. The
count lives in the shared cache and rises atomically (add, then incr), so every app process
counts against one limit and no two requests read the same count. When the cache cannot be
reached, each process counts on its own: the limit loosens by the number of processes but
never lapses. A request with a token that is not valid counts as an anonymous one, so
guessing tokens is limited too; and past settings.LOGIN_FAILURE_LIMIT invalid tokens from
one address, token sign-in from it is locked for settings.LOGIN_LOCKOUT_SECONDS (as failed
admin logins are, by django-axes).
"""

import threading
import time

from django.conf import settings
from django.core.cache import cache
from rest_framework.authentication import TokenAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed, Throttled
from rest_framework.throttling import AnonRateThrottle

from ledger.site import client_address

LOCAL_KEYS = 10_000


class LocalCounts:
    """Counts per key in this process, for when the shared cache is down."""

    def __init__(self):
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def peek(self, key: str) -> int:
        with self._lock:
            count, closes = self._counts.get(key, (0, 0.0))
            return count if closes > time.monotonic() else 0

    def incr(self, key: str, duration: int) -> tuple[int, float]:
        """The count after this request, and when its window closes (monotonic seconds)."""
        now = time.monotonic()
        with self._lock:
            if len(self._counts) > LOCAL_KEYS:
                self._counts = {k: v for k, v in self._counts.items() if v[1] > now}
            count, closes = self._counts.get(key, (0, 0.0))
            if closes <= now:
                count, closes = 0, now + duration
            self._counts[key] = (count + 1, closes)
            return count + 1, closes


class ClientAddressRateThrottle(AnonRateThrottle):
    local_counts = LocalCounts()

    def allow_request(self, request, view):
        if request.user and request.user.is_authenticated:
            return True
        return self.allow_address(client_address(request))

    def allow_address(self, address: str) -> bool:
        if self.rate is None:
            return True
        key = self.cache_format % {"scope": self.scope, "ident": address}
        count = self.shared_count(key)
        # The window's end is not kept in the cache: a client may wait a whole window.
        self.retry_after = self.duration
        if count is None:
            count, closes = self.local_counts.incr(key, self.duration)
            self.retry_after = closes - time.monotonic()
        return count <= self.num_requests

    def shared_count(self, key: str) -> int | None:
        """The count after this request, or None when the shared cache cannot be reached."""
        # add() answers False when the key is there and None when the cache is not.
        if cache.add(key, 0, self.duration) is None:
            return None
        try:
            return cache.incr(key)
        except ValueError:  # expired between add() and incr(): a new window's first request
            cache.add(key, 1, self.duration)
            return 1

    def wait(self):
        return max(self.retry_after, 0)


class TokenFailureLimit(ClientAddressRateThrottle):
    """Invalid tokens per client address: at the limit, every token from it is refused until
    the window (opened by its first failure) closes."""

    scope = "token_failures"
    local_counts = LocalCounts()

    def get_rate(self):
        return "settings.LOGIN_FAILURE_LIMIT per settings.LOGIN_LOCKOUT_SECONDS"

    def parse_rate(self, rate):
        return settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_LOCKOUT_SECONDS

    def locked_out(self, address: str) -> bool:
        key = self.cache_format % {"scope": self.scope, "ident": address}
        count = cache.get(key)  # None when there is none, or the cache cannot be reached
        if count is None:
            count = self.local_counts.peek(key)
        self.retry_after = self.duration
        return count >= self.num_requests

    def refusal(self) -> Throttled:
        return Throttled(
            self.wait(),
            detail="too many invalid tokens from this address; "
            "token sign-in from it is locked for a while",
        )


class ThrottledTokenAuthentication(TokenAuthentication):
    """Token authentication whose refusals count against the client's anonymous limit, and
    against its limit of invalid tokens, past which no token from it is accepted for a while
    (so a guessed token cannot be confirmed)."""

    def authenticate(self, request):
        words = get_authorization_header(request).split()
        if not words or words[0].lower() != self.keyword.lower().encode():
            return None
        address = client_address(request)
        failures = TokenFailureLimit()
        if failures.locked_out(address):
            raise failures.refusal()
        try:
            return super().authenticate(request)
        except AuthenticationFailed:
            if not failures.allow_address(address):
                raise failures.refusal() from None
            throttle = ClientAddressRateThrottle()
            if not throttle.allow_address(address):
                raise Throttled(throttle.wait()) from None
            raise
