"""Every write of the record is signed and logged in its own transaction: imports say
"archived on <date>", publications "issued"; corrections, translations and status changes
are new entries chained to the one before."""

import json
import os
import stat
from datetime import timedelta

import pytest
from django.utils import timezone

from conftest import SEED
from pressroom.releases import store
from pressroom.releases.models import Bureau, LanguageVersion, Ministry, Release
from pressroom.trust import keys, log, signing
from pressroom.trust.models import LogEntry, SigningKey
from pressroom.trust.offline import canonical_json, check_signed, key_set, record_hash


def entries_of(release_id):
    return list(LogEntry.objects.filter(release_id=release_id).order_by("index"))


def assert_signed(entry):
    problem = check_signed(entry.statement, entry.signature, key_set(keys.jwks()))
    assert problem is None, problem
    assert record_hash(json.loads(entry.record)) == entry.statement["record_sha256"]


@pytest.fixture
def published(db, languages):
    m, _ = Ministry.objects.get_or_create(name="Ministry of Defence")
    b, _ = Bureau.objects.get_or_create(name="PIB Delhi")
    return store.publish_release(
        ministry=m, bureau=b, language="en", posted_at=timezone.now(),
        fields=store.content_fields(title="Exercise Ajeya Warrior begins",
                                    body_html="<p>The joint exercise of 120 soldiers begins today.</p>",
                                    sign_off="ABC/DEF"))


def test_an_import_is_signed_as_archived(import_paths):
    import_paths(SEED)
    (entry,) = entries_of(1548606)
    assert entry.statement["attests"].startswith("archived on ")
    assert entry.statement["event"] == "import" and entry.index == 0
    assert_signed(entry)
    record = json.loads(entry.record)
    version = LanguageVersion.objects.get(release_id=1548606)
    assert record["title"] == version.title and record["body_text"] == version.body_text
    assert record["posted_at"] == "2018-10-04T17:19:00+05:30" and record["previous"] is None


def test_publication_correction_withdrawal_are_entries_chained(published):
    version = published.versions.get()
    store.correct_version(version, fields=store.content_fields(
        title="Exercise Ajeya Warrior begins",
        body_html="<p>The joint exercise of 150 soldiers begins today.</p>", sign_off="ABC/DEF"),
        note="Number of soldiers corrected")
    store.set_status(published, Release.Status.WITHDRAWN, "Issued in error")
    first, corrected, withdrawn = entries_of(published.release_id)
    assert [e.statement["event"] for e in (first, corrected, withdrawn)] == ["publish", "correct", "status"]
    assert all(e.statement["attests"] == "issued" for e in (first, corrected, withdrawn))
    assert (corrected.revision, withdrawn.revision) == (2, 2)
    assert json.loads(corrected.record)["previous"] == first.statement["record_sha256"]
    assert json.loads(withdrawn.record)["previous"] == corrected.statement["record_sha256"]
    assert withdrawn.statement["status"] == "withdrawn"
    assert "150 soldiers" in json.loads(corrected.record)["body_text"]
    for e in (first, corrected, withdrawn):
        assert_signed(e)
    assert log.audit() == []


def test_a_failed_signature_leaves_nothing_written(published, monkeypatch):
    def broken(*a, **k):
        raise RuntimeError("no key")

    monkeypatch.setattr(keys, "signer", broken)
    version = published.versions.get()
    with pytest.raises(RuntimeError):
        store.correct_version(version, fields=store.content_fields(title="Changed"), note="x")
    version.refresh_from_db()
    assert version.title == "Exercise Ajeya Warrior begins" and version.revision == 1


def test_key_made_once_in_the_data_folder_mode_0600(published, key_folder):
    (path,) = key_folder.glob("*.pem")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert path.stem == SigningKey.objects.get().kid
    keys._loaded.clear()
    signing.sign_versions([published.versions.get().pk], reason=store.CORRECT)
    assert len(list(key_folder.glob("*.pem"))) == 1  # the same key again


def test_a_key_given_by_file(published, settings, tmp_path):
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    pem = tmp_path / "prod.pem"
    pem.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                      serialization.NoEncryption()))
    settings.PRESSROOM = {**settings.PRESSROOM, "SIGNING_KEY_FILE": str(pem)}
    signing.sign_versions([published.versions.get().pk], reason=store.CORRECT)
    assert LogEntry.objects.order_by("-index").first().statement["kid"] == keys.kid_of(keys.raw_public(key))


