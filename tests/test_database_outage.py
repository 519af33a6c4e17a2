"""The database cut off for one request: a 503 with Retry-After, then 200 once it is back.

The connection is pointed at a port nothing listens on, so the next query fails to connect
the way it does when the database server is down or unreachable.
"""

import socket

import pytest
from django.db import connection

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def database_away():
    """Within the block the database cannot be reached; after it, it can again."""
    saved = {key: connection.settings_dict[key] for key in ("HOST", "PORT")}

    class Outage:
        def __enter__(self):
            connection.close()
            connection.settings_dict.update(HOST="127.0.0.1", PORT=str(closed_port()))

        def __exit__(self, *exc):
            connection.close()
            connection.settings_dict.update(saved)

    return Outage()


def test_api_answers_json_503_and_recovers(seeded, client, database_away, caplog):
    with database_away:
        response = client.get("/api/claims/")
    assert response.status_code == 503
    assert any(r.name == "ledger.middleware" and r.exc_info for r in caplog.records)
    assert response["Content-Type"] == "application/json"
    assert response.json()["detail"]
    assert int(response["Retry-After"]) > 0
    assert "no-store" in response["Cache-Control"]
    assert client.get("/api/claims/").status_code == 200


def test_reader_page_answers_plain_503_and_recovers(seeded, client, database_away):
    with database_away:
        response = client.get("/en/")
    assert response.status_code == 503
    assert response["Content-Type"].startswith("text/html")
    assert b"try again" in response.content
    assert int(response["Retry-After"]) > 0
    assert client.get("/en/").status_code == 200


def test_connection_closed_mid_request_answers_503(seeded, client, monkeypatch):
    """A connection that dies between two queries of one request."""
    from claims.api import views

    real = views.ClaimViewSet.get_queryset

    def cut_then_query(self):
        connection.connection.close()  # the socket goes; Django still holds the wrapper
        return real(self)

    monkeypatch.setattr(views.ClaimViewSet, "get_queryset", cut_then_query)
    response = client.get("/api/claims/")
    assert response.status_code == 503
    assert response.json()["detail"]
    monkeypatch.undo()
    assert client.get("/api/claims/").status_code == 200
