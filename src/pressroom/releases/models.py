"""The public record: ministries, bureaus, languages, releases, language versions, revisions.

A release has one permanent Release ID and one or more language versions (the original
first, then translations); changing a version keeps its old content as a revision.
Only import (ingest) and publishing (newsroom) write these tables.
"""

from django.db import models
from django.utils.text import slugify

from pressroom.urlcache import reverse_cached

from .limits import BUREAU_NAME_MAX, MINISTRY_NAME_MAX, SEPARATOR_MAX


class Ministry(models.Model):
    name = models.CharField(max_length=MINISTRY_NAME_MAX, unique=True)
    slug = models.SlugField(max_length=200, unique=True)
    pib_id = models.PositiveIntegerField(null=True, blank=True, help_text="PIB's own ministry id")

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "ministries"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or unique_slug(Ministry, self.name)
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse_cached("website:release_list") + f"?ministry={self.slug}"


class Bureau(models.Model):
    name = models.CharField(max_length=BUREAU_NAME_MAX, unique=True,
                            help_text="As PIB prints it: 'PIB Delhi'")
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.slug = self.slug or unique_slug(Bureau, self.name.removeprefix("PIB ").strip())
        super().save(*args, **kwargs)


class _NameInLanguage(models.Model):
    """The name of a ministry or bureau in one language (admins edit and add these)."""

    language = models.ForeignKey("Language", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(max_length=200)

    class Meta:
        abstract = True

    def __str__(self):
        return f"{self.language_id}: {self.name}"


class MinistryName(_NameInLanguage):
    ministry = models.ForeignKey(Ministry, on_delete=models.CASCADE, related_name="names")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["ministry", "language"],
                                               name="one_ministry_name_per_language")]


class BureauName(_NameInLanguage):
    bureau = models.ForeignKey(Bureau, on_delete=models.CASCADE, related_name="names")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["bureau", "language"],
                                               name="one_bureau_name_per_language")]


def name_in(obj, language: str) -> tuple[str, str]:
    """(a ministry's or bureau's name in ``language``, the language that name is in): the
    English name, with "en", where it has none yet. Uses prefetched ``names`` if there."""
    if language and language != "en" and obj is not None:
        cache = getattr(obj, "_prefetched_objects_cache", {}).get("names")
        if cache is not None:
            found = next((n.name for n in cache if n.language_id == language), None)
        else:
            found = obj.names.filter(language_id=language).values_list("name", flat=True).first()
        if found:
            return found, language
    return (obj.name if obj is not None else ""), "en"


def unique_slug(model, text: str) -> str:
    base = slugify(text)[:180] or "x"
    slug, n = base, 1
    while model.objects.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug


class Language(models.Model):
    code = models.CharField(max_length=8, primary_key=True)
    name = models.CharField(max_length=50, unique=True, help_text="English name")
    native_name = models.CharField(max_length=50, help_text="The language's name for itself")
    script = models.CharField(max_length=4, help_text="ISO 15924 code")
    direction = models.CharField(max_length=3, choices=[("ltr", "ltr"), ("rtl", "rtl")])
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position"]

    def __str__(self):
        return self.name


class Release(models.Model):
    class Status(models.TextChoices):
        PUBLISHED = "published"
        WITHDRAWN = "withdrawn"  # stays readable with a notice
        REMOVED = "removed"  # legal removal: 410 with a notice

    release_id = models.PositiveBigIntegerField(primary_key=True)
    ministry = models.ForeignKey(Ministry, on_delete=models.PROTECT, related_name="releases")
    bureau = models.ForeignKey(Bureau, on_delete=models.PROTECT, related_name="releases")
    posted_at = models.DateTimeField(db_index=True)
    original_language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PUBLISHED)
    status_note = models.TextField(blank=True)
    status_at = models.DateTimeField(null=True, blank=True,
                                     help_text="When it was withdrawn or removed")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-posted_at", "-release_id"]
        indexes = [
            models.Index(fields=["ministry", "-posted_at"]),
            models.Index(fields=["bureau", "-posted_at"]),
            # Keyset pages (newest first): `(posted_at, release_id) < (?, ?)` is one seek.
            models.Index(fields=["posted_at", "release_id"], name="release_keyset"),
            # The newest change, one seek (queries.record_state: listings are kept until then).
            models.Index(fields=["updated_at"], name="release_updated"),
        ]

    def __str__(self):
        return f"{self.release_id}"

    def get_absolute_url(self):
        return reverse_cached("website:release", (self.release_id,))


