"""Identical requests at the same moment answer as they would one after another.

Each test sends its requests from threads released together by a barrier, each thread
with its own client and database connection, and repeats the race to give it many chances
to interleave. PostgreSQL only: SQLite serialises every write.
"""

import threading

import pytest
from django.contrib.auth.models import Group, Permission
from django.db import connection

from claims.roles import REVIEWER, sync_roles
from tests.api.conftest import client_for, make_user
from tests.factories import make_source

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


def at_once(clients: list, request) -> list:
    """`request(client)` sent with each client from its own thread, all at once."""
    barrier = threading.Barrier(len(clients))
    responses = [None] * len(clients)

    def run(index, client):
        try:
            barrier.wait()
            responses[index] = request(client)
        finally:
            connection.close()

    threads = [
        threading.Thread(target=run, args=(index, client)) for index, client in enumerate(clients)
    ]
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
            clients, lambda client, body=body: client.post("/api/sources/", body, format="json")
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
            clients, lambda client, body=body: client.post("/api/quotes/", body, format="json")
        )
        for response in responses:
            assert_no_sql(response)
        created = [r for r in responses if r.status_code == 201]
        assert len(created) == 1, [r.status_code for r in responses]
        refused = [r for r in responses if r.status_code != 201]
        assert {r.status_code for r in refused} == {400}
        quote = created[0].json()["id"]
        assert {r.json()["exact"][0] for r in refused} == {f"this passage is already quote {quote}"}
