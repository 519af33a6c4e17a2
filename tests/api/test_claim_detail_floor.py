"""The claim detail benchmark's SQL floor builds the very JSON the API answers, so that the
ratio between them (benchmarks/README.md) compares like with like."""

import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest
from django.db import connection

from benchmarks.claim_detail_sql import FLOOR
from claims import services
from claims.api.views import LedgerJSONRenderer
from claims.models import Claim, Position

pytestmark = [pytest.mark.django_db, pytest.mark.postgres]


def floor(claim: Claim) -> str:
    with connection.cursor() as cursor:
        cursor.execute(FLOOR, [claim.pk])
        return cursor.fetchone()[0]


def test_the_floor_query_builds_the_json_the_api_answers(anonymous, seeded):
    """Every published seed claim: values, key order and numbers' digits alike; only the
    whitespace between tokens differs, so the floor is re-rendered as the API renders."""
    rated = Position.objects.filter(claim__status="published").first()
    services.position_rate(position=rated, verdict="mostly_false", statement="Said so.")
    # A timestamp on a whole second is written without a fraction.
    Claim.objects.filter(pk=rated.claim_id).update(
        published_at=datetime(2024, 5, 1, 12, 0, 0, tzinfo=UTC)
    )
    claims = Claim.objects.published()
    assert claims.filter(positions__isnull=False, assertions__low__isnull=False).exists()
    for claim in claims:
        answered = anonymous.get(f"/api/claims/{claim.slug}/")
        assert answered.status_code == 200
        built = json.loads(floor(claim), parse_float=Decimal)
        assert LedgerJSONRenderer().render(built) == answered.content, claim.slug
