"""The outbox is filled here, inside the transaction that changes the record.

``releases.store.versions_changed`` is sent inside the writing transaction; this receiver
only writes ``Event`` rows (one INSERT, cheap), so a publication and its alert commit
together or not at all. Matching subscriptions and sending happen later, in the worker.

What makes an alert (``reason`` from the store):

- PUBLISH: a new release -> ``published``;
- TRANSLATE of a language the release did not have -> ``translated`` (updates of an
  existing translation are not news);
- CORRECT only when the sender passes ``major=True`` (the newsroom marks a correction
  major; a minor fix of a typo alerts nobody) -> ``corrected``, with the change note
  (``note=`` if given, else the revision's public note);
- STATUS with ``status="withdrawn"`` -> ``withdrawn``, with the reason;
- IMPORT -> nothing: an imported archive is not news.
"""

from django.dispatch import receiver

from pressroom.releases import store
from pressroom.releases.models import LanguageVersion, Release, Revision

from .models import Event


@receiver(store.versions_changed, dispatch_uid="alerts.versions_changed")
def on_versions_changed(sender, version_ids, reason=None, new=False, **details):
    if not version_ids or reason in (None, store.IMPORT):
        return
    vid = version_ids[0]
    if reason == store.PUBLISH:
        version = LanguageVersion.objects.filter(pk=vid).values("release_id").first()
        if version:
            Event.objects.create(kind=Event.Kind.PUBLISHED, release_id=version["release_id"], version_id=vid)
    elif reason == store.TRANSLATE:
        # A version that has never been revised is the one just added.
        version = LanguageVersion.objects.filter(pk=vid).values("release_id", "revision").first()
        if version and (new or version["revision"] == 1):
            Event.objects.create(kind=Event.Kind.TRANSLATED, release_id=version["release_id"], version_id=vid)
    elif reason == store.CORRECT:
        if not details.get("major"):
            return
        version = LanguageVersion.objects.filter(pk=vid).values("release_id").first()
        if version:
            note = details.get("note") or (Revision.objects.filter(version_id=vid).order_by("-number")
                                           .values_list("note", flat=True).first() or "")
            Event.objects.create(kind=Event.Kind.CORRECTED, release_id=version["release_id"],
                                 version_id=vid, note=note)
    elif reason == store.STATUS and details.get("status") == Release.Status.WITHDRAWN:
        original = (LanguageVersion.objects.filter(pk__in=version_ids, is_original=True)
                    .values("pk", "release_id", "release__status_note").first())
        if original:
            Event.objects.create(kind=Event.Kind.WITHDRAWN, release_id=original["release_id"],
                                 version_id=original["pk"], note=original["release__status_note"] or "")