def test_rotation_keeps_old_signatures_valid_revocation_ends_later_ones(published):
    version = published.versions.get()
    old_kid = SigningKey.objects.get().kid
    new_kid = keys.rotate()
    assert new_kid != old_kid
    signing.sign_versions([version.pk], reason=store.CORRECT)
    first, second = entries_of(published.release_id)
    assert first.statement["kid"] == old_kid and second.statement["kid"] == new_kid
    assert_signed(first)
    assert_signed(second)
    # Revoked from just after the second signature: both still verify; a later one would not.
    at = timezone.now() + timedelta(seconds=2)
    keys.revoke(new_kid, at)
    assert_signed(second)
    late = dict(second.statement, signed_at=keys.iso(at + timedelta(seconds=1)))
    late_sig = keys.sign(keys._read(new_kid), canonical_json(late))
    assert "revoked" in check_signed(late, late_sig, key_set(keys.jwks()))
    # Revoked before it signed: its signature stops verifying.
    keys.revoke(new_kid, timezone.now() - timedelta(days=1))
    assert "revoked" in check_signed(second.statement, second.signature, key_set(keys.jwks()))
    assert_signed(first)
    jwk = {k["kid"]: k for k in keys.jwks()["keys"]}
    assert jwk[new_kid]["revoked"] is True and jwk[old_kid]["revoked"] is False
    assert jwk[old_kid]["not_after"] is not None
    # What signs next is a new key, not the revoked one.
    signing.sign_versions([version.pk], reason=store.CORRECT)
    assert entries_of(published.release_id)[-1].statement["kid"] not in (old_kid, new_kid)


def test_a_level_16_tile_from_tiles_of_several_appends(db, monkeypatch):
    """Level-16 tiles are made from level-8 ones, some stored by earlier appends, some new."""
    from pressroom.trust import merkle

    monkeypatch.setattr(log, "STORED_LEVELS", (2, 4))  # the same code at a testable size
    items = [dict(release_id=i, language="en", version_id=i, revision=1, event="import",
                  statement={"n": i}, signature="s", record="{}") for i in range(70)]
    for a, b in ((0, 5), (5, 13), (13, 17), (17, 40), (40, 70)):
        log.append(items[a:b])
    leaves = [bytes(h) for h in LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    assert log.audit() == []
    from pressroom.trust.models import LogTile
    assert LogTile.objects.filter(level=4).count() == 4
    for n in range(1, 71):
        assert log.root(n) == merkle.mth(merkle.list_subtree(leaves), 0, n)


def test_tiles_make_roots_without_reading_every_leaf(db, django_assert_max_num_queries):
    from pressroom.trust import merkle

    items = [dict(release_id=i, language="en", version_id=i, revision=1, event="import",
                  statement={"n": i}, signature="s", record="{}") for i in range(700)]
    log.append(items[:300])
    log.append(items[300:])
    leaves = [bytes(h) for h in LogEntry.objects.order_by("index").values_list("leaf_hash", flat=True)]
    tree = merkle.list_subtree(leaves)
    for n in (1, 255, 256, 257, 512, 699, 700):
        assert log.root(n) == merkle.mth(tree, 0, n)
    with django_assert_max_num_queries(4):  # 512 + 128 + 32 + 16 + ...: tiles, then few leaves
        log.root(640)
    assert log.audit() == []


@pytest.mark.parametrize("parallel", [True, False])
def test_records_made_by_the_reading_process_are_the_records_of_what_was_written(
        import_paths, parallel):
    """An import's reader makes each new version's record; each one signed must be exactly
    what the record gives for the version as written, read back."""
    from conftest import SAMPLE

    report = import_paths(SAMPLE, bulk=True, parallel=parallel)
    assert report.counts["added"] > 30 and not report.rejects
    entries = list(LogEntry.objects.order_by("index"))
    assert len(entries) == LanguageVersion.objects.count()
    versions = LanguageVersion.objects.select_related("release__ministry", "release__bureau")
    by_pk = {v.pk: v for v in versions}
    for e in entries:
        assert e.record == canonical_json(signing.record_of(by_pk[e.version_id], None)).decode()
        assert_signed(e)


def test_a_prepared_record_is_not_used_where_its_assumptions_fail():
    row = {"release_id": 7, "language": "en", "pib_id": None, "ministry": "Ministry of Mines",
           "bureau": "PIB Delhi", "posted_at": timezone.now(), "title": "T", "subtitles": "",
           "body_text": "B", "sign_off": "", "status": "published",
           "derived": {"trust_record": ("Ministry of Coal", "PIB Delhi", "published", "{}", "x")}}
    record, digest = signing._row_record(row)
    assert json.loads(record)["ministry"] == "Ministry of Mines" and digest == record_hash(
        json.loads(record))
    row["derived"]["trust_record"] = ("Ministry of Mines", "PIB Delhi", "published", "{}", "x")
    assert signing._row_record(row) == ("{}", "x")
