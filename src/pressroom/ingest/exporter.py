"""What `pressroom export` writes, from the record. The formats themselves (PIB text, the
JSONL schema) are releases.representations, which every reader uses; this names them for
the export command and its tests."""

from pressroom.releases.queries import releases_with_versions as releases  # noqa: F401
from pressroom.releases.representations import (  # noqa: F401
    bundle_files,
    jsonl_lines,
    jsonl_records,
    pib_text,
    to_parsed,
)


def bundle_media(release, folder) -> None:
    """A bundle's attachments/: the versions' files and media.json saying which is which."""
    import json

    from pressroom.releases import mediaio

    versions = sorted(release.versions.all(), key=lambda v: (not v.is_original, v.language.position))
    manifest = {v.language.name: m for v in versions
                if (m := mediaio.manifest_of(v, prefix="attachments/"))}
    if not manifest:
        return
    (folder / "attachments").mkdir(exist_ok=True)
    for v in versions:
        mediaio.copy_files(v, folder, prefix="attachments/")
    (folder / "attachments" / mediaio.MANIFEST).write_text(
        json.dumps(manifest, ensure_ascii=False, indent=1), encoding="utf-8")


def jsonl_media_files(release, folder) -> None:
    """The originals a JSONL export refers to (media/ab/<sha256>.<ext> beside the file)."""
    from pressroom.releases import mediaio

    for v in release.versions.all():
        mediaio.copy_files(v, folder)
