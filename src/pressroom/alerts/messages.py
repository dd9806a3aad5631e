"""Building the e-mails: multipart (text + sanitised HTML), one per recipient, in the
subscription's language, with one-click unsubscribe (RFC 8058) and the manage link.

A release's message is rendered once per (event, e-mail language) with placeholders for
the recipient's own links, then copied per recipient: rendering templates for each of
100,000 addresses would cost more than sending.
"""

from __future__ import annotations

import secrets
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from pressroom.releases.html import sanitise_html
from pressroom.releases.models import LanguageVersion

from . import tokens
from .models import Event, Subscriber, Subscription


def conf(key: str):
    return settings.PRESSROOM[key]


def absolute(path: str) -> str:
    return conf("SITE_URL").rstrip("/") + path


def one_line(text: str) -> str:
    """Header-safe: every run of whitespace (CR and LF included) becomes one space, so no
    field can start a new header."""
    return " ".join(str(text).split())


def sender_name(version: LanguageVersion) -> str:
    r = version.release
    return one_line(f"{r.bureau.name} — {r.ministry.name}")


def from_header(name: str) -> str:
    return formataddr((one_line(name), conf("ALERTS_FROM")))


def from_header_address() -> str:
    return conf("ALERTS_FROM")


def unsubscribe_url(subscription_id: int) -> str:
    return absolute(reverse("alerts:unsubscribe", args=[tokens.unsubscribe_token(subscription_id)]))


def one_click_url(subscription_id: int) -> str:
    return absolute(reverse("alerts:one_click", args=[tokens.unsubscribe_token(subscription_id)]))


def manage_url(subscriber_id: int) -> str:
    return absolute(reverse("alerts:manage", args=[tokens.manage_token(subscriber_id)]))


def list_headers(subscription_id: int, message_id: str) -> dict:
    return {
        "List-Unsubscribe": f"<{one_click_url(subscription_id)}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
        "List-Id": f"Pressroom alerts <alerts.{conf('ALERTS_DOMAIN')}>",
        "Message-ID": f"<{message_id}@{conf('ALERTS_DOMAIN')}>",
        "Auto-Submitted": "auto-generated",
    }


def version_context(version: LanguageVersion, event: Event | None = None) -> dict:
    r = version.release
    return {
        "version": version, "release": r, "event": event,
        "body_html": sanitise_html(version.body_html),
        "release_url": absolute(version.get_absolute_url()),
        "verify_url": absolute(f"/verify/?release={r.release_id}"),
        "sender": sender_name(version),
    }


class Rendered:
    """One event's message in one language, with placeholders for the recipient's links."""

    def __init__(self, event: Event, version: LanguageVersion, email_language: str):
        self.placeholder = {k: f"@@{k}-{secrets.token_hex(8)}@@" for k in ("manage", "unsubscribe")}
        ctx = {**version_context(version, event), "email_language": email_language,
               "manage_url": self.placeholder["manage"], "unsubscribe_url": self.placeholder["unsubscribe"]}
        with translation.override(email_language):
            self.subject = one_line(render_to_string("alerts/email/alert_subject.txt", ctx))
            self.text = render_to_string("alerts/email/alert.txt", ctx)
            self.html = render_to_string("alerts/email/alert.html", ctx)
        self.from_name = ctx["sender"]
        self.event_id = event.pk

    def fill(self, text: str, subscriber_id: int, subscription_id: int) -> str:
        return (text.replace(self.placeholder["manage"], manage_url(subscriber_id))
                .replace(self.placeholder["unsubscribe"], unsubscribe_url(subscription_id)))

    def raw_template(self) -> bytes | None:
        """The whole message as SMTP bytes once, with placeholders for the recipient, the
        links and the Message-ID: sending then costs a few replaces instead of building and
        flattening a MIME tree per recipient (5x the throughput, bench/alerts_bench.py).
        None if a placeholder did not survive encoding intact (then build per message)."""
        if hasattr(self, "_raw"):
            return self._raw
        marks = {k: secrets.token_hex(8) for k in ("to", "mid", "click")}
        self._raw_marks = marks
        to = f"pr{marks['to']}@placeholder.invalid"
        headers = list_headers(0, f"alert.{self.event_id}.{marks['mid']}")
        headers["List-Unsubscribe"] = f"<@@click-{marks['click']}@@>"
        msg = EmailMultiAlternatives(self.subject, self.text, from_header(self.from_name), [to],
                                     headers=headers)
        msg.attach_alternative(self.html, "text/html")
        raw = msg.message().as_bytes(linesep="\r\n")
        needed = [to, marks["mid"], f"@@click-{marks['click']}@@", *self.placeholder.values()]
        self._raw = raw if all(m.encode() in raw for m in needed) else None
        self._envelope_from = msg.from_email
        return self._raw

    def raw(self, email: str, subscriber_id: int, subscription_id: int) -> tuple[str, bytes]:
        """(envelope sender, message bytes) for one recipient; raw_template() must be set."""
        marks = self._raw_marks
        data = (self._raw.replace(f"pr{marks['to']}@placeholder.invalid".encode(), email.encode("ascii"))
                .replace(marks["mid"].encode(), str(subscriber_id).encode())
                .replace(f"@@click-{marks['click']}@@".encode(), one_click_url(subscription_id).encode())
                .replace(self.placeholder["manage"].encode(), manage_url(subscriber_id).encode())
                .replace(self.placeholder["unsubscribe"].encode(), unsubscribe_url(subscription_id).encode()))
        return from_header_address(), data

    def message(self, email: str, subscriber_id: int, subscription_id: int, connection=None):
        msg = EmailMultiAlternatives(
            self.subject, self.fill(self.text, subscriber_id, subscription_id),
            from_header(self.from_name), [email], connection=connection,
            headers=list_headers(subscription_id, f"alert.{self.event_id}.{subscriber_id}"))
        msg.attach_alternative(self.fill(self.html, subscriber_id, subscription_id), "text/html")
        return msg


