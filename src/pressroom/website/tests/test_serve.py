"""`pressroom serve` for real: gunicorn on a free port, a page and a static file fetched."""

import json
import os
import re
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
    with urllib.request.urlopen(request, timeout=10) as r:
        return r.status, r.headers, r.read()


@pytest.fixture
def served(tmp_path):
    """A data folder with the seed release, served by `pressroom serve` (1 worker)."""
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "PRESSROOM_DEBUG", "PRESSROOM_HTTPS",
                        "DJANGO_ALLOW_ASYNC_UNSAFE")}
    env["PRESSROOM_DATA"] = str(tmp_path)
    pressroom = str(BIN / "pressroom")
    subprocess.run([pressroom, "migrate", "-v0"], env=env, check=True)
    subprocess.run([pressroom, "import", str(SEED), "--quiet"], env=env, check=True)
    port = free_port()
    log = open(tmp_path / "serve.log", "w+")
    proc = subprocess.Popen([pressroom, "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1",
                             "--threads", "2"], env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        # collectstatic compresses every font with brotli first: allow for a busy machine.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            try:
                fetch(base + "/healthz")
                break
            except OSError:
                if proc.poll() is not None:
                    pytest.fail("pressroom serve exited: " + (tmp_path / "serve.log").read_text())
                time.sleep(0.2)
        yield base, tmp_path / "serve.log"
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        log.close()


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

    time.sleep(0.3)  # the worker writes its log line after the response
    lines = [json.loads(line) for line in log_path.read_text().splitlines() if line.startswith("{")]
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
                            env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0 and "PRESSROOM_DEBUG is on" in result.stderr
