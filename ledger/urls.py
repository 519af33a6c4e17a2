from django.contrib import admin
from django.urls import include, path

# JSON under /api/, like every other API error; the HTML page elsewhere.
handler500 = "claims.api.views.server_error"

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", include("claims.api.urls")),
    path("", include("claims.web.urls")),
]
