"""The user who made an API write is the one its history names (token auth included)."""

import pytest

from claims.models import Assertion, Claim, Conflict, Quote
from tests.api.conftest import if_match

pytestmark = pytest.mark.django_db


def test_a_claim_made_over_the_api_names_its_reviewer(reviewer, reviewer_client):
    body = {"slug": "odds", "statement_en": "What odds?", "kind": "text"}
    assert reviewer_client.post("/api/claims/", body, format="json").status_code == 201
    assert Claim.objects.get(slug="odds").history.get().history_user == reviewer


def test_every_write_of_an_evidence_chain_names_its_reviewer(reviewer, reviewer_client, ledger):
    source = ledger["sources"][0]
    response = reviewer_client.post(
        "/api/quotes/", {"source": source.pk, "exact": "不到4500万美元"}, format="json"
    )
    assert response.status_code == 201, response.json()
    quote = Quote.objects.get(pk=response.json()["id"])
    response = reviewer_client.post(
        "/api/assertions/",
        {"claim": "musk-gave", "quote": quote.pk, "stance": "mentions"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    assertion = Assertion.objects.get(pk=response.json()["id"])
    url = f"/api/assertions/{assertion.pk}/"
    response = reviewer_client.patch(
        url, {"note": "checked"}, format="json", **if_match(reviewer_client, url)
    )
    assert response.status_code == 200, response.json()
    conflict = ledger["conflict"]
    url = f"/api/conflicts/{conflict.pk}/"
    response = reviewer_client.patch(
        url,
        {"status": "dismissed", "note": "two counts"},
        format="json",
        **if_match(reviewer_client, url),
    )
    assert response.status_code == 200, response.json()
    written = [
        quote.history.first(),
        assertion.history.first(),
        Conflict.objects.get(pk=conflict.pk).history.first(),
    ]
    assert [record.history_user for record in written] == [reviewer] * 3


def test_the_seed_loader_and_scripts_write_as_no_one(ledger):
    assert ledger["claim"].history.first().history_user is None
