"""Photos and documents a draft carries before it is published.

Not the public record: at publication they become the original version's photos and
attachments (``releases.store.set_media``) in the publishing transaction. The files
themselves are the record's ``StoredFile`` (stored once, by hash) from the first upload.
"""

from django.db import models

from pressroom.releases.models import Language, StoredFile


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
