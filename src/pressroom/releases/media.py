"""Photos and documents of a language version, and the files behind them.

A file is stored once, named by the SHA-256 of the bytes received (``StoredFile``): the
original stays in private storage (staff only: it may carry EXIF and GPS data); what readers
get is made from it once, at upload (re-encoded photo sizes without metadata; the document
itself). ``Photo`` and ``Attachment`` place a file in one language version, in order, with
that language's caption and alt text. They are written only through ``releases.store``.
"""

from django.db import models


class StoredFile(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image"
        DOCUMENT = "document"

    sha256 = models.CharField(max_length=64, unique=True, help_text="Of the bytes as received")
    kind = models.CharField(max_length=8, choices=Kind.choices)
    content_type = models.CharField(max_length=100, help_text="Read from the content")
    extension = models.CharField(max_length=8)
    size = models.PositiveBigIntegerField(help_text="Bytes as received")
    original_name = models.CharField(max_length=255, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    page_count = models.PositiveIntegerField(null=True, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True, help_text="From the camera, if it said")
    # Public copies: [{"format": "webp", "width": 800, "height": 600, "name": "...", "bytes": N}],
    # "full" the largest clean JPEG; for documents one entry, the document.
    variants = models.JSONField(default=list, blank=True)
    public_sha256 = models.CharField(max_length=64, blank=True,
                                     help_text="Of the public full-size copy")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.sha256[:12]} {self.content_type}"

    @property
    def original_name_in_storage(self):
        return f"originals/{self.sha256[:2]}/{self.sha256}.{self.extension}"

    def variant(self, fmt: str, width: int | None = None):
        """The public copy in a format, of a width (None: the largest)."""
        found = [v for v in self.variants if v["format"] == fmt]
        if width is not None:
            found = [v for v in found if v["width"] == width]
        return max(found, key=lambda v: v["width"]) if found else None

    def url(self, variant: dict) -> str:
        from django.core.files.storage import default_storage

        return default_storage.url(variant["name"])

    @property
    def thumbnail_url(self) -> str:
        small = self.widths("jpeg")
        return self.url(small[0]) if small else ""

    @property
    def public_url(self) -> str:
        """The full-size clean photo, or the document."""
        v = self.variant("jpeg") if self.kind == self.Kind.IMAGE else (self.variants or [None])[0]
        return self.url(v) if v else ""

    def widths(self, fmt: str) -> list[dict]:
        return sorted((v for v in self.variants if v["format"] == fmt), key=lambda v: v["width"])


class Photo(models.Model):
    version = models.ForeignKey("releases.LanguageVersion", on_delete=models.CASCADE,
                                related_name="photos")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="photos")
    position = models.PositiveSmallIntegerField(default=0)
    caption = models.TextField(blank=True, help_text="In the version's language")
    alt_text = models.TextField(help_text="What the photo shows, for people who cannot see it")
    credit = models.CharField(max_length=200, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["version", "position", "id"]

    def __str__(self):
        return f"{self.version} photo {self.position}"


class Attachment(models.Model):
    version = models.ForeignKey("releases.LanguageVersion", on_delete=models.CASCADE,
                                related_name="attachments")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="attachments")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.TextField()
    language = models.ForeignKey("releases.Language", null=True, blank=True,
                                 on_delete=models.PROTECT, related_name="+",
                                 help_text="The document's language (may differ from the version's)")

    class Meta:
        ordering = ["version", "position", "id"]

    def __str__(self):
        return f"{self.version} attachment {self.position}"
