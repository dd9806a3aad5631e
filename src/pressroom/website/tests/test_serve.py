"""`pressroom serve` for real: gunicorn on a free port, a page and a static file fetched."""

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from pressroom.testing import free_port

BIN = Path(sys.executable).parent
SEED = Path(__file__).resolve().parents[4] / "sample" / "seed"


def fetch(url, **headers):
    request = urllib.request.Request(url, headers={"User-Agent": "Mozilla/5.0 test", **headers})
    with urllib.request.urlopen(request, timeout=60) as r:
        return r.status, r.headers, r.read()


# Waits are for readiness, polled, with limits a loaded machine stays inside (two test
# suites at once on two cores): nothing here depends on the machine being idle.
READY_WITHIN = 180


def serve_env(data_dir: Path, home: Path | None = None) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "PRESSROOM_DEBUG", "PRESSROOM_HTTPS",
                        "DJANGO_ALLOW_ASYNC_UNSAFE", "XDG_RUNTIME_DIR")}
    env["PRESSROOM_DATA"] = str(data_dir)
    if home is not None:
        env["HOME"] = str(home)
    return env


def wait_until(ready, proc, log_path, what, within=READY_WITHIN):
    """Poll `ready()` until true; fail at once if the server exited, or after `within` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except OSError:
            pass
        if proc.poll() is not None:
            pytest.fail(f"pressroom serve exited before {what}: " + log_path.read_text())
        time.sleep(0.2)
    pytest.fail(f"no {what} within {within} s: " + log_path.read_text())


def start_serve(data_dir: Path, *args, home: Path | None = None):
    """`pressroom serve` on a free port in `data_dir`: (process, base URL, log path)."""
    env = serve_env(data_dir, home)
    port = free_port()
    log_path = data_dir / "serve.log"
    with open(log_path, "w") as log:
        proc = subprocess.Popen([str(BIN / "pressroom"), "serve", "--bind", f"127.0.0.1:{port}",
                                 "--workers", "1", "--threads", "2", *args],
                                env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    wait_until(lambda: fetch(base + "/healthz")[0] == 200, proc, log_path, "answer on /healthz")
    return proc, base, log_path


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
    proc.wait(timeout=READY_WITHIN)


def prepare(data_dir: Path, collected_static, *, seed=True):
    env = serve_env(data_dir)
    collected_static(data_dir)  # make setup's collected files: serve starts at once
    subprocess.run([str(BIN / "pressroom"), "migrate", "-v0"], env=env, check=True)
    if seed:
        subprocess.run([str(BIN / "pressroom"), "import", str(SEED), "--quiet"], env=env, check=True)


@pytest.fixture
def served(tmp_path, collected_static):
    """A data folder with the seed release, served by `pressroom serve` (1 worker)."""
    prepare(tmp_path, collected_static)
    proc, base, log_path = start_serve(tmp_path)
    try:
        yield base, log_path
    finally:
        stop(proc)


@pytest.mark.slow
def test_serve_gives_pages_static_files_headers_and_json_logs(served):
    base, log_path = served
    status, headers, body = fetch(base + "/release/1548606/")
    assert status == 200 and b"India and Kazakhstan" in body
    assert "default-src 'self'" in headers["Content-Security-Policy"]
    assert "script-src 'self'" in headers["Content-Security-Policy"]
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    # DEBUG is off: an unknown page is the site's own 404, not Django's debug page.
    with pytest.raises(urllib.error.HTTPError) as missing:
        fetch(base + "/release/999/")
    assert missing.value.code == 404 and b"URLconf" not in missing.value.read()

    css = re.search(rb'href="(/static/website/site\.[0-9a-f]{12}\.css)"', body)
    assert css, "stylesheet link is not the hashed, collected name"
    status, headers, plain = fetch(base + css.group(1).decode())
    assert status == 200 and headers["Content-Type"].startswith("text/css")
    assert headers["Cache-Control"] == "max-age=315360000, public, immutable"
    for encoding in ("br", "gzip"):
        _, headers, packed = fetch(base + css.group(1).decode(), **{"Accept-Encoding": encoding})
        assert headers["Content-Encoding"] == encoding and len(packed) < len(plain)
        assert "Accept-Encoding" in headers["Vary"]

    status, _, body = fetch(base + "/healthz")
    assert json.loads(body)["checks"]["database"]["ok"] is True

    def logged():  # the worker writes its log line after the response
        lines = [json.loads(x) for x in log_path.read_text().splitlines() if x.startswith("{")]
        return [x for x in lines if x["path"] == css.group(1).decode()] and lines

    deadline = time.monotonic() + READY_WITHIN
    while not (lines := logged()) and time.monotonic() < deadline:
        time.sleep(0.2)
    page = next(x for x in lines if x["path"] == "/release/1548606/")
    assert page["method"] == "GET" and page["status"] == 200 and page["ms"] > 0
    assert any(x["path"] == css.group(1).decode() and x["status"] == 200 for x in lines)


def test_check_deploy_is_clean_on_http_and_https(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PRESSROOM_DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["PRESSROOM_DATA"] = str(tmp_path)
    for https in ("0", "1"):
        result = subprocess.run([str(BIN / "pressroom"), "check", "--deploy", "--fail-level",
                                 "WARNING"], env={**env, "PRESSROOM_HTTPS": https},
                                capture_output=True, text=True)
        assert result.returncode == 0, result.stderr + result.stdout
        assert "no issues" in result.stdout


def test_secret_key_is_made_once_in_the_data_folder_and_kept_private(tmp_path):
    env = {k: v for k, v in os.environ.items()
           if k not in ("PRESSROOM_SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["PRESSROOM_DATA"] = str(tmp_path)
    show = "from django.conf import settings; print(settings.SECRET_KEY)"
    keys = [subprocess.run([str(BIN / "pressroom"), "shell", "-c", show], env=env, check=True,
                           capture_output=True, text=True).stdout.strip().splitlines()[-1]
            for _ in range(2)]
    key_file = tmp_path / "secret_key"
    assert keys[0] == keys[1] == key_file.read_text().strip() and len(keys[0]) >= 50
    assert key_file.stat().st_mode & 0o077 == 0
    given = subprocess.run([str(BIN / "pressroom"), "shell", "-c", show], check=True, text=True,
                           env={**env, "PRESSROOM_SECRET_KEY": "from-the-environment-" + "x" * 40},
                           capture_output=True).stdout.strip().splitlines()[-1]
    assert given.startswith("from-the-environment-")


def test_serve_refuses_to_run_with_debug_on(tmp_path):
    env = {k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"}
    env.update(PRESSROOM_DATA=str(tmp_path), PRESSROOM_DEBUG="1")
    result = subprocess.run([str(BIN / "pressroom"), "serve", "--bind", f"127.0.0.1:{free_port()}"],
                            env=env, capture_output=True, text=True, timeout=READY_WITHIN)
    assert result.returncode != 0 and "PRESSROOM_DEBUG is on" in result.stderr


def alive(pid: int) -> bool:
    """Running, not a zombie: a dead orphan may wait long for PID 1 to reap it."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state not in ("Z", "X")


