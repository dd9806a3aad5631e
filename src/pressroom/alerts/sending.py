"""Sending due deliveries over SMTP: one connection for a whole batch, each message
recorded as it is accepted.

Exactly once: a delivery is marked ``sent`` right after the server accepted it (250 to
DATA). A worker killed before that leaves it ``pending`` and a restart sends it (the
server never acknowledged it, so by SMTP's rules it was not delivered); the only window
for a duplicate is between the 250 and the UPDATE, microseconds, and such a duplicate
carries the same Message-ID so mail systems can fold it.

Failures: a 5xx answer for the address is permanent (the address is counted, and
suppressed after ``ALERTS_MAX_FAILURES`` in a row); anything else (4xx, connection lost)
is retried with exponential backoff up to ``ALERTS_MAX_ATTEMPTS`` tries.
"""

from __future__ import annotations

import logging
import smtplib
import threading
from collections import defaultdict
from concurrent.futures import ThreadPoolExecutor
from datetime import timedelta

from django.core.mail import get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.db import connection as db_connection
from django.db.models import F
from django.utils import timezone

from pressroom.releases.models import LanguageVersion

from .messages import Rendered, conf, digest_message
from .models import Delivery, Event, Subscriber

log = logging.getLogger("pressroom.alerts")
BATCH = 500


def backoff(attempts: int) -> timedelta:
    """1 min, 2, 4, ... capped at 6 hours."""
    return timedelta(seconds=min(60 * 2 ** max(attempts - 1, 0), 6 * 3600))


def permanent(exc: Exception) -> bool:
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return all(code >= 500 for code, _ in exc.recipients.values())
    code = getattr(exc, "smtp_code", None)
    return isinstance(code, int) and code >= 500 and not isinstance(exc, smtplib.SMTPSenderRefused)


def _failed(delivery_ids: list[int], subscriber_id: int, exc: Exception, attempts: int) -> None:
    now = timezone.now()
    error = f"{exc.__class__.__name__}: {exc}"[:300]
    qs = Delivery.objects.filter(pk__in=delivery_ids)
    if permanent(exc):
        qs.update(status=Delivery.Status.FAILED, attempts=F("attempts") + 1, error=error)
        Subscriber.objects.filter(pk=subscriber_id).update(failures=F("failures") + 1)
        Subscriber.objects.filter(pk=subscriber_id, failures__gte=conf("ALERTS_MAX_FAILURES"),
                                  suppressed_at__isnull=True).update(suppressed_at=now)
    elif attempts + 1 >= conf("ALERTS_MAX_ATTEMPTS"):
        qs.update(status=Delivery.Status.FAILED, attempts=F("attempts") + 1, error=error)
    else:
        qs.update(attempts=F("attempts") + 1, error=error, due_at=now + backoff(attempts + 1))


def _quietly_close(backend) -> None:
    try:
        backend.close()
    except Exception:  # noqa: BLE001 - closing a broken connection
        pass


def _sent(delivery_ids: list[int], subscriber_id: int, failures: int) -> None:
    Delivery.objects.filter(pk__in=delivery_ids).update(status=Delivery.Status.SENT, sent_at=timezone.now())
    if failures:
        Subscriber.objects.filter(pk=subscriber_id).update(failures=0)


