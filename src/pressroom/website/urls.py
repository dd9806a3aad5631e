from django.urls import path, re_path
from django.views.i18n import set_language

from . import views

app_name = "website"

urlpatterns = [
    path("", views.home, name="home"),
    path("releases/", views.release_list, name="release_list"),
    path("ministries/", views.ministry_index, name="ministries"),
    path("release/<int:release_id>/", views.release_page, name="release"),
    path("release/<int:release_id>.txt", views.release_text, name="release_text"),
    path("release/<int:release_id>.json", views.release_json, name="release_json"),
    re_path(r"^release/(?P<release_id>\d+)/(?P<lang>[a-z]{2,3})/$", views.release_page,
            name="release_version"),
    re_path(r"^(?P<page>(?:[A-Za-z]+/)?[A-Za-z_]+\.aspx)$", views.legacy_redirect,
            name="legacy"),
    path("healthz", views.healthz, name="healthz"),
    # The interface's language (menus, labels), kept in a cookie; content keeps its own.
    path("language/", set_language, name="set_language"),
]
