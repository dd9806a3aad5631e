"""A PostgreSQL primary and a real streaming replica on this machine, for tests and benches.

Both clusters are new ones in a folder of their own (``initdb``, then ``pg_basebackup -R``
for the replica), on free ports, so they never touch the machine's own server. Used by
``tests/test_replica.py`` (the router against real replication, a primary stopped under
reads) and by ``pressroom pglab`` (the bench's replica). PostgreSQL refuses to run as root:
as root the clusters belong to the ``postgres`` user.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path


class ClusterError(RuntimeError):
    pass


def pg_bindir() -> Path | None:
    """The server binaries (initdb, pg_ctl, pg_basebackup), or None where they are absent."""
    # Debian keeps them in /usr/lib/postgresql/N/bin, off PATH (a PATH symlink may point there).
    versions = sorted(Path("/usr/lib/postgresql").glob("*/bin/pg_basebackup"), reverse=True)
    if versions:
        return versions[0].parent
    found = shutil.which("pg_basebackup")
    return Path(found).resolve().parent if found else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _as_owner() -> list[str]:
    """Run server commands as postgres when we are root (the server will not run as root)."""
    if os.geteuid() != 0:
        return []
    return ["runuser", "-u", "postgres", "--"]


@dataclass
class Cluster:
    datadir: Path
    port: int
    bindir: Path
    log: Path = field(init=False)

    def __post_init__(self):
        self.log = self.datadir.parent / f"{self.datadir.name}.log"

    @property
    def url_base(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}"

    def url(self, dbname: str) -> str:
        return f"{self.url_base}/{dbname}"

    def ctl(self, *args: str, check: bool = True) -> subprocess.CompletedProcess:
        cmd = [*_as_owner(), str(self.bindir / "pg_ctl"), "-D", str(self.datadir), *args]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if check and done.returncode != 0:
            raise ClusterError(f"{' '.join(cmd)}: {done.stderr.strip() or done.stdout.strip()}")
        return done

    def start(self, timeout: float = 120) -> None:
        self.ctl("-l", str(self.log), "-o", f"-p {self.port} -k {self.datadir.parent} "
                 "-c listen_addresses=127.0.0.1", "-w", "-t", str(int(timeout)), "start")

    def stop(self, mode: str = "fast") -> None:
        self.ctl("-m", mode, "-w", "-t", "120", "stop", check=False)

    def running(self) -> bool:
        return self.ctl("status", check=False).returncode == 0

    def psql(self, sql: str, dbname: str = "postgres") -> str:
        done = subprocess.run([str(self.bindir / "psql"), "-h", "127.0.0.1", "-p", str(self.port),
                               "-U", "postgres", "-d", dbname, "-Atqc", sql],
                              capture_output=True, text=True)
        if done.returncode != 0:
            raise ClusterError(f"psql on {self.port}: {done.stderr.strip()}")
        return done.stdout.strip()


@dataclass
class ReplicatedPair:
    """A primary and one streaming replica of it."""

    root: Path
    primary: Cluster
    replica: Cluster

    def wait_replayed(self, timeout: float = 120) -> None:
        """Until the replica has replayed everything the primary has written so far."""
        target = self.primary.psql("SELECT pg_current_wal_lsn()")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            replayed = self.replica.psql(
                f"SELECT pg_last_wal_replay_lsn() >= '{target}'::pg_lsn")
            if replayed == "t":
                return
            time.sleep(0.2)
        raise ClusterError(f"the replica did not replay up to {target} in {timeout:.0f} s")

    def stop(self) -> None:
        for cluster in (self.replica, self.primary):
            cluster.stop("immediate")

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.root, ignore_errors=True)


def make_pair(root: Path) -> ReplicatedPair:
    """initdb a primary, start it, base-backup a replica from it (``-R``: it follows the
    primary by streaming) and start that too. Raises ClusterError where it cannot."""
    bindir = pg_bindir()
    if bindir is None:
        raise ClusterError("PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    root.mkdir(parents=True, exist_ok=True)
    if os.geteuid() == 0:
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError as exc:
            raise ClusterError("running as root and there is no postgres user") from exc
        os.chown(root, owner.pw_uid, owner.pw_gid)
    primary = Cluster(root / "primary", free_port(), bindir)
    done = subprocess.run([*_as_owner(), str(bindir / "initdb"), "-D", str(primary.datadir),
                           "-U", "postgres", "-A", "trust", "-E", "UTF8", "--locale=C.UTF-8"],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise ClusterError(f"initdb: {done.stderr.strip()}")
    with open(primary.datadir / "postgresql.conf", "a") as conf:
        # Small and quick: this is a lab, not a tuned server.
        conf.write("\nwal_level = replica\nmax_wal_senders = 4\nhot_standby = on\n"
                   "shared_buffers = 64MB\nfsync = off\nsynchronous_commit = off\n")
    with open(primary.datadir / "pg_hba.conf", "a") as hba:
        hba.write("\nhost replication postgres 127.0.0.1/32 trust\n")
    primary.start()
    replica = Cluster(root / "replica", free_port(), bindir)
    done = subprocess.run([*_as_owner(), str(bindir / "pg_basebackup"), "-h", "127.0.0.1",
                           "-p", str(primary.port), "-U", "postgres", "-D", str(replica.datadir),
                           "-R", "-X", "stream", "-c", "fast"], capture_output=True, text=True)
    if done.returncode != 0:
        primary.stop("immediate")
        raise ClusterError(f"pg_basebackup: {done.stderr.strip()}")
    replica.start()
    pair = ReplicatedPair(root, primary, replica)
    if replica.psql("SELECT pg_is_in_recovery()") != "t":
        pair.stop()
        raise ClusterError("the new replica is not in recovery (not following the primary)")
    return pair
