"""Webhooks and WebSub against a real HTTP server on 127.0.0.1."""

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import feedparser
import pytest
from django.test import Client

from pressroom.alerts import machines
from pressroom.alerts.models import Webhook, WebhookDelivery, WebSubSubscription

from .test_delivery import run_worker


class Receiver:
    """A local HTTP server that answers challenges and keeps what is POSTed to it."""

    def __init__(self):
        self.posts, self.gets, self.status = [], [], 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                q = parse_qs(urlsplit(self.path).query)
                receiver.gets.append(q)
                answer = (q.get("challenge") or q.get("hub.challenge") or [""])[0]
                self.send_response(200)
                self.end_headers()
                self.wfile.write(answer.encode())

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                receiver.posts.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def receiver(settings):
    settings.PRESSROOM = {**settings.PRESSROOM, "ALERTS_PRIVATE_TARGETS": True}
    r = Receiver()
    yield r
    r.close()


def register(client, **data):
    return client.post("/alerts/webhooks/", json.dumps(data), content_type="application/json")


@pytest.mark.django_db
def test_webhook_registered_signed_delivered_and_logged(defence, finance, publish, receiver):
    client = Client()
    r = register(client, url=receiver.url, ministry=defence.slug)
    assert r.status_code == 201, r.content
    hook = r.json()
    assert receiver.gets and receiver.gets[0]["challenge"]  # the URL was asked first
    publish(finance)  # not its ministry
    release = publish(defence)
    run_worker()
    [(headers, body)] = receiver.posts
    payload = json.loads(body)
    assert payload["release_id"] == release.release_id and payload["event"] == "published"
    sig = headers["X-Pressroom-Signature"]
    assert machines.verify_signature(hook["secret"], sig, body)
    assert not machines.verify_signature("wrong secret", sig, body)
    assert not machines.verify_signature(hook["secret"], sig, body + b" ")
    assert not machines.verify_signature(hook["secret"], sig, body, now=time.time() + 3600)  # replay later
    log = client.get("/alerts/webhooks/", HTTP_AUTHORIZATION=f"Bearer {hook['token']}").json()
    assert [d["status"] for d in log["deliveries"]] == ["sent"]
    assert client.get("/alerts/webhooks/", HTTP_AUTHORIZATION="Bearer 1:forged").status_code == 401


@pytest.mark.django_db
def test_failing_webhook_is_retried_then_paused(defence, publish, receiver, settings):
    settings.PRESSROOM = {**settings.PRESSROOM, "ALERTS_HOOK_MAX_FAILURES": 3}
    assert register(Client(), url=receiver.url).status_code == 201
    receiver.status = 500
    publish(defence)
    for _ in range(3):
        run_worker()
        WebhookDelivery.objects.update(due_at="2000-01-01T00:00:00Z")  # skip the backoff wait
    d = WebhookDelivery.objects.get()
    assert d.attempts == 3 and d.response_status == 500
    hook = Webhook.objects.get()
    assert hook.paused_at is not None
    run_worker()
    assert len(receiver.posts) == 3  # paused: not retried for ever


@pytest.mark.django_db
def test_webhook_to_a_private_address_is_refused_by_default(receiver, settings, db):
    settings.PRESSROOM = {**settings.PRESSROOM, "ALERTS_PRIVATE_TARGETS": False}
    r = register(Client(), url=receiver.url)
    assert r.status_code == 400 and "private" in r.json()["error"]
    assert register(Client(), url="file:///etc/passwd").status_code == 400
    assert not receiver.gets and not Webhook.objects.exists()


@pytest.mark.django_db
def test_feeds_advertise_the_hub(defence, publish):
    publish(defence)
    for url in ("/feeds/latest.atom", "/feeds/latest.rss", f"/feeds/ministry/{defence.slug}.atom"):
        r = Client().get(url)
        assert 'rel="hub"' in r["Link"] and 'rel="self"' in r["Link"]
        links = feedparser.parse(r.content).feed.links
        assert any(link.get("rel") == "hub" and link["href"].endswith("/alerts/websub/hub") for link in links)


@pytest.mark.django_db
def test_websub_subscribe_verify_and_push(defence, finance, publish, receiver):
    client = Client(enforce_csrf_checks=True)  # a server-to-server protocol: no CSRF token
    topic = f"http://testserver/feeds/ministry/{defence.slug}.atom"
    r = client.post("/alerts/websub/hub", {"hub.mode": "subscribe", "hub.topic": topic,
                                           "hub.callback": receiver.url, "hub.secret": "s3cret"})
    assert r.status_code == 202
    assert client.post("/alerts/websub/hub", {"hub.mode": "subscribe", "hub.topic": "http://evil/x",
                                              "hub.callback": receiver.url}).status_code == 400
    run_worker()
    [q] = receiver.gets
    assert q["hub.mode"] == ["subscribe"] and q["hub.topic"] == [topic]
    assert WebSubSubscription.objects.get().verified_at is not None
    publish(finance)
    release = publish(defence, title="Pushed to the reader")
    run_worker()
    [(headers, body)] = receiver.posts
    import hashlib
    import hmac

    assert headers["X-Hub-Signature"] == "sha256=" + hmac.new(b"s3cret", body, hashlib.sha256).hexdigest()
    assert 'rel="hub"' in headers["Link"]
    feed = feedparser.parse(body)
    assert feed.entries[0].title == "Pushed to the reader"
    assert str(release.release_id) in feed.entries[0].link
