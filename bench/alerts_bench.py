"""Alerts: N confirmed subscriptions, one release published, delivered to a local SMTP server.

    .venv/bin/python bench/alerts_bench.py [--n 100000] [--repeat 3] [--keep]

Subscriptions are mixed as a press office's would be: 40% a ministry (60 ministries), 10% a
bureau (20), 10% a language, 30% saved searches (1-3 words, phrases, exclusions, some narrowed
to a ministry or a language), 10% everything; 80% immediate, 15% daily and 5% weekly digests;
e-mails 70% English, 30% Hindi. One release is then published through releases.store (the
outbox row is written in its transaction) and the real worker code fans it out and sends it
over SMTP to aiosmtpd running in its own process (so the server does not share our GIL).

Printed: matching time alone (median of --repeat), fan-out (match + writing the deliveries),
messages/s, publication -> last message accepted, peak memory; and, measured in the same run
as baselines, reading every subscription row with no matching at all, and bare smtplib
sending minimal messages over one connection to the same server (the ceiling for that server).
Fresh database in var/bench-alerts-N/ (SQLite) each run; --n 500 takes seconds.
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import os
import random
import resource
import shutil
import smtplib
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

WORDS = ("navy exercise defence coastal security maritime cooperation bilateral agreement farmers "
         "railway health vaccination budget tax highway solar energy water housing startup digital "
         "space satellite mission culture tourism sports medals cabinet policy reform research").split()


def smtp_server(port_queue, count, last_at):
    """aiosmtpd in this child process: counts messages and the time the last was accepted."""
    from pressroom.alerts.mailcatcher import Catcher, MailServer

    class Counting(Catcher):
        async def handle_DATA(self, server, session, envelope):
            with count.get_lock():
                count.value += 1
            last_at.value = time.time()
            return "250 OK"

    server = MailServer(Counting(keep=False)).start()
    port_queue.put(server.port)
    while True:
        time.sleep(3600)


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def setup(n: int, keep: bool) -> Path:
    data = ROOT / "var" / f"bench-alerts-{n}"
    if data.exists() and not keep:
        shutil.rmtree(data)
    data.mkdir(parents=True, exist_ok=True)
    os.environ["PRESSROOM_DATA"] = str(data)
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    return data


def make_subscriptions(n: int, rng: random.Random) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from pressroom.alerts.models import Subscriber, Subscription
    from pressroom.releases.models import Bureau, Language, Ministry

    Ministry.objects.bulk_create([Ministry(name=f"Ministry {i:02d}", slug=f"ministry-{i:02d}")
                                  for i in range(60)])
    Bureau.objects.bulk_create([Bureau(name=f"PIB City{i:02d}", slug=f"city{i:02d}") for i in range(20)])
    ministries = list(Ministry.objects.values_list("pk", flat=True))
    bureaus = list(Bureau.objects.values_list("pk", flat=True))
    languages = list(Language.objects.values_list("code", flat=True))
    now = connection.ops.adapt_datetimefield_value(timezone.now())
    with transaction.atomic(), connection.cursor() as c:
        c.executemany(f"INSERT INTO {Subscriber._meta.db_table} (email, created_at, paused, failures) "
                      "VALUES (%s, %s, %s, 0)", [(f"reader{i}@example.org", now, False) for i in range(n)])
        first = Subscriber.objects.order_by("pk").values_list("pk", flat=True).first()
        rows = []
        for i in range(n):
            r = rng.random()
            ministry = bureau = language = None
            query = ""
            if r < 0.4:
                kind, ministry = "ministry", rng.choice(ministries)
            elif r < 0.5:
                kind, bureau = "bureau", rng.choice(bureaus)
            elif r < 0.6:
                kind, language = "language", rng.choice(languages[:4] if rng.random() < 0.8 else languages)
            elif r < 0.9:
                kind = "search"
                words = rng.sample(WORDS, rng.choice((1, 2, 2, 3)))
                query = " ".join(words)
                if rng.random() < 0.2:
                    query = f'"{words[0]} {rng.choice(WORDS)}"'
                if rng.random() < 0.1:
                    query += f" -{rng.choice(WORDS)}"
                if rng.random() < 0.3:
                    ministry = rng.choice(ministries)
                elif rng.random() < 0.2:
                    language = rng.choice(("en", "hi"))
            else:
                kind = "all"
            f = rng.random()
            frequency = "immediate" if f < 0.8 else "daily" if f < 0.95 else "weekly"
            rows.append((first + i, kind, ministry, bureau, language, query, frequency, rng.randrange(24),
                         "hi" if rng.random() < 0.3 else "en", now, now, False))
        c.executemany(
            f"INSERT INTO {Subscription._meta.db_table} (subscriber_id, kind, ministry_id, bureau_id, "
            "language_id, query, frequency, digest_hour, email_language, created_at, confirmed_at, paused) "
            "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)", rows)


def publish(rng: random.Random):
    from datetime import timedelta

    from django.utils import timezone

    from pressroom.releases import store
    from pressroom.releases.models import Bureau, Ministry

    body = "".join(f"<p>{' '.join(rng.choices(WORDS, k=40))}.</p>" for _ in range(6))
    return store.publish_release(
        ministry=Ministry.objects.order_by("pk").first(), bureau=Bureau.objects.order_by("pk").first(),
        language="en", posted_at=timezone.now() - timedelta(minutes=1),
        fields=store.content_fields(title="Navy exercise off the coast", body_html=body, sign_off="AB/CD"))


def baseline_rows() -> float:
    from pressroom.alerts.models import Subscription

    t = time.perf_counter()
    rows = list(Subscription.objects.values_list("id", "subscriber_id", "frequency", "digest_hour", "query"))
    assert rows
    return time.perf_counter() - t


def baseline_smtp(port: int, count: int, msg: bytes) -> float:
    s = smtplib.SMTP("127.0.0.1", port)
    t = time.perf_counter()
    for i in range(count):
        s.sendmail("a@example.org", [f"b{i}@example.org"], msg)
    elapsed = time.perf_counter() - t
    s.quit()
    return count / elapsed


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--keep", action="store_true", help="do not delete var/bench-alerts-N first")
    args = ap.parse_args()
    rng = random.Random(15)

    ctx = mp.get_context("spawn")
    port_q, count, last_at = ctx.Queue(), ctx.Value("i", 0), ctx.Value("d", 0.0)
    server = ctx.Process(target=smtp_server, args=(port_q, count, last_at), daemon=True)
    server.start()
    port = port_q.get(timeout=120)

    setup(args.n, args.keep)
    from django.conf import settings

    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port

    from pressroom.alerts.fanout import audience, document_for, fan_out
    from pressroom.alerts.matching import compiled
    from pressroom.alerts.messages import Rendered
    from pressroom.alerts.models import Delivery, Event
    from pressroom.alerts.sending import Sender
    from pressroom.releases.models import LanguageVersion

    t = time.perf_counter()
    make_subscriptions(args.n, rng)
    print(f"{args.n:,} confirmed subscriptions made in {time.perf_counter() - t:.1f} s")
    rss_before = rss_mb()

    release = publish(rng)
    t_published = time.time()
    event = Event.objects.get(release_id=release.release_id)
    doc = document_for(event)
    match_times = []
    for _ in range(args.repeat):
        compiled.cache_clear()  # each run parses every saved search again, as a fresh worker would
        t = time.perf_counter()
        matched = audience(event, doc)
        match_times.append(time.perf_counter() - t)
    compiled.cache_clear()
    result = fan_out(event)
    immediate = Delivery.objects.filter(event=event, digest=False).count()
    digests = Delivery.objects.filter(event=event, digest=True).count()

    sender = Sender()
    t_send = time.perf_counter()
    sent = 0
    while True:
        n = sender.send_due()
        sent += n
        if n == 0:
            break
    sender.close_all()
    send_seconds = time.perf_counter() - t_send
    deadline = time.monotonic() + 60
    while count.value < sent and time.monotonic() < deadline:
        time.sleep(0.05)
    total = last_at.value - t_published
    rss_after = rss_mb()

    counted = count.value
    base_rows = statistics.median(baseline_rows() for _ in range(args.repeat))
    sample = Rendered(event, LanguageVersion.objects.get(pk=event.version_id), "en")
    sample.raw_template()
    sample_bytes = sample.raw("b@example.org", 1, 1)[1]
    tiny = b"From: a@example.org\r\nTo: b@example.org\r\nSubject: x\r\n\r\nhello\r\n"
    base_count = min(2000, max(200, sent))
    base_smtp = baseline_smtp(port, base_count, sample_bytes)
    base_tiny = baseline_smtp(port, base_count, tiny)
    server.terminate()

    rate = sent / send_seconds if send_seconds else 0
    match = statistics.median(match_times)
    print(f"matched {len(matched):,} subscriptions ({immediate:,} immediate messages, "
          f"{digests:,} into digests)")
    print(f"matching alone: median {match:.3f} s of {args.repeat} "
          f"(runs {', '.join(f'{x:.3f}' for x in match_times)}); "
          f"baseline reading every subscription row: {base_rows:.3f} s (ratio {match / base_rows:.2f})")
    print(f"fan-out (match + {result['matched']:,} delivery rows written): {result['seconds']:.2f} s")
    print(f"sending: {sent:,} messages in {send_seconds:.1f} s = {rate:,.0f} msg/s; "
          f"baselines, bare smtplib to the same server over one connection: the same message "
          f"({len(sample_bytes):,} bytes) {base_smtp:,.0f} msg/s (ratio {rate / base_smtp:.2f}), "
          f"a 60-byte message {base_tiny:,.0f} msg/s")
    print(f"publication -> last message accepted: {total:.1f} s (server counted {counted:,})")
    print(f"peak RSS: {rss_before:.0f} MB after making subscriptions, {rss_after:.0f} MB after sending "
          f"(+{rss_after - rss_before:.0f} MB)")
    ok = sent == immediate == counted
    print("every immediate message accepted once" if ok else "MISMATCH: sent / expected / counted differ")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
