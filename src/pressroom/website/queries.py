"""Reading the record for pages: listing filters and lookups. Views stay thin."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.db.models import Prefetch, Q
from django.utils.translation import gettext as _

from pressroom.releases.models import Bureau, Language, LanguageVersion, Ministry, Release
from pressroom.releases.pibtext import IST


@dataclass
class ListingFilter:
    """What /releases/ was asked for, read leniently: bad values become errors, not 500s."""

    day: date | None = None
    ministry: Ministry | None = None
    bureau: Bureau | None = None
    language: Language | None = None
    errors: list[str] = field(default_factory=list)

    @classmethod
    def from_query(cls, params) -> ListingFilter:
        f = cls()
        raw_date = params.get("date", "").strip()
        if raw_date:
            try:
                f.day = date.fromisoformat(raw_date[:10])
            except ValueError:
                f.errors.append(_("“%(value)s” is not a date: use YYYY-MM-DD, for example "
                                  "2020-04-04.") % {"value": raw_date[:40]})
        unknown = {"ministry": _("There is no ministry “%(value)s”."),
                   "bureau": _("There is no bureau “%(value)s”."),
                   "lang": _("There is no language “%(value)s”.")}
        for key, model, attr in (("ministry", Ministry, "slug"), ("bureau", Bureau, "slug"),
                                 ("lang", Language, "code")):
            value = params.get(key, "").strip()[:200]
            if value:
                # PostgreSQL refuses NUL in text parameters; no slug or code holds one.
                obj = None if "\x00" in value else model.objects.filter(**{attr: value}).first()
                if obj is None:
                    f.errors.append(unknown[key] % {"value": value[:60]})
                setattr(f, key if key != "lang" else "language", obj)
        return f

    def releases(self):
        qs = Release.objects.exclude(status=Release.Status.REMOVED)
        if self.day:
            start = datetime.combine(self.day, time.min, tzinfo=IST)
            qs = qs.filter(posted_at__gte=start, posted_at__lt=start + timedelta(days=1))
        if self.ministry:
            qs = qs.filter(ministry=self.ministry)
        if self.bureau:
            qs = qs.filter(bureau=self.bureau)
        if self.language:
            qs = qs.filter(versions__language=self.language)
        return qs.order_by("-posted_at", "-release_id")

    def as_query(self) -> dict:
        q = {}
        if self.day:
            q["date"] = self.day.isoformat()
        if self.ministry:
            q["ministry"] = self.ministry.slug
        if self.bureau:
            q["bureau"] = self.bureau.slug
        if self.language:
            q["lang"] = self.language.code
        return q


def with_display_versions(releases, language: Language | None = None):
    """Attach `.shown` (the version to show in a listing) and `.languages` to each release."""
    releases = list(releases.select_related("ministry", "bureau").prefetch_related(
        Prefetch("versions", queryset=LanguageVersion.objects.select_related("language").only(
            "id", "release_id", "language_id", "is_original", "title", "subtitles",
            "language__code", "language__native_name", "language__direction",
            "language__position", "language__name"))
    ))
    for r in releases:
        versions = list(r.versions.all())
        chosen = [v for v in versions if language and v.language_id == language.code]
        originals = [v for v in versions if v.is_original]
        r.shown = (chosen or originals or versions or [None])[0]
        r.languages = sorted((v.language for v in versions), key=lambda lang: lang.position)
    return releases


def find_release_or_version(number: int):
    """A PIB ID names a release or, for translations PIB numbered apart, one version."""
    release = Release.objects.filter(release_id=number).first()
    if release:
        return release, None
    version = LanguageVersion.objects.select_related("release").filter(pib_id=number).first()
    if version:
        return version.release, version
    return None, None


def days_of(releases):
    """[(date in IST, [releases])], newest day first, for pages grouped by day."""
    groups: dict[date, list] = {}
    for r in releases:
        groups.setdefault(r.posted_at.astimezone(IST).date(), []).append(r)
    return list(groups.items())



def search_versions(q: str, limit: int = 50):
    """Newest published versions whose title or text contains every word of `q`.

    A stand-in for `pressroom.search` (built in parallel): feeds and the API ask this one
    function, so pointing it at the search index is a change here only.
    """
    qs = (LanguageVersion.objects.select_related("release__ministry", "release__bureau", "language")
          .exclude(release__status=Release.Status.REMOVED))
    words = q.split()[:10]
    if not words:
        return []
    for word in words:
        qs = qs.filter(Q(title__icontains=word) | Q(body_text__icontains=word))
    return list(qs.order_by("-release__posted_at", "-release__release_id")[:limit])