def digest_message(subscription: Subscription, items: list[tuple[Event, LanguageVersion]],
                   connection=None) -> EmailMultiAlternatives:
    sub = subscription
    ctx = {"items": [version_context(v, e) for e, v in items], "subscription": sub,
           "email_language": sub.email_language,
           "manage_url": manage_url(sub.subscriber_id), "unsubscribe_url": unsubscribe_url(sub.pk)}
    with translation.override(sub.email_language):
        subject = one_line(render_to_string("alerts/email/digest_subject.txt", ctx))
        text = render_to_string("alerts/email/digest.txt", ctx)
        html = render_to_string("alerts/email/digest.html", ctx)
    first = min(e.pk for e, _ in items)
    msg = EmailMultiAlternatives(subject, text, from_header("PIB — Pressroom"), [sub.subscriber.email],
                                 connection=connection,
                                 headers=list_headers(sub.pk, f"digest.{sub.pk}.{first}"))
    msg.attach_alternative(html, "text/html")
    return msg


def confirmation_message(subscription: Subscription, connection=None) -> EmailMultiAlternatives:
    sub = subscription
    ctx = {"subscription": sub, "what": sub.describe(), "email_language": sub.email_language,
           "confirm_url": absolute(reverse("alerts:confirm", args=[tokens.confirm_token(sub.pk)])),
           "manage_url": manage_url(sub.subscriber_id)}
    with translation.override(sub.email_language):
        subject = one_line(render_to_string("alerts/email/confirm_subject.txt", ctx))
        text = render_to_string("alerts/email/confirm.txt", ctx)
        html = render_to_string("alerts/email/confirm.html", ctx)
    msg = EmailMultiAlternatives(subject, text, from_header("PIB — Pressroom"), [sub.subscriber.email],
                                 connection=connection,
                                 headers={"Auto-Submitted": "auto-generated",
                                          "Message-ID": f"<confirm.{sub.pk}.{secrets.token_hex(6)}"
                                                        f"@{conf('ALERTS_DOMAIN')}>"})
    msg.attach_alternative(html, "text/html")
    return msg


def subscriber_export(subscriber: Subscriber) -> dict:
    """Everything kept about an address, for its owner."""
    return {
        "email": subscriber.email, "created_at": subscriber.created_at.isoformat(),
        "paused": subscriber.paused,
        "suppressed_at": subscriber.suppressed_at.isoformat() if subscriber.suppressed_at else None,
        "subscriptions": [{
            "follows": s.kind, "what": s.describe(), "query": s.query,
            "ministry": s.ministry.slug if s.ministry else None,
            "bureau": s.bureau.slug if s.bureau else None,
            "language": s.language_id, "frequency": s.frequency, "digest_hour_ist": s.digest_hour,
            "email_language": s.email_language, "created_at": s.created_at.isoformat(),
            "confirmed_at": s.confirmed_at.isoformat() if s.confirmed_at else None, "paused": s.paused,
        } for s in subscriber.subscriptions.select_related("ministry", "bureau", "language")],
        "messages_sent": subscriber.deliveries.filter(status="sent").count(),
    }
