"""Search, the published-response cache and query counts over a generated ledger.

seeds.synthetic writes what a growing ledger holds: sources in simplified and traditional
Chinese and in English, quotes at their offsets, claims with skewed numbers of
assertions and conflicts. Search results are checked against a plain scan of the texts.
"""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims import services
from claims.cache import HIT_HEADER
from claims.models import Claim, Entity, Quote
from claims.search import query_terms, search_claims, search_quotes, search_sources
from domain.text import fold_for_search
from seeds.synthetic import Scale, generate_ledger
from sources.models import Language, Source

pytestmark = pytest.mark.django_db
SMALL = Scale(sources=50, quotes=400, claims=30)


@pytest.fixture
def generated(seeded):
    generate_ledger(scale=SMALL, seed=7)


def scanned(objects, text_of, query: str) -> set[int]:
    """The ids whose folded text holds any term the query stands for, found by reading all."""
    terms = query_terms(query)
    return {o.pk for o in objects if any(t in fold_for_search(text_of(o)) for t in terms)}


def ids(queryset) -> set[int]:
    return set(queryset.values_list("pk", flat=True))


@pytest.mark.parametrize(("simplified", "traditional"), [("马斯克", "馬斯克"), ("开源", "開源")])
def test_search_finds_both_scripts_whichever_is_asked(generated, simplified, traditional):
    quotes = Quote.objects.select_related("source")
    found = ids(search_quotes(Quote.objects.all(), simplified))
    assert found == ids(search_quotes(Quote.objects.all(), traditional))
    assert found == scanned(quotes, lambda q: q.exact, simplified)
    written_as = {(q.source.language, traditional in q.exact) for q in quotes if q.pk in found}
    assert (Language.ZH_HANT, True) in written_as
    assert (Language.ZH_HANS, False) in written_as

    sources = ids(search_sources(Source.objects.all(), traditional))
    assert sources == ids(search_sources(Source.objects.all(), simplified))
    assert sources == scanned(Source.objects.all(), lambda s: f"{s.title}\n{s.text}", simplified)
    languages = set(Source.objects.filter(pk__in=sources).values_list("language", flat=True))
    assert {Language.ZH_HANS, Language.ZH_HANT} <= languages


def test_an_english_name_finds_the_chinese_names_of_the_same_person(generated):
    altman = Entity.objects.get(slug="sam-altman")
    chinese_names = [a.folded for a in altman.aliases.all() if not a.name.isascii()]
    found = ids(search_quotes(Quote.objects.all(), "Altman"))
    assert found == scanned(Quote.objects.all(), lambda q: q.exact, "Altman")
    in_chinese_only = [
        q.exact for q in Quote.objects.filter(pk__in=found) if "altman" not in q.exact.casefold()
    ]
    assert in_chinese_only
    assert all(
        any(name in fold_for_search(exact) for name in chinese_names) for exact in in_chinese_only
    )

    claims = search_claims(Claim.objects.published(), "Altman")
    assert ids(claims) == scanned(
        Claim.objects.published().prefetch_related("subjects__aliases", "topics"),
        lambda c: c.search_text,
        "Altman",
    )
    assert ids(claims)


def largest_claim() -> Claim:
    """The published claim with the most assertions (generated claims are skewed)."""
    return max(Claim.objects.published().with_counts(), key=lambda c: (c.assertion_count, c.pk))


def read(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response.content, response.get(HIT_HEADER)


def test_a_claim_or_assertion_change_invalidates_its_cached_page_and_api(
    client, generated, published_cache, django_capture_on_commit_callbacks
):
    claim = largest_claim()
    urls = [f"/en/claims/{claim.slug}/", f"/api/claims/{claim.slug}/", "/en/"]
    first = {url: read(client, url) for url in urls}
    assert {hit for _, hit in first.values()} == {"miss"}
    assert {read(client, url)[1] for url in urls} == {"hit"}

    with django_capture_on_commit_callbacks(execute=True):
        services.claim_update(claim=claim, statement_en="A statement changed by a reviewer?")
    for url in urls:
        content, hit = read(client, url)
        assert hit == "miss"
        assert b"A statement changed by a reviewer?" in content

    quote = Quote.objects.exclude(assertions__claim=claim).first()
    cached = {url: read(client, url)[0] for url in urls}
    with django_capture_on_commit_callbacks(execute=True):
        assertion = services.assertion_add(claim=claim, quote=quote, stance="supports")
    for url in urls:
        content, hit = read(client, url)
        assert hit == "miss"
        assert content != cached[url]
    assert f'id="assertion-{assertion.pk}"'.encode() in read(client, urls[0])[0]


def reader_urls() -> dict[str, str]:
    """A page or endpoint of each kind, for the largest of its kind in the ledger."""
    claim = largest_claim()
    source = max(Source.objects.all(), key=lambda s: (s.quotes.count(), s.pk))
    entity = max(Entity.objects.all(), key=lambda e: (e.claims.count(), e.pk))
    return {
        "index": "/en/",
        "disputed index": "/en/?disputed=yes",
        "index search": "/en/?q=马斯克",
        "index by entity": f"/en/?entity={entity.slug}",
        "claim page": f"/en/claims/{claim.slug}/",
        "stance list": f"/en/claims/{claim.slug}/?stance=mentions&page=1",
        "source page": f"/en/sources/{source.pk}/",
        "entity page": f"/en/entities/{entity.slug}/",
        "feed": "/en/feed/",
        "API claims": "/api/claims/",
        "API disputed claims": "/api/claims/?disputed=true",
        "API claim search": "/api/claims/?q=Altman",
        "API claim": f"/api/claims/{claim.slug}/",
        "API sources search": "/api/sources/?q=馬斯克",
        "API quotes of a claim": f"/api/quotes/?claim={claim.slug}",
        "API assertions of a claim": f"/api/assertions/?claim={claim.slug}",
        "API conflicts": "/api/conflicts/",
    }


def queries(client) -> dict[str, int]:
    counted = {}
    for name, url in reader_urls().items():
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url)
        assert response.status_code == 200, url
        counted[name] = len(captured)
    return counted


def test_no_page_or_endpoint_costs_more_queries_as_the_ledger_grows(client, seeded):
    generate_ledger(scale=SMALL, seed=7)
    small = queries(client)
    largest = largest_claim().assertion_count
    generate_ledger(scale=Scale(sources=150, quotes=1500, claims=60), seed=8)
    assert largest_claim().assertion_count > largest
    assert queries(client) == small
