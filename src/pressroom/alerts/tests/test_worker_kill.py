"""kill -9 of the worker in the middle of a fan-out, then a restart: every subscriber gets
the release exactly once, counted at a real SMTP server."""

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections import Counter

import pytest
from django.conf import settings
from django.db import connection

from pressroom.alerts.fanout import fan_out
from pressroom.alerts.models import Delivery, Event, Subscription

from .conftest import subscribe

N = 60
HOLD_AT = 20
CONNECTIONS = 4


def database_url():
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return f"postgres://{s['USER']}{password}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}/{s['NAME']}"


def start_worker(port):
    env = {**os.environ, "DATABASE_URL": database_url(),
           "PRESSROOM_DATA": str(settings.PRESSROOM["DATA_DIR"]),
           "PRESSROOM_EMAIL_HOST": "127.0.0.1", "PRESSROOM_EMAIL_PORT": str(port),
           "PRESSROOM_ALERTS_SMTP_CONNECTIONS": str(CONNECTIONS)}
    return subprocess.Popen([sys.executable, "-m", "pressroom.cli", "alerts-worker", "--loop", "0.2"],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(predicate, timeout=90):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_kill_9_mid_fan_out_then_restart_sends_each_exactly_once(defence, publish, smtp):
    for n in range(N):
        subscribe(f"reader{n}@example.org", Subscription.Kind.MINISTRY, ministry=defence)
    held, released = threading.Event(), threading.Event()
    seen = {"n": 0, "blocked": 0}

    async def hold_one(envelope):
        # From the (HOLD_AT+1)th message on, every connection's message waits here,
        # unacknowledged, until the worker is dead; then it is refused, as a server does with
        # a message whose client vanished before the end of DATA. The kill thus lands while
        # every sending thread waits for an answer (none between a 250 and its record).
        seen["n"] += 1
        if seen["n"] <= HOLD_AT:
            return None
        seen["blocked"] += 1
        if seen["blocked"] >= CONNECTIONS:
            held.set()
        while not released.is_set():
            await asyncio.sleep(0.05)
        return "451 4.4.2 connection lost before the end of data"

    smtp.before_accept = hold_one
    publish(defence)
    worker = start_worker(smtp.port)
    try:
        assert held.wait(90), worker.stderr.read() if worker.poll() is not None else "worker never sent"
        worker.send_signal(signal.SIGKILL)
        worker.wait(30)
    finally:
        smtp.before_accept = None  # the restarted worker finds a server that accepts
        released.set()
        if worker.poll() is None:
            worker.kill()
    assert smtp.count == HOLD_AT
    assert Delivery.objects.filter(status="sent").count() == HOLD_AT
    assert Delivery.objects.filter(status="pending").count() == N - HOLD_AT

    worker = start_worker(smtp.port)
    try:
        assert wait_for(lambda: Delivery.objects.filter(status="sent").count() == N)
        time.sleep(1)  # a few more passes: nothing more goes out
    finally:
        worker.send_signal(signal.SIGTERM)
        worker.communicate(timeout=30)
    per_address = Counter(r for m in smtp.messages for r in m["to"])
    assert len(per_address) == N and set(per_address.values()) == {1}, per_address


@pytest.mark.django_db
def test_fan_out_run_again_after_a_crash_adds_no_duplicates(defence, publish):
    subs = [subscribe(f"r{n}@example.org", Subscription.Kind.MINISTRY, ministry=defence) for n in range(30)]
    publish(defence)
    event = Event.objects.get()
    # A fan-out that died after its first rows were committed.
    from django.utils import timezone

    Delivery.objects.bulk_create([Delivery(subscriber_id=s.subscriber_id, subscription=s, event=event,
                                           due_at=timezone.now()) for s in subs[:10]])
    assert fan_out(event)["matched"] == 30
    assert fan_out(event)["matched"] == 30
    assert Delivery.objects.count() == 30
