"""What crawlers and browsers ask every site for: robots.txt, the sitemap and the favicon.

The sitemap lists the index, every published claim and the source and entity pages readers
can see, each in every language (/en/…, /zh-hans/…, /zh-hant/…) with its alternates in the
others and the unprefixed x-default, each with the last change to it, on settings.SITE_URL
whatever host it was asked for on. Like the pages, it follows the published generation of
the ledger (claims.cache).
"""

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import Max, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import HttpResponse, HttpResponseRedirect
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control

from claims.cache import always, cache_published, conditional
from claims.models import Assertion, Claim, Entity, LedgerState
from claims.querysets import sources_visible_to
from ledger.site import absolute_url, site_host, site_scheme

FAVICON_SECONDS = 24 * 60 * 60


class SiteSitemap(Sitemap):
    """URLs on settings.SITE_URL, not on the host the request named, in every language."""

    i18n = True
    alternates = True
    x_default = True

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
        state = LedgerState.current(public=True)
        return state[1] if len(state) > 1 else None


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
def sitemap(request):
    response = sitemap_view(request, sitemaps=SITEMAPS)
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
