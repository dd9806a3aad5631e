from django.urls import path, re_path

from . import changes, feeds, media_views, pdf_views, sitemaps, views

app_name = "website"

# Most requested first (each request tries them in order; no two match the same path).
urlpatterns = [
    path("release/<int:release_id>/", views.release_page, name="release"),
    re_path(r"^release/(?P<release_id>\d+)/(?P<lang>[a-z]{2,3})/$", views.release_page,
            name="release_version"),
    path("release/<int:release_id>.json", views.release_json, name="release_json"),
    path("release/<int:release_id>.txt", views.release_text, name="release_text"),
    path("", views.home, name="home"),
    path("releases/", views.release_list, name="release_list"),
    path("robots.txt", sitemaps.robots_txt, name="robots"),
    path("healthz", views.healthz, name="healthz"),
    path("ministries/", views.ministry_index, name="ministries"),
    # Photos and documents (media_views), and a PDF of each version (pdf_views).
    path("release/<int:release_id>/photos/", media_views.gallery, name="gallery"),
    re_path(r"^release/(?P<release_id>\d+)/(?P<lang>[a-z]{2,3})/photos/$", media_views.gallery,
            name="gallery_version"),
    re_path(r"^release/(?P<release_id>\d+)/(?P<lang>[a-z]{2,3})\.pdf$", pdf_views.release_pdf,
            name="release_pdf"),
    path("photos/", media_views.photos_index, name="photos"),
    re_path(r"^files/(?P<sha256>[0-9a-f]{64})/(?P<filename>[\w.-]{1,120})$", media_views.attachment,
            name="attachment"),
    re_path(r"^media/(?P<path>.+)$", media_views.media_file, name="media"),
    re_path(r"^release/(?P<release_id>\d+)/(?P<lang>[a-z]{2,3})/changes/$",
            changes.release_changes, name="release_changes"),
    path("feeds/corrections.atom", changes.corrections_atom, name="feed_corrections_atom"),
    path("feeds/corrections/ministry/<slug:slug>.atom", changes.corrections_atom,
         name="feed_corrections_ministry_atom"),
    # Not under admin/: the admin, tried after the website, answers its own paths.
    re_path(r"^(?!admin/)(?P<page>(?:[A-Za-z]+/)?[A-Za-z_]+\.aspx)$", views.legacy_redirect,
            name="legacy"),
    path("sitemap.xml", sitemaps.sitemap_index, name="sitemap"),
    re_path(r"^sitemaps/(?P<section>pages|releases-\d{4}-\d{2})\.xml$", sitemaps.sitemap_section,
            name="sitemap_section"),
    path("feeds/latest.atom", feeds.latest_atom, name="feed_latest_atom"),
    path("feeds/latest.rss", feeds.latest_rss, name="feed_latest_rss"),
    path("feeds/ministry/<slug:slug>.atom", feeds.ministry_atom, name="feed_ministry_atom"),
    path("feeds/ministry/<slug:slug>.rss", feeds.ministry_rss, name="feed_ministry_rss"),
    path("feeds/bureau/<slug:slug>.atom", feeds.bureau_atom, name="feed_bureau_atom"),
    path("feeds/bureau/<slug:slug>.rss", feeds.bureau_rss, name="feed_bureau_rss"),
    re_path(r"^feeds/language/(?P<code>[a-z]{2,3})\.atom$", feeds.language_atom,
            name="feed_language_atom"),
    re_path(r"^feeds/language/(?P<code>[a-z]{2,3})\.rss$", feeds.language_rss,
            name="feed_language_rss"),
    path("feeds/search.atom", feeds.search_atom, name="feed_search_atom"),
    path("feeds/search.rss", feeds.search_rss, name="feed_search_rss"),
    # The interface's language (menus, labels), kept in a cookie; content keeps its own.
    # Links, not a form, as GOV.UK's language toggle: a page then holds no per-reader
    # token and stays cacheable by a CDN; the choice is only a display preference.
    re_path(r"^language/(?P<code>[a-z]{2,3})/$", views.choose_language, name="choose_language"),
]
