"""Photos and documents a draft carries before it is published.

Not the public record: at publication they become the original version's photos and
attachments (``releases.store.set_media``) in the publishing transaction. The files
themselves are the record's ``StoredFile`` (stored once, by hash) from the first upload.
"""

from django.db import models

from pressroom.releases import store
from pressroom.releases.models import Language, StoredFile


def draft_media_specs(draft):
    """The draft's photos and documents, in order, as the store takes them."""
    photos = [store.PhotoSpec(p.file, p.alt_text, p.caption, p.credit, p.taken_at)
              for p in draft.photos.select_related("file").order_by("position", "id")]
    attachments = [store.AttachmentSpec(a.file, a.title, a.language_id) for a in
                   draft.attachments.select_related("file").order_by("position", "id")]
    return photos, attachments


class DraftPhoto(models.Model):
    draft = models.ForeignKey("newsroom.Draft", on_delete=models.CASCADE, related_name="photos")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    caption = models.TextField(blank=True)
    alt_text = models.TextField(blank=True, help_text="Required before publication")
    credit = models.CharField(max_length=200, blank=True)
    taken_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["draft", "position", "id"]

    def __str__(self):
        return f"draft {self.draft_id} photo {self.position}"


class DraftAttachment(models.Model):
    draft = models.ForeignKey("newsroom.Draft", on_delete=models.CASCADE,
                              related_name="attachments")
    file = models.ForeignKey(StoredFile, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.TextField()
    language = models.ForeignKey(Language, null=True, blank=True, on_delete=models.PROTECT,
                                 related_name="+")

    class Meta:
        ordering = ["draft", "position", "id"]

    def __str__(self):
        return f"draft {self.draft_id} attachment {self.position}"
