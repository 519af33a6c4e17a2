"""Changes need If-Match: without it 428, with a stale one 412, and nothing is saved."""

import pytest

from claims.models import Assertion, Claim, Conflict, ConflictStatus

pytestmark = pytest.mark.django_db


def editable(ledger):
    """Each editable kind of object: its URL, a change to it, and how to read it back."""
    first = ledger["assertions"][0]
    conflict = ledger["conflict"]
    return [
        (
            "/api/claims/draft-claim/",
            {"statement_zh": "未发布?"},
            lambda: Claim.objects.get(slug="draft-claim").statement_zh,
        ),
        (
            f"/api/assertions/{first.pk}/",
            {"stance": "qualifies"},
            lambda: Assertion.objects.get(pk=first.pk).stance,
        ),
        (
            f"/api/conflicts/{conflict.pk}/",
            {"status": "confirmed"},
            lambda: Conflict.objects.get(pk=conflict.pk).status,
        ),
    ]


def test_a_change_without_if_match_answers_428_with_the_current_etag(reviewer_client, ledger):
    for url, change, read in editable(ledger):
        before = read()
        etag = reviewer_client.get(url)["ETag"]
        response = reviewer_client.patch(url, change, format="json")
        assert response.status_code == 428, url
        body = response.json()
        assert "If-Match" in body["detail"] and body["etag"] == etag == response["ETag"]
        assert read() == before
        assert (
            reviewer_client.patch(url, change, format="json", HTTP_IF_MATCH=etag).status_code == 200
        )


@pytest.mark.parametrize("url", ["/api/claims/draft-claim/", "/api/assertions/FIRST/"])
def test_put_without_if_match_answers_428(reviewer_client, ledger, url):
    url = url.replace("FIRST", str(ledger["assertions"][0].pk))
    body = {"slug": "draft-claim", "statement_en": "Overwritten?", "kind": "text"}
    body = body if "claims" in url else {"stance": "mentions"}
    assert reviewer_client.put(url, body, format="json").status_code == 428


def test_a_conflict_has_an_etag_and_a_stale_one_answers_412(reviewer_client, ledger):
    url = f"/api/conflicts/{ledger['conflict'].pk}/"
    etag = reviewer_client.get(url)["ETag"]
    assert etag.startswith(f'"{ledger["conflict"].pk}-')
    response = reviewer_client.patch(
        url, {"status": "confirmed"}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200
    assert response["ETag"] != etag and response["ETag"] == reviewer_client.get(url)["ETag"]
    stale = reviewer_client.patch(
        url, {"status": "resolved", "note": "late"}, format="json", HTTP_IF_MATCH=etag
    )
    assert stale.status_code == 412
    assert stale["ETag"] == response["ETag"]
    assert Conflict.objects.get(pk=ledger["conflict"].pk).status == ConflictStatus.CONFIRMED


def test_a_change_that_changes_nothing_keeps_the_version(reviewer_client, ledger):
    first = ledger["assertions"][0]
    for url, change in [
        ("/api/claims/musk-gave/", {"statement_en": "How much did Musk give?", "unit": "USD"}),
        (
            f"/api/assertions/{first.pk}/",
            {"stance": "supports", "note": "a reviewer's doubt"},
        ),
        (f"/api/conflicts/{ledger['conflict'].pk}/", {"status": "open"}),
    ]:
        etag = reviewer_client.get(url)["ETag"]
        response = reviewer_client.patch(url, change, format="json", HTTP_IF_MATCH=etag)
        assert response.status_code == 200, response.json()
        assert response["ETag"] == etag == reviewer_client.get(url)["ETag"], url
    assert Claim.objects.get(slug="musk-gave").version == ledger["claim"].version
    assert Assertion.objects.get(pk=first.pk).version == first.version


def test_the_same_value_set_again_by_a_reviewer_keeps_the_version(reviewer_client, ledger):
    first = ledger["assertions"][0]
    url = f"/api/assertions/{first.pk}/"
    etag = reviewer_client.get(url)["ETag"]
    value = {"low": 44_000_000, "high": 44_000_000, "kind": "exact", "text": "4400万美元"}
    response = reviewer_client.patch(url, {"value": value}, format="json", HTTP_IF_MATCH=etag)
    assert response["ETag"] == etag
    response = reviewer_client.patch(
        url, {"value": {**value, "text": "4400万"}}, format="json", HTTP_IF_MATCH=etag
    )
    assert response.status_code == 200 and response["ETag"] != etag
