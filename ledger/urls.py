from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from claims.web import crawlers
from ledger.autocomplete import autocomplete_view

# JSON under /api/, like every other API error; the HTML page elsewhere.
handler500 = "claims.api.views.server_error"

urlpatterns = [
    # Ahead of the admin's own: the same URL (reverse("admin:autocomplete")), its texts chosen
    # by each ModelAdmin.
    path("admin/autocomplete/", admin.site.admin_view(autocomplete_view)),
    # The workbench scripts' words (djangojs), beside the admin's own catalog.
    path(
        "admin/jsi18n/workbench/",
        JavaScriptCatalog.as_view(packages=["claims"]),
        name="workbench-jsi18n",
    ),
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
    path("robots.txt", crawlers.robots_txt, name="robots"),
    path("sitemap.xml", crawlers.sitemap_index, name="sitemap"),
    path("sitemap-<slug:section>.xml", crawlers.sitemap, name="sitemap-section"),
    path("favicon.ico", crawlers.favicon, name="favicon"),
] + i18n_patterns(
    # Reader pages at /en/…, /zh-hans/…, /zh-hant/… (claims.web.languages); an old
    # unprefixed URL is a 404 here, which LocaleMiddleware redirects to the reader's language.
    path("", include("claims.web.urls")),
)
