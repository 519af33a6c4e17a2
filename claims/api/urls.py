from django.urls import path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import SimpleRouter

from claims.api import views

app_name = "api"

router = SimpleRouter()
router.register("claims", views.ClaimViewSet, basename="claim")
router.register("sources", views.SourceViewSet, basename="source")
router.register("quotes", views.QuoteViewSet, basename="quote")
router.register("assertions", views.AssertionViewSet, basename="assertion")
router.register("conflicts", views.ConflictViewSet, basename="conflict")
router.register("entities", views.EntityViewSet, basename="entity")
router.register("topics", views.TopicViewSet, basename="topic")

urlpatterns = [
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    # The split view serves its start-up script as a file: the docs page runs no inline script.
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    *router.urls,
    # Last: an unknown URL under /api/ (line breaks and all) answers JSON too, for every
    # method (APPEND_SLASH still adds its slash).
    re_path(r"^[\s\S]*/$", views.not_found),
]
