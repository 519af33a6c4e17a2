import socket
import uuid

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache, caches
from django.db import transaction
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.urls import path
from django.utils.translation import get_language

from claims import services
from claims.cache import HIT_HEADER, cache_published
from claims.models import Claim, LedgerState
from tests.factories import make_claim, make_quote, make_source

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.urls(__name__),
    pytest.mark.usefixtures("published_cache"),
]


@cache_published()
def published_claims(request):
    """What a reader sees: each published claim with its number of assertions."""
    lines = [
        f"{claim.statement_en} [{claim.assertion_count}] {get_language()}"
        for claim in Claim.objects.published().with_counts().order_by("slug")
    ]
    return HttpResponse("\n".join(lines))


@cache_published()
def with_csrf_token(request):
    return HttpResponse(f"form {get_token(request)}")


urlpatterns = [
    path("claims/", published_claims),
    path("form/", with_csrf_token),
]


@pytest.fixture
def claim():
    claim = make_claim(slug="musk-funding", statement_en="How much did Musk give?")
    services.claim_set_status(claim=claim, status="in_review")
    return services.claim_set_status(claim=claim, status="published")


def read(client, url="/claims/", **headers):
    response = client.get(url, headers=headers)
    assert response.status_code == 200
    return response.content.decode(), response.get(HIT_HEADER)


def change_behind_the_services(claim, statement):
    Claim.objects.filter(pk=claim.pk).update(statement_en=statement)


def test_a_cached_response_is_served_until_the_generation_moves(client, claim):
    assert read(client) == ("How much did Musk give? [0] en", "miss")
    change_behind_the_services(claim, "Changed without the services")
    assert read(client) == ("How much did Musk give? [0] en", "hit")
    LedgerState.record_change()
    assert read(client) == ("Changed without the services [0] en", "miss")


def test_a_claim_change_through_the_services_invalidates(
    client, claim, django_capture_on_commit_callbacks
):
    read(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_update(claim=claim, statement_en="How much money did Musk give?")
    assert read(client) == ("How much money did Musk give? [0] en", "miss")


def test_an_assertion_change_through_the_services_invalidates(
    client, claim, django_capture_on_commit_callbacks
):
    quote = make_quote(make_source(), "4400万美元")
    assert read(client)[0] == "How much did Musk give? [0] en"
    with django_capture_on_commit_callbacks(execute=True):
        assertion = services.assertion_add(claim=claim, quote=quote, stance="supports")
    assert read(client) == ("How much did Musk give? [1] en", "miss")
    read(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.assertion_update(assertion=assertion, stance="contradicts")
    assert read(client)[1] == "miss"


def test_unpublishing_invalidates(client, claim, django_capture_on_commit_callbacks):
    read(client)
    with django_capture_on_commit_callbacks(execute=True):
        services.claim_set_status(claim=claim, status="in_review")
    assert read(client) == ("", "miss")


def test_a_write_that_rolls_back_leaves_the_cache_alone(client, claim):
    read(client)
    with transaction.atomic():
        services.claim_update(claim=claim, statement_en="Never committed")
        transaction.set_rollback(True)
    assert read(client) == ("How much did Musk give? [0] en", "hit")


def test_signed_in_readers_and_token_clients_are_never_served_or_stored(client, claim):
    staff = User.objects.create_user("editor", password="pw", is_staff=True)
    client.force_login(staff)
    assert read(client)[1] is None
    client.logout()
    assert read(client, Authorization="Token abc")[1] is None
    assert read(client)[1] == "miss"


def test_each_language_has_its_own_entry(client, claim):
    assert read(client, **{"Accept-Language": "zh-hans"}) == (
        "How much did Musk give? [0] zh-hans",
        "miss",
    )
    assert read(client, **{"Accept-Language": "en"}) == ("How much did Musk give? [0] en", "miss")
    assert read(client, **{"Accept-Language": "zh-hans"})[1] == "hit"


def test_query_strings_are_part_of_the_key(client, claim):
    read(client, "/claims/?page=1")
    assert read(client, "/claims/?page=2")[1] == "miss"
    assert read(client, "/claims/?page=1")[1] == "hit"


def test_a_page_with_a_per_visitor_csrf_token_is_not_stored(client):
    first, _ = read(client, "/form/")
    assert read(client, "/form/")[1] == "miss"
    assert first.startswith("form ")


def test_caching_is_off_without_a_shared_cache(client, claim, settings):
    settings.PUBLISHED_CACHE_SECONDS = 0
    read(client)
    change_behind_the_services(claim, "Seen at once")
    assert read(client) == ("Seen at once [0] en", None)


def test_a_lost_cache_only_costs_a_rebuild(client, claim):
    read(client)
    cache.clear()
    assert read(client) == ("How much did Musk give? [0] en", "miss")
    assert read(client)[1] == "hit"


def redis_is_up() -> bool:
    try:
        socket.create_connection(("127.0.0.1", 6379), timeout=0.5).close()
    except OSError:
        return False
    return True


@pytest.mark.skipif(not redis_is_up(), reason="needs Redis on 127.0.0.1:6379")
def test_with_redis(client, claim, settings, django_capture_on_commit_callbacks):
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            # Its own database: clearing it must not drop the scan tests' queued jobs.
            "LOCATION": "redis://127.0.0.1:6379/2",
            "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
        }
    }
    try:
        assert type(caches["default"]).__name__ == "RedisCache"
        assert read(client) == ("How much did Musk give? [0] en", "miss")
        change_behind_the_services(claim, "Changed without the services")
        assert read(client)[1] == "hit"
        with django_capture_on_commit_callbacks(execute=True):
            services.claim_update(claim=claim, statement_en="How much money did Musk give?")
        assert read(client) == ("How much money did Musk give? [0] en", "miss")
    finally:
        cache.clear()


def test_the_ledger_state_is_read_as_the_orm_reads_its_row(claim):
    """LedgerState.current reads its row in SQL; the ORM's values, zone included."""
    rows = LedgerState.objects.values_list("generation", "changed_at")
    published = rows.get(pk=LedgerState.PUBLISHED)
    assert LedgerState.current(public=True) == published
    assert LedgerState.current(public=False) == rows.get(pk=LedgerState.EVERY_CHANGE)
    assert published[1].utcoffset() is not None
    LedgerState.objects.all().delete()  # a flushed database: no change yet
    assert LedgerState.current(public=True) == (0,)
