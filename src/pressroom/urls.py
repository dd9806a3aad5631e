from django.contrib import admin
from django.urls import include, path

# The busiest first: every request tries these in order, and a "" include that does not
# match (trust's, say) costs its every pattern and an exception. No two of them match the
# same path (the website's old-PIB-link pattern leaves admin/ to the admin), so the order
# changes nothing else.
urlpatterns = [
    path("api/v1/", include("pressroom.api.urls")),
    path("", include("pressroom.website.urls")),
    path("", include("pressroom.trust.urls")),
    path("search/", include("pressroom.search.urls")),
    path("alerts/", include("pressroom.alerts.urls")),
    path("newsroom/", include("pressroom.newsroom.urls")),
    path("admin/", admin.site.urls),
]

handler404 = "pressroom.website.views.not_found"
handler500 = "pressroom.website.views.server_error"
