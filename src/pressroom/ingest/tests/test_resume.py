"""An import killed at any point and run again ends as an uninterrupted run would."""

import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

N = 3000


def write_archive(n: int, path: Path, seed: int = 7) -> Path:
    """n small releases as Pressroom JSONL, about one in five with a Hindi version."""
    rng = random.Random(seed)
    words = "government scheme minister national development rural health water road".split()
    with path.open("w", encoding="utf-8") as f:
        for i in range(n):
            base = {"release_id": 3_000_000 + i, "ministry": f"Ministry of {rng.choice(words).title()}",
                    "bureau": rng.choice(["PIB Delhi", "PIB Mumbai"]), "separator": "***",
                    "posted_at": f"2020-{1 + i % 12:02d}-{1 + i % 28:02d}T10:{i % 60:02d}:00+05:30",
                    "sign_off": "AB/CD", "visitor_count": rng.randint(0, 5000)}
            body = "\n".join(" ".join(rng.choices(words, k=20)) for _ in range(3))
            hindi = rng.random() < 0.2
            f.write(json.dumps({**base, "language": "en", "original": True, "subtitles": [],
                                "title": " ".join(rng.choices(words, k=8)), "body_text": body,
                                "versions": ["hi"] if hindi else []}) + "\n")
            if hindi:
                f.write(json.dumps({**base, "language": "hi", "original": False, "subtitles": [],
                                    "title": "सरकार योजना", "body_text": "भारत सरकार की योजना।",
                                    "versions": ["en"]}, ensure_ascii=False) + "\n")
    return path


def pressroom(data: Path, *args, **kwargs):
    env = {**os.environ, "PRESSROOM_DATA": str(data)}
    env.pop("DATABASE_URL", None)  # each run gets its own SQLite database
    return subprocess.Popen([sys.executable, "-m", "pressroom.cli", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kwargs)


def release_count(db: Path) -> int:
    try:
        with sqlite3.connect(f"file:{db}?mode=ro", uri=True, timeout=5) as con:
            return con.execute("SELECT count(*) FROM releases_release").fetchone()[0]
    except sqlite3.OperationalError:
        return 0


def readers_of(archive: Path) -> list[int]:
    """Processes still running an import of this archive."""
    pids = []
    for proc in Path("/proc").iterdir():
        try:
            if proc.name.isdigit() and str(archive).encode() in (proc / "cmdline").read_bytes():
                pids.append(int(proc.name))
        except OSError:
            continue
    return pids


def export(data: Path) -> bytes:
    p = pressroom(data, "export", "--format", "jsonl")
    out, err = p.communicate(timeout=600)
    assert p.returncode == 0, err
    return out


@pytest.mark.slow
@pytest.mark.parametrize("kill_after", [1, 6])
def test_killed_import_run_again_equals_uninterrupted(tmp_path, kill_after):
    archive = write_archive(N, tmp_path / "archive.jsonl")
    clean, killed = tmp_path / "clean", tmp_path / "killed"
    for data in (clean, killed):
        p = pressroom(data, "migrate", "-v", "0")
        assert p.wait(timeout=600) == 0, p.stderr.read()

    p = pressroom(clean, "import", str(archive), "--quiet")
    assert p.wait(timeout=600) == 0, p.stderr.read()

    # Small batches so that the kill lands between and inside them.
    p = pressroom(killed, "import", str(archive), "--quiet", "--batch-size", "100")
    deadline = time.monotonic() + 600  # generous: a loaded machine is slow, not broken
    while release_count(killed / "pressroom.sqlite3") < kill_after * 100:
        assert p.poll() is None, "import finished before it could be killed"
        assert time.monotonic() < deadline
        time.sleep(0.01)
    p.send_signal(signal.SIGKILL)
    p.wait(timeout=180)
    partial = release_count(killed / "pressroom.sqlite3")
    # The process that reads for the import notices and leaves too.
    deadline = time.monotonic() + 180
    while readers_of(archive) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not readers_of(archive)
    assert 0 < partial < N and partial % 100 == 0  # whole batches only, never half a release

    p = pressroom(killed, "import", str(archive))
    out, err = p.communicate(timeout=600)
    assert p.returncode == 0, err
    assert f"added {N - partial}, updated 0, unchanged {partial}, rejected 0" in out.decode()
    assert export(killed) == export(clean)
