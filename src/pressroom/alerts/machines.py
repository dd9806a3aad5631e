"""Machines: webhooks for API clients and WebSub for feed readers.

Webhooks: each delivery is a JSON POST signed with HMAC-SHA256 over ``"<timestamp>.<body>"``
with the hook's own secret (``X-Pressroom-Signature: t=<unix time>,v1=<hex>``, the receiver
rejects old timestamps to stop replays), retried with backoff, logged per delivery, and the
hook is paused after ``ALERTS_HOOK_MAX_FAILURES`` failed attempts in a row.

WebSub (W3C Recommendation): Pressroom is its own hub at ``/alerts/websub/hub``. A
subscriber POSTs ``hub.mode``/``hub.topic``/``hub.callback``; the worker verifies intent
(GET with ``hub.challenge``, which must come back), and after each change to a feed POSTs
the feed's new content to every verified callback, signed with ``X-Hub-Signature`` when
the subscriber gave a secret. With ``PRESSROOM_WEBSUB_HUB`` set to another hub, feeds
advertise that one and the worker pings it (``hub.mode=publish``) instead.

Requests go only to URLs their owners registered; addresses on private networks are
refused unless ``ALERTS_PRIVATE_TARGETS`` is on (tests, a closed network).
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import logging
import secrets
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from datetime import timedelta

from django.db.models import F, Q
from django.test import RequestFactory
from django.urls import Resolver404, resolve
from django.utils import timezone

from pressroom.releases.models import LanguageVersion

from .fanout import document_for
from .matching import Document, compiled, query_matches
from .messages import absolute, conf
from .models import Event, Webhook, WebhookDelivery, WebSubDelivery, WebSubSubscription
from .sending import backoff

log = logging.getLogger("pressroom.alerts")
TIMEOUT = 10
USER_AGENT = "Pressroom-Alerts/1 (+webhooks, WebSub)"


class TargetRefused(ValueError):
    pass


def check_target(url: str) -> None:
    """Refuse what is not http(s), or (unless allowed) resolves to a private address."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefused("only http and https URLs")
    if any(ch in url for ch in "\r\n\t "):
        raise TargetRefused("the URL holds white space")
    if conf("ALERTS_PRIVATE_TARGETS"):
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, parts.port or 443, proto=socket.IPPROTO_TCP)
    except socket.gaierror as e:
        raise TargetRefused(f"the host does not resolve: {e}") from e
    for info in infos:
        ip = ipaddress.ip_address(info[4][0])
        if not ip.is_global:
            raise TargetRefused("the host is on a private network")


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect could lead anywhere: we only send where we were told


_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirect)


def http(method: str, url: str, body: bytes | None = None, headers: dict | None = None):
    """(status, body) of one request; raises on connection failure. Non-2xx is returned."""
    check_target(url)
    req = urllib.request.Request(url, data=body, method=method,
                                 headers={"User-Agent": USER_AGENT, **(headers or {})})
    try:
        with _opener.open(req, timeout=TIMEOUT) as resp:
            return resp.status, resp.read(65536)
    except urllib.error.HTTPError as e:
        return e.code, e.read(65536) if e.fp else b""


def signature(secret: str, timestamp: int, body: bytes) -> str:
    mac = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return f"t={timestamp},v1={mac}"


def verify_signature(secret: str, header: str, body: bytes, tolerance: int = 300,
                     now: float | None = None) -> bool:
    """What a receiver does (and the tests): right MAC, timestamp within ``tolerance`` s."""
    try:
        fields = dict(part.split("=", 1) for part in header.split(","))
        ts = int(fields["t"])
    except (KeyError, ValueError):
        return False
    if abs((now or time.time()) - ts) > tolerance:
        return False
    return hmac.compare_digest(signature(secret, ts, body), header)


def new_secret() -> str:
    return secrets.token_urlsafe(32)


# --- which hooks and feeds an event reaches ----------------------------------------------

def hook_matches(hook: Webhook, doc: Document) -> bool:
    if hook.ministry_id and hook.ministry_id != doc.ministry_id:
        return False
    if hook.bureau_id and hook.bureau_id != doc.bureau_id:
        return False
    if hook.language_id and hook.language_id != doc.language:
        return False
    return not hook.query or query_matches(compiled(hook.query), doc)


def topic_matches(topic: str, doc: Document, slugs: dict) -> bool:
    """Does the feed at ``topic`` change with ``doc``? (paths as website/urls.py has them)"""
    parts = urllib.parse.urlsplit(topic)
    path = parts.path
    for prefix in ("/feeds/latest.",):
        if path.startswith(prefix):
            return doc.language == slugs["original_language"]
    for kind in ("ministry", "bureau", "language"):
        prefix = f"/feeds/{kind}/"
        if path.startswith(prefix):
            return path[len(prefix):].rsplit(".", 1)[0] == slugs[kind]
    if path.startswith("/feeds/search."):
        q = urllib.parse.parse_qs(parts.query).get("q", [""])[0]
        return bool(q) and query_matches(compiled(q), doc)
    return False


