"""robots.txt, the sitemap and the favicon: what crawlers and browsers ask every site for."""

import xml.etree.ElementTree as ET

import pytest
from django.conf import settings
from django.test import Client

from claims import services
from claims.models import Claim, Entity, Quote
from claims.web.crawlers import SITEMAPS, SiteSitemap
from sources.models import Source

pytestmark = pytest.mark.django_db
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"
LANGUAGES = ["en", "zh-hans", "zh-hant"]


def sitemap_pages(client, **headers) -> list:
    """Each page the sitemap index lists, parsed: the index's URLs are on settings.SITE_URL."""
    response = client.get("/sitemap.xml", headers=headers)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    index = ET.fromstring(response.content)
    pages = []
    for entry in index.iter(f"{SITEMAP}sitemap"):
        location = entry.find(f"{SITEMAP}loc").text
        assert location.startswith(f"{settings.SITE_URL}/sitemap-"), location
        assert entry.find(f"{SITEMAP}lastmod").text
        page = client.get(location.removeprefix(settings.SITE_URL), headers=headers)
        assert page.status_code == 200, location
        assert page["Content-Type"].startswith("application/xml")
        pages.append(ET.fromstring(page.content))
    return pages


def sitemap_entries(client, **headers) -> dict[str, str | None]:
    return {
        url.find(f"{SITEMAP}loc").text: getattr(url.find(f"{SITEMAP}lastmod"), "text", None)
        for page in sitemap_pages(client, **headers)
        for url in page.iter(f"{SITEMAP}url")
    }


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt", headers={"Host": "127.0.0.1:6666"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "User-agent: *" in lines
    assert f"Sitemap: {settings.SITE_URL}/sitemap.xml" in lines
    assert "Disallow: /admin/" in lines


def sitemap_alternates(client) -> dict[str, dict[str, str]]:
    """Each URL's xhtml:link alternates, by hreflang."""
    return {
        url.find(f"{SITEMAP}loc").text: {
            link.get("hreflang"): link.get("href") for link in url.iter(f"{XHTML}link")
        }
        for page in sitemap_pages(client)
        for url in page.iter(f"{SITEMAP}url")
    }


def test_the_sitemap_is_an_index_of_pages_that_list_each_url_once(
    seeded, client, monkeypatch, django_assert_max_num_queries
):
    """Pages of a few URLs each, which split an item's languages across two pages: together
    they list what one long page would, each URL once, and none holds more than its limit."""
    entries = sitemap_entries(client)
    monkeypatch.setattr(SiteSitemap, "limit", 4)
    with django_assert_max_num_queries(8) as index:
        client.get("/sitemap.xml")
    # The index counts each section's rows; it reads none of them.
    reads = [q["sql"] for q in index.captured_queries if "ledgerstate" not in q["sql"]]
    assert reads and all(sql.startswith("SELECT COUNT(*)") for sql in reads), reads
    pages = sitemap_pages(client)
    listed = [
        url.find(f"{SITEMAP}loc").text for page in pages for url in page.iter(f"{SITEMAP}url")
    ]
    assert all(len(list(page.iter(f"{SITEMAP}url"))) <= 4 for page in pages)
    assert len(pages) > len(SITEMAPS) and len(listed) == len(set(listed))
    assert set(listed) == set(entries)


def test_the_sitemap_lists_every_published_claim_and_what_readers_can_see(seeded, client):
    entries = sitemap_entries(client, Host="127.0.0.1:6666")
    site = settings.SITE_URL
    published = Claim.objects.published()
    assert published.exists() and Claim.objects.exclude(status="published").exists()
    paths = {"/"}
    paths |= {f"/claims/{claim.slug}/" for claim in published}
    visible_sources = Source.objects.filter(quotes__in=Quote.objects.visible_to(None)).distinct()
    paths |= {f"/sources/{source.pk}/" for source in visible_sources}
    entities = Entity.objects.filter(claims__in=published).distinct()
    paths |= {f"/entities/{entity.slug}/" for entity in entities}
    expected = {f"{site}/{language}{path}" for language in LANGUAGES for path in paths}
    assert expected <= set(entries)
    unpublished = Claim.objects.exclude(status="published")
    assert not {
        f"{site}/{language}/claims/{claim.slug}/" for claim in unpublished for language in LANGUAGES
    } & set(entries)
    for url in expected:
        assert Client().get(url.removeprefix(site)).status_code == 200, url
        if "/claims/" in url or "/sources/" in url or url.endswith(("/en/", "/zh-hans/")):
            assert entries[url], f"{url} has no lastmod"


def test_each_sitemap_entry_names_its_page_in_every_language_and_the_default(seeded, client):
    claim = Claim.objects.published().first()
    site = settings.SITE_URL
    in_each = {language: f"{site}/{language}/claims/{claim.slug}/" for language in LANGUAGES}
    alternates = sitemap_alternates(client)
    for url in in_each.values():
        assert alternates[url] == {**in_each, "x-default": f"{site}/claims/{claim.slug}/"}


def test_the_sitemap_leaves_a_claim_out_once_it_is_unpublished(seeded, client):
    claim = Claim.objects.published().first()
    url = f"{settings.SITE_URL}/zh-hans/claims/{claim.slug}/"
    first = client.get("/sitemap.xml")
    assert url in sitemap_entries(client)
    services.claim_set_status(claim=claim, status="in_review")
    assert client.get("/sitemap.xml", headers={"If-None-Match": first["ETag"]}).status_code == 200
    assert url not in sitemap_entries(client)


def test_a_claims_lastmod_moves_with_its_evidence(seeded, client):
    claim = Claim.objects.published().filter(assertions__isnull=False).first()
    url = f"{settings.SITE_URL}/en/claims/{claim.slug}/"
    before = sitemap_entries(client)[url]
    Claim.objects.filter(pk=claim.pk).update(updated_at="2000-01-01T00:00:00Z")
    assertion = claim.assertions.first()
    services.assertion_update(assertion=assertion, note="Checked against the filing.")
    after = sitemap_entries(client)[url]
    assert after >= before


def test_the_favicon_is_served_and_linked(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 302
    icon = client.get(response["Location"])
    assert icon.status_code == 200
    assert b"".join(icon.streaming_content)[:4] == b"\x00\x00\x01\x00"  # an ICO file
    page = client.get("/en/").content.decode()
    assert 'rel="icon"' in page and "favicon.svg" in page
