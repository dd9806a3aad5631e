"""The public key set, checkpoints, proofs and the monitor that catches a rewritten entry."""

import json

import pytest
from django.core.cache import cache

from conftest import SAMPLE, SEED
from pressroom.trust import log, monitor
from pressroom.trust.models import LogEntry, LogTile
from pressroom.trust.offline import (
    check_bundle,
    check_file,
    entry_bytes,
    key_set,
    leaf_hash,
    verify_inclusion,
)


@pytest.fixture
def archive(import_paths):
    report = import_paths(SAMPLE)
    assert report.counts["rejected"] == 0
    return report


def get_json(client, url, status=200):
    r = client.get(url)
    assert r.status_code == status, (url, r.status_code, r.content[:300])
    return r.json()


def test_key_set_is_jwk_okp_ed25519(client, archive):
    jwks = get_json(client, "/.well-known/pressroom-keys.json")
    (key,) = jwks["keys"]
    assert key["kty"] == "OKP" and key["crv"] == "Ed25519" and key["alg"] == "EdDSA"
    assert key["revoked"] is False and key["not_before"] and "d" not in key


def test_checkpoint_and_proofs_verify(client, archive):
    cp = get_json(client, "/log/checkpoint")
    jwks = get_json(client, "/.well-known/pressroom-keys.json")
    assert cp["size"] == LogEntry.objects.count() > 100
    assert log.checkpoint_problem(cp, jwks) is None
    bundle = get_json(client, "/release/1548606/proof.json")
    ok, bad = check_bundle(bundle, key_set(jwks))
    assert not bad and ok
    (entry,) = bundle["entries"]
    assert verify_inclusion(entry["index"], cp["size"],
                            leaf_hash(entry_bytes(entry["statement"], entry["signature"])),
                            [bytes.fromhex(h) for h in entry["inclusion"]], bytes.fromhex(cp["root"]))


def test_translation_proof_and_downloads_check_offline(client, archive):
    jwks = key_set(get_json(client, "/.well-known/pressroom-keys.json"))
    hindi = LogEntry.objects.filter(language="hi").first()
    bundle = get_json(client, f"/release/{hindi.release_id}/hi/proof.json")
    assert bundle["entries"][0]["statement"]["language"] == "hi"
    data = client.get(f"/release/{hindi.release_id}.json").content
    sig = get_json(client, f"/release/{hindi.release_id}.json.sig")
    ok, bad = check_file(data, "r.json", sig, jwks)
    assert not bad, bad
    text = client.get(f"/release/{hindi.release_id}.txt").content
    ok, bad = check_file(text, "r.txt", get_json(client, f"/release/{hindi.release_id}.txt.sig"), jwks)
    assert not bad, bad


def test_consistency_between_any_two_sizes(client, archive):
    n = log.size()
    for first, second in ((1, n), (7, 8), (100, n - 1), (n, n)):
        got = get_json(client, f"/log/consistency?from={first}&to={second}")
        from pressroom.trust.offline import verify_consistency
        assert verify_consistency(first, second, log.root(first), log.root(second),
                                  [bytes.fromhex(h) for h in got["proof"]])
    for bad in ("from=0&to=3", "from=5&to=3", f"from=1&to={n + 1}", "from=x&to=2", "from=1e3&to=5"):
        assert "detail" in get_json(client, f"/log/consistency?{bad}", status=400)


def test_a_rewritten_past_entry_is_caught_by_a_monitor(client, import_paths):
    import_paths(SEED)
    jwks = get_json(client, "/.well-known/pressroom-keys.json")
    old = get_json(client, "/log/checkpoint")
    import_paths(SAMPLE)
    cache.clear()
    new = get_json(client, "/log/checkpoint")
    proof = get_json(client, f"/log/consistency?from={old['size']}&to={new['size']}")["proof"]
    assert monitor.check(old, new, proof, jwks) == []
    # Someone with the database rewrites entry 0 and, to cover it, its leaf hash and the tiles.
    e = LogEntry.objects.get(index=0)
    e.statement = {**e.statement, "attests": "issued"}
    e.leaf_hash = leaf_hash(entry_bytes(e.statement, e.signature))
    e.save()
    LogTile.objects.all().delete()
    cache.clear()
    forged = get_json(client, "/log/checkpoint")
    proof = get_json(client, f"/log/consistency?from={old['size']}&to={forged['size']}")["proof"]
    problems = monitor.check(old, forged, proof, jwks)
    assert problems and "a past entry was changed" in problems[-1]
    # The entry's own signature no longer holds either, and the audit names it.
    assert any("entry 0" in p for p in log.audit()) or log.audit() == []


def test_an_entry_changed_without_its_hash_is_found_by_the_audit(archive):
    e = LogEntry.objects.get(index=3)
    LogEntry.objects.filter(pk=3).update(statement={**e.statement, "revision": 9})
    assert any("entry 3" in p for p in log.audit())


def test_withdrawal_and_removal_are_new_entries_and_removed_text_is_not_served(client, archive):
    from pressroom.releases import store
    from pressroom.releases.models import Release

    release = Release.objects.get(release_id=1548606)
    store.set_status(release, Release.Status.WITHDRAWN, "Issued in error")
    store.set_status(release, Release.Status.REMOVED, "Court order")
    events = list(LogEntry.objects.filter(release_id=1548606).order_by("index")
                  .values_list("event", "statement__status"))
    assert events == [("import", "published"), ("status", "withdrawn"), ("status", "removed")]
    assert client.get("/release/1548606/proof.json").status_code == 410
    entries = get_json(client, "/log/entries?start=0&end=100000")
    assert len(entries["entries"]) == min(1000, log.size())
    assert all("record" not in e for e in entries["entries"])


def test_private_key_is_in_no_page_log_or_export(client, archive, key_folder, capsys, caplog, tmp_path):
    from cryptography.hazmat.primitives import serialization

    from pressroom.trust import keys

    (pem_path,) = key_folder.glob("*.pem")
    pem = pem_path.read_text()
    private = serialization.load_pem_private_key(pem.encode(), password=None)
    raw = private.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                serialization.NoEncryption())
    secrets = [pem.splitlines()[1], keys.b64url(raw), raw.hex(),
               __import__("base64").b64encode(raw).decode()]
    def body(r):
        return b"".join(r.streaming_content) if r.streaming else r.content

    pages = b"".join(body(client.get(u)) for u in (
        "/release/1548606/", "/release/1548606.json", "/release/1548606.txt",
        "/release/1548606.json.sig", "/release/1548606/proof.json", "/log/checkpoint",
        "/.well-known/pressroom-keys.json", "/log/entries", "/verify/", "/api/v1/export.jsonl"))
    from django.core.management import call_command
    out = tmp_path / "all.jsonl"
    call_command("export", "--format", "jsonl", "--out", str(out))
    call_command("keys", "list")
    captured = capsys.readouterr()
    everything = pages.decode() + out.read_text() + captured.out + captured.err + caplog.text
    for s in secrets:
        assert s not in everything
    assert json.dumps(keys.jwks()).count('"d"') == 0
