"""The release page's signature block, and checking downloads offline: with the standalone
script (only `cryptography` needed) and with `pressroom verify`."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from conftest import ROOT, SAMPLE, SEED
from pressroom.releases.models import LanguageVersion
from pressroom.website import pagecache

SCRIPT = ROOT / "tools" / "verify_release.py"


@pytest.fixture
def seed(import_paths):
    import_paths(SEED)
    return LanguageVersion.objects.get(release_id=1548606)


def download(client, tmp_path, release_id=1548606):
    for name in (f"{release_id}.json", f"{release_id}.json.sig", f"{release_id}.txt",
                 f"{release_id}.txt.sig"):
        r = client.get(f"/release/{name}")
        assert r.status_code == 200, name
        (tmp_path / name).write_bytes(r.content)
    (tmp_path / "pressroom-keys.json").write_bytes(client.get("/.well-known/pressroom-keys.json").content)
    return tmp_path


def test_release_page_says_signed_in_log_entry_with_qr_for_print(client, seed):
    html = client.get("/release/1548606/").content.decode()
    assert "Signed by <code>" in html and "in log entry 0" in html
    assert "/verify/?url=" in html and "trust-qr" in html
    # The QR code is an image of its own: the verify link, drawn as an SVG kept for a day.
    qr = client.get("/release/1548606/qr.svg")
    assert qr.status_code == 200 and qr["Content-Type"] == "image/svg+xml"
    assert 'src="/release/1548606/qr.svg"' in html and "public" in qr["Cache-Control"]
    # The same image in every interface language: one cached copy for all readers.
    assert "Accept-Language" not in qr.get("Vary", "") and not qr.has_header("Content-Language")
    assert "Accept-Language" in client.get("/release/1548606/")["Vary"]
    svg = qr.content.decode()
    assert svg.startswith("<svg") and "http://testserver/verify/?url=/release/1548606/" in svg
    assert client.get("/release/1548606/xx/qr.svg").status_code == 404
    # The original named by its language: the QR code of the release's own link.
    assert b"?url=/release/1548606/<" in client.get("/release/1548606/en/qr.svg").content
    assert client.get("/release/99999999/qr.svg").status_code == 404
    assert "/release/1548606.txt.sig" in html and "/release/1548606.json.sig" in html


def test_a_byte_changed_in_the_database_shows_on_the_page_and_in_verify(client, seed, tmp_path):
    changed = seed.body_text.replace("Kazakhstan", "Kazakhstam", 1)
    LanguageVersion.objects.filter(pk=seed.pk).update(body_text=changed)
    pagecache.clear()
    html = client.get("/release/1548606/").content.decode()
    assert "does not match what Pressroom signed" in html
    folder = download(client, tmp_path)
    with pytest.raises(CommandError):
        call_command("verify", str(folder / "1548606.json"))
    run = subprocess.run([sys.executable, str(SCRIPT), str(folder / "1548606.json"), "--keys",
                          str(folder / "pressroom-keys.json")], capture_output=True, text=True)
    assert run.returncode == 1 and "body_text differs" in run.stdout


def test_standalone_script_checks_both_downloads(client, seed, tmp_path):
    folder = download(client, tmp_path)
    for name in ("1548606.json", "1548606.txt"):
        run = subprocess.run([sys.executable, "-I", str(SCRIPT), name], cwd=folder,
                             capture_output=True, text=True)
        assert run.returncode == 0, run.stdout + run.stderr
        assert "GENUINE" in run.stdout and "log entry 0" in run.stdout


def test_the_script_is_standalone_and_served(client, seed):
    source = SCRIPT.read_text()
    assert "pressroom" not in "".join(line for line in source.splitlines()
                                      if line.startswith(("import", "from")))
    assert client.get("/verify/verify_release.py").content.decode() == source


def test_edited_download_fails_offline(client, seed, tmp_path):
    folder = download(client, tmp_path)
    doc = json.loads((folder / "1548606.json").read_text())
    doc["versions"][0]["body_text"] = doc["versions"][0]["body_text"].replace("2018", "2019", 1)
    (folder / "1548606.json").write_text(json.dumps(doc, ensure_ascii=False))
    text = (folder / "1548606.txt").read_text().replace("India", "Pakistan", 1)
    (folder / "1548606.txt").write_text(text)
    for name in ("1548606.json", "1548606.txt"):
        run = subprocess.run([sys.executable, str(SCRIPT), name], cwd=folder, capture_output=True, text=True)
        assert run.returncode == 1 and "NOT VERIFIED" in run.stdout, name
    sig = json.loads((folder / "1548606.json.sig").read_text())
    sig["entries"][0]["signature"] = sig["entries"][0]["signature"][:-4] + "AAAA"
    (folder / "1548606.json.sig").write_text(json.dumps(sig))
    run = subprocess.run([sys.executable, str(SCRIPT), "1548606.json"], cwd=folder,
                         capture_output=True, text=True)
    assert "FAIL" in run.stdout


def test_pressroom_verify_with_and_without_the_sig(client, seed, tmp_path, capsys):
    folder = download(client, tmp_path)
    call_command("verify", str(folder / "1548606.txt"))
    assert "GENUINE" in capsys.readouterr().out
    (folder / "1548606.txt.sig").unlink()
    call_command("verify", str(folder / "1548606.txt"))  # proofs from this database
    assert "GENUINE" in capsys.readouterr().out


def test_keys_commands(seed, capsys):
    from pressroom.trust.models import SigningKey

    old = SigningKey.objects.get().kid
    call_command("keys", "rotate")
    # --kid= takes any ID, one beginning with "-" too (a base64url thumbprint does, 1 in 64)
    call_command("keys", "revoke", f"--kid={old}", "--at", "2020-01-01T00:00:00Z")
    out = capsys.readouterr().out
    assert f"key {old} revoked from 2020-01-01T00:00:00Z" in out
    with pytest.raises(CommandError):
        call_command("keys", "revoke", "nosuchkey", "--at", "now")
    with pytest.raises(CommandError, match="-nosuchkey"):
        call_command("keys", "revoke", "--kid=-nosuchkey", "--at", "now")
    with pytest.raises(CommandError, match="name one key"):
        call_command("keys", "revoke", "--at", "now")
    current = SigningKey.objects.exclude(kid=old).get().kid
    if not current.startswith("-"):  # the positional form, where argparse allows it
        call_command("keys", "revoke", current, "--at", "2030-01-01T00:00:00Z")
        assert f"key {current} revoked" in capsys.readouterr().out
    with pytest.raises(CommandError):
        call_command("keys", "revoke", old, "--at", "yesterday")
    call_command("trustlog", "audit")
    assert Path  # the log stayed whole through rotation and revocation


def test_a_translation_has_a_qr_code_of_its_own_verify_link(client, sample_archive):
    html = client.get("/release/1610907/hi/").content.decode()
    assert 'src="/release/1610907/hi/qr.svg"' in html
    svg = client.get("/release/1610907/hi/qr.svg").content.decode()
    assert 'xmlns="http://www.w3.org/2000/svg"' in svg
    assert "/verify/?url=/release/1610907/hi/" in svg


def test_the_kept_signature_block_shows_each_pages_own_values(client, import_paths):
    """The block is rendered once per interface language and kept; each page's log entry,
    links and state still come from that page (in English and Hindi, intact and not)."""
    from pressroom.trust.models import LogEntry
    from pressroom.trust.templatetags import trust

    import_paths(SAMPLE / "pib-2020")
    trust._kept.clear()
    everything = LanguageVersion.objects.order_by("release_id", "language_id")
    versions = list(everything[:4]) + list(everything.filter(is_original=True)[4:7])
    assert len({v.release_id for v in versions}) > 1
    for interface in ("en", "hi"):
        client.cookies["django_language"] = interface
        for v in versions:
            html = client.get(v.get_absolute_url()).content.decode()
            entry = LogEntry.objects.filter(version_id=v.pk).order_by("-index").first()
            assert f"in log entry {entry.index}" in html or interface == "hi"
            assert f"{entry.index}" in html and f"?url={v.get_absolute_url()}" in html
            assert f"/release/{v.release_id}.txt.sig" in html and "\ue011" not in html
            assert "does not match what Pressroom signed" not in html
    broken = versions[0]
    LanguageVersion.objects.filter(pk=broken.pk).update(body_text=broken.body_text + " x")
    pagecache.clear()
    client.cookies["django_language"] = "en"
    assert "does not match what Pressroom signed" in client.get(broken.get_absolute_url()).content.decode()
    assert "does not match" not in client.get(versions[-1].get_absolute_url()).content.decode()