def children_of(pid: int) -> list[int]:
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(stat.parent.name))
    return found


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_kill_9_of_the_master_ends_the_publisher_and_the_workers(tmp_path, collected_static):
    prepare(tmp_path, collected_static, seed=False)
    proc, base, log_path = start_serve(tmp_path, "--publish-every", "0.5")
    try:
        publisher = int(re.search(r"Publishing scheduled releases every 0.5 s \(pid (\d+)\)",
                                  log_path.read_text())[1])
        wait_until(lambda: len(children_of(proc.pid)) >= 2, proc, log_path,
                   "a worker beside the publisher")
        children = children_of(proc.pid)
        assert publisher in children and all(alive(pid) for pid in children)
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=READY_WITHIN)
        deadline = time.monotonic() + READY_WITHIN
        while any(alive(pid) for pid in children) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not [pid for pid in children if alive(pid)], (
            "children outlived a kill -9 of the master:\n" + log_path.read_text())
    finally:
        for pid in [proc.pid, *children_of(proc.pid)]:
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
        stop(proc)


def test_publish_due_whose_parent_is_already_gone_stops_at_once(tmp_path):
    # The race PR_SET_PDEATHSIG leaves: the parent died before the child asked the kernel.
    env = serve_env(tmp_path)
    subprocess.run([str(BIN / "pressroom"), "migrate", "-v0"], env=env, check=True)
    started = time.monotonic()
    result = subprocess.run([str(BIN / "pressroom"), "publish-due", "--loop", "3600",
                             "--parent-pid", "1"], env=env, capture_output=True, text=True,
                            timeout=READY_WITHIN)
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < READY_WITHIN  # not the hour its loop waits


@pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="needs Linux /proc")
def test_the_parent_watch_ends_publish_due_where_the_kernel_would_not(tmp_path):
    """Without PR_SET_PDEATHSIG (other systems), the loop's watch of its parent's pid."""
    env = serve_env(tmp_path)
    subprocess.run([str(BIN / "pressroom"), "migrate", "-v0"], env=env, check=True)
    parent = subprocess.Popen([sys.executable, "-c", """
import os, subprocess, sys, time
child = subprocess.Popen([sys.executable, "-c", '''
import sys
from pressroom import lifeline
lifeline.die_with_parent = lambda pid, *a: False  # as where there is no prctl
from pressroom.cli import main
main(["publish-due", "--loop", "3600", "--parent-pid", sys.argv[1]])
''', str(os.getpid())])  # the parent names itself, as serve does: no race
print(child.pid, flush=True)
time.sleep(3600)
"""], env=env, stdout=subprocess.PIPE, text=True)
    child = int(parent.stdout.readline())
    try:
        assert alive(child)
        parent.kill()
        parent.wait(timeout=READY_WITHIN)
        deadline = time.monotonic() + READY_WITHIN
        while alive(child) and time.monotonic() < deadline:
            time.sleep(0.2)
        assert not alive(child), Path(f"/proc/{child}/status").read_text()[:400]
    finally:
        try:
            os.kill(child, signal.SIGKILL)
        except ProcessLookupError:
            pass


@pytest.mark.slow
def test_serve_keeps_its_control_socket_in_the_data_folder(collected_static, tmp_path):
    import tempfile

    # A short path: a Unix socket's must fit in 108 bytes (pytest's tmp_path may not).
    data = Path(tempfile.mkdtemp(prefix="pr-", dir="/tmp"))
    home = tmp_path / "home"
    home.mkdir()
    try:
        prepare(data, collected_static, seed=False)
        proc, base, log_path = start_serve(data, "--publish-every", "0", home=home)
        try:
            wait_until(lambda: (data / "gunicorn.ctl").is_socket(), proc, log_path,
                       "control socket in the data folder")
            assert not (home / ".gunicorn").exists()  # gunicorn's default, one for every instance
            assert (data / "gunicorn.ctl").stat().st_mode & 0o077 == 0
            # A second instance beside it has its own: neither takes the other's.
            other = Path(tempfile.mkdtemp(prefix="pr-", dir="/tmp"))
            prepare(other, collected_static, seed=False)
            proc2, _, log2 = start_serve(other, "--publish-every", "0", home=home)
            try:
                wait_until(lambda: (other / "gunicorn.ctl").is_socket(), proc2, log2,
                           "the second instance's socket")
                assert (data / "gunicorn.ctl").is_socket()
            finally:
                stop(proc2)
                shutil.rmtree(other, ignore_errors=True)
        finally:
            stop(proc)
        assert "Collecting and compressing static files" not in log_path.read_text()
    finally:
        shutil.rmtree(data, ignore_errors=True)


def test_a_data_folder_too_long_for_a_socket_turns_the_control_socket_off(settings, tmp_path):
    from pressroom.website.management.commands.serve import control_socket

    settings.PRESSROOM = {**settings.PRESSROOM, "DATA_DIR": tmp_path / ("x" * 120)}
    assert control_socket() == {"control_socket_disable": True}
    settings.PRESSROOM = {**settings.PRESSROOM, "DATA_DIR": Path("/tmp/pr-short")}
    assert control_socket() == {"control_socket": "/tmp/pr-short/gunicorn.ctl",
                                "control_socket_mode": 0o600}
