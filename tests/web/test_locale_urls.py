"""Reader pages at one URL per language: /en/…, /zh-hans/…, /zh-hant/…; old URLs redirect."""

import re
from html.parser import HTMLParser

import extruct
import mf2py
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from claims.management.commands.traditional_catalog import (
    simplified_catalog,
    traditional_catalog,
    traditional_po,
)
from claims.models import Claim, Entity
from claims.web import display
from domain.text import to_traditional

pytestmark = pytest.mark.django_db
LANGUAGES = {"en": "en", "zh-hans": "zh-Hans", "zh-hant": "zh-Hant"}
SLUG = "musk-contribution-to-openai"


class Links(HTMLParser):
    """<link> elements of a page's head, and the language switch's links."""

    def __init__(self):
        super().__init__()
        self.links, self.switch, self._in_switch = [], [], False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "link":
            self.links.append(attrs)
        elif tag == "nav" and "language-switch" in (attrs.get("class") or ""):
            self._in_switch = True
        elif self._in_switch and tag in ("a", "span"):
            self.switch.append(attrs)

    def handle_endtag(self, tag):
        if tag == "nav":
            self._in_switch = False


def links_of(response) -> Links:
    assert response.status_code == 200
    parser = Links()
    parser.feed(response.content.decode())
    return parser


def reader_paths() -> dict[str, str]:
    claim = Claim.objects.get(slug=SLUG)
    source = claim.assertions.select_related("quote").first().quote.source_id
    entity = Entity.objects.filter(claims=claim).order_by("slug").first()
    return {
        "index": "/",
        "claim": f"/claims/{SLUG}/",
        "source": f"/sources/{source}/",
        "entity": f"/entities/{entity.slug}/",
    }


def test_every_reader_page_names_itself_in_each_language(seeded, client):
    site = settings.SITE_URL
    for path in reader_paths().values():
        for code, tag in LANGUAGES.items():
            page = links_of(client.get(f"/{code}{path}"))
            assert f'<html lang="{tag}">' in client.get(f"/{code}{path}").content.decode()
            [canonical] = [link["href"] for link in page.links if link.get("rel") == "canonical"]
            assert canonical == f"{site}/{code}{path}"
            alternates = {
                link["hreflang"]: link["href"]
                for link in page.links
                if link.get("rel") == "alternate" and "hreflang" in link
            }
            assert alternates == {
                **{other: f"{site}/{c}{path}" for c, other in LANGUAGES.items()},
                "x-default": f"{site}{path}",
            }, (code, path)


def test_the_language_switch_links_to_the_same_page_in_each_other_language(seeded, client):
    page = links_of(client.get(f"/zh-hans/claims/{SLUG}/?stance=supports"))
    current = [item for item in page.switch if item.get("aria-current") == "page"]
    assert [item["lang"] for item in current] == ["zh-Hans"]
    assert {item["lang"]: item["href"] for item in page.switch if "href" in item} == {
        "en": f"/en/claims/{SLUG}/?stance=supports",
        "zh-Hant": f"/zh-hant/claims/{SLUG}/?stance=supports",
    }


def test_extruct_finds_the_alternates_and_the_claim_review_in_each_language(seeded, client):
    for code in LANGUAGES:
        url = f"{settings.SITE_URL}/{code}/claims/{SLUG}/"
        html = client.get(f"/{code}/claims/{SLUG}/").content.decode()
        data = extruct.extract(html, base_url=url, syntaxes=["json-ld", "opengraph"])
        reviews = [item for item in data["json-ld"] if item.get("@type") == "ClaimReview"]
        assert reviews and all(review["url"].startswith(url) for review in reviews), code
        [opengraph] = data["opengraph"]
        assert dict(opengraph["properties"])["og:url"] == url
        # extruct reads no <link> elements; its microformats parser (mf2py) reads rel links.
        rels = mf2py.parse(doc=html, url=url)["rel-urls"]
        alternates = {rel["hreflang"]: href for href, rel in rels.items() if "hreflang" in rel}
        assert alternates == {
            **{tag: f"{settings.SITE_URL}/{c}/claims/{SLUG}/" for c, tag in LANGUAGES.items()},
            "x-default": f"{settings.SITE_URL}/claims/{SLUG}/",
        }


@pytest.mark.parametrize(
    "headers, cookie, language",
    [
        ({}, None, "en"),
        ({"Accept-Language": "zh-CN,zh;q=0.9"}, None, "zh-hans"),
        ({"Accept-Language": "zh-TW,zh;q=0.9"}, None, "zh-hant"),
        ({"Accept-Language": "zh-CN"}, "en", "en"),
        ({}, "zh-hant", "zh-hant"),
    ],
)
def test_an_old_url_redirects_to_the_readers_language(seeded, client, headers, cookie, language):
    if cookie:
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie
    for path in [*reader_paths().values(), "/feed/", "/?disputed=yes"]:
        response = client.get(path, headers=headers)
        assert response.status_code in (301, 302), path
        assert response["Location"] == f"/{language}{path}"


def test_unknown_pages_api_and_admin_stay_where_they_are(seeded, client):
    assert client.get("/no-such-page/").status_code == 404
    assert client.get("/en/no-such-page/").status_code == 404
    assert client.get("/api/claims/").status_code == 200
    assert client.get("/en/api/claims/").status_code == 404
    assert client.get("/admin/login/").status_code == 200


def test_the_traditional_pages_convert_the_interface_and_the_ledgers_text(seeded, client):
    claim = Claim.objects.get(slug=SLUG)
    page = client.get(f"/zh-hant/claims/{SLUG}/").content.decode()
    simplified = client.get(f"/zh-hans/claims/{SLUG}/").content.decode()
    heading = re.search(r"<h1>(.*?)</h1>", simplified).group(1)
    assert f"<h1>{to_traditional(heading)}</h1>" in page
    assert to_traditional(heading) != heading
    assert "各信源怎麼說" in page and "各信源怎么说" not in page
    # Quotes stay as their sources wrote them.
    for assertion in claim.assertions.select_related("quote").filter(quote__exact__regex=r"[么说]"):
        assert assertion.quote.exact in page or assertion.quote.exact[:40] in page


def test_the_traditional_catalog_is_the_simplified_one_through_opencc():
    """`manage.py traditional_catalog` was run after the last edit of the Chinese catalog."""
    expected = traditional_po(simplified_catalog().read_text(encoding="utf-8"))
    assert traditional_catalog().read_text(encoding="utf-8") == expected
    assert 'msgstr "已擱置"' in expected


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_pages_links_are_the_urls_reverse_makes(language):
    """display.Links reverses each URL name once a page and sets the argument in."""
    links = display.Links()
    with translation.override(language):
        for name, argument in [
            ("web:source-detail", 7),
            ("web:source-detail", 9876543210123),
            ("web:entity-detail", "elon-musk"),
            ("web:entity-detail", "a_b-9"),
            ("web:claim-detail", "musk-contribution-to-openai"),
        ]:
            assert links(name, argument) == reverse(name, args=[argument])
            assert links(name, argument).startswith(f"/{language}/")
