"""The API stands up to malformed parameters and bodies, and answers every error in JSON."""

import time

import pytest
from django.db import IntegrityError

from sources.models import Source

pytestmark = pytest.mark.django_db

OVERLONG = "x" * 100_000


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("/api/claims/", "q"),
        ("/api/sources/", "q"),
        ("/api/claims/", "entity"),
        ("/api/claims/", "topic"),
        ("/api/quotes/", "claim"),
        ("/api/quotes/", "speaker"),
        ("/api/assertions/", "claim"),
        ("/api/conflicts/", "claim"),
    ],
)
@pytest.mark.parametrize("value", ["a\x00b", OVERLONG], ids=["nul", "overlong"])
def test_malformed_filters_answer_400_naming_the_parameter(anonymous, ledger, url, name, value):
    response = anonymous.get(url, {name: value})
    assert response.status_code == 400
    assert list(response.json()) == [name]


# Bodies


def post_json(client, url, text):
    return client.post(url, text, content_type="application/json")


@pytest.mark.parametrize("depth", [1_000, 100_000])
def test_deeply_nested_json_answers_400(reviewer_client, ledger, depth):
    nested = "[" * depth + "]" * depth
    for body in [
        f'{{"slug": "deep", "statement_en": "Deep?", "kind": "text", "extra": {nested}}}',
        f'{{"slug": "deep", "statement_en": {nested}, "kind": "text"}}',
        nested,
    ]:
        response = post_json(reviewer_client, "/api/claims/", body)
        assert response.status_code == 400
        assert "nested" in response.json()["detail"]


@pytest.mark.parametrize(
    ("url", "body", "unknown"),
    [
        ("/api/claims/", {"slug": "new", "statement_en": "New?", "kind": "text"}, ["colour"]),
        ("/api/sources/", {"title": "T", "text": "Some text.", "language": "en"}, ["lang", "x"]),
        ("/api/quotes/", {"source": "SOURCE", "exact": "不到4500万美元"}, ["offset"]),
        ("/api/conflicts/", {"first": "FIRST", "second": "SECOND"}, ["reason"]),
    ],
)
def test_unknown_fields_in_a_write_are_refused_naming_them(
    reviewer_client, ledger, url, body, unknown
):
    first, second = ledger["assertions"]
    ids = {"SOURCE": ledger["sources"][0].pk, "FIRST": first.pk, "SECOND": second.pk}
    body = {name: ids.get(value, value) for name, value in body.items()}
    response = reviewer_client.post(url, {**body, **dict.fromkeys(unknown, 1)}, format="json")
    assert response.status_code == 400
    assert sorted(response.json()) == unknown
    assert reviewer_client.post(url, body, format="json").status_code in (200, 201)


def test_unknown_fields_of_a_value_or_a_change_are_refused(reviewer_client, ledger):
    url = f"/api/assertions/{ledger['assertions'][0].pk}/"
    etag = {"HTTP_IF_MATCH": reviewer_client.get(url)["ETag"]}
    value = {"low": 1, "high": 1, "kind": "exact", "currency": "USD"}
    response = reviewer_client.patch(url, {"value": value}, format="json", **etag)
    assert response.status_code == 400
    assert list(response.json()) == ["value"] and list(response.json()["value"]) == ["currency"]
    response = reviewer_client.patch(
        url, {"stance": "supports", "version": 9}, format="json", **etag
    )
    assert response.status_code == 400 and list(response.json()) == ["version"]
    # What a GET of a value shows may be sent back as it is.
    shown = reviewer_client.get(url).json()["value"]
    response = reviewer_client.patch(url, {"value": shown}, format="json", **etag)
    assert response.status_code == 200, response.json()


# Every error answers JSON


def test_a_server_error_answers_json_without_details(reviewer_client, ledger, monkeypatch):
    def fail(**fields):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("claims.services.claim_create", fail)
    reviewer_client.raise_request_exception = False
    response = reviewer_client.post(
        "/api/claims/", {"slug": "new", "statement_en": "New?", "kind": "text"}, format="json"
    )
    assert response.status_code == 500
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json() and "secret" not in response.content.decode()


@pytest.mark.parametrize("url", ["/api/nothing/", "/api/claims/not%20a%20slug/", "/api/nothing"])
def test_an_unknown_api_url_answers_json(anonymous, url):
    response = anonymous.get(url, follow=True)
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert "detail" in response.json()


def test_a_write_that_clashes_in_the_database_answers_409_without_sql(
    reviewer_client, ledger, monkeypatch
):
    def clash(**fields):
        raise IntegrityError('duplicate key value violates unique constraint "claim_slug_key"')

    monkeypatch.setattr("claims.services.claim_create", clash)
    response = reviewer_client.post(
        "/api/claims/", {"slug": "new", "statement_en": "New?", "kind": "text"}, format="json"
    )
    assert response.status_code == 409
    text = response.content.decode()
    assert "detail" in response.json() and "constraint" not in text and "duplicate" not in text


def test_a_value_the_database_refuses_answers_400_without_sql(reviewer_client, ledger, monkeypatch):
    from claims.models import Assertion
    from tests.factories import make_quote

    def refuse(**fields):
        raise IntegrityError('new row violates check constraint "assertion_low_not_above_high"')

    monkeypatch.setattr(Assertion.objects, "create", refuse)
    quote = make_quote(ledger["sources"][0], "不到4500万美元")
    response = reviewer_client.post(
        "/api/assertions/",
        {"claim": "musk-gave", "quote": quote.pk, "stance": "supports"},
        format="json",
    )
    assert response.status_code == 400
    assert response.json() == {"value": ["the database refused this value"]}


def test_an_import_takes_time_in_proportion_to_its_text(reviewer_client, ledger):
    """8,000 sentences with numbers (800 KB) once took 8.5 s to scan for suggestions, and a
    larger body outran the 30 s worker timeout: the scan was quadratic. Eight times the
    text must take about eight times as long (quadratic: 64), whatever the machine's load."""

    def import_time(sentences: int) -> float:
        text = "".join(
            f"据报道,马斯克在第{n}次会议上说他给了OpenAI {n}万美元。\n" for n in range(sentences)
        )
        started = time.monotonic()
        response = reviewer_client.post(
            "/api/sources/", {"title": "Long", "text": text, "language": "zh-Hans"}, format="json"
        )
        assert response.status_code == 201
        return time.monotonic() - started

    small, large = import_time(400), import_time(3200)
    assert large < 24 * small, f"400 sentences: {small:.2f} s, 3200: {large:.2f} s"


def test_a_refusal_is_said_in_the_language_the_client_asks_for(reviewer_client, seeded):
    source = Source.objects.first()
    body = {"source": source.pk, "exact": "来源里没有的一句话"}
    english = reviewer_client.post("/api/quotes/", body, format="json")
    chinese = reviewer_client.post(
        "/api/quotes/", body, format="json", HTTP_ACCEPT_LANGUAGE="zh-hans"
    )
    assert english.status_code == chinese.status_code == 400
    assert english.json() == {"exact": ["the text does not occur in the source"]}
    assert chinese.json() == {"exact": ["这段文字不在来源中"]}
