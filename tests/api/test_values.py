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


# Display texts


BIDI_CONTROLS = [chr(c) for c in [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]]


@pytest.mark.parametrize("control", BIDI_CONTROLS, ids=[f"U+{ord(c):04X}" for c in BIDI_CONTROLS])
def test_bidi_controls_are_refused_in_statements_and_titles(reviewer_client, ledger, control):
    spoofed = f"Did Musk give {control}001$ 0{chr(0x202C)} million?"
    response = reviewer_client.post(
        "/api/claims/",
        {"slug": "spoofed", "statement_en": "Fine?", "statement_zh": spoofed, "kind": "text"},
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["statement_zh"]
    assert f"U+{ord(control):04X}" in response.json()["statement_zh"][0]
    response = reviewer_client.post(
        "/api/sources/",
        {
            "title": f"News{control}",
            "text": f"Text {control} itself may hold it.",
            "language": "en",
        },
        format="json",
    )
    assert response.status_code == 400 and list(response.json()) == ["title"]
    url = "/api/claims/musk-gave/"
    etag = {"HTTP_IF_MATCH": reviewer_client.get(url)["ETag"]}
    response = reviewer_client.patch(url, {"statement_en": spoofed}, format="json", **etag)
    assert response.status_code == 400 and list(response.json()) == ["statement_en"]


def test_a_source_text_may_hold_bidi_controls(reviewer_client, db):
    text = "An Arabic name quoted in English: \u2067اسم\u2069."
    response = reviewer_client.post(
        "/api/sources/", {"title": "T", "text": text, "language": "en"}, format="json"
    )
    assert response.status_code == 201


# Units: a value is in its claim's unit, on every path


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ({"low": 5, "high": 5, "kind": "exact", "unit": "EUR"}, "this value is in EUR"),
        (
            {"low": "2018-02-01", "high": "2018-02-01", "kind": "exact", "unit": "date"},
            "this value is a date",
        ),
    ],
)
def test_a_value_in_another_unit_than_the_claims_is_refused(reviewer_client, ledger, value, words):
    quote = make_quote(ledger["sources"][0], "不到4500万美元")
    response = reviewer_client.post(
        "/api/assertions/",
        {"claim": "musk-gave", "quote": quote.pk, "stance": "supports", "value": value},
        format="json",
    )
    assert response.status_code == 400
    assert list(response.json()) == ["value.unit"]
    message = response.json()["value.unit"][0]
    assert words in message and "the claim is in USD" in message
    assert not quote.assertions.exists()


def test_a_value_in_another_unit_is_refused_on_update(reviewer_client, ledger):
    url = add(reviewer_client, ledger, {"low": 1, "high": 2, "kind": "range"})
    etag = {"HTTP_IF_MATCH": reviewer_client.get(url)["ETag"]}
    value = {"low": 1, "high": 2, "kind": "range", "unit": "CNY"}
    response = reviewer_client.patch(url, {"value": value}, format="json", **etag)
    assert response.status_code == 400 and "this value is in CNY" in str(response.json())
