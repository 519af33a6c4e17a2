"""Every reader page, for the seed ledger, in English and Chinese."""

import re
import xml.etree.ElementTree as ET
from html import unescape

import pytest
from django.conf import settings
from markupsafe import escape  # as the reader pages (Jinja2) escape

from claims import services
from claims.models import Assertion, Claim, ClaimStatus, Entity, Quote
from claims.web.passages import CONTEXT_LIMIT, surrounding_sentence
from domain.intervals import exact
from sources.models import Source
from tests.constants import M
from tests.factories import make_claim, make_entity, make_quote, make_source

ATOM = "{http://www.w3.org/2005/Atom}"


def published():
    return Claim.objects.filter(status=ClaimStatus.PUBLISHED)


def html(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.content.decode()


def test_index_lists_every_published_seed_claim(client, seeded):
    page = html(client.get("/en/", {"page": 1}))
    claims = list(published())
    assert claims
    shown = [c for c in claims if f'href="/en/claims/{c.slug}/"' in page]
    # The first page shows the most recently changed; the rest are a page further on.
    assert len(shown) == min(len(claims), 20)
    assert 'class="verdict' in page and "agree" in page and "in conflict" in page


def test_index_row_counts_agreeing_and_conflicting_sources(client, seeded):
    claim = Claim.objects.get(slug="musk-contribution-to-openai")
    page = html(client.get("/en/", {"q": claim.statement_en}))
    sources = Quote.objects.filter(assertions__claim=claim).values("source").distinct().count()
    assert f"{sources} sources" in page


def test_every_published_seed_claim_page(client, seeded):
    for claim in published():
        page = html(client.get(f"/en/claims/{claim.slug}/"))
        assert escape(claim.statement_en) in page
        for assertion in Assertion.objects.filter(claim=claim).select_related("quote"):
            quote = assertion.quote
            assert f'href="/en/sources/{quote.source_id}/#quote-{quote.pk}"' in page
            assert f'id="assertion-{assertion.pk}"' in page
        if claim.assertions.exclude(value_kind="").exists():
            assert 'role="img"' in page and "<svg" in page


def test_claim_page_shows_quotes_with_their_sentence_and_conflicts(client, seeded):
    claim = Claim.objects.get(slug="musk-contribution-to-openai")
    page = html(client.get(f"/en/claims/{claim.slug}/"))
    for assertion in claim.assertions.select_related("quote__source"):
        assert f"<mark>{escape(assertion.quote.exact)}</mark>" in page
    for conflict in claim.conflicts.all():
        if conflict.note:
            assert escape(conflict.note) in page
    assert "Timeline of the sources" in page


def test_every_source_with_published_quotes_has_a_page(client, seeded):
    for source in Source.objects.filter(quotes__assertions__claim__in=published()).distinct():
        page = html(client.get(f"/en/sources/{source.pk}/"))
        assert escape(source.title) in page
        visible = Quote.objects.filter(source=source, assertions__claim__in=published()).distinct()
        for quote in visible:
            assert f'id="quote-{quote.pk}"' in page


def test_every_entity_page_lists_its_claims(client, seeded):
    shown = 0
    for entity in Entity.objects.prefetch_related("aliases"):
        claims = published().filter(subjects=entity)
        if not claims.exists():
            continue
        page = html(client.get(f"/en/entities/{entity.slug}/"))
        for claim in claims:
            assert f'href="/en/claims/{claim.slug}/"' in page
        for alias in entity.aliases.exclude(name=entity.name):
            assert escape(alias.name) in page
        shown += 1
    assert shown


def test_feed_is_atom_with_every_published_claim(client, seeded):
    response = client.get("/en/feed/")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ET.fromstring(response.content)
    links = {e.find(f"{ATOM}link").get("href") for e in feed.iter(f"{ATOM}entry")}
    assert links == {f"{settings.SITE_URL}/en/claims/{c.slug}/" for c in published()}


def test_the_chinese_pages_turn_the_interface_and_statements_chinese(client, seeded):
    page = html(client.get("/zh-hans/"))
    assert '<html lang="zh-Hans">' in page
    assert "争议说法" in page
    claim = published().exclude(statement_zh="").first()
    assert escape(claim.statement_zh) in page
    detail = html(client.get(f"/zh-hans/claims/{claim.slug}/"))
    assert f"<h1>{escape(claim.statement_zh)}</h1>" in detail
    assert "各信源怎么说" in detail
    assert "Contested claims" in html(client.get("/en/"))


def test_an_old_url_redirects_by_accept_language(client, seeded):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="zh-CN,zh;q=0.9")
    assert response.status_code == 302 and response["Location"] == "/zh-hans/"
    assert "争议说法" in html(client.get(response["Location"]))


