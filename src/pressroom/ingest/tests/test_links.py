"""`pressroom import DIR` stays inside the paths given: links out are refused, never read;
loops of links end (issue 10, fault 7). Real symbolic links in temporary folders."""

import csv
import itertools
import os

import pytest
from django.core.management import call_command

from pressroom.ingest.sources import Notice, Reject, walk
from pressroom.releases.models import Release

TEXT = """Ministry of Finance
Budget session begins
Posted On: 31 JAN 2020 11:00AM by PIB Delhi
The session began today.
***
AB/CD
(Release ID: {rid}) Visitor Counter : 12
"""
SECRET = "TOPSECRET-first-line root:x:0:0\nPosted On: nothing\n"


@pytest.fixture
def tree(tmp_path):
    """archive/ (what is imported) beside outside/ (what must not be read)."""
    archive, outside = tmp_path / "archive", tmp_path / "outside"
    archive.mkdir()
    outside.mkdir()
    (archive / "good.txt").write_text(TEXT.format(rid=1600001))
    (outside / "secret.txt").write_text(SECRET)
    (outside / "elsewhere.txt").write_text(TEXT.format(rid=1600099))
    return archive, outside


def inputs(*paths, most=1000):
    """What a walk gives, stopped at ``most`` (an endless walk fails the test, not hangs)."""
    got = list(itertools.islice(walk(list(paths)), most))
    assert len(got) < most, "the walk does not end"
    return got


def test_two_links_to_dot_end(tree):
    archive, _ = tree
    os.symlink(".", archive / "a")
    os.symlink(".", archive / "b")
    (archive / "sub").mkdir()
    os.symlink("..", archive / "sub" / "up")  # back to archive: inside, and a loop
    got = inputs(archive)
    assert [p for p in got if not isinstance(p, Notice | Reject)] == [archive / "good.txt"]
    assert not [r for r in got if isinstance(r, Reject)]
    notices = [n for n in got if isinstance(n, Notice)]
    assert sorted(n.source.rsplit("/", 1)[1] for n in notices) == ["a", "b", "up"]
    assert all("not followed again" in n.message for n in notices)


def test_import_of_a_folder_with_link_loops_ends_and_imports_once(tree, import_paths):
    archive, _ = tree
    os.symlink(".", archive / "a")
    os.symlink(".", archive / "b")
    report = import_paths(archive)
    assert report.counts["added"] == 1 and not report.rejects
    assert Release.objects.count() == 1


def test_a_link_to_a_file_outside_is_refused_and_never_read(tree, import_paths, capsys):
    archive, outside = tree
    os.symlink(outside / "secret.txt", archive / "passwd.txt")
    os.symlink("/etc/passwd", archive / "etc.txt")
    report_file = archive.parent / "rejects.csv"
    with pytest.raises(SystemExit):
        call_command("import", str(archive), "--reject-report", str(report_file), "--quiet")
    out = capsys.readouterr()
    rows = {os.path.basename(r["source"]): r["reason"]
            for r in csv.DictReader(report_file.open())}
    assert set(rows) == {"passwd.txt", "etc.txt"}
    assert "outside the paths given: not followed" in rows["passwd.txt"]
    assert "symbolic link to /etc/passwd" in rows["etc.txt"]
    everything = report_file.read_text() + out.out + out.err
    assert "TOPSECRET" not in everything and "root:" not in everything
    assert "added 1, updated 0, unchanged 0, rejected 2" in out.out


def test_a_link_to_a_folder_outside_is_not_followed(tree, import_paths):
    archive, outside = tree
    os.symlink(outside, archive / "more")
    os.symlink("..", archive / "parent")
    report = import_paths(archive)
    assert sorted(r.source.rsplit("/", 1)[1] for r in report.rejects) == ["more", "parent"]
    assert all("outside the paths given" in r.reason for r in report.rejects)
    assert list(Release.objects.values_list("release_id", flat=True)) == [1600001]


def test_a_link_inside_the_tree_is_followed_once(tree, import_paths):
    archive, _ = tree
    (archive / "2020").mkdir()
    (archive / "2020" / "r.txt").write_text(TEXT.format(rid=1600002))
    os.symlink("2020", archive / "latest")
    os.symlink("good.txt", archive / "again.txt")
    walked = [p for p in inputs(archive) if not isinstance(p, Notice | Reject)]
    assert len(walked) == 2
    report = import_paths(archive)
    assert report.counts["added"] == 2 and not report.rejects
    assert report.counts["unchanged"] == 0  # each release read once


def test_a_link_into_another_given_tree_is_inside(tree, import_paths):
    archive, outside = tree
    os.symlink(outside / "elsewhere.txt", archive / "elsewhere.txt")
    (outside / "secret.txt").unlink()
    report = import_paths(archive, outside)
    assert not report.rejects
    assert Release.objects.count() == 2


def test_a_bundle_file_linked_outside_is_refused_the_rest_imported(tree, import_paths):
    archive, outside = tree
    bundle = archive / "1600003"
    bundle.mkdir()
    (bundle / "English.txt").write_text(TEXT.format(rid=1600003))
    (outside / "Hindi.txt").write_text("शीर्षक\nपाठ\n")
    os.symlink(outside / "Hindi.txt", bundle / "Hindi.txt")
    report = import_paths(archive)
    assert [r.source for r in report.rejects] == [str(bundle / "Hindi.txt")]
    assert "outside the paths given" in report.rejects[0].reason
    release = Release.objects.get(release_id=1600003)
    assert list(release.versions.values_list("language_id", flat=True)) == ["en"]


def test_an_english_file_linked_to_etc_passwd_is_not_read(tree, import_paths):
    archive, _ = tree
    bundle = archive / "1600004"
    bundle.mkdir()
    os.symlink("/etc/passwd", bundle / "English.txt")
    report = import_paths(archive)
    assert any("symbolic link to /etc/passwd" in r.reason for r in report.rejects)
    assert not any("root:" in r.reason for r in report.rejects)


def test_a_link_named_on_the_command_line_is_followed(tree, import_paths):
    # Naming it is asking for it: only what a walk finds is kept inside the paths.
    archive, outside = tree
    os.symlink(outside / "elsewhere.txt", archive / "named.txt")
    report = import_paths(archive / "named.txt")
    assert report.counts["added"] == 1 and not report.rejects


def test_a_broken_link_is_a_clear_reject(tree, import_paths):
    archive, _ = tree
    os.symlink(archive / "gone.txt", archive / "broken.txt")
    report = import_paths(archive)
    assert [(r.source.rsplit("/", 1)[1], "broken symbolic link" in r.reason)
            for r in report.rejects] == [("broken.txt", True)]
