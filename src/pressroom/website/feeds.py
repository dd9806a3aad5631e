"""Atom and RSS 2.0 feeds, full text: latest, per ministry, per bureau, per language, per search.

One Feed class per subject, each with an Atom and an RSS flavour. Items are language
versions (what a reader reads): the original, or the translation a language feed is for.
"""

import html
import re

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.http import urlencode

from pressroom.releases import representations
from pressroom.releases.html import sanitise_html
from pressroom.releases.models import Bureau, Language, LanguageVersion, Ministry, Release
from pressroom.releases.queries import in_language, record_state

from . import pagecache
from .caching import cache_public
from .queries import search_versions

FEED_SIZE = 50
SITE = "Pressroom"

# XML 1.0 has no place for most control characters; imported text or a query may hold them.
_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def xml_text(text: str) -> str:
    return _NOT_XML.sub("", text or "")


# Every field of a feed is either text (titles, names, categories: the XML writer escapes
# them, and Atom's default type is text) or HTML that went through the sanitiser here.
# A reader decodes type="html" once and renders what it finds, so plain text put there
# must be HTML-escaped first (a subtitle's `<img onerror>` reached readers as markup).

def text_as_html(text: str) -> str:
    """Plain text for a type="html" field: shown as written, never as markup."""
    return html.escape(xml_text(text), quote=False)


def body_html(v) -> str:
    """The body, sanitised again on the way out: the rules may have grown stricter since
    the row was written (remote images), and a feed reader trusts what it gets."""
    return xml_text(sanitise_html(v.body_html))
def hub_url(request) -> str:
    """The WebSub hub every feed advertises: a configured one, else Pressroom's own."""
    return settings.PRESSROOM.get("WEBSUB_HUB") or request.build_absolute_uri("/alerts/websub/hub")


