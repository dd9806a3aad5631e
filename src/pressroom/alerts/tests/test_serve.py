"""`pressroom serve` runs the alerts worker and, with no SMTP server configured, a mail
catcher: a newcomer signs up, confirms and sees an alert arrive at /alerts/outbox-demo/."""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request

import pytest

from .conftest import subscribe
from .test_worker_kill import database_url, wait_for


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_serve_runs_worker_and_mail_catcher(defence, publish, tmp_path):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("PRESSROOM_EMAIL")}
    env.update(DATABASE_URL=database_url(), PRESSROOM_DATA=str(tmp_path),
               PRESSROOM_SITE_URL=f"http://127.0.0.1:{port}")
    server = subprocess.Popen(
        [sys.executable, "-m", "pressroom.cli", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1",
         "--publish-every", "0", "--alerts-every", "0.5"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    mail = tmp_path / "mail"
    try:
        def up():
            if server.poll() is not None:
                return True
            try:
                return urllib.request.urlopen(base + "/alerts/subscribe/", timeout=5).status == 200
            except OSError:
                return False
        assert wait_for(up, 300) and server.poll() is None
        # Sign up over HTTP (CSRF token and cookie, as a browser does).
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        form = opener.open(f"{base}/alerts/subscribe/?ministry={defence.slug}", timeout=30).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)[1]
        data = urllib.parse.urlencode({"csrfmiddlewaretoken": token, "email": "new@example.org",
                                       "kind": "ministry", "ministry": defence.slug, "frequency": "immediate",
                                       "digest_hour": "8", "email_language": "en"}).encode()
        def posted():
            # The mail catcher starts beside the server without holding it up; until it
            # listens, the page says the e-mail could not be sent (503) and one tries again.
            try:
                return opener.open(urllib.request.Request(f"{base}/alerts/subscribe/", data=data),
                                   timeout=30).status == 200
            except urllib.error.HTTPError as e:
                assert e.code == 503, e.code
                return False
        assert wait_for(posted, 120)
        assert wait_for(lambda: len(list(mail.glob("*.eml"))) == 1, 60)
        subscribe("reader@example.org", "ministry", ministry=defence)
        publish(defence, title="An alert arrives")
        assert wait_for(lambda: len(list(mail.glob("*.eml"))) == 2, 90)
        inbox = urllib.request.urlopen(base + "/alerts/outbox-demo/", timeout=30).read().decode()
        assert "An alert arrives" in inbox and "Confirm your Pressroom alert" in inbox
    finally:
        server.send_signal(signal.SIGTERM)
        try:
            out, _ = server.communicate(timeout=120)
        except subprocess.TimeoutExpired:  # a machine this loaded: do not leave it running
            server.kill()
            out, _ = server.communicate(timeout=60)
        print(out)
    pids = [int(p) for p in re.findall(r"Sending alerts every 0.5 s \(pid (\d+)\)", out)]
    assert pids, out
    time.sleep(0.5)
    with pytest.raises(ProcessLookupError):
        os.kill(pids[0], 0)  # the worker went with the server
