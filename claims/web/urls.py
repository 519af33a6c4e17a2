from django.urls import path
from django.views.decorators.csrf import csrf_exempt
from django.views.i18n import set_language

from claims.cache import cache_published
from claims.web import feeds, views

app_name = "web"

urlpatterns = [
    path("", views.claim_index, name="claim-index"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("sources/<int:pk>/", views.source_detail, name="source-detail"),
    path("entities/<slug:slug>/", views.entity_detail, name="entity-detail"),
    path("feed/", cache_published()(feeds.ClaimFeed()), name="feed"),
    # No CSRF token in the language switch: switching a reader's display language does no
    # harm, and a per-visitor token in every page's header would keep pages out of the cache.
    path("i18n/setlang/", csrf_exempt(set_language), name="set_language"),
]
