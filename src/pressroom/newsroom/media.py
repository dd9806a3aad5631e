"""A draft's photos and documents, and those of a published release's language versions.

One shape for both: the current list of ``store.PhotoSpec`` / ``store.AttachmentSpec``, an
operation makes the new list, ``save`` keeps it. Before publication the lists are the
draft's own rows (``DraftPhoto``, ``DraftAttachment``); after, they are the record's and
every change goes through ``releases.store.set_media`` with a public note.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from pressroom.releases import store
from pressroom.releases.models import LanguageVersion

from . import workflow
from .media_models import DraftAttachment, DraftPhoto
from .permissions import is_press, may_work_on


class DraftMedia:
    published = False

    def __init__(self, draft):
        self.draft = draft
        self.language_id = draft.language_id

    def specs(self):
        photos = [store.PhotoSpec(p.file, p.alt_text, p.caption, p.credit, p.taken_at)
                  for p in self.draft.photos.select_related("file").order_by("position", "id")]
        attachments = [store.AttachmentSpec(a.file, a.title, a.language_id) for a in
                       self.draft.attachments.select_related("file").order_by("position", "id")]
        return photos, attachments

    def save(self, user, photos, attachments, note=""):
        with transaction.atomic():
            DraftPhoto.objects.filter(draft=self.draft).delete()
            DraftAttachment.objects.filter(draft=self.draft).delete()
            DraftPhoto.objects.bulk_create([
                DraftPhoto(draft=self.draft, file=p.file, position=i, caption=p.caption.strip(),
                           alt_text=p.alt_text.strip(), credit=p.credit.strip(),
                           taken_at=p.taken_at) for i, p in enumerate(photos)])
            DraftAttachment.objects.bulk_create([
                DraftAttachment(draft=self.draft, file=a.file, position=i, title=a.title.strip(),
                                language_id=a.language) for i, a in enumerate(attachments)])
            type(self.draft).objects.filter(pk=self.draft.pk).update(updated_at=timezone.now(),
                                                                     updated_by=user)
            workflow.record(user, "media", self.draft, from_state=self.draft.state,
                            to_state=self.draft.state, note=note[:500])


class VersionMedia:
    published = True

    def __init__(self, draft, version: LanguageVersion):
        self.draft = draft
        self.version = version
        self.language_id = version.language_id

    def specs(self):
        return store._specs(self.version)

    def save(self, user, photos, attachments, note=""):
        if not note.strip():
            raise store.RecordError("the release is published: give a public change note")
        with transaction.atomic():
            store.set_media(self.version, photos=photos, attachments=attachments, note=note)
            workflow.record(user, "media", self.draft, from_state=self.draft.state,
                            to_state=self.draft.state, note=f"{self.language_id}: {note}"[:500])


def media_for(user, draft, language: str | None = None):
    """The media set this user may change for the draft (or the release's version in
    ``language``), or None if they may not."""
    if draft.release_id is None:
        return DraftMedia(draft) if workflow.can_edit(user, draft) else None
    if draft.state == workflow.S.REMOVED or not (is_press(user)
                                                 and may_work_on(user, draft.ministry_id)):
        return None
    version = (LanguageVersion.objects.filter(release_id=draft.release_id, language_id=language)
               .first() if language else None) or LanguageVersion.objects.filter(
        release_id=draft.release_id, is_original=True).first()
    return VersionMedia(draft, version) if version else None


def draft_bytes(photos, attachments) -> int:
    return sum({s.file.sha256: s.file.size for s in [*photos, *attachments]}.values())


def publish_draft_media(draft, version) -> None:
    """At publication (inside its transaction): the draft's media become the version's."""
    photos, attachments = DraftMedia(draft).specs()
    if photos or attachments:
        store.set_media(version, photos=photos, attachments=attachments, revise=False)
