"""Values go out exactly as they were given, and display texts refuse bidi controls."""

import json
from decimal import Decimal

import pytest

from tests.factories import make_quote

pytestmark = pytest.mark.django_db


def served_value(client, url) -> dict:
    response = client.get(url)
    assert response.status_code == 200
    return json.loads(response.content, parse_float=Decimal)["value"]


def add(client, ledger, value):
    quote = make_quote(ledger["sources"][0], "不到4500万美元")
    response = client.post(
        "/api/assertions/",
        {"claim": "musk-gave", "quote": quote.pk, "stance": "supports", "value": value},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return f"/api/assertions/{response.json()['id']}/"


def test_decimals_are_served_with_their_digits(reviewer_client, ledger):
    url = add(reviewer_client, ledger, {"low": "1234.5678", "high": "2500.5", "kind": "range"})
    value = served_value(reviewer_client, url)
    assert (value["low"], value["high"]) == (Decimal("1234.5678"), Decimal("2500.5"))
    assert b'"high":2500.5,' in reviewer_client.get(url).content


@pytest.mark.postgres
@pytest.mark.parametrize("number", ["9999999999999999999.9999", "-1234567890123456789.0001"])
def test_the_largest_decimals_are_served_exactly(reviewer_client, ledger, number):
    url = add(reviewer_client, ledger, {"low": number, "high": number, "kind": "exact"})
    value = served_value(reviewer_client, url)
    assert value["low"] == value["high"] == Decimal(number)
    # The claim's detail reads its assertions as rows: the same digits.
    claim = json.loads(reviewer_client.get("/api/claims/musk-gave/").content, parse_float=Decimal)
    assert Decimal(number) in {a["value"]["low"] for a in claim["assertions"] if a["value"]}
    assert b"e+" not in reviewer_client.get(url).content.lower()


def test_bounds_beyond_ten_to_the_nineteen_are_refused(reviewer_client, ledger):
    quote = make_quote(ledger["sources"][0], "不到4500万美元")
    for number in ["10000000000000000000.0001", "-10000000000000000001"]:
        response = reviewer_client.post(
            "/api/assertions/",
            {
                "claim": "musk-gave",
                "quote": quote.pk,
                "stance": "supports",
                "value": {"low": number, "high": number, "kind": "exact"},
            },
            format="json",
        )
        assert response.status_code == 400 and "low" in response.json()["value"]
