"""Every write of the record is signed and logged, and the near-duplicate index follows it,
inside the record's own transaction (releases.store sends versions_changed in it): if
signing fails, the write fails, so nothing is published unsigned."""

from django.dispatch import receiver

from pressroom.releases.store import bulk_import, versions_changed

from . import neardup, signing


@receiver(versions_changed, dispatch_uid="trust.versions_changed")
def on_versions_changed(sender, version_ids, reason="", new=False, **details):
    rows = details.get("rows")  # an import's new versions, as written: nothing read back
    signing.sign_versions(version_ids, reason=reason, new=new, rows=rows)
    if reason != "status":  # a status change leaves the text as it was
        neardup.index(version_ids, fresh=new, rows=rows)


@receiver(bulk_import, dispatch_uid="trust.bulk_import")
def on_bulk_import(sender, phase, **details):
    if phase == "start":
        neardup.suspend_index()
    else:
        neardup.restore_index()
