import hashlib

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from claims import services
from claims.models import (
    Assertion,
    Claim,
    ClaimStatus,
    Conflict,
    ConflictStatus,
    Quote,
    Stance,
)
from claims.search import claim_search_text, quote_search_text, search_claims
from domain.anchoring import context_around
from domain.text import normalize_text, sha256_of
from seeds.synthetic import ACTIVE_LIMIT, Scale, assertion_weights, generate_ledger
from sources.models import Source
from sources.services import source_search_text

pytestmark = pytest.mark.django_db
SMALL = Scale(sources=50, quotes=400, claims=30)


def synthetic_claims():
    return Claim.objects.filter(slug__startswith="synthetic-")


def ledger_digest() -> str:
    digest = hashlib.sha256()
    for model in (Source, Quote, Claim, Assertion, Conflict):
        for row in model.objects.order_by("id").values_list():
            digest.update(repr(row).encode("utf-8"))
    return digest.hexdigest()


def digest_of_generated(seed: int) -> str:
    with transaction.atomic():
        generate_ledger(scale=SMALL, seed=seed)
        digest = ledger_digest()
        transaction.set_rollback(True)
    return digest


@pytest.fixture
def small_ledger(seeded):
    return generate_ledger(scale=SMALL, seed=7)


def test_it_makes_the_scale_asked_for_with_every_invariant_the_services_keep(small_ledger):
    assert small_ledger.created["sources"] == 50
    assert small_ledger.created["quotes"] == 400
    assert small_ledger.created["claims"] == 30
    assert Assertion.objects.filter(claim__in=synthetic_claims()).count() == 400
    sources = Source.objects.filter(url__contains="/synthetic/7/")
    assert sources.count() == 50
    for source in sources:
        assert source.text == normalize_text(source.text)
        assert source.sha256 == sha256_of(source.text)
        assert source.search_text == source_search_text(source.title, source.text)
    quotes = Quote.objects.select_related("source").filter(source__in=sources)
    assert quotes.count() == 400
    for quote in quotes:
        text = quote.source.text
        assert text[quote.start : quote.end] == quote.exact
        assert (quote.prefix, quote.suffix) == context_around(text, quote.start, quote.end)
        assert quote.search_text == quote_search_text(quote.exact)
    assert synthetic_claims().filter(status=ClaimStatus.PUBLISHED).exists()
    for claim in synthetic_claims().prefetch_related("subjects", "topics"):
        assert claim.search_text == claim_search_text(claim)
        claim.full_clean()
        sided = claim.assertions.exclude(stance=Stance.MENTIONS, value_kind="").exclude(
            stance=Stance.QUALIFIES, value_kind=""
        )
        assert sided.count() <= ACTIVE_LIMIT
    # The model's own validation, on a sample (it queries for every unique constraint).
    for model in (Source, Quote, Assertion):
        for instance in model.objects.order_by("-id")[:25]:
            instance.full_clean()


def test_conflicts_are_exactly_what_detection_finds(small_ledger):
    def state(claim):
        return sorted(
            claim.conflicts.values_list("first_id", "second_id", "status", "values_signature")
        )

    claims = list(synthetic_claims().filter(assertions__isnull=False).distinct())
    live = ["open", "confirmed"]
    flags = {claim.pk: claim.conflicts.filter(status__in=live).exists() for claim in claims}
    assert {claim.pk: claim.disputed for claim in claims} == flags and any(flags.values())
    before = {claim.pk: state(claim) for claim in claims}
    assert sum(len(rows) for rows in before.values()) > 0
    for claim in claims:
        services.conflicts_detect(claim=claim)
    assert {claim.pk: state(claim) for claim in claims} == before
    settled = Conflict.objects.filter(
        claim__in=claims, status__in=[ConflictStatus.DISMISSED, ConflictStatus.RESOLVED]
    )
    assert not settled.filter(note="")
    simplified = set(search_claims(synthetic_claims(), "马斯克").values_list("pk", flat=True))
    traditional = set(search_claims(synthetic_claims(), "馬斯克").values_list("pk", flat=True))
    assert simplified and simplified == traditional


def test_the_same_seed_gives_the_same_ledger_and_another_seed_another(seeded):
    first = digest_of_generated(seed=3)
    assert digest_of_generated(seed=3) == first
    assert digest_of_generated(seed=4) != first


def test_at_the_default_scale_some_claims_expect_a_thousand_assertions():
    scale = Scale()
    weights = assertion_weights(scale.claims)
    total = sum(weights)
    expected = [scale.quotes * w / total for w in weights]
    assert sum(count >= 1000 for count in expected) >= 20
    assert expected[-1] >= 1


def test_the_command_reports_and_refuses_a_seed_twice(seeded, capsys):
    args = ["--sources", "10", "--quotes", "30", "--claims", "5", "--seed", "9"]
    call_command("generate_ledger", *args)
    assert "quotes: 30 created" in capsys.readouterr().out
    with pytest.raises(CommandError, match="seed 9 is already"):
        call_command("generate_ledger", *args)