@pytest.mark.parametrize("query", ["馬斯克", "Musk", "马斯克"])
def test_search_finds_claims_by_any_spelling_of_a_name(client, seeded, query):
    page = html(client.get("/en/", {"q": query}))
    assert 'href="/en/claims/musk-contribution-to-openai/"' in page


def test_search_without_a_match_says_so(client, seeded):
    page = html(client.get("/en/", {"q": "zzqx-no-such-words"}))
    assert "No claims match." in page


def test_filters_by_disputed_entity_and_topic(client, seeded):
    disputed = published().disputed()
    undisputed = published().disputed(False)
    page = html(client.get("/en/", {"disputed": "yes"}))
    assert all(f'href="/en/claims/{c.slug}/"' in page for c in disputed[:20])
    assert not any(f'href="/en/claims/{c.slug}/"' in page for c in undisputed)

    claim = Claim.objects.get(slug="musk-contribution-to-openai")
    topic = claim.topics.first()
    page = html(client.get("/en/", {"topic": topic.slug}))
    assert f'href="/en/claims/{claim.slug}/"' in page
    assert not any(
        f'href="/en/claims/{c.slug}/"' in page for c in published().exclude(topics=topic)
    )

    entity = claim.subjects.first()
    page = html(client.get("/en/", {"entity": entity.slug}))
    assert f'href="/en/claims/{claim.slug}/"' in page
    assert not any(
        f'href="/en/claims/{c.slug}/"' in page for c in published().exclude(subjects=entity)
    )


def test_unknown_pages_are_404(client, seeded):
    assert client.get("/en/claims/no-such-claim/").status_code == 404
    assert client.get("/en/sources/999999/").status_code == 404
    assert client.get("/en/entities/no-such-entity/").status_code == 404


@pytest.mark.parametrize("limit", [CONTEXT_LIMIT, 5])
def test_each_quote_is_shown_in_its_sentence_read_from_a_window_of_its_source(db, limit):
    """The claim page reads only a window of each source around its quotes; the passage
    must be the one the whole text gives, at the text's edges and in long runs alike."""
    run = "甲" * 300
    source = make_source(f"4400万美元开头。{run}5000万美元{run}。结尾是1亿美元")
    claim = make_claim(slug="windows")
    for passage in ("4400万美元", "5000万美元", "1亿美元"):
        services.assertion_add(claim=claim, quote=make_quote(source, passage), stance="supports")
    read = Quote.objects.filter(source=source).with_context(limit)
    assert len(read) == 3
    for quote in read:
        start, end = quote.start - quote.context_offset, quote.end - quote.context_offset
        assert surrounding_sentence(quote.context_window, start, end, limit=limit) == (
            surrounding_sentence(source.text, quote.start, quote.end, limit=limit)
        )


def test_a_claim_with_hundreds_of_quotes_lists_each_once_and_links_every_conflict(
    client, quoted_claim
):
    claim, _source, grow = quoted_claim
    grow(250)
    # A value only the last quote gives: its mark in the picture must lead to page 3.
    last = claim.assertions.order_by("quote__start").last()
    services.assertion_update(assertion=last, value=exact(70 * M, "USD"))
    url = f"/en/claims/{claim.slug}/"
    page = html(client.get(url))
    assert '<span class="count">250</span>' in page
    assert 'href="?stance=supports"' in page
    listed, number = [], 1
    while True:
        stance_page = html(client.get(url, {"stance": "supports", "page": number}))
        listed += re.findall(r'<article class="quote-card[^"]*" id="assertion-(\d+)"', stance_page)
        if 'rel="next"' not in stance_page:
            break
        number += 1
    ids = set(claim.assertions.values_list("pk", flat=True))
    assert number == 3 and len(listed) == 250 and {int(i) for i in listed} == ids
    # Conflicts, the value picture and the timeline link each quote to the page showing it.
    conflict_links = re.findall(r'<p class="conflict-pair">.*?</p>', page, re.S)
    picture_links = re.findall(r'<ol class="value-marks">.*?</ol>', page, re.S)
    assert "?stance=supports&amp;page=" in "".join(conflict_links)
    assert f"?stance=supports&amp;page=3#assertion-{last.pk}" in "".join(picture_links)
    pages = {"": page}
    for href in set(map(unescape, re.findall(r'href="([^"]*#assertion-\d+)"', page))):
        query, anchor = href.split("#")
        if query not in pages:
            pages[query] = html(client.get(url + query))
        assert f'id="{anchor}"' in pages[query]


def test_entity_page_shows_the_latest_twenty_of_their_quotes(client, quoted_claim):
    _claim, source, grow = quoted_claim
    grow(25)
    speaker = make_entity(slug="speaker", name="Speaker")
    for quote in Quote.objects.filter(source=source):
        services.quote_set_speaker(quote=quote, speaker=speaker)
    page = html(client.get("/en/entities/speaker/"))
    assert page.count('<ul class="note-claims">') == 20
    assert "The latest 20; the claim pages have the rest." in page
