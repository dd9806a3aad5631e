"""Scheduled publishing never silently misses: due and overdue releases go out on the next
pass, late ones are flagged, and a release that fell due while the worker was down goes
live when the real `pressroom publish-due` worker comes back."""

import os
import signal
import subprocess
import sys
import time
from datetime import timedelta
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from ..models import Draft
from .conftest import in_minutes, local_input

S = Draft.State


def test_one_pass_publishes_due_and_overdue_but_not_future(make_draft):
    due = make_draft(S.SCHEDULED, title="Due now", scheduled_for=in_minutes(-1))
    overdue = make_draft(S.SCHEDULED, title="Overdue", scheduled_for=in_minutes(-90))
    future = make_draft(S.SCHEDULED, title="Tomorrow", scheduled_for=in_minutes(24 * 60))
    out = StringIO()
    call_command("publish-due", stdout=out)
    for d in (due, overdue, future):
        d.refresh_from_db()
    assert due.state == overdue.state == S.PUBLISHED and future.state == S.SCHEDULED
    assert not due.published_late and overdue.published_late
    assert overdue.release_id < due.release_id  # oldest due first
    assert f"published {overdue.release_id}: Overdue (late by" in out.getvalue()
    entry = overdue.audit.get()
    assert (entry.actor_name, entry.action, entry.from_state) == ("scheduler", "publish",
                                                                  "scheduled")


def test_a_due_release_that_cannot_be_published_is_reported_not_skipped(make_draft):
    broken = make_draft(S.SCHEDULED, title="", scheduled_for=in_minutes(-1))
    fine = make_draft(S.SCHEDULED, scheduled_for=in_minutes(-1))
    err = StringIO()
    call_command("publish-due", stdout=StringIO(), stderr=err)
    broken.refresh_from_db()
    fine.refresh_from_db()
    assert fine.state == S.PUBLISHED and broken.state == S.SCHEDULED
    assert f"could not publish draft {broken.pk}: A release needs a title." in err.getvalue()


def test_a_second_pass_publishes_nothing_twice(make_draft):
    make_draft(S.SCHEDULED, scheduled_for=in_minutes(-1))
    call_command("publish-due", stdout=StringIO())
    out = StringIO()
    call_command("publish-due", stdout=out)
    assert out.getvalue() == "" and Draft.objects.get().release_id


def test_dashboard_flags_overdue_then_published_late(as_press, make_draft):
    draft = make_draft(S.SCHEDULED, title="Missed by the worker", scheduled_for=in_minutes(-30))
    page = as_press.get("/newsroom/").content.decode()
    assert "Overdue: scheduled but not yet published" in page and "Missed by the worker" in page
    call_command("publish-due", stdout=StringIO())
    page = as_press.get("/newsroom/").content.decode()
    assert "Overdue: scheduled" not in page
    assert "Published late" in page and "published late" in page
    assert as_press.get(f"/newsroom/drafts/{draft.pk}/").content.decode().count("published late")


def database_url():
    """DATABASE_URL for a child process to use the database this test uses."""
    s = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{s['NAME']}"
    password = f":{s['PASSWORD']}" if s.get("PASSWORD") else ""
    return (f"postgres://{s['USER']}{password}@{s['HOST'] or 'localhost'}:{s['PORT'] or 5432}"
            f"/{s['NAME']}")


# Waits poll for readiness with limits a loaded machine stays inside (another test suite
# running at once on two cores): nothing here depends on the machine being idle.
WITHIN = 180


def _worker(loop=0.5):
    """The real command in its own process, on the test database, once it is ready (its
    SIGTERM handler in place: a SIGTERM before that would kill it mid-start)."""
    env = {**os.environ, "DATABASE_URL": database_url(),
           "PRESSROOM_DATA": str(settings.PRESSROOM["DATA_DIR"])}
    worker = subprocess.Popen([sys.executable, "-m", "pressroom.cli", "publish-due",
                               "--loop", str(loop)], env=env, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True)
    first = worker.stdout.readline()  # blocks until it says it is ready (or exits)
    assert first.startswith("publish-due: publishing due releases every"), (
        first + worker.communicate(timeout=WITHIN)[1])
    return worker


def _stop(worker):
    worker.send_signal(signal.SIGTERM)
    out, err = worker.communicate(timeout=WITHIN)
    return worker.returncode, out, err


