from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("admin/", admin.site.urls),
    path("search/", include("pressroom.search.urls")),
    path("newsroom/", include("pressroom.newsroom.urls")),
    path("api/v1/", include("pressroom.api.urls")),
    path("", include("pressroom.trust.urls")),
    path("alerts/", include("pressroom.alerts.urls")),
    path("", include("pressroom.website.urls")),
]

handler404 = "pressroom.website.views.not_found"
handler500 = "pressroom.website.views.server_error"
