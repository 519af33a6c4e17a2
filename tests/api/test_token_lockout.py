"""Invalid API tokens: past a few failures from one address, token sign-in from it is locked."""

import pytest

from claims.api.permissions import token_for
from claims.api.throttling import ClientAddressRateThrottle, LocalCounts, TokenFailureLimit

pytestmark = pytest.mark.django_db
UNREACHABLE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 0.25},
    }
}


@pytest.fixture(autouse=True)
def three_failures(settings, monkeypatch):
    settings.LOGIN_FAILURE_LIMIT = 3
    settings.LOGIN_LOCKOUT_SECONDS = 900
    monkeypatch.setattr(ClientAddressRateThrottle, "local_counts", LocalCounts())
    monkeypatch.setattr(TokenFailureLimit, "local_counts", LocalCounts())


def get(client, token, **headers):
    return client.get("/api/claims/", headers={"Authorization": f"Token {token}", **headers})


def test_after_repeated_invalid_tokens_even_a_valid_one_is_refused(anonymous, reviewer, ledger):
    valid = token_for(reviewer.username).key
    assert [get(anonymous, f"guess-{n}").status_code for n in range(2)] == [401] * 2
    assert get(anonymous, valid).status_code == 200  # a valid token does not count
    assert get(anonymous, "guess-2").status_code == 401  # the third failure: the limit
    locked = get(anonymous, "guess-3")
    assert locked.status_code == 429
    assert locked.headers["Content-Type"] == "application/json"
    assert "invalid tokens" in locked.json()["detail"]
    assert int(locked.headers["Retry-After"]) > 0
    # Locked out: the right token from this address is refused too, so a guess cannot be
    # confirmed; reading without a token still works.
    assert get(anonymous, valid).status_code == 429
    assert anonymous.get("/api/claims/").status_code == 200


def test_the_lockout_is_per_client_address_behind_the_trusted_proxy(
    anonymous, reviewer, ledger, settings
):
    settings.TRUSTED_PROXY_COUNT = 1
    valid = token_for(reviewer.username).key
    for n in range(4):
        get(anonymous, f"guess-{n}", **{"X-Forwarded-For": f"9.9.9.{n}, 6.6.6.6"})
    assert get(anonymous, valid, **{"X-Forwarded-For": "6.6.6.6"}).status_code == 429
    assert get(anonymous, valid, **{"X-Forwarded-For": "7.7.7.7"}).status_code == 200


def test_a_made_up_x_forwarded_for_does_not_escape_the_lockout(anonymous, reviewer, ledger):
    for n in range(4):
        get(anonymous, f"guess-{n}", **{"X-Forwarded-For": f"10.0.0.{n}"})
    valid = token_for(reviewer.username).key
    assert get(anonymous, valid, **{"X-Forwarded-For": "10.0.0.99"}).status_code == 429


def test_with_the_cache_unreachable_the_lockout_holds(anonymous, ledger, settings):
    settings.CACHES = UNREACHABLE
    statuses = [get(anonymous, f"guess-{n}").status_code for n in range(5)]
    assert statuses == [401, 401, 401, 429, 429]
