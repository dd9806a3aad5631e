"""Fan-out: one outbox event -> one pending ``Delivery`` per address it reaches.

Run by the worker, never in the publishing request. Idempotent: rows go in with
``ON CONFLICT DO NOTHING`` on (subscriber, event), in chunks each committed, and the event
is marked done only at the end; a worker killed half-way simply runs it again.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from pressroom.releases.models import LanguageVersion
from pressroom.releases.pibtext import IST

from .matching import Document, matching_queries
from .models import Delivery, Event, Subscription

CHUNK = 5000
K = Subscription.Kind


def document_for(event: Event) -> Document | None:
    v = (LanguageVersion.objects.select_related("release__ministry", "release__bureau")
         .filter(pk=event.version_id).first())
    if v is None:
        return None
    r = v.release
    text = "\n".join((v.title, v.subtitles, v.body_text, r.ministry.name, r.bureau.name))
    languages = set(r.versions.values_list("language_id", flat=True))
    return Document.of(release_id=r.release_id, version_id=v.pk, pib_id=v.pib_id,
                       ministry_id=r.ministry_id, bureau_id=r.bureau_id, language=v.language_id,
                       languages=languages, text=text)


def next_digest(now: datetime, frequency: str, hour: int) -> datetime:
    """When a digest that includes something arriving ``now`` goes: the next ``hour``:00 IST
    (daily) or the next Monday at that hour (weekly)."""
    local = now.astimezone(IST)
    at = local.replace(hour=hour % 24, minute=0, second=0, microsecond=0)
    if frequency == Subscription.Frequency.WEEKLY:
        at += timedelta(days=(7 - at.weekday()) % 7)
        if at <= local:
            at += timedelta(days=7)
    elif at <= local:
        at += timedelta(days=1)
    return at


def audience(event: Event, doc: Document):
    """(subscription id, subscriber id, frequency, digest hour) of every active subscription
    the event reaches, immediate ones first (an address that follows the release twice, once
    immediately and once by digest, gets it immediately)."""
    active = Subscription.objects.filter(
        confirmed_at__isnull=False, paused=False, subscriber__paused=False,
        subscriber__suppressed_at__isnull=True)
    cols = ("id", "subscriber_id", "frequency", "digest_hour")
    follows = (Q(kind=K.ALL) | Q(kind=K.MINISTRY, ministry_id=doc.ministry_id)
               | Q(kind=K.BUREAU, bureau_id=doc.bureau_id))
    if event.kind == Event.Kind.TRANSLATED:
        # A new language version goes to those who follow that language, and to followers of
        # the release's ministry or bureau who read their alerts in that language.
        plain = Q(kind=K.LANGUAGE, language_id=doc.language) | (follows & Q(email_language=doc.language))
        searches = active.filter(kind=K.SEARCH).filter(
            Q(language_id=doc.language) | Q(language__isnull=True, email_language=doc.language))
    else:
        languages = doc.languages if event.kind == Event.Kind.WITHDRAWN else {doc.language}
        plain = follows | Q(kind=K.LANGUAGE, language_id__in=languages)
        searches = active.filter(kind=K.SEARCH).filter(
            Q(language__isnull=True) | Q(language_id__in=languages))
    searches = searches.filter(Q(ministry__isnull=True) | Q(ministry_id=doc.ministry_id),
                               Q(bureau__isnull=True) | Q(bureau_id=doc.bureau_id))
    rows = list(active.filter(plain).values_list(*cols))
    candidates = list(searches.values_list(*cols, "query"))
    hits = matching_queries((c[4] for c in candidates), doc)
    rows += [c[:4] for c in candidates if c[4] in hits]
    rows.sort(key=lambda r: r[2] != Subscription.Frequency.IMMEDIATE)
    return rows


def _insert(rows: list[tuple]) -> None:
    table = connection.ops.quote_name(Delivery._meta.db_table)
    sql = (f"INSERT INTO {table} (subscriber_id, subscription_id, event_id, status, digest, due_at, "
           "attempts, error) VALUES (%s, %s, %s, %s, %s, %s, 0, '') "
           "ON CONFLICT (subscriber_id, event_id) DO NOTHING")
    with transaction.atomic(), connection.cursor() as c:
        c.executemany(sql, rows)


def fan_out(event: Event, now: datetime | None = None) -> dict:
    """Write the event's deliveries; returns timings and counts (the bench reads them)."""
    now = now or timezone.now()
    t0 = time.perf_counter()
    doc = document_for(event)
    rows = audience(event, doc) if doc else []
    t_match = time.perf_counter() - t0
    adapt = connection.ops.adapt_datetimefield_value
    due_now = adapt(now)
    digest_times: dict[tuple, object] = {}
    batch = []
    for sub_id, subscriber_id, frequency, hour in rows:
        if frequency == Subscription.Frequency.IMMEDIATE:
            due, digest = due_now, False
        else:
            key = (frequency, hour)
            if key not in digest_times:
                digest_times[key] = adapt(next_digest(now, frequency, hour))
            due, digest = digest_times[key], True
        batch.append((subscriber_id, sub_id, event.pk, Delivery.Status.PENDING, digest, due))
        if len(batch) >= CHUNK:
            _insert(batch)
            batch = []
    if batch:
        _insert(batch)
    Event.objects.filter(pk=event.pk).update(fanned_out_at=timezone.now())
    return {"matched": len(rows), "match_seconds": t_match, "seconds": time.perf_counter() - t0}


def fan_out_pending(limit: int = 20) -> int:
    """Fan out the oldest events not yet done; returns how many."""
    events = list(Event.objects.filter(fanned_out_at__isnull=True).order_by("pk")[:limit])
    for event in events:
        fan_out(event)
    return len(events)
