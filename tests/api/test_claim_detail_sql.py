"""PostgreSQL builds a reader's claim detail in one query (claims.api.detail_sql); reviewers
and SQLite get it from claim_detail_row. The two must answer the same bytes."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from claims import services
from claims.api.detail_sql import published_claim_detail
from claims.api.serializers import claim_detail_row
from claims.api.views import LedgerJSONRenderer
from claims.models import Claim, ClaimKind, Position

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def render(document: dict) -> bytes:
    return LedgerJSONRenderer().render(document)


@pytest.fixture
def rated(seeded, editor):
    """A published seed claim's position with a rating, and a claim published on a whole
    second (written without a fraction)."""
    position = Position.objects.filter(claim__status="published").first()
    services.position_rate(position=position, verdict="mostly_false", statement="Said so.")
    Claim.objects.filter(pk=position.claim_id).update(
        published_at=datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    )
    return position


def test_postgresql_builds_the_detail_claim_detail_row_shapes(rated):
    """Every published seed claim: values, key order and numbers' digits alike."""
    claims = Claim.objects.published()
    assert claims.filter(positions__isnull=False, assertions__low__isnull=False).exists()
    # Dates are written as dates, amounts as numbers: both kinds are among them.
    assert claims.filter(kind=ClaimKind.DATE, assertions__low__isnull=False).exists()
    for claim in claims:
        document, pk, version = published_claim_detail(claim.slug)
        assert (pk, version) == (claim.pk, claim.version)
        assert render(document) == render(claim_detail_row(claim, reviewer=False)), claim.slug


def test_postgresql_finds_published_claims_only(seeded):
    draft = Claim.objects.exclude(status="published").first()
    assert draft is not None
    assert published_claim_detail(draft.slug) is None
    assert published_claim_detail("no-such-claim") is None


def test_readers_get_the_detail_postgresql_builds(anonymous, rated):
    claim = Claim.objects.get(pk=rated.claim_id)
    answered = anonymous.get(f"/api/claims/{claim.slug}/")
    assert answered.status_code == 200
    assert answered.content == render(published_claim_detail(claim.slug)[0])
    assert answered["ETag"] == f'"{claim.pk}-{claim.version}"'


def test_readers_get_no_draft_and_reviewers_do(anonymous, reviewer_client, seeded):
    draft = Claim.objects.exclude(status="published").first()
    hidden = anonymous.get(f"/api/claims/{draft.slug}/")
    assert hidden.status_code == 404
    assert hidden.json() == {"detail": "No Claim matches the given query."}
    shown = reviewer_client.get(f"/api/claims/{draft.slug}/")
    assert shown.status_code == 200
    assert shown.json()["status"] == draft.status


def test_a_rating_label_is_english_whatever_the_client_accepts(anonymous, reviewer_client, rated):
    slug = Claim.objects.get(pk=rated.claim_id).slug
    for client in (anonymous, reviewer_client):
        answered = client.get(f"/api/claims/{slug}/", HTTP_ACCEPT_LANGUAGE="zh-hans")
        shown = json.loads(answered.content, parse_float=Decimal)
        ratings = {p["id"]: p["rating_label"] for p in shown["positions"]}
        assert ratings[rated.pk] == "Mostly false"
