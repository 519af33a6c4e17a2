"""The anonymous rate limit: by the client's real address, counted atomically, never off."""

import socket
import threading

import pytest
from rest_framework.throttling import AnonRateThrottle

from claims.api.throttling import ClientAddressRateThrottle, LocalCounts

pytestmark = pytest.mark.django_db
UNREACHABLE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25},
    }
}


@pytest.fixture(autouse=True)
def three_a_minute(monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "3/minute"})
    monkeypatch.setattr(ClientAddressRateThrottle, "local_counts", LocalCounts())


def statuses(client, requests):
    return [client.get("/api/claims/", headers=headers).status_code for headers in requests]


def test_a_new_x_forwarded_for_on_each_request_does_not_reset_the_count(anonymous, ledger):
    requests = [{"X-Forwarded-For": f"10.0.0.{n}"} for n in range(4)]
    assert statuses(anonymous, requests) == [200, 200, 200, 429]


def test_behind_a_trusted_proxy_each_client_has_its_own_count(anonymous, ledger, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    first = [{"X-Forwarded-For": f"6.6.6.{n}, 1.2.3.4"} for n in range(4)]
    assert statuses(anonymous, first) == [200, 200, 200, 429]
    assert statuses(anonymous, [{"X-Forwarded-For": "5.6.7.8"}]) == [200]


def test_invalid_tokens_count_against_the_limit(anonymous, ledger):
    requests = [{"Authorization": f"Token guess-{n}"} for n in range(4)]
    assert statuses(anonymous, requests) == [401, 401, 401, 429]
    assert statuses(anonymous, [{}]) == [429]


def test_with_the_cache_unreachable_the_limit_holds_in_each_process(anonymous, ledger, settings):
    settings.CACHES = UNREACHABLE
    assert statuses(anonymous, [{}] * 4) == [200, 200, 200, 429]


def redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.parametrize(
    "caches",
    [
        None,
        pytest.param(
            {
                "default": {
                    "BACKEND": "django_redis.cache.RedisCache",
                    "LOCATION": "redis://127.0.0.1:6379/7",
                    "KEY_PREFIX": "throttle-test",
                }
            },
            marks=pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379"),
            id="redis",
        ),
        pytest.param(UNREACHABLE, id="unreachable"),
    ],
)
def test_concurrent_requests_are_counted_once_each(settings, caches, monkeypatch):
    monkeypatch.setattr(AnonRateThrottle, "THROTTLE_RATES", {"anon": "10/minute"})
    if caches:
        settings.CACHES = caches
    from django.core.cache import cache

    cache.clear()
    allowed = []
    start = threading.Barrier(20)

    def request():
        start.wait()
        allowed.append(ClientAddressRateThrottle().allow_address("192.0.2.1"))

    threads = [threading.Thread(target=request) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert allowed.count(True) == 10
    cache.clear()
