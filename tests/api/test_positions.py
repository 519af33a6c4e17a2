"""Positions over the API: the sides of a dispute, their ratings, filters, CSV and reviews."""

import threading
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connections

from claims import services
from claims.models import Claim, Conflict, ConflictStatus, Position, PositionRating
from domain.positions import find_positions
from tests.api.conftest import client_for
from tests.factories import make_claim, make_entity, make_quote, make_source, publish

pytestmark = pytest.mark.django_db


def usd(low, high=None, kind="exact"):
    high = low if high is None else high
    return services.interval_from({"low": low, "high": high, "kind": kind}, default_unit="USD")


def test_claim_detail_lists_its_positions(anonymous, ledger):
    body = anonymous.get("/api/claims/musk-gave/").json()
    first, second = ledger["assertions"]
    assert body["position_count"] == 2 and body["disputed"] is True
    assert [(p["label"], p["assertions"]) for p in body["positions"]] == [
        ("$44M", [first.pk]),
        ("$50M–$100M", [second.pk]),
    ]
    position = body["positions"][0]
    assert position["label_zh"] == "4400万美元"
    assert position["value"] == {"low": 44_000_000, "high": 44_000_000, "unit": "USD"}
    assert position["sources"] == [first.quote.source_id]
    assert position["rating"] is None and position["rated_evidence_changed"] is None


def test_agreeing_sources_make_one_position_and_no_dispute(anonymous, db):
    claim = make_claim(slug="agreed")
    source = make_source("甲说约1亿美元。乙说1亿美元。")
    for exact in ("甲说约1亿美元", "乙说1亿美元"):
        services.assertion_add(claim=claim, quote=make_quote(source, exact), stance="supports")
    publish(claim)
    body = anonymous.get("/api/claims/agreed/").json()
    assert body["position_count"] == 1 and body["disputed"] is False
    assert body["positions"][0]["label"] == "about $100M"


def test_claims_filter_by_number_of_positions(anonymous, ledger):
    assert [c["slug"] for c in anonymous.get("/api/claims/?positions=2").json()["results"]] == [
        "musk-gave"
    ]
    assert anonymous.get("/api/claims/?min_positions=3").json()["results"] == []
    assert anonymous.get("/api/claims/?positions=many").status_code == 400


def test_csv_carries_the_positions(anonymous, ledger):
    response = anonymous.get("/api/claims/?format=csv")
    header, row = response.content.decode().splitlines()[:2]
    assert "positions" in header.split(",")
    assert "$44M (1) | $50M–$100M (1)" in row


def test_an_editor_rates_a_position_and_the_rating_follows_changed_evidence(
    editor, reviewer, ledger
):
    claim = ledger["claim"]
    low = claim.positions.get(rank=0)
    with pytest.raises(PermissionDenied):
        services.position_rate(position=low, verdict="true", user=reviewer)
    rating = services.position_rate(
        position=low,
        verdict="mostly_true",
        statement="Musk gave $44 million",
        rationale="The filing says so.",
        user=editor,
    )
    assert rating.evidence_changed is False
    # A new figure joins that side: the rating stays with it, flagged for the editor.
    services.assertion_add(
        claim=claim,
        quote=make_quote(ledger["sources"][0], "不到4500万美元"),
        stance="supports",
        value=services.interval_from(
            {"high": 45_000_000, "kind": "upper_bound"}, default_unit="USD"
        ),
    )
    rating.refresh_from_db()
    assert rating.position is not None
    assert ledger["assertions"][0].pk in rating.position.assertion_ids
    assert rating.evidence_changed is True
    body = client_for(editor).get("/api/claims/musk-gave/").json()
    rated = [p for p in body["positions"] if p["rating"]]
    assert [(p["rating"], p["rated_evidence_changed"]) for p in rated] == [("mostly_true", True)]


def test_a_rating_is_kept_when_its_members_are_gone(editor, ledger):
    claim = ledger["claim"]
    rating = services.position_rate(
        position=claim.positions.get(rank=1), verdict="false", user=editor
    )
    services.assertion_delete(assertion=ledger["assertions"][1])
    rating.refresh_from_db()
    assert rating.position is None and rating.evidence_changed is True
    assert PositionRating.objects.filter(claim=claim).count() == 1


def test_merging_two_positions_dismisses_the_pairs_between_them(reviewer, ledger):
    claim = ledger["claim"]
    first, second = claim.positions.order_by("rank")
    with pytest.raises(ValidationError):
        services.positions_merge(first=first, second=second, note=" ", user=reviewer)
    assert claim.positions.count() == 2
    (merged,) = services.positions_merge(
        first=first, second=second, note="the same sum, reported twice", user=reviewer
    )
    assert sorted(merged.assertion_ids) == sorted(a.pk for a in ledger["assertions"])
    conflict = Conflict.objects.get(claim=claim)
    assert conflict.status == ConflictStatus.DISMISSED
    assert conflict.history.first().note == "the same sum, reported twice"
    claim.refresh_from_db()
    assert claim.disputed is False and claim.position_count == 1


def test_an_outlier_set_aside_leaves_the_positions(reviewer, ledger):
    claim = ledger["claim"]
    with pytest.raises(ValidationError):
        services.assertion_set_aside(assertion=ledger["assertions"][1], set_aside="outlier")
    services.assertion_set_aside(
        assertion=ledger["assertions"][1], set_aside="outlier", note="a typo in the source"
    )
    claim.refresh_from_db()
    assert claim.position_count == 1 and claim.disputed is False
    services.assertion_set_aside(assertion=ledger["assertions"][1], set_aside="")
    claim.refresh_from_db()
    assert claim.position_count == 2


