"""The alerts worker: one loop, like the newsroom's publisher (``publish-due --loop``).

Chosen over a task queue because the outbox already is the queue: events and deliveries
are rows in the record's own database (SQLite or PostgreSQL), claimed by their state, so a
queue library (django-tasks' DB backend, procrastinate, huey) would add a second table of
the same facts per message, a dependency, and for huey a Redis that the SQLite default
does not have; ``bench/alerts_bench.py`` measures this loop at the rates the issue asks.
Run one worker per deployment (``pressroom serve`` starts it); a second would only
duplicate the window described in ``sending.py``.
"""

from __future__ import annotations

import logging
import signal
import time
from datetime import timedelta

from django.db import close_old_connections
from django.utils import timezone

from . import machines
from .fanout import fan_out_pending
from .models import Event, SignupAttempt, Subscriber, Subscription
from .sending import Sender
from .tokens import CONFIRM_MAX_AGE

log = logging.getLogger("pressroom.alerts")


def tidy(now=None) -> None:
    """Addresses are kept only to send to: unconfirmed sign-ups go after the link expired,
    an address with nothing left to follow goes, rate-limit counts go after a day."""
    now = now or timezone.now()
    Subscription.objects.filter(confirmed_at__isnull=True,
                                created_at__lt=now - timedelta(seconds=CONFIRM_MAX_AGE)).delete()
    Subscriber.objects.filter(subscriptions__isnull=True,
                              created_at__lt=now - timedelta(seconds=CONFIRM_MAX_AGE)).delete()
    SignupAttempt.objects.filter(at__lt=now - timedelta(days=1)).delete()


def run_once(sender: Sender) -> dict:
    """One pass: fan out new events, send what is due, serve the machines."""
    counts = {"events": fan_out_pending(), "sent": 0}
    while True:  # drain: a fan-out of 100,000 goes out in one pass, batch by batch
        n = sender.send_due()
        counts["sent"] += n
        if n == 0:
            break
    counts["digests"] = sender.send_digests()
    counts["machines"] = machines.machines_pending()
    counts["websub_verified"] = machines.verify_websub()
    counts["webhooks"] = machines.send_webhooks()
    counts["websub"] = machines.send_websub()
    sender.forget()
    return counts


def loop(every: float, stop_after: int | None = None) -> None:
    stopping = False

    def stop(*_):
        nonlocal stopping
        stopping = True

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    sender = Sender()
    passes = 0
    last_tidy = 0.0
    try:
        while not stopping:
            close_old_connections()
            try:
                counts = run_once(sender)
                if time.monotonic() - last_tidy > 3600:
                    tidy()
                    last_tidy = time.monotonic()
                if any(counts.values()):
                    log.info("alerts: %s", counts)
            except Exception:  # noqa: BLE001 - a bad pass is logged; the loop goes on
                log.exception("alerts worker pass failed")
                sender.close()
            passes += 1
            if stop_after is not None and passes >= stop_after:
                break
            deadline = time.monotonic() + every
            while not stopping and time.monotonic() < deadline:
                time.sleep(min(0.2, every))
    finally:
        sender.close_all()


def outbox_health() -> str:
    """/healthz detail: how old the oldest event not yet fanned out, and the oldest
    immediate message waiting, are. Fails only past ALERTS_OUTBOX_MAX_AGE (0: never)."""
    from .messages import conf
    from .models import Delivery

    now = timezone.now()
    oldest_event = Event.objects.filter(fanned_out_at__isnull=True).order_by("pk").values_list(
        "created_at", flat=True).first()
    oldest_mail = (Delivery.objects.filter(status=Delivery.Status.PENDING, digest=False, due_at__lte=now)
                   .order_by("due_at").values_list("due_at", flat=True).first())
    ages = [(now - t).total_seconds() for t in (oldest_event, oldest_mail) if t]
    age = max(ages) if ages else 0.0
    limit = conf("ALERTS_OUTBOX_MAX_AGE")
    if limit and age > limit:
        raise RuntimeError(f"outbox {age:.0f} s old (limit {limit} s): is the alerts worker running?")
    return f"outbox age {age:.0f} s"