def standard_topics(slugs: dict) -> list[str]:
    """The feeds an event changes, for pinging an external hub."""
    paths = [f"/feeds/ministry/{slugs['ministry']}", f"/feeds/bureau/{slugs['bureau']}",
             f"/feeds/language/{slugs['language']}"]
    if slugs["language"] == slugs["original_language"]:
        paths.append("/feeds/latest")
    return [absolute(p + ext) for p in paths for ext in (".atom", ".rss")]


def _slugs(version: LanguageVersion) -> dict:
    r = version.release
    return {"ministry": r.ministry.slug, "bureau": r.bureau.slug, "language": version.language_id,
            "original_language": r.original_language_id}


def fan_out_machines(event: Event) -> None:
    now = timezone.now()
    doc = document_for(event)
    if doc is not None:
        version = LanguageVersion.objects.select_related("release__ministry", "release__bureau").get(
            pk=event.version_id)
        hooks = Webhook.objects.filter(paused_at__isnull=True)
        WebhookDelivery.objects.bulk_create(
            [WebhookDelivery(hook=h, event=event, due_at=now) for h in hooks if hook_matches(h, doc)],
            ignore_conflicts=True)
        slugs = _slugs(version)
        subs = WebSubSubscription.objects.filter(verified_at__isnull=False, expires_at__gt=now)
        WebSubDelivery.objects.bulk_create(
            [WebSubDelivery(subscription=s, event=event, due_at=now) for s in subs
             if topic_matches(s.topic, doc, slugs)], ignore_conflicts=True)
        if conf("WEBSUB_HUB"):
            ping_hub(standard_topics(slugs))
    Event.objects.filter(pk=event.pk).update(machines_done_at=now)


def ping_hub(topics: list[str]) -> None:
    body = urllib.parse.urlencode([("hub.mode", "publish")] + [("hub.url", t) for t in topics]).encode()
    try:
        http("POST", conf("WEBSUB_HUB"), body, {"Content-Type": "application/x-www-form-urlencoded"})
    except Exception as e:  # noqa: BLE001 - the hub will poll; a failed ping is logged
        log.warning("WebSub hub ping failed: %s", e)


# --- sending -----------------------------------------------------------------------------

def webhook_payload(event: Event) -> dict:
    v = (LanguageVersion.objects.select_related("release__ministry", "release__bureau")
         .get(pk=event.version_id))
    r = v.release
    return {
        "event": event.kind, "event_id": event.pk, "release_id": r.release_id, "language": v.language_id,
        "title": v.title, "ministry": r.ministry.name, "bureau": r.bureau.name,
        "posted_at": r.posted_at.isoformat(), "url": absolute(v.get_absolute_url()),
        "json": absolute(f"/release/{r.release_id}.json"),
        "verify_url": absolute(f"/verify/?release={r.release_id}"), "note": event.note,
    }


def send_webhooks(limit: int = 100) -> int:
    now = timezone.now()
    due = list(WebhookDelivery.objects.filter(status=WebhookDelivery.Status.PENDING, due_at__lte=now,
                                              hook__paused_at__isnull=True)
               .select_related("hook", "event").order_by("pk")[:limit])
    sent = 0
    for d in due:
        body = json.dumps(webhook_payload(d.event), ensure_ascii=False).encode()
        ts = int(time.time())
        headers = {"Content-Type": "application/json", "X-Pressroom-Event": d.event.kind,
                   "X-Pressroom-Delivery": str(d.pk),
                   "X-Pressroom-Signature": signature(d.hook.secret, ts, body)}
        status, error = None, ""
        try:
            status, _ = http("POST", d.hook.url, body, headers)
            ok = 200 <= status < 300
            error = "" if ok else f"HTTP {status}"
        except Exception as e:  # noqa: BLE001 - recorded in the delivery log
            ok, error = False, f"{e.__class__.__name__}: {e}"[:300]
        attempts = d.attempts + 1
        if ok:
            WebhookDelivery.objects.filter(pk=d.pk).update(status="sent", attempts=attempts,
                                                           sent_at=timezone.now(),
                                                           response_status=status, error="")
            Webhook.objects.filter(pk=d.hook_id).update(failures=0)
            sent += 1
            continue
        gave_up = attempts >= conf("ALERTS_MAX_ATTEMPTS")
        WebhookDelivery.objects.filter(pk=d.pk).update(
            status="failed" if gave_up else "pending", attempts=attempts, response_status=status,
            error=error, due_at=timezone.now() + backoff(attempts))
        Webhook.objects.filter(pk=d.hook_id).update(failures=F("failures") + 1)
        Webhook.objects.filter(pk=d.hook_id, failures__gte=conf("ALERTS_HOOK_MAX_FAILURES"),
                               paused_at__isnull=True).update(paused_at=timezone.now())
    return sent


