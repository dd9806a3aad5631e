"""Running an import: inputs -> parsed releases -> the record, in batches.

Every release is all-or-nothing. A batch of releases is written in one transaction; if the
batch fails, its releases are written one by one so that only the bad one is rejected.
Interrupted and run again, an import ends in the same state as an uninterrupted run:
committed releases are found unchanged, the rest are added.
"""

from __future__ import annotations

import csv
import multiprocessing
import os
import threading
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from queue import Empty, Full

from pressroom.releases.pibtext import ParsedRelease
from pressroom.releases.store import RecordError, RecordWriter, prepare_release

from .sources import Notice, Progress, Reject, Tree, input_size, read, walk

BATCH_SIZE = 2000
# From this much input an import is a bulk load: derived indexes that rows reach at random
# places are built once at the end (releases.store.bulk_import). About 60,000 releases.
BULK_MIN_BYTES = 256 * 1024 * 1024


@dataclass
class ImportReport:
    counts: Counter = field(default_factory=Counter)
    rejects: list[Reject] = field(default_factory=list)
    notices: list[Notice] = field(default_factory=list)

    def reject(self, r: Reject):
        self.rejects.append(r)
        self.counts["rejected"] += 1

    def summary(self) -> str:
        c = self.counts
        return (f"added {c['added']}, updated {c['updated']}, unchanged {c['unchanged']}, "
                f"rejected {c['rejected']}")

    def write_rejects(self, path: Path):
        with open(path, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(["source", "line", "reason"])
            for r in self.rejects:
                w.writerow([r.source, r.line or "", r.reason])


def prepared_records(paths: list[Path], known_languages) -> Iterator[tuple[str, object]]:
    """Read and check everything under the paths, without the database.

    Yields ("release", (parsed, prepared)), ("reject", Reject), ("notice", Notice) and
    ("progress", bytes read) as inputs are read.
    """
    tree = Tree(paths)
    for item in walk(paths, tree):
        if isinstance(item, Reject):
            yield "reject", item
            continue
        if isinstance(item, Notice):
            yield "notice", item
            continue
        size, told = input_size(item), 0
        try:
            for record in read(item, tree):
                if isinstance(record, Progress):
                    told += record.nbytes
                    yield "progress", record.nbytes
                elif isinstance(record, Reject):
                    yield "reject", record
                elif isinstance(record, Notice):
                    yield "notice", record
                else:
                    try:
                        yield "release", (record, prepare_release(record, known_languages))
                    except RecordError as e:
                        yield "reject", Reject(record.source, None, str(e))
                    except Exception as e:  # noqa: BLE001 - this record only
                        yield "reject", Reject(record.source, None, f"could not be checked: "
                                                                    f"{e.__class__.__name__}: {e}")
        except Exception as e:  # noqa: BLE001 - one input's surprise must not end the import
            yield "reject", Reject(str(item), None, f"could not be read: "
                                                    f"{e.__class__.__name__}: {e}")
        yield "progress", max(size - told, 0)


def input_bytes(paths: list[Path]) -> int:
    """How much there is to read, for a progress bar's time left."""
    return sum(input_size(p) for p in walk(paths) if isinstance(p, Path))


def _produce(paths, known_languages, queue, parent_pid, chunk=200):
    def put(items):
        # A parent killed outright (SIGKILL) cannot stop this process: notice it and go.
        while True:
            try:
                queue.put(items, timeout=1)
                return
            except Full:
                if os.getppid() != parent_pid:
                    os._exit(1)

    try:
        items = []
        for item in prepared_records(paths, known_languages):
            items.append(item)
            if len(items) >= chunk:
                put(items)
                items = []
        put(items)
    except BaseException as e:  # noqa: BLE001 - the parent reports it
        put([("error", f"{e.__class__.__name__}: {e}")])
    put(None)
    # Exiting waits until the queue's buffer is in the pipe, i.e. read by the parent; if
    # the parent is gone that never happens, so wait here, watching for it.
    queue.close()
    flushed = threading.Thread(target=queue.join_thread, daemon=True)
    flushed.start()
    while flushed.is_alive():
        flushed.join(1)
        if os.getppid() != parent_pid:
            os._exit(1)


def prepared_records_in_subprocess(paths, known_languages) -> Iterator[tuple[str, object]]:
    """The same stream, read and checked by a second process while this one writes."""
    ctx = multiprocessing.get_context("fork")
    queue = ctx.Queue(maxsize=16)
    child = ctx.Process(target=_produce, args=(paths, known_languages, queue, os.getpid()),
                        daemon=True)
    child.start()
    try:
        while True:
            try:
                items = queue.get(timeout=5)
            except Empty:
                if not child.is_alive():
                    raise RuntimeError("the reading process died") from None
                continue
            if items is None:
                return
            for kind, payload in items:
                if kind == "error":
                    raise RuntimeError(f"reading failed: {payload}")
                yield kind, payload
    finally:
        if child.is_alive():
            child.terminate()
        child.join()


class Importer:
    def __init__(self, batch_size: int = BATCH_SIZE, progress=None, parallel: bool | None = None,
                 bulk: bool | None = None):
        self.writer = RecordWriter()
        # Reading and checking (pure Python) overlap with writing (mostly SQLite) when
        # there is a second core to do it on.
        self.parallel = (os.cpu_count() or 1) > 1 if parallel is None else parallel
        self.batch_size = batch_size
        self.progress = progress  # called with the number of bytes of input read
        self.report = ImportReport()
        self.bulk = bulk  # None: from the input's size
        self._batch: list[tuple[ParsedRelease, list]] = []
        self._batch_ids: set[int] = set()

    def run(self, paths: list[Path]) -> ImportReport:
        known = set(self.writer.known_languages())
        read_all = prepared_records_in_subprocess if self.parallel else prepared_records
        bulk = self.bulk if self.bulk is not None else input_bytes(paths) >= BULK_MIN_BYTES
        if bulk:
            self.writer.begin_bulk()
        try:
            for kind, payload in read_all(paths, known):
                if kind == "release":
                    self.take(*payload)
                elif kind == "reject":
                    self.report.reject(payload)
                elif kind == "notice":
                    self.report.notices.append(payload)
                elif self.progress:
                    self.progress(payload)
            self.flush()
        finally:  # also after a small import: one killed before is finished
            self.writer.end_bulk(written=bool(self.report.counts["added"]
                                              or self.report.counts["updated"]))
        return self.report

    def take(self, record: ParsedRelease, prepared: list):
        if record.release_id in self._batch_ids:
            self.flush()  # the same release twice: the later input wins, in order
        self._batch.append((record, prepared))
        self._batch_ids.add(record.release_id)
        if len(self._batch) >= self.batch_size:
            self.flush()

    def flush(self):
        batch, self._batch = self._batch, []
        self._batch_ids = set()
        if not batch:
            return
        try:
            outcomes = self.writer.write(batch)
        except Exception:
            outcomes = [self._write_one(item) for item in batch]
        for outcome in outcomes:
            if outcome:
                self.report.counts[outcome] += 1

    def _write_one(self, item):
        try:
            return self.writer.write([item])[0]
        except Exception as e:  # noqa: BLE001 - any database refusal rejects this release only
            self.report.reject(Reject(item[0].source, None, f"could not be stored: {e}"))
            return None