def test_claimreviews_has_one_review_per_rated_position_and_the_claims_own(
    anonymous, editor, ledger
):
    position = ledger["claim"].positions.get(rank=0)
    services.position_rate(
        position=position,
        verdict="mostly_true",
        statement="Musk said he gave OpenAI exactly forty-four million US dollars in all",
        user=editor,
    )
    response = anonymous.get("/api/claims/musk-gave/claimreviews/")
    assert response.status_code == 200
    rated, overall = response.json()
    assert len(rated["claimReviewed"]) < 75 and rated["claimReviewed"].startswith("Musk said")
    assert rated["reviewRating"]["ratingValue"] == 4
    assert rated["itemReviewed"]["firstAppearance"]["url"] == "https://news.example/a"
    assert [w["url"] for w in rated["itemReviewed"]["appearance"]] == ["https://news.example/a"]
    assert overall["claimReviewed"] == "How much did Musk give?"


def test_drafts_positions_stay_private(anonymous, reviewer_client, ledger):
    assert anonymous.get("/api/claims/draft-claim/").status_code == 404
    assert reviewer_client.get("/api/claims/draft-claim/").json()["positions"] == []


def test_claim_detail_reads_positions_in_a_fixed_number_of_queries(
    anonymous, ledger, django_assert_max_num_queries
):
    claim = ledger["claim"]
    source = make_source("; ".join(f"说法{i}: {i + 1}亿美元" for i in range(30)))
    for i in range(30):
        services.assertion_add(
            claim=claim, quote=make_quote(source, f"说法{i}: {i + 1}亿美元"), stance="supports"
        )
    assert Position.objects.filter(claim=claim).count() > 30
    with django_assert_max_num_queries(12):
        assert anonymous.get("/api/claims/musk-gave/").status_code == 200


# Concurrency: positions and conflicts are decided under the claim's lock


def _stored_state(claim):
    conflicts = sorted(
        Conflict.objects.filter(claim=claim).values_list("first_id", "second_id", "status")
    )
    positions = sorted(tuple(p) for p in claim.positions.values_list("assertion_ids", flat=True))
    return conflicts, positions, Claim.objects.get(pk=claim.pk).disputed


def _add_at_once(claim, quotes_and_amounts) -> list[Exception]:
    """Each quote linked with its amount by its own thread and connection, all at once."""
    barrier = threading.Barrier(len(quotes_and_amounts))
    errors = []

    def add(quote, amount):
        try:
            barrier.wait()
            services.assertion_add(
                claim=claim, quote=quote, stance="supports", value=usd(amount * 1_000_000)
            )
        except Exception as error:  # reported by the caller
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=add, args=pair) for pair in quotes_and_amounts]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_conflicting_adds_leave_what_a_recomputation_finds():
    amounts = [Decimal(10 + 7 * i) for i in range(20)]  # pairwise apart: every pair conflicts
    text = " ".join(f"第{i}种说法是{a}百万美元。" for i, a in enumerate(amounts))
    for attempt in range(20):
        source = make_source(f"第{attempt}篇。{text}")
        claim = make_claim(slug=f"race-{attempt}")
        quotes = [make_quote(source, f"第{i}种说法是{a}百万美元") for i, a in enumerate(amounts)]
        errors = _add_at_once(claim, list(zip(quotes, amounts, strict=True)))
        assert errors == [], (attempt, errors)
        conflicts, positions, disputed = _stored_state(claim)
        assert len(conflicts) == 190, attempt
        services.conflicts_detect(claim=claim)
        services.positions_refresh(claim_id=claim.pk)
        assert _stored_state(claim) == (conflicts, positions, disputed), attempt
        assert len(positions) == 20 and disputed is True


def test_stored_positions_match_the_pure_rule_on_the_seeds(seeded):
    for claim in Claim.objects.all():
        evidence, dismissed, set_aside, marked = services._position_evidence(claim)
        found = find_positions(claim.kind, evidence, dismissed, set_aside, marked)
        stored = [p.assertion_ids for p in claim.positions.order_by("rank")]
        assert stored == [list(p.members) for p in found], claim.slug
        assert claim.position_count == len(found)


# Rewording a published claim


def test_a_reviewer_rewording_a_published_claim_sends_it_back_to_review(
    anonymous, reviewer_client, ledger
):
    claim = ledger["claim"]
    response = reviewer_client.patch(
        "/api/claims/musk-gave/",
        {"statement_en": "Did Musk give nothing at all?"},
        format="json",
        HTTP_IF_MATCH=f'"{claim.pk}-{claim.version}"',
    )
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == "in_review"
    assert response.json()["verdict"] == "mixed"  # kept, for the Editor to look at again
    assert anonymous.get("/api/claims/musk-gave/").status_code == 404


def test_an_editor_rewording_a_published_claim_keeps_it_published(editor_client, ledger):
    claim = ledger["claim"]
    response = editor_client.patch(
        "/api/claims/musk-gave/",
        {"statement_en": "How much money did Musk give OpenAI?"},
        format="json",
        HTTP_IF_MATCH=f'"{claim.pk}-{claim.version}"',
    )
    assert response.status_code == 200 and response.json()["status"] == "published"


def test_a_reviewers_note_on_a_published_claim_keeps_it_published(reviewer, ledger):
    claim = services.claim_update(claim=ledger["claim"], reviewer_notes="recheck", user=reviewer)
    assert claim.status == "published"
    with pytest.raises(ValidationError):
        services.claim_update(claim=claim, search_text="anything", user=reviewer)


def test_a_quotes_new_speaker_is_named_by_its_positions(ledger):
    khosla = make_entity(slug="vinod-khosla", name="Vinod Khosla")
    services.quote_set_speaker(quote=ledger["assertions"][0].quote, speaker=khosla)
    assert ledger["claim"].positions.get(rank=0).speakers == ["vinod-khosla"]
