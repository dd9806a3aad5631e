"""Running an import: inputs -> parsed releases -> the record, in batches.

Every release is all-or-nothing. A batch of releases is written in one transaction; if the
batch fails, its releases are written one by one so that only the bad one is rejected.
Interrupted and run again, an import ends in the same state as an uninterrupted run:
committed releases are found unchanged, the rest are added.
"""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pressroom.releases.pibtext import ParsedRelease
from pressroom.releases.store import RecordError, RecordWriter

from .sources import Notice, Reject, read, walk

BATCH_SIZE = 2000


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


class Importer:
    def __init__(self, batch_size: int = BATCH_SIZE, progress=None):
        self.writer = RecordWriter()
        self.batch_size = batch_size
        self.progress = progress  # called with the number of inputs done
        self.report = ImportReport()
        self._batch: list[tuple[ParsedRelease, list]] = []
        self._batch_ids: set[int] = set()

    def run(self, paths: list[Path]) -> ImportReport:
        for item in walk(paths):
            if isinstance(item, Reject):
                self.report.reject(item)
                continue
            for record in read(item):
                self.take(record)
            if self.progress:
                self.progress(1)
        self.flush()
        return self.report

    def take(self, record: ParsedRelease | Reject | Notice):
        if isinstance(record, Reject):
            self.report.reject(record)
            return
        if isinstance(record, Notice):
            self.report.notices.append(record)
            return
        try:
            prepared = self.writer.check(record)
        except RecordError as e:
            self.report.reject(Reject(record.source, None, str(e)))
            return
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
