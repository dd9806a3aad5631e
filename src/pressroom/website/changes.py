"""What changed in a release: the public side-by-side comparison of two revisions, and the
corrections feeds (all, or one ministry's) whose entries carry that comparison.

A version's revisions are its past contents (``Revision.content``, numbered) and its current
text (``LanguageVersion.revision``); any two can be compared. Diffs come from
``releases.diffing`` (pure), so the newsroom's correction preview shows the same marks.
"""

from django.contrib.syndication.views import Feed
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from pressroom.releases import diffing
from pressroom.releases.models import LanguageVersion, Ministry, Release, Revision

from .caching import cache_public
from .feeds import FullTextAtomFeed, xml_text

FEED_SIZE = 50


def contents(version: LanguageVersion) -> dict[int, dict]:
    """{revision number: content} for every revision of a version, the current one included."""
    out = {r.number: r.content for r in version.revisions.all()}
    out[version.revision] = version.content()
    return out


def comparison(version: LanguageVersion, old: int, new: int) -> list[diffing.Row]:
    texts = contents(version)
    return diffing.side_by_side(diffing.text_of(texts[old]), diffing.text_of(texts[new]))


def _number(raw, default, valid):
    try:
        n = int(raw) if raw not in (None, "") else default
    except (TypeError, ValueError):
        raise Http404("No such revision") from None
    if n not in valid:
        raise Http404("No such revision")
    return n


@require_safe
def release_changes(request, release_id, lang):
    """/release/<id>/<lang>/changes/?from=N&to=M: two revisions side by side, word by word;
    by default the one before the latest against the latest."""
    version = get_object_or_404(
        LanguageVersion.objects.select_related("release__ministry", "release__bureau",
                                               "language"),
        release_id=release_id, language_id=lang)
    if version.release.status == Release.Status.REMOVED:
        raise Http404("Removed")
    texts = contents(version)
    numbers = sorted(texts)
    new = _number(request.GET.get("to"), numbers[-1], texts)
    old = _number(request.GET.get("from"), max([n for n in numbers if n < new] or [new]), texts)
    rows = diffing.side_by_side(diffing.text_of(texts[old]), diffing.text_of(texts[new]))
    revisions = {r.number: r for r in version.revisions.all()}
    return cache_public(render(request, "website/release_changes.html", {
        "version": version, "release": version.release, "rows": rows, "old": old, "new": new,
        "numbers": numbers, "changed": any(r.op != diffing.EQUAL for r in rows),
        "notes": [revisions[n] for n in sorted(revisions) if old <= n < new],
    }), max_age=60)


class CorrectionsFeed(Feed):
    """Every correction, newest first: each entry is one correction with its word diff."""

    feed_type = FullTextAtomFeed
    language = "en"

    def get_object(self, request, slug=None):
        return get_object_or_404(Ministry, slug=slug) if slug else None

    def title(self, obj):
        return (_("Pressroom: corrections, %(ministry)s") % {"ministry": obj.name} if obj
                else _("Pressroom: corrections"))

    def subtitle(self, obj):
        return _("Corrections to published press releases, with what changed.")

    def link(self, obj):
        return reverse("website:home")

    def feed_url(self, obj):
        return None

    def items(self, obj):
        qs = (Revision.objects.filter(reason=Revision.Reason.CORRECTION)
              .exclude(version__release__status=Release.Status.REMOVED)
              .select_related("version__release__ministry", "version__language")
              .order_by("-replaced_at", "-id"))
        if obj is not None:
            qs = qs.filter(version__release__ministry=obj)
        return list(qs[:FEED_SIZE])

    def item_title(self, r):
        return xml_text(_("Corrected: %(title)s") % {"title": r.version.title})

    def item_link(self, r):
        return reverse("website:release_changes", args=[r.version.release_id,
                                                        r.version.language_id]) + \
            f"?from={r.number}&to={r.number + 1}"

    def item_guid(self, r):
        return f"correction:{r.version_id}:{r.number}"

    def item_description(self, r):
        return xml_text(r.note)

    def item_pubdate(self, r):
        return r.replaced_at

    def item_updateddate(self, r):
        return r.replaced_at

    def item_author_name(self, r):
        return xml_text(r.version.release.ministry.name)

    def item_extra_kwargs(self, r):
        # The diff as sanitised-by-construction HTML: every text is escaped in diffing.
        version = r.version
        texts = contents(version)
        after = texts.get(r.number + 1, version.content())
        rows = diffing.side_by_side(diffing.text_of(r.content), diffing.text_of(after))
        html = render_to_string("website/_diff_feed.html", {"rows": rows, "note": r.note})
        return {"language": version.language_id, "content": xml_text(html)}

    def __call__(self, request, *args, **kwargs):
        return cache_public(super().__call__(request, *args, **kwargs), max_age=300)


corrections_atom = CorrectionsFeed()
