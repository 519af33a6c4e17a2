"""Identical requests at the same moment answer as they would one after another.

Each test sends its requests from threads released together by a barrier, each thread
with its own client and database connection, and repeats the race to give it many chances
to interleave. PostgreSQL only: SQLite serialises every write.
"""

import threading
from functools import partial

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection

from claims import services
from claims.models import Conflict
from claims.roles import REVIEWER, sync_roles
from tests.api.conftest import client_for
from tests.factories import make_claim, make_quote, make_source, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

THREADS = 20
ROUNDS = 20


@pytest.fixture
def reviewer_in_threads(transactional_db):
    # A transactional test empties the tables after it, the groups' rows included.
    sync_roles(Group, Permission)
    return make_user("rita", REVIEWER)


def clients_for(user) -> list:
    """One client per thread, answering a server error as a 500 response, not by raising."""
    clients = [client_for(user) for _ in range(THREADS)]
    for client in clients:
        client.raise_request_exception = False
    return clients


def at_once(requests: list) -> list:
    """Each of `requests` (a call that answers a response) from its own thread, all at once."""
    barrier = threading.Barrier(len(requests))
    responses = [None] * len(requests)

    def run(index, request):
        try:
            barrier.wait()
            responses[index] = request()
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return responses


def assert_no_sql(response):
    text = response.content.decode().lower()
    for word in ("duplicate key", "constraint", "database", "integrity"):
        assert word not in text, text


def test_identical_sources_at_once_are_one_source(reviewer_in_threads):
    clients = clients_for(reviewer_in_threads)
    for round_ in range(ROUNDS):
        body = {"title": "Same", "text": f"同一篇文章,第{round_}次。", "language": "zh-Hans"}

        responses = at_once(
            [partial(client.post, "/api/sources/", body, format="json") for client in clients]
        )
        for response in responses:
            assert_no_sql(response)
        statuses = sorted(r.status_code for r in responses)
        assert statuses == [200] * (THREADS - 1) + [201], statuses
        assert len({r.json()["id"] for r in responses}) == 1
        assert sum(r.json()["already_existed"] for r in responses) == THREADS - 1


def test_identical_quotes_at_once_are_one_quote(reviewer_in_threads):
    source = make_source("".join(f"第{n}句。" for n in range(ROUNDS)))
    clients = clients_for(reviewer_in_threads)
    for round_ in range(ROUNDS):
        body = {"source": source.pk, "exact": f"第{round_}句"}

        responses = at_once(
            [partial(client.post, "/api/quotes/", body, format="json") for client in clients]
        )
        for response in responses:
            assert_no_sql(response)
        created = [r for r in responses if r.status_code == 201]
        assert len(created) == 1, [r.status_code for r in responses]
        refused = [r for r in responses if r.status_code != 201]
        assert {r.status_code for r in refused} == {400}
        quote = created[0].json()["id"]
        assert {r.json()["exact"][0] for r in refused} == {f"this passage is already quote {quote}"}


def test_two_reviewers_settling_one_conflict_with_one_etag_one_wins(reviewer_in_threads):
    source = make_source("甲报称4400万美元。乙报称1亿美元。")
    claim = make_claim(slug="settled-once")
    first, second = (
        services.assertion_add(
            claim=claim,
            quote=make_quote(source, exact),
            stance="supports",
            value=services.interval_from(
                {"low": n, "high": n, "kind": "exact"}, default_unit="USD"
            ),
        )
        for exact, n in [("4400万美元", 44_000_000), ("1亿美元", 100_000_000)]
    )
    conflict = Conflict.objects.get(first=first, second=second)
    url = f"/api/conflicts/{conflict.pk}/"
    clients = clients_for(reviewer_in_threads)[:2]
    for round_ in range(ROUNDS):
        services.conflict_set_status(conflict=Conflict.objects.get(pk=conflict.pk), status="open")
        etag = clients[0].get(url)["ETag"]
        settle = [
            {"status": "resolved", "note": f"both true at different dates ({round_})"},
            {"status": "dismissed", "note": f"the same amount in two currencies ({round_})"},
        ]
        responses = at_once(
            [
                partial(client.patch, url, change, format="json", HTTP_IF_MATCH=etag)
                for client, change in zip(clients, settle, strict=True)
            ]
        )
        assert sorted(r.status_code for r in responses) == [200, 412]
        winner = settle[[r.status_code for r in responses].index(200)]
        settled = Conflict.objects.get(pk=conflict.pk)
        assert (settled.status, settled.note) == (winner["status"], winner["note"])
