"""ClaimReview JSON-LD, OpenGraph, the Atom feed, and conditional GET."""

import json
import xml.etree.ElementTree as ET
from datetime import timedelta

import extruct
import pytest
from django.conf import settings
from django.utils import timezone

from claims import services
from claims.models import Alias, Claim, Position, PositionRating, Topic
from claims.web.claim_page import CARDS_PER_STANCE
from domain.intervals import exact
from domain.text import to_traditional
from tests.constants import M
from tests.factories import make_claim, make_entity, make_quote, make_source, publish

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"
LONG_STATEMENT = (
    "How much money did Elon Musk give OpenAI in its early years as a non-profit research lab?"
)


@pytest.fixture
def reviewed():
    """A published claim with a verdict and two sources, the earlier one quoting a speaker."""
    speaker = make_entity(slug="vinod-khosla", name="Vinod Khosla")
    early = make_source(
        "科斯拉说马斯克只出资4500万美元。",
        title="早期报道",
        outlet="日报",
        published_on="2024-03-18",
    )
    later = make_source("报道称马斯克出资1亿美元。", title="后来的报道", published_on="2024-11-19")
    claim = make_claim(
        slug="musk-money", statement_en=LONG_STATEMENT, statement_zh="马斯克出资多少?"
    )
    services.assertion_add(
        claim=claim,
        quote=make_quote(early, "马斯克只出资4500万美元", speaker=speaker),
        stance="supports",
        value=exact(45 * M, "USD"),
    )
    services.assertion_add(
        claim=claim,
        quote=make_quote(later, "马斯克出资1亿美元"),
        stance="supports",
        value=exact(100 * M, "USD"),
    )
    return publish(claim, verdict="mostly_false", rationale="Records show $45M.")


