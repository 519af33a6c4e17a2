"""What crawlers and browsers ask every site for: robots.txt, the sitemap and the favicon.

The sitemap lists the index, every published claim and the source and entity pages readers
can see, each in every language (/en/…, /zh-hans/…, /zh-hant/…) with its alternates in the
others and the unprefixed x-default, each with the last change to it, on settings.SITE_URL
whatever host it was asked for on. It is a sitemap index (/sitemap.xml) of pages of
SiteSitemap.limit URLs each (/sitemap-claims.xml?p=2): a crawler takes at most 50,000 URLs
from one file, and the full-scale ledger has 400,000. Like the pages, it follows the
published generation of the ledger (claims.cache).
"""

from collections.abc import Sequence

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import SitemapIndexItem
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.core.paginator import Paginator
from django.db.models import Max, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control

from claims.cache import always, cache_published, conditional
from claims.models import Assertion, Claim, Entity, LedgerState
from claims.querysets import sources_visible_to
from claims.web import languages
from ledger.site import absolute_url, site_host, site_scheme

FAVICON_SECONDS = 24 * 60 * 60


def last_published_change():
    """When readers' ledger last changed (claims.models.LedgerState), if it has."""
    state = LedgerState.current(public=True)
    return state[1] if len(state) > 1 else None


class EachLanguage(Sequence):
    """Each of `items` in each language, as the (item, language) pairs Django's sitemap pages
    through, read from the database a page at a time. Django pairs every item at once
    (Sitemap._items()), which for 100,000 sources read them all for each page."""

    def __init__(self, items, codes: list[str]):
        self.items, self.languages = items, codes

    def __len__(self):
        items = self.items.count() if isinstance(self.items, QuerySet) else len(self.items)
        return items * len(self.languages)

    def __getitem__(self, index):
        # The paginator asks for slices, which may start and stop within an item's languages.
        if not isinstance(index, slice):
            return self[index : index + 1][0]
        n = len(self.languages)
        start, stop = index.start or 0, index.stop
        pairs = [
            (item, language)
            for item in self.items[start // n : -(-stop // n)]
            for language in self.languages
        ]
        return pairs[start % n : start % n + stop - start]


class SiteSitemap(Sitemap):
    """URLs on settings.SITE_URL, not on the host the request named, in every language."""

    i18n = True
    alternates = True
    x_default = True
    # URLs a page: each takes about 0.2 ms to write with its alternates.
    limit = 5000

    @property
    def paginator(self):
        return Paginator(EachLanguage(self.items(), languages.codes()), self.limit)

    @property
    def protocol(self):
        return site_scheme()

    def get_domain(self, site=None):
        return site_host()


class IndexSitemap(SiteSitemap):
    def items(self):
        return ["web:claim-index"]

    def location(self, name):
        return reverse(name)

    def lastmod(self, name):
        return last_published_change()


class ClaimSitemap(SiteSitemap):
    """Every published claim, changed when it or its evidence last was."""

    def items(self):
        latest_evidence = (
            Assertion.objects.filter(claim=OuterRef("pk"))
            .order_by()
            .values("claim")
            .annotate(latest=Max("updated_at"))
            .values("latest")
        )
        return (
            Claim.objects.published()
            .annotate(
                changed=Greatest("updated_at", Coalesce(Subquery(latest_evidence), "updated_at"))
            )
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def location(self, claim):
        return reverse("web:claim-detail", args=[claim.slug])

    def lastmod(self, claim):
        return claim.changed


class SourceSitemap(SiteSitemap):
    """Sources quoted on published claims: the only ones readers see."""

    def items(self):
        return sources_visible_to(None).only("updated_at").order_by("pk")

    def location(self, source):
        return reverse("web:source-detail", args=[source.pk])

    def lastmod(self, source):
        return source.updated_at


class EntitySitemap(SiteSitemap):
    """Entities a published claim is about or quotes, changed with their latest claim."""

    def items(self):
        published = Claim.objects.published()
        latest_claim = published.filter(subjects=OuterRef("pk")).order_by("-updated_at")
        return (
            Entity.objects.visible_to(None)
            .annotate(changed=Subquery(latest_claim.values("updated_at")[:1]))
            .only("slug")
            .order_by("pk")
        )

    def location(self, entity):
        return reverse("web:entity-detail", args=[entity.slug])

    def lastmod(self, entity):
        return entity.changed


SITEMAPS = {
    "index": IndexSitemap,
    "claims": ClaimSitemap,
    "sources": SourceSitemap,
    "entities": EntitySitemap,
}


@cache_published()
@conditional(always)
def sitemap_index(request):
    """Every page of every section, each dated by the ledger's last published change."""
    changed = last_published_change()
    pages = []
    for section, site in SITEMAPS.items():
        url = absolute_url(reverse("sitemap-section", args=[section]))
        for number in site().paginator.page_range:
            pages.append(SitemapIndexItem(url if number == 1 else f"{url}?p={number}", changed))
    return TemplateResponse(
        request, "sitemap_index.xml", {"sitemaps": pages}, content_type="application/xml"
    )


@cache_published()
@conditional(always)
def sitemap(request, section):
    response = sitemap_view(request, sitemaps=SITEMAPS, section=section)
    # The latest entry's date misses a claim leaving the sitemap; the ledger's does not.
    del response["Last-Modified"]
    return response


@cache_published()
def robots_txt(request):
    lines = [
        "User-agent: *",
        f"Disallow: {reverse('admin:index')}",
        f"Disallow: {reverse('api:schema').rsplit('schema/', 1)[0]}",
        # Filters and paging make endless variants of pages the sitemap lists once each.
        "Disallow: /*?",
        "",
        f"Sitemap: {absolute_url(reverse('sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


def favicon(request):
    """Browsers ask for /favicon.ico on every page the icon link does not cover (the admin)."""
    response = HttpResponseRedirect(static("claims/web/favicon.ico"))
    patch_cache_control(response, public=True, max_age=FAVICON_SECONDS)
    return response
