"""When Redis cannot be reached, readers get slower answers, never wrong ones.

Cached entries are keyed by the ledger's generation as the database holds it, so a write
whose app server cannot reach Redis still makes every older entry unreachable, and with no
cache at all every page and endpoint is built afresh.
"""

import socket

import pytest
from django.core.cache import caches
from django.test import Client

from claims import services
from claims.models import Claim
from tests.factories import publish

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("published_cache")]

UNREACHABLE = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens on port 1
        "OPTIONS": {
            "IGNORE_EXCEPTIONS": True,
            "SOCKET_CONNECT_TIMEOUT": 0.25,
            "SOCKET_TIMEOUT": 0.25,
        },
    }
}
SLUG = "musk-contribution-to-openai"


def redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


def reader_urls():
    claim = Claim.objects.get(slug=SLUG)
    source = claim.assertions.select_related("quote").first().quote.source_id
    entity = claim.subjects.first().slug
    return [
        "/en/",
        "/en/?disputed=yes",
        f"/en/claims/{SLUG}/",
        f"/en/sources/{source}/",
        f"/en/entities/{entity}/",
        "/en/feed/",
        "/api/claims/",
        f"/api/claims/{SLUG}/",
        f"/api/claims/{SLUG}/claimreview/",
        "/api/sources/",
        "/api/quotes/",
        "/api/assertions/",
        "/api/conflicts/",
        "/api/entities/",
        "/api/topics/",
        "/api/schema/",
    ]


def test_every_page_and_endpoint_answers_with_the_cache_unreachable(seeded, settings):
    settings.CACHES = UNREACHABLE
    urls = reader_urls()
    for _ in range(2):
        for url in urls:
            response = Client().get(url)
            assert response.status_code == 200, url
            assert response.get("X-Ledger-Cache") != "hit", url
    claim = Claim.objects.get(slug=SLUG)
    services.claim_update(claim=claim, statement_en="Changed while Redis is down?")
    assert "Changed while Redis is down?" in Client().get(f"/en/claims/{SLUG}/").content.decode()
    assert "Changed while Redis is down?" in Client().get("/api/claims/").content.decode()


def write_with_the_cache_unreachable(settings, capture_on_commit, write):
    """A write, and what runs at its commit, on an app server that cannot reach Redis."""
    working = settings.CACHES
    settings.CACHES = UNREACHABLE
    try:
        with capture_on_commit(execute=True):
            write()
    finally:
        settings.CACHES = working


@pytest.mark.parametrize(
    "url", ["/en/", f"/en/claims/{SLUG}/", "/en/feed/", f"/api/claims/{SLUG}/"]
)
def test_a_cached_answer_does_not_survive_an_unpublish_the_cache_never_heard_of(
    seeded, settings, django_capture_on_commit_callbacks, url
):
    reader = Client()
    assert reader.get(url)["X-Ledger-Cache"] == "miss"
    assert reader.get(url)["X-Ledger-Cache"] == "hit"
    claim = Claim.objects.get(slug=SLUG)
    write_with_the_cache_unreachable(
        settings,
        django_capture_on_commit_callbacks,
        lambda: services.claim_set_status(claim=claim, status="in_review"),
    )
    response = reader.get(url)
    assert response.get("X-Ledger-Cache") != "hit"
    if url.startswith(f"/en/claims/{SLUG}/") or url.startswith("/api/claims/"):
        assert response.status_code == 404
    else:
        assert SLUG not in response.content.decode()


def test_a_cached_answer_does_not_survive_a_publish_the_cache_never_heard_of(
    seeded, settings, django_capture_on_commit_callbacks
):
    claim = Claim.objects.get(slug=SLUG)
    services.claim_set_status(claim=claim, status="in_review")
    reader = Client()
    reader.get("/en/")
    assert reader.get("/en/")["X-Ledger-Cache"] == "hit"
    write_with_the_cache_unreachable(
        settings, django_capture_on_commit_callbacks, lambda: publish(claim, verdict=None)
    )
    fresh = reader.get("/en/")
    assert fresh["X-Ledger-Cache"] == "miss" and SLUG in fresh.content.decode()


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_with_redis_a_page_cached_before_an_unpublish_by_a_cut_off_writer_is_not_served(
    seeded, settings, django_capture_on_commit_callbacks
):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:6379/7",
            "OPTIONS": {"IGNORE_EXCEPTIONS": True},
        }
    }
    caches["default"].clear()
    try:
        url = f"/en/claims/{SLUG}/"
        assert Client().get(url)["X-Ledger-Cache"] == "miss"
        assert Client().get(url)["X-Ledger-Cache"] == "hit"
        claim = Claim.objects.get(slug=SLUG)
        write_with_the_cache_unreachable(
            settings,
            django_capture_on_commit_callbacks,
            lambda: services.claim_set_status(claim=claim, status="in_review"),
        )
        assert Client().get(url).status_code == 404
    finally:
        caches["default"].clear()