def _wait_for(done, within=WITHIN):
    deadline = time.monotonic() + within
    while not done() and time.monotonic() < deadline:
        time.sleep(0.2)
    return done()


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_release_due_while_worker_is_down_goes_live_when_it_returns(as_press, make_draft):
    worker = _worker()
    assert worker.poll() is None  # it runs...
    assert _stop(worker)[0] == 0  # ...and now it is down.

    draft = make_draft(S.APPROVED, title="Embargoed budget figures")
    as_press.post(f"/newsroom/drafts/{draft.pk}/schedule/", {"when": local_input(in_minutes(60))})
    draft.refresh_from_db()
    assert draft.state == S.SCHEDULED
    # Its time comes and goes while no worker runs: nothing publishes it.
    Draft.objects.filter(pk=draft.pk).update(scheduled_for=timezone.now() - timedelta(minutes=10))
    time.sleep(1)
    draft.refresh_from_db()
    assert draft.state == S.SCHEDULED and draft.release_id is None
    assert "Overdue: scheduled" in as_press.get("/newsroom/").content.decode()

    worker = _worker()
    try:
        _wait_for(lambda: Draft.objects.get(pk=draft.pk).state == S.PUBLISHED)
    finally:
        code, out, err = _stop(worker)
    draft.refresh_from_db()
    assert draft.state == S.PUBLISHED, err
    assert draft.published_late and f"published {draft.release_id}" in out
    assert code == 0
    assert as_press.get(f"/release/{draft.release_id}/").status_code == 200


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_pressroom_serve_runs_the_publisher_too(make_draft, tmp_path, collected_static):
    """A plain `make serve` publishes on time: serve starts the loop and stops it on exit."""
    import re

    from pressroom.testing import free_port

    port = free_port()
    draft = make_draft(S.SCHEDULED, scheduled_for=in_minutes(-1))
    collected_static(tmp_path)  # what make setup collected: serve does not collect again
    env = {**os.environ, "DATABASE_URL": database_url(), "PRESSROOM_DATA": str(tmp_path)}
    server = subprocess.Popen(
        [sys.executable, "-m", "pressroom.cli", "serve", "--bind", f"127.0.0.1:{port}",
         "--workers", "1", "--publish-every", "0.5"],
        env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    try:
        _wait_for(lambda: Draft.objects.get(pk=draft.pk).state == S.PUBLISHED
                  or server.poll() is not None)
        draft.refresh_from_db()
    finally:
        server.send_signal(signal.SIGTERM)
        out, _ = server.communicate(timeout=WITHIN)
    assert draft.state == S.PUBLISHED, out
    pid = int(re.search(r"Publishing scheduled releases every 0.5 s \(pid (\d+)\)", out)[1])
    def gone():
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False

    # The publisher stops with the server (it may finish its pass first: allow for a busy machine).
    assert _wait_for(gone), f"publisher {pid} still running after the server stopped"


@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_publish_each_release_once(make_draft):
    import threading

    from ..workflow import publish_due

    drafts = [make_draft(S.SCHEDULED, title=f"Due {i}", scheduled_for=in_minutes(-1))
              for i in range(10)]
    barrier = threading.Barrier(2)
    errors = []

    def worker():
        try:
            barrier.wait()
            publish_due()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    from pressroom.releases.models import Release

    assert Release.objects.count() == 10
    for d in drafts:
        assert d.audit.filter(action="publish").count() == 1


GO = """
import os, sys, time
from pathlib import Path
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "pressroom.settings")
import django
django.setup()
from django.core.management import call_command
from django.db import connection
connection.ensure_connection()
ready, go = Path(sys.argv[1]), Path(sys.argv[2])
ready.touch()
while not go.exists():  # both processes start their pass at the same moment
    time.sleep(0.01)
call_command("publish-due")
"""


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_two_publisher_processes_at_once_publish_each_release_once(make_draft, tmp_path):
    """Two `publish-due` passes in two processes (a restart's old and new publisher) over
    the same due releases: the draft's row lock and its state check let one publish each."""
    from pressroom.releases.models import Release

    drafts = [make_draft(S.SCHEDULED, title=f"Due {i}", scheduled_for=in_minutes(-1))
              for i in range(20)]
    env = {**os.environ, "DATABASE_URL": database_url(),
           "PRESSROOM_DATA": str(settings.PRESSROOM["DATA_DIR"])}
    go = tmp_path / "go"
    ready = [tmp_path / f"ready-{n}" for n in range(2)]
    passes = [subprocess.Popen([sys.executable, "-c", GO, str(r), str(go)], env=env,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
              for r in ready]
    try:
        assert _wait_for(lambda: all(r.exists() for r in ready)
                         or any(p.poll() is not None for p in passes))
        assert all(p.poll() is None for p in passes), [p.communicate() for p in passes]
        go.touch()
        outputs = [p.communicate(timeout=WITHIN) for p in passes]
    finally:
        for p in passes:
            if p.poll() is None:
                p.kill()
    assert [p.returncode for p in passes] == [0, 0], outputs
    published = [line.split(":")[0] for out, _ in outputs for line in out.splitlines()
                 if line.startswith("published ")]
    assert len(published) == len(set(published)) == 20, outputs  # each once, by one of them
    assert Release.objects.count() == 20
    for d in drafts:
        d.refresh_from_db()
        assert d.state == S.PUBLISHED and d.release_id
        assert d.audit.filter(action="publish").count() == 1
