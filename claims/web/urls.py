from django.urls import path

from claims.cache import cache_published
from claims.web import feeds, views

app_name = "web"

urlpatterns = [
    path("", views.claim_index, name="claim-index"),
    path("claims/<slug:slug>/", views.claim_detail, name="claim-detail"),
    path("claims/<slug:slug>/picture.png", views.claim_picture, name="claim-picture"),
    path("sources/<int:pk>/", views.source_detail, name="source-detail"),
    path("entities/<slug:slug>/", views.entity_detail, name="entity-detail"),
    path("feed/", cache_published()(feeds.ClaimFeed()), name="feed"),
]
