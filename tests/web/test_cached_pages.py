import pytest
from django.test import Client

from claims import services
from claims.models import Assertion, Claim


def test_the_feed_is_served_from_cache_until_the_ledger_changes(
    seeded, published_cache, client, django_capture_on_commit_callbacks
):
    assert client.get("/en/feed/")["X-Ledger-Cache"] == "miss"
    assert client.get("/en/feed/")["X-Ledger-Cache"] == "hit"
    claim = Claim.objects.get(slug="musk-contribution-to-openai")
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_set_status(claim=claim, status="archived")
    fresh = client.get("/en/feed/")
    assert fresh["X-Ledger-Cache"] == "miss"
    assert "musk-contribution-to-openai" not in fresh.content.decode()


def test_api_reads_are_cached_and_invalidated(
    seeded, published_cache, client, django_capture_on_commit_callbacks
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


@pytest.mark.parametrize(
    "path", ["/en/", "/en/claims/musk-contribution-to-openai/", "/en/entities/openai/"]
)
def test_pages_are_shared_between_anonymous_readers_without_cookies(seeded, published_cache, path):
    first, second = Client(), Client()
    response = first.get(path)
    assert response.status_code == 200 and response["X-Ledger-Cache"] == "miss"
    assert not response.cookies, "a cookie would make the page per-visitor"
    assert second.get(path)["X-Ledger-Cache"] == "hit"


def test_a_cached_page_changes_when_its_claim_does(
    seeded, published_cache, client, django_capture_on_commit_callbacks
):
    url = "/en/claims/musk-contribution-to-openai/"
    client.get(url)
    assert client.get(url)["X-Ledger-Cache"] == "hit"
    claim = Claim.objects.get(slug="musk-contribution-to-openai")
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_update(claim=claim, statement_en="How much did Musk give OpenAI, in USD?")
    fresh = client.get(url)
    assert fresh["X-Ledger-Cache"] == "miss"
    assert "How much did Musk give OpenAI, in USD?" in fresh.content.decode()


def test_each_language_has_its_own_cached_page(seeded, published_cache):
    reader = Client()
    assert "Contested claims" in reader.get("/en/").content.decode()
    chinese = reader.get("/zh-hans/")
    assert chinese["X-Ledger-Cache"] == "miss" and "争议说法" in chinese.content.decode()
    traditional = reader.get("/zh-hant/")
    assert traditional["X-Ledger-Cache"] == "miss" and "爭議說法" in traditional.content.decode()
    assert reader.get("/zh-hans/")["X-Ledger-Cache"] == "hit"
    assert "Contested claims" in Client().get("/en/").content.decode()


def test_with_a_shared_cache_the_index_etag_follows_the_ledger_generation(
    seeded, published_cache, client, django_capture_on_commit_callbacks
):
    etag = client.get("/en/")["ETag"]
    assert client.get("/en/", HTTP_IF_NONE_MATCH=etag).status_code == 304
    assertion = Assertion.objects.filter(claim__status="published").first()
    with django_capture_on_commit_callbacks(execute=True):
        services.assertion_update(assertion=assertion, stance="qualifies")
    fresh = client.get("/en/", HTTP_IF_NONE_MATCH=etag)
    assert fresh.status_code == 200 and fresh["ETag"] != etag