def feed_content(topic: str) -> tuple[bytes, str]:
    """The feed at ``topic`` as a reader would get it now (rendered in-process)."""
    parts = urllib.parse.urlsplit(topic)
    match = resolve(parts.path)
    request = RequestFactory().get(parts.path, dict(urllib.parse.parse_qsl(parts.query)),
                                   HTTP_HOST=urllib.parse.urlsplit(conf("SITE_URL")).netloc or "localhost")
    response = match.func(request, *match.args, **match.kwargs)
    return response.content, response.get("Content-Type", "application/xml")


def send_websub(limit: int = 100) -> int:
    now = timezone.now()
    due = list(WebSubDelivery.objects.filter(status="pending", due_at__lte=now)
               .select_related("subscription").order_by("pk")[:limit])
    sent, feeds = 0, {}
    for d in due:
        s = d.subscription
        if s.verified_at is None or (s.expires_at and s.expires_at <= now):
            WebSubDelivery.objects.filter(pk=d.pk).update(status="skipped")
            continue
        try:
            if s.topic not in feeds:
                feeds[s.topic] = feed_content(s.topic)
            body, ctype = feeds[s.topic]
            headers = {"Content-Type": ctype, "Link": f'<{hub_url()}>; rel="hub", <{s.topic}>; rel="self"'}
            if s.secret:
                mac = hmac.new(s.secret.encode(), body, hashlib.sha256).hexdigest()
                headers["X-Hub-Signature"] = f"sha256={mac}"
            status, _ = http("POST", s.callback, body, headers)
            ok, error = 200 <= status < 300, f"HTTP {status}"
        except Exception as e:  # noqa: BLE001
            ok, error = False, f"{e.__class__.__name__}: {e}"[:300]
        attempts = d.attempts + 1
        if ok:
            WebSubDelivery.objects.filter(pk=d.pk).update(status="sent", attempts=attempts, error="")
            sent += 1
        else:
            WebSubDelivery.objects.filter(pk=d.pk).update(
                status="failed" if attempts >= conf("ALERTS_MAX_ATTEMPTS") else "pending",
                attempts=attempts, error=error, due_at=timezone.now() + backoff(attempts))
    return sent


def hub_url() -> str:
    return conf("WEBSUB_HUB") or absolute("/alerts/websub/hub")


def valid_topic(topic: str) -> bool:
    """Only our own feeds can be subscribed to at our hub."""
    parts = urllib.parse.urlsplit(topic)
    if parts.scheme not in ("http", "https") or not parts.path.startswith("/feeds/"):
        return False
    try:
        return resolve(parts.path).url_name.startswith("feed_")
    except Resolver404:
        return False


def verify_websub(limit: int = 50) -> int:
    """Verify intent of pending subscribe/unsubscribe requests (W3C WebSub 5.3)."""
    done = 0
    for s in WebSubSubscription.objects.exclude(pending_mode="")[:limit]:
        challenge = secrets.token_urlsafe(24)
        params = {"hub.mode": s.pending_mode, "hub.topic": s.topic, "hub.challenge": challenge}
        if s.pending_mode == "subscribe":
            params["hub.lease_seconds"] = str(s.lease_seconds)
        sep = "&" if "?" in s.callback else "?"
        try:
            status, body = http("GET", s.callback + sep + urllib.parse.urlencode(params))
            confirmed = 200 <= status < 300 and body.decode("utf-8", "replace").strip() == challenge
        except Exception as e:  # noqa: BLE001
            log.info("WebSub verification of %s failed: %s", s.callback, e)
            confirmed = False
        now = timezone.now()
        if s.pending_mode == "unsubscribe" and confirmed:
            s.delete()
        elif s.pending_mode == "subscribe" and confirmed:
            WebSubSubscription.objects.filter(pk=s.pk).update(
                pending_mode="", verified_at=now, expires_at=now + timedelta(seconds=s.lease_seconds))
        elif s.verified_at is None:
            s.delete()  # never verified: nothing to keep
        else:
            WebSubSubscription.objects.filter(pk=s.pk).update(pending_mode="")
        done += 1
    return done


def machines_pending(limit: int = 20) -> int:
    events = list(Event.objects.filter(Q(machines_done_at__isnull=True)).order_by("pk")[:limit])
    for e in events:
        fan_out_machines(e)
    return len(events)