class FullTextAtomFeed(Atom1Feed):
    """Atom with the whole body in <content> and each entry's own xml:lang."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub"):  # WebSub: readers subscribe there instead of polling
            handler.addQuickElement("link", "", {"rel": "hub", "href": self.feed["hub"]})

    def write_items(self, handler):
        for item in self.items:
            attrs = {"xml:lang": item["language"]} if item.get("language") else {}
            handler.startElement("entry", attrs)
            self.add_item_elements(handler, item)
            handler.endElement("entry")

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        if item.get("content"):
            handler.addQuickElement("content", item["content"], {"type": "html"})


class FullTextRssFeed(Rss201rev2Feed):
    """RSS 2.0: <description> carries the whole body (as HTML), the usual full-text form."""

    def add_root_elements(self, handler):
        super().add_root_elements(handler)
        if self.feed.get("hub"):
            handler.addQuickElement("atom:link", None, {"rel": "hub", "href": self.feed["hub"]})


def latest_versions(releases, language: Language | None = None, limit: int = FEED_SIZE):
    """The newest releases' versions to show: in `language` when given, else the original.

    The newest release IDs first (the posted_at index answers that), then their versions:
    sorting every version by its release's date would read the whole archive.
    """
    ids = list(releases.exclude(status=Release.Status.REMOVED)
               .order_by("-posted_at", "-release_id").values_list("release_id", flat=True)[:limit])
    qs = (LanguageVersion.objects.select_related("release__ministry", "release__bureau", "language")
          .prefetch_related("release__ministry__names", "release__bureau__names",
                            "photos__file", "attachments__file")  # enclosures: 4 queries, not 2 per item
          .filter(release_id__in=ids))
    qs = qs.filter(language=language) if language else qs.filter(is_original=True)
    return sorted(qs, key=lambda v: (v.release.posted_at, v.release_id), reverse=True)  # NEWEST_FIRST


class ReleaseFeed(Feed):
    feed_type = FullTextAtomFeed
    flavour = "atom"
    language = "en"

    # Subclasses say what the feed is about.
    def get_object(self, request, *args, **kwargs):
        return None

    def title(self, obj):
        return f"{SITE}: latest press releases"

    def subtitle(self, obj):
        return "Press releases of the Government of India, full text."

    description = subtitle

    def link(self, obj):
        return reverse("website:home")

    def subject(self, obj):
        """(the releases this feed follows, the language of its items or None for the
        originals); None where the items are not the newest of a set of releases (search)."""
        return Release.objects.all(), None

    def items(self, obj):
        releases, language = self.subject(obj)
        return latest_versions(releases, language)

    def feed_url(self, obj):
        return None  # Django uses the request's own URL

    def item_title(self, v):
        return xml_text(v.title)

    def item_description(self, v):
        # Atom: a short text summary in <summary type="html"> (content carries the body);
        # RSS: the whole body.
        if self.flavour == "atom":
            return text_as_html("\n".join(v.subtitle_list) or v.body_text[:300])
        return body_html(v)

    # The item's fields come from releases.representations.feed_item (one shape of a
    # release for every reader); this class makes them XML-safe and picks the flavour.
    def item_link(self, v):
        return representations.feed_item(v)["link"]

    def item_pubdate(self, v):
        return representations.feed_item(v)["published"]

    def item_updateddate(self, v):
        return representations.feed_item(v)["updated"]

    def item_author_name(self, v):
        return xml_text(representations.feed_item(v)["author"])

    def item_categories(self, v):
        return [xml_text(c) for c in representations.feed_item(v)["categories"]]

    def item_enclosures(self, v):
        """Photos (the full-size copies) and documents as enclosures: every one in Atom,
        the first photo in RSS (RSS 2.0 allows one per item)."""
        from .media import feed_enclosures

        found = feed_enclosures(v, self.request)
        return found[:1] if self.flavour == "rss" else found

    def item_extra_kwargs(self, v):
        return {"language": v.language_id, "content": body_html(v)}

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["hub"] = hub_url(request)
        return feed

    def kept_as(self, request, args, kwargs):
        """The page-cache key of this feed as the record stands: its path and the record's
        state. None: build it."""
        try:
            subject = self.subject(self.get_object(request, *args, **kwargs))
        except Http404:
            return None
        if subject is None:
            return None
        # Any write through the store moves the record's state (two index seeks); reading the
        # feed's own 50 releases and their versions' times cost two ORM queries a request.
        return ("feed", request.scheme, request.get_host(), request.get_full_path(),
                record_state())

    def __call__(self, request, *args, **kwargs):
        self.request = request  # for absolute enclosure URLs
        # A feed is the same for every reader until its releases change: built once a
        # process per state (50 full texts cost ~100 ms), as release pages are.
        key = self.kept_as(request, args, kwargs)
        kept = pagecache.get(key) if key else None
        if kept is not None:
            last_modified, content = kept.split(b"\n", 1)
            response = HttpResponse(content, content_type=self.feed_type.content_type)
            if last_modified:
                response["Last-Modified"] = last_modified.decode()
        else:
            response = super().__call__(request, *args, **kwargs)
            if key and response.status_code == 200:
                pagecache.put(key, response.get("Last-Modified", "").encode() + b"\n"
                              + response.content)
        if response.status_code == 200:  # WebSub discovery by header too (W3C WebSub 4)
            self_url = request.build_absolute_uri()
            response["Link"] = f'<{hub_url(request)}>; rel="hub", <{self_url}>; rel="self"'
        return cache_public(response, max_age=300)


def both_flavours(feed_class):
    """(atom view, rss view) for one subject."""
    atom = type(feed_class.__name__ + "Atom", (feed_class,), {})()
    rss = type(feed_class.__name__ + "Rss", (feed_class,),
               {"feed_type": FullTextRssFeed, "flavour": "rss"})()
    return atom, rss


class MinistryFeed(ReleaseFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Ministry, slug=slug)

    def title(self, obj):
        return f"{SITE}: {xml_text(obj.name)}"

    def link(self, obj):
        return obj.get_absolute_url()

    def subject(self, obj):
        return Release.objects.filter(ministry=obj), None


class BureauFeed(ReleaseFeed):
    def get_object(self, request, slug):
        return get_object_or_404(Bureau, slug=slug)

    def title(self, obj):
        return f"{SITE}: {xml_text(obj.name)}"

    def link(self, obj):
        return reverse("website:release_list") + f"?bureau={obj.slug}"

    def subject(self, obj):
        return Release.objects.filter(bureau=obj), None


class LanguageFeed(ReleaseFeed):
    def get_object(self, request, code):
        return get_object_or_404(Language, code=code)

    def title(self, obj):
        return f"{SITE}: {obj.native_name} ({obj.name})"

    def link(self, obj):
        return reverse("website:release_list") + f"?lang={obj.code}"

    def subject(self, obj):
        return Release.objects.filter(in_language(obj)), obj

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        feed.feed["language"] = obj.code
        return feed


class SearchFeed(ReleaseFeed):
    """Any search as a feed: the newest matching versions."""

    def get_object(self, request):
        q = " ".join(xml_text(request.GET.get("q", "")).split())[:200]
        if not q:
            raise Http404("A search feed needs a query: ?q=words")
        return q

    def title(self, obj):
        return f"{SITE}: search for “{obj}”"

    def link(self, obj):
        return "/search/?" + urlencode({"q": obj})

    def subject(self, obj):
        return None

    def items(self, obj):
        return search_versions(obj, limit=FEED_SIZE)


latest_atom, latest_rss = both_flavours(ReleaseFeed)
ministry_atom, ministry_rss = both_flavours(MinistryFeed)
bureau_atom, bureau_rss = both_flavours(BureauFeed)
language_atom, language_rss = both_flavours(LanguageFeed)
search_atom, search_rss = both_flavours(SearchFeed)
