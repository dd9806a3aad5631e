"""Keeping the index in step with the record, inside the record's own transactions.

- ``versions_changed`` (import, publishing, corrections): reindex those versions.
- a release saved (status, ministry, bureau or time changed): reindex its versions; a
  ``removed`` release leaves the index, a ``withdrawn`` one stays findable.
- a version or release deleted: remove it.
- a bulk import's start and end (``bulk_import``): FTS5's merging put off, then done once;
  the planner's word statistics refreshed.

``QuerySet.update()`` sends no post_save: where the store uses it for something the index
holds (``set_status``) it sends ``versions_changed`` itself; its other updates (visitor
counts) touch nothing indexed. ``pressroom reindex`` mends writes made past the store.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from pressroom.releases.models import LanguageVersion, Release
from pressroom.releases.store import bulk_import, versions_changed

from . import engine


@receiver(versions_changed, dispatch_uid="search.versions_changed")
def on_versions_changed(sender, version_ids, new=False, rows=None, **kwargs):
    if new and rows is not None:  # just created, their fields in hand: no reading back
        engine.index_new(rows)
    else:
        engine.index(version_ids, fresh=new)  # new versions have nothing in the index to remove


@receiver(bulk_import, dispatch_uid="search.bulk_import")
def on_bulk_import(sender, phase, written=False, **kwargs):
    if phase == "start":
        engine.begin_bulk()
    else:  # which words are common changed: the planner reads them
        engine.end_bulk(written)


@receiver(post_save, sender=Release, dispatch_uid="search.release_saved")
def on_release_saved(sender, instance, created, raw=False, **kwargs):
    if raw or created:  # a new release has no versions yet; they arrive by versions_changed
        return
    if instance.status == Release.Status.REMOVED:
        engine.remove_releases([instance.release_id])
    else:
        engine.index(list(LanguageVersion.objects.filter(release_id=instance.release_id)
                          .values_list("pk", flat=True)))


@receiver(post_delete, sender=LanguageVersion, dispatch_uid="search.version_deleted")
def on_version_deleted(sender, instance, **kwargs):
    engine.remove([instance.pk])


@receiver(post_delete, sender=Release, dispatch_uid="search.release_deleted")
def on_release_deleted(sender, instance, **kwargs):
    engine.remove_releases([instance.release_id])
