import pytest

from claims import services
from claims.models import Assertion, Claim


@pytest.fixture
def cache_on(settings):
    settings.PUBLISHED_CACHE_SECONDS = 60
    from django.core.cache import cache

    cache.clear()


def test_the_feed_is_served_from_cache_until_the_ledger_changes(
    seeded, cache_on, client, django_capture_on_commit_callbacks
):
    assert client.get("/feed/")["X-Ledger-Cache"] == "miss"
    assert client.get("/feed/")["X-Ledger-Cache"] == "hit"
    claim = Claim.objects.get(slug="musk-contribution-to-openai")
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_set_status(claim=claim, status="archived")
    fresh = client.get("/feed/")
    assert fresh["X-Ledger-Cache"] == "miss"
    assert "musk-contribution-to-openai" not in fresh.content.decode()


def test_api_reads_are_cached_and_invalidated(
    seeded, cache_on, client, django_capture_on_commit_callbacks
):
    url = "/api/claims/musk-contribution-to-openai/"
    assert client.get(url)["X-Ledger-Cache"] == "miss"
    assert client.get(url)["X-Ledger-Cache"] == "hit"
    assertion = Assertion.objects.filter(claim__slug="musk-contribution-to-openai").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.assertion_update(assertion=assertion, stance="qualifies")
    response = client.get(url)
    assert response["X-Ledger-Cache"] == "miss"
    stances = {a["id"]: a["stance"] for a in response.json()["assertions"]}
    assert stances[assertion.pk] == "qualifies"