def json_ld(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200
    data = extruct.extract(
        response.content.decode(), base_url=f"http://testserver{url}", syntaxes=["json-ld"]
    )
    return data["json-ld"]


def test_claim_review_carries_googles_required_and_recommended_properties(client, reviewed):
    url = f"/en/claims/{reviewed.slug}/"
    [review] = json_ld(client, url)
    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["url"] == f"{settings.SITE_URL}{url}"
    assert 0 < len(review["claimReviewed"]) < 75
    assert LONG_STATEMENT.startswith(review["claimReviewed"].rstrip("…"))
    assert review["datePublished"] == reviewed.published_at.date().isoformat()
    assert review["author"]["@type"] == "Organization" and review["author"]["name"]
    rating = review["reviewRating"]
    assert rating["@type"] == "Rating"
    assert rating["alternateName"] == "Mostly false"
    assert (rating["ratingValue"], rating["bestRating"], rating["worstRating"]) == (2, 5, 1)
    item = review["itemReviewed"]
    assert item["@type"] == "Claim"
    assert item["author"] == {"@type": "Person", "name": "Vinod Khosla"}
    assert item["datePublished"] == "2024-03-18"
    assert item["firstAppearance"]["headline"] == "早期报道"
    assert {work["headline"] for work in item["appearance"]} == {"早期报道", "后来的报道"}
    sources = f"{settings.SITE_URL}/en/sources/"
    assert all(work["url"].startswith(sources) for work in item["appearance"])


def test_claim_review_follows_the_reader_language(client, reviewed):
    [review] = json_ld(client, f"/zh-hans/claims/{reviewed.slug}/")
    # Chinese pages close a Chinese statement with full-width punctuation.
    assert review["claimReviewed"] == "马斯克出资多少？"
    assert review["reviewRating"]["alternateName"] == "基本不实"
    assert review["inLanguage"] == "zh-hans"


def test_traditional_pages_review_in_traditional_script(client, seeded):
    """The ledger writes its Chinese in simplified script; a zh-hant page's reviews, the
    positions' and the claim's own, are in traditional, as the page's text is."""
    rated = PositionRating.objects.exclude(statement_zh="").select_related("claim")
    claim = next(r.claim for r in rated if r.claim.status == "published")
    simplified = json_ld(client, f"/zh-hans/claims/{claim.slug}/")
    traditional = json_ld(client, f"/zh-hant/claims/{claim.slug}/")
    assert len(simplified) == len(traditional) > 1
    for hans, hant in zip(simplified, traditional, strict=True):
        assert hant["inLanguage"] == "zh-hant"
        assert hant["claimReviewed"] == to_traditional(hans["claimReviewed"])
        assert hant.get("reviewBody") == (
            to_traditional(hans["reviewBody"]) if "reviewBody" in hans else None
        )
    assert any(
        hant["claimReviewed"] != hans["claimReviewed"]
        for hans, hant in zip(simplified, traditional, strict=True)
    )


def test_a_positions_review_names_its_statement_as_the_page_shows_it(client, seeded, editor):
    """Chinese punctuation, as on the page: a statement the ledger ends with an ASCII "?"
    reads "？" in the page's text and in its position review alike."""
    position = Position.objects.filter(claim__status="published").first()
    services.position_rate(
        position=position,
        verdict="mostly_false",
        statement="Did Musk give about $100M?",
        statement_zh="马斯克捐了约1亿美元?",
        user=editor,
    )
    url = f"/zh-hans/claims/{position.claim.slug}/"
    page = client.get(url).content.decode()
    named = {review["claimReviewed"] for review in json_ld(client, url)}
    assert "马斯克捐了约1亿美元？" in page
    assert "马斯克捐了约1亿美元？" in named
    assert "马斯克捐了约1亿美元?" not in named
    english = {review["claimReviewed"] for review in json_ld(client, url.replace("zh-hans", "en"))}
    assert "Did Musk give about $100M?" in english


def claim_review_of_the_api(client, slug):
    response = client.get(f"/api/claims/{slug}/claimreview/")
    assert response.status_code == 200
    return json.loads(response.content)


@pytest.mark.parametrize("mentions", [0, CARDS_PER_STANCE], ids=["short", "long"])
def test_claim_review_appears_first_where_a_source_asserts_the_claim(client, reviewed, mentions):
    """The page reads the review's sources with its quotes (a short claim) or apart from
    them (a long one): either way it must name the same first appearance and author as the
    API, skipping sources that only mention the claim."""
    for n in range(mentions):
        source = make_source(
            f"第{n}篇提到马斯克的报道。", title=f"提到 {n}", published_on="2025-01-02"
        )
        services.assertion_add(
            claim=reviewed, quote=make_quote(source, "马斯克"), stance="mentions"
        )
    early = reviewed.assertions.get(quote__speaker__isnull=False).quote.source
    later_in_it = make_quote(early, "4500万美元", speaker=make_entity(name="Someone Else"))
    services.assertion_add(claim=reviewed, quote=later_in_it, stance="supports")
    earliest = make_source("一篇提到马斯克的报道。", title="只是提到", published_on="2023-01-02")
    services.assertion_add(claim=reviewed, quote=make_quote(earliest, "马斯克"), stance="mentions")
    undated = make_source("无日期的报道称马斯克出资。", title="无日期")
    services.assertion_add(
        claim=reviewed, quote=make_quote(undated, "马斯克出资"), stance="supports"
    )
    [review] = json_ld(client, f"/en/claims/{reviewed.slug}/")
    item = review["itemReviewed"]
    assert item == claim_review_of_the_api(client, reviewed.slug)["itemReviewed"]
    assert item["firstAppearance"]["headline"] == "早期报道"
    assert item["author"] == {"@type": "Person", "name": "Vinod Khosla"}
    assert {work["headline"] for work in item["appearance"]} == {"早期报道", "后来的报道", "无日期"}


def test_every_seed_claim_review_on_its_page_is_the_apis(client, seeded):
    for claim in Claim.objects.published().exclude(verdict=""):
        *of_positions, review = json_ld(client, f"/en/claims/{claim.slug}/")
        assert review == claim_review_of_the_api(client, claim.slug)
        every = client.get(f"/api/claims/{claim.slug}/claimreviews/").json()
        assert of_positions == every[:-1]
        rated = [p for p in claim.positions.all() if p.ratings.exists()]
        assert len(of_positions) == len(rated)


def test_unproven_verdict_has_a_name_but_no_number(client, reviewed):
    claim = services.claim_set_verdict(claim=reviewed, verdict="unproven", rationale="Unclear.")
    [review] = json_ld(client, f"/en/claims/{claim.slug}/")
    assert review["reviewRating"]["alternateName"] == "Unproven"
    assert "ratingValue" not in review["reviewRating"]


def test_claim_without_verdict_has_no_claim_review(client):
    claim = publish(make_claim(slug="open-question"), verdict="")
    assert json_ld(client, f"/en/claims/{claim.slug}/") == []


def test_opengraph_tags(client, reviewed):
    response = client.get(f"/en/claims/{reviewed.slug}/")
    data = extruct.extract(
        response.content.decode(), base_url="http://testserver/", syntaxes=["opengraph"]
    )
    properties = dict(data["opengraph"][0]["properties"])
    assert properties["og:title"] == LONG_STATEMENT
    assert properties["og:url"] == f"{settings.SITE_URL}/en/claims/{reviewed.slug}/"
    assert properties["og:type"] == "article"
    assert "Records show $45M." in properties["og:description"]


def test_feed_marks_disputed_claims_and_orders_by_latest_event(client, reviewed):
    calm = publish(make_claim(slug="calm", statement_en="An undisputed claim?"))
    Claim.objects.filter(pk=calm.pk).update(published_at=timezone.now() + timedelta(hours=1))
    feed = ET.fromstring(client.get("/en/feed/").content)
    entries = [
        (e.find(f"{ATOM}title").text, e.find(f"{ATOM}link").get("href"))
        for e in feed.iter(f"{ATOM}entry")
    ]
    assert entries[0] == ("An undisputed claim?", f"{settings.SITE_URL}/en/claims/calm/")
    assert entries[1] == (
        f"Disputed: {LONG_STATEMENT}",
        f"{settings.SITE_URL}/en/claims/{reviewed.slug}/",
    )


def test_repeat_views_get_304_until_the_claim_changes(client, reviewed):
    url = f"/en/claims/{reviewed.slug}/"
    first = client.get(url)
    etag, modified = first["ETag"], first["Last-Modified"]
    assert "Cookie" in first["Vary"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert client.get(url, HTTP_IF_MODIFIED_SINCE=modified).status_code == 304
    chinese = url.replace("/en/", "/zh-hans/", 1)
    assert client.get(chinese, HTTP_IF_NONE_MATCH=etag).status_code == 200

    assertion = reviewed.assertions.first()
    services.assertion_update(assertion=assertion, value=exact(46 * M, "USD"))
    changed = client.get(url, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag


@pytest.mark.parametrize("path", ["/en/", "/en/sources/{source}/", "/en/entities/vinod-khosla/"])
def test_other_pages_get_304_on_repeat(client, reviewed, path):
    source = reviewed.assertions.first().quote.source_id
    url = path.format(source=source)
    etag = client.get(url)["ETag"]
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 304
    publish(make_claim(slug="another"))
    assert client.get(url, HTTP_IF_NONE_MATCH=etag).status_code == 200


@pytest.mark.parametrize(
    "change",
    [
        lambda entity: Alias.objects.create(entity=entity, name="科斯拉"),
        lambda entity: entity.delete(),
        lambda entity: Topic.objects.create(slug="new-topic", name="New topic"),
    ],
    ids=["alias added", "entity deleted", "topic added"],
)
def test_index_etag_moves_on_with_edits_made_outside_the_services(client, reviewed, change):
    # The admin saves entities, aliases and topics directly.
    entity = make_entity(slug="vinod-k", name="Vinod K")
    etag = client.get("/en/")["ETag"]
    change(entity)
    assert client.get("/en/", HTTP_IF_NONE_MATCH=etag).status_code == 200
