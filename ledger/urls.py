from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from claims.web import crawlers

# JSON under /api/, like every other API error; the HTML page elsewhere.
handler500 = "claims.api.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
    path("robots.txt", crawlers.robots_txt, name="robots"),
    path("sitemap.xml", crawlers.sitemap, name="sitemap"),
    path("favicon.ico", crawlers.favicon, name="favicon"),
] + i18n_patterns(
    # Reader pages at /en/…, /zh-hans/…, /zh-hant/… (claims.web.languages); an old
    # unprefixed URL is a 404 here, which LocaleMiddleware redirects to the reader's language.
    path("", include("claims.web.urls")),
)