class LanguageVersion(models.Model):
    """One language of a release: what a reader reads."""

    release = models.ForeignKey(Release, on_delete=models.CASCADE, related_name="versions")
    language = models.ForeignKey(Language, on_delete=models.PROTECT, related_name="versions")
    is_original = models.BooleanField(default=False)
    pib_id = models.PositiveBigIntegerField(
        null=True, blank=True, unique=True, help_text="PIB's own Release ID for this version"
    )
    title = models.TextField()
    subtitles = models.TextField(blank=True, help_text="One highlight line per line")
    body_html = models.TextField(blank=True, help_text="Sanitised HTML")
    body_text = models.TextField(blank=True, help_text="Plain text, one paragraph per line")
    separator = models.CharField(max_length=SEPARATOR_MAX, blank=True, help_text="The *** line as printed")
    sign_off = models.TextField(blank=True)
    visitor_count = models.PositiveBigIntegerField(default=0)
    revision = models.PositiveIntegerField(default=1)
    # Translations: which revision of the original this one translates.
    translates_revision = models.PositiveIntegerField(null=True, blank=True)
    updated_at = models.DateTimeField()
    # Text is stored in Unicode NFC; where that changed what an import received, the text
    # as received is kept here ({field: text}) so that export gives back every byte.
    received = models.JSONField(default=dict, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["release", "language"], name="one_version_per_language")
        ]
        indexes = [models.Index(fields=["language", "release"]),
                   models.Index(fields=["updated_at"], name="version_updated"),
                   # What the sitemaps read of each version, so they never touch the rows
                   # (text and HTML, 4 KB each): the index of months read every version's
                   # row, 76 s at 2M releases with a cold cache (website/sitemaps.py).
                   models.Index(fields=["release", "revision", "translates_revision",
                                        "updated_at", "is_original", "language"],
                                name="version_sitemap")]
        ordering = ["-is_original", "language__position"]

    def __str__(self):
        return f"{self.release_id}/{self.language_id}"

    def get_absolute_url(self):
        if self.is_original:
            return reverse_cached("website:release", (self.release_id,))
        return reverse_cached("website:release_version", (self.release_id, self.language_id))

    @property
    def subtitle_list(self):
        return [s for s in self.subtitles.split("\n") if s]

    @property
    def paragraphs(self):
        return [p for p in self.body_text.split("\n") if p]

    def as_received(self, field: str) -> str:
        """A text field as the import received it (before NFC)."""
        return self.received.get(field, getattr(self, field)) if self.received else getattr(
            self, field)

    def content(self) -> dict:
        """The fields a revision keeps; equal dicts mean unchanged content."""
        return {f: getattr(self, f) for f in CONTENT_FIELDS}


CONTENT_FIELDS = ("title", "subtitles", "body_html", "body_text", "separator", "sign_off", "pib_id",
                  "received")


class Revision(models.Model):
    """Content a language version had before it was changed."""

    class Reason(models.TextChoices):
        IMPORT = "import", "changed by a re-import"
        CORRECTION = "correction", "corrected"
        MEDIA = "media", "photos or documents changed"

    version = models.ForeignKey(LanguageVersion, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField()
    content = models.JSONField(help_text="The version's fields as they were")
    release_fields = models.JSONField(default=dict, help_text="Ministry, bureau, time as they were")
    replaced_at = models.DateTimeField(help_text="When this content stopped being current")
    reason = models.CharField(max_length=12, choices=Reason.choices)
    note = models.TextField(blank=True, help_text="Public change note")
    # The photos and documents (hashes, captions) the version had: releases.media.
    media = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-number"]
        constraints = [
            models.UniqueConstraint(fields=["version", "number"], name="one_revision_number")
        ]

    def __str__(self):
        return f"{self.version} r{self.number}"


class ReleaseIdSequence(models.Model):
    """The highest Release ID ever allocated at publication: one row, locked while allocating.

    Kept apart from the releases themselves so a number is never handed out twice, even if
    the release that had it were deleted from the database.
    """

    last = models.PositiveBigIntegerField(default=0)

    def __str__(self):
        return f"last Release ID {self.last}"


from .media import Attachment, Photo, StoredFile  # noqa: E402,F401  (the record's media)