class Sender:
    """Holds SMTP connections open across batches (one per sending thread; reopened after
    an error). ``ALERTS_SMTP_CONNECTIONS`` threads send in parallel: most of a message's time
    is waiting for the server's answers, so a few connections keep a relay busy."""

    def __init__(self, connections: int | None = None):
        self.threads = connections or conf("ALERTS_SMTP_CONNECTIONS")
        self.local = threading.local()
        self.backends: list = []
        self.lock = threading.Lock()
        self.pool = ThreadPoolExecutor(self.threads, "alerts-smtp") if self.threads > 1 else None
        self.rendered: dict[tuple, Rendered] = {}
        self.versions: dict[int, LanguageVersion] = {}
        self.events: dict[int, Event] = {}

    def open(self):
        backend = getattr(self.local, "backend", None)
        if backend is None:
            backend = get_connection(fail_silently=False, timeout=conf("ALERTS_SMTP_TIMEOUT"))
            backend.open()
            self.local.backend = backend
            with self.lock:
                self.backends.append(backend)
        return backend

    def close(self):
        """Close this thread's connection (after an error, or at the end)."""
        backend = getattr(self.local, "backend", None)
        self.local.backend = None
        if backend is not None:
            with self.lock:
                if backend in self.backends:
                    self.backends.remove(backend)
            _quietly_close(backend)

    def close_all(self):
        with self.lock:
            backends, self.backends = self.backends, []
        for backend in backends:
            _quietly_close(backend)
        self.local.backend = None
        if self.pool is not None:
            self.pool.shutdown(wait=True)
            self.pool = None

    def _version(self, vid: int) -> LanguageVersion:
        if vid not in self.versions:
            self.versions[vid] = (LanguageVersion.objects.select_related(
                "release__ministry", "release__bureau", "language").get(pk=vid))
        return self.versions[vid]

    def _event(self, eid: int) -> Event:
        if eid not in self.events:
            self.events[eid] = Event.objects.get(pk=eid)
        return self.events[eid]

    def _rendered(self, event_id: int, language: str) -> Rendered:
        key = (event_id, language)
        if key not in self.rendered:
            event = self._event(event_id)
            self.rendered[key] = Rendered(event, self._version(event.version_id), language)
        return self.rendered[key]

    def _send(self, message) -> None:
        try:
            self.open().send_messages([message])
        except (smtplib.SMTPServerDisconnected, ConnectionError, OSError):
            self.close()
            raise

    def _fast(self, rendered: Rendered, email: str) -> bool:
        """Bytes straight to smtplib when the backend is Django's SMTP one (an API backend
        such as anymail's gets message objects) and the address is plain ASCII."""
        return (isinstance(self.open(), SMTPBackend) and email.isascii()
                and rendered.raw_template() is not None)

    def _send_raw(self, sender: str, data: bytes, email: str) -> None:
        backend = self.open()
        try:
            if backend.connection is None:
                backend.open()
            backend.connection.sendmail(sender, [email], data)
        except smtplib.SMTPRecipientsRefused:
            raise
        except (smtplib.SMTPServerDisconnected, ConnectionError, OSError):
            self.close()
            raise

    def send_due(self, limit: int = BATCH, now=None) -> int:
        """Send up to ``limit`` due immediate deliveries; returns how many were sent."""
        now = now or timezone.now()
        rows = list(Delivery.objects.filter(status=Delivery.Status.PENDING, digest=False, due_at__lte=now)
                    .order_by("pk").values_list(
                        "pk", "event_id", "subscriber_id", "subscription_id", "attempts",
                        "subscriber__email", "subscriber__paused", "subscriber__suppressed_at",
                        "subscriber__failures", "subscription__paused",
                        "subscription__email_language")[:limit])
        skipped = [r[0] for r in rows if r[6] or r[7] or r[9]]
        rows = [r for r in rows if not (r[6] or r[7] or r[9])]
        for key in {(r[1], r[10]) for r in rows}:  # rendered here, read by every thread
            self._rendered(*key).raw_template()
        if self.pool is None or len(rows) < 2 * self.threads:
            sent = self._send_rows(rows)
        else:
            sent = sum(self.pool.map(self._send_rows_in_thread,
                                     [rows[i::self.threads] for i in range(self.threads)]))
        if skipped:
            Delivery.objects.filter(pk__in=skipped).update(status=Delivery.Status.SKIPPED)
        return sent

    def _send_rows_in_thread(self, rows) -> int:
        try:
            return self._send_rows(rows)
        finally:
            db_connection.close()  # this thread's own database connection

    def _send_rows(self, rows) -> int:
        sent = 0
        for (pk, event_id, subscriber_id, subscription_id, attempts, email, _paused, _suppressed,
             failures, _sub_paused, language) in rows:
            rendered = self.rendered[(event_id, language)]
            try:
                if self._fast(rendered, email):
                    self._send_raw(*rendered.raw(email, subscriber_id, subscription_id), email)
                else:
                    self._send(rendered.message(email, subscriber_id, subscription_id))
            except Exception as exc:  # noqa: BLE001 - every failure is recorded, none stops the batch
                log.warning("delivery %s failed: %s", pk, exc)
                _failed([pk], subscriber_id, exc, attempts)
                if not permanent(exc):
                    self.close()
                continue
            _sent([pk], subscriber_id, failures)
            sent += 1
        return sent

    def send_digests(self, now=None) -> int:
        """One message per subscription whose digest time has come, listing its releases."""
        now = now or timezone.now()
        due = (Delivery.objects.filter(status=Delivery.Status.PENDING, digest=True, due_at__lte=now)
               .select_related("subscription__subscriber").order_by("pk")[:5000])
        groups = defaultdict(list)
        for d in due:
            groups[d.subscription_id].append(d)
        sent = 0
        for deliveries in groups.values():
            sub = deliveries[0].subscription
            ids = [d.pk for d in deliveries]
            if not (sub.active and sub.subscriber.sendable):
                Delivery.objects.filter(pk__in=ids).update(status=Delivery.Status.SKIPPED)
                continue
            items = [(self._event(d.event_id), self._version(self._event(d.event_id).version_id))
                     for d in deliveries]
            try:
                self._send(digest_message(sub, items))
            except Exception as exc:  # noqa: BLE001
                _failed(ids, sub.subscriber_id, exc, max(d.attempts for d in deliveries))
                continue
            _sent(ids, sub.subscriber_id, sub.subscriber.failures)
            sent += 1
        return sent

    def forget(self):
        """Drop rendered messages between passes (events are few, but memory stays flat)."""
        self.rendered.clear()
        self.versions.clear()
        self.events.clear()
