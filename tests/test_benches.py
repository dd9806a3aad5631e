"""Every benchmark in bench/ runs at a tiny size, so a schema change that breaks one is red
here and not found months later at a million releases. Only that they run to the end: the
figures from a tiny archive mean nothing.

Each runs as its own process, with its own data folder, on SQLite (a bench measures what it
says it measures, not the suite's database). A bench whose tools are missing here (wrk,
nginx, tantivy) is skipped, saying so. import_bench runs once more on PostgreSQL
(``--postgres``), in a database of its own on the server of ``PRESSROOM_TEST_POSTGRES_URL``
(default 127.0.0.1:5432, user postgres): skipped without a server, failed under CI=true.
"""

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCH = ROOT / "bench"
pytestmark = pytest.mark.slow

# Every file in bench/ must be listed here (test_every_bench_is_run checks).
TINY = {
    "search_bench.py": ["--n", "300", "--per-class", "2"],
    "import_bench.py": ["--n", "200", "--rounds", "1"],
    "newsroom_publish.py": ["5"],
    "engine_choice.py": ["--n", "300", "--per-class", "2"],
    "load_bench.py": ["--releases", "200", "--duration", "1", "--warmup", "0", "--connections", "2"],
    "servers.py": ["--seconds", "1", "--runs", "1", "--workers", "1", "--connections", "2",
                   "--paths", "/robots.txt,/releases/"],
    "cache_proxy.py": ["--seconds", "1", "--runs", "1", "--connections", "2",
                       "--paths", "/robots.txt,/releases/"],
    "backup.sh": [],
    "verify_bench.py": ["--n", "200", "--cases", "3"],
    "first_render.py": ["--releases", "200", "--pages", "3", "--rounds", "1"],
    "cache_bench.py": ["--entries", "50", "--writes", "5"],
    "middleware_bench.py": ["--requests", "50", "--rounds", "1"],
    "log_bench.py": ["--n", "600", "--queries", "3"],
    "alerts_bench.py": ["--n", "500", "--repeat", "1"],
    "media_bench.py": ["--n", "1", "--pdf-rounds", "1"],
    "scale.py": ["--n", "150", "--record-n", "150", "--baseline-n", "150", "--per-class", "2",
                 "--duration", "1", "--connections", "2", "--warmup", "1"],
    "peer_bench.py": ["--releases", "200", "--seconds", "1", "--rounds", "1", "--connections", "2",
                      "--warmup", "0"],
    "request_bench.py": ["--releases", "200", "--seconds", "1", "--rounds", "1", "--connections", "2",
                         "--workers", "1"],
    "replica_bench.py": ["--releases", "200", "--seconds", "1", "--rounds", "1", "--drill-seconds", "3",
                         "--warmup", "0", "--connections", "2", "--settle", "1"],
}
NEEDS = {"load_bench.py": ["wrk"], "scale.py": ["wrk"], "servers.py": ["wrk"],
         "cache_proxy.py": ["wrk", "nginx"], "backup.sh": ["bc"], "peer_bench.py": ["wrk"],
         "request_bench.py": ["wrk"], "replica_bench.py": ["wrk"]}
HELPERS = {"synth.py", "bare_django.py"}  # used by the benches above, not run on their own


def bench_env(data: Path) -> dict:
    env = {k: v for k, v in os.environ.items()
           if k not in ("DATABASE_URL", "REDIS_URL", "DJANGO_SETTINGS_MODULE", "PRESSROOM_DATA")}
    env.update(PRESSROOM_DATA=str(data), PRESSROOM_REQUEST_LOG="1")
    return env


def run_bench(name: str, data: Path, *extra: str, env: dict | None = None):
    cmd = (["bash", str(BENCH / name)] if name.endswith(".sh")
           else [sys.executable, str(BENCH / name)])
    proc = subprocess.run([*cmd, *TINY[name], *extra], cwd=ROOT, env=env or bench_env(data),
                          capture_output=True, text=True, timeout=1200)
    assert proc.returncode == 0, f"{name} failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    return proc.stdout


def test_every_bench_is_run():
    found = {p.name for p in BENCH.iterdir() if p.suffix in (".py", ".sh")}
    assert found - HELPERS == set(TINY)


def missing_tools(name: str) -> list[str]:
    tools = [t for t in NEEDS.get(name, []) if not (shutil.which(t) or Path(f"/usr/sbin/{t}").exists())]
    if name == "engine_choice.py" and importlib.util.find_spec("tantivy") is None:
        tools.append("the tantivy Python package")
    return tools


@pytest.fixture(scope="module")
def served_archive(tmp_path_factory):
    """One data folder with a tiny archive and collected static files, made by load_bench and
    reused by the other server benches (collecting static files is their slow part)."""
    return tmp_path_factory.mktemp("served")


@pytest.mark.parametrize("name", ["search_bench.py", "import_bench.py", "newsroom_publish.py",
                                  "engine_choice.py", "verify_bench.py", "log_bench.py",
                                  "alerts_bench.py", "media_bench.py", "first_render.py",
                                  "cache_bench.py", "middleware_bench.py"])
def test_bench_runs_at_a_tiny_size(name, tmp_path):
    if missing_tools(name):
        pytest.skip(f"{name} needs {', '.join(missing_tools(name))}")
    extra = {"search_bench.py": ["--data", str(tmp_path / "archive")],
             "import_bench.py": ["--work", str(tmp_path / "work")],
             "media_bench.py": ["--data", str(tmp_path / "media")],
             "first_render.py": ["--data", str(tmp_path / "pages")]}.get(name, [])
    out = run_bench(name, tmp_path / "data", *extra)
    assert any(word in out for word in ("ratio", "p95", "p50", "median")), out[-2000:]


@pytest.mark.parametrize("name", ["load_bench.py", "servers.py", "cache_proxy.py",
                                  "request_bench.py"])
def test_server_bench_runs_at_a_tiny_size(name, served_archive):
    if missing_tools(name):
        pytest.skip(f"{name} needs {', '.join(missing_tools(name))}")
    if name == "load_bench.py":
        out = run_bench(name, served_archive, "--data", str(served_archive))
        assert "counts exact" in out, out[-2000:]
    elif name == "request_bench.py":
        out = run_bench(name, served_archive, "--data", str(served_archive))
        assert "ratio robots/bare" in out and "total errors: 0" in out, out[-2000:]
    else:
        if not (served_archive / "static" / "staticfiles.json").exists():
            run_bench("load_bench.py", served_archive, "--data", str(served_archive))
        out = run_bench(name, served_archive)
        assert "req/s" in out, out[-2000:]


def test_peer_bench_runs_at_a_tiny_size(served_archive):
    """Beside Datasette, which the bench installs into its own venv (var/bench/peer-venv):
    skipped, saying why, where that install is impossible (no network)."""
    if missing_tools("peer_bench.py"):
        pytest.skip(f"peer_bench.py needs {', '.join(missing_tools('peer_bench.py'))}")
    if not (served_archive / "static" / "staticfiles.json").exists():
        run_bench("load_bench.py", served_archive, "--data", str(served_archive))
    proc = subprocess.run([sys.executable, str(BENCH / "peer_bench.py"), *TINY["peer_bench.py"],
                           "--data", str(served_archive)], cwd=ROOT, env=bench_env(served_archive),
                          capture_output=True, text=True, timeout=1200)
    if proc.returncode == 3 and "Datasette could not be installed" in proc.stdout:
        pytest.skip("peer_bench.py: Datasette could not be installed here (no network?); pip said: "
                    + proc.stdout.strip().splitlines()[-1])
    assert proc.returncode == 0, f"peer_bench.py failed:\n{proc.stdout[-3000:]}\n{proc.stderr[-3000:]}"
    assert "P/D" in proc.stdout and "database on disk" in proc.stdout, proc.stdout[-2000:]


def postgres_server() -> tuple[str, str]:
    """(the server's URL without a database, a database name to derive bench names from)."""
    url = os.environ.get("PRESSROOM_TEST_POSTGRES_URL", "postgres://postgres@127.0.0.1:5432/pressroom")
    server, _, name = url.rpartition("/")
    return server, name or "pressroom"


@pytest.mark.postgres
def test_import_bench_runs_on_postgresql(tmp_path):
    import psycopg

    server, name = postgres_server()
    try:
        psycopg.connect(f"{server}/postgres", connect_timeout=3).close()
    except Exception as e:  # noqa: BLE001 - any failure means: no server to run on
        why = (f"no PostgreSQL server at {server} ({e.__class__.__name__}: {str(e).strip()[:200]}): "
               "import_bench --postgres did NOT run; set PRESSROOM_TEST_POSTGRES_URL")
        if os.environ.get("CI") == "true":
            pytest.fail(why)
        pytest.skip(why)
    # Its own database (and NAME_template), made and dropped by the bench.
    url = f"{server}/{name}_import_bench_{os.getpid()}"
    out = run_bench("import_bench.py", tmp_path / "data", "--work", str(tmp_path / "work"),
                    "--postgres", url)
    assert "database: PostgreSQL" in out and "ratio importer/(baseline + tsvector)" in out, out[-2000:]
    assert "two million releases would take" in out, out[-2000:]


def test_backup_bench_runs_on_the_sample(tmp_path):
    if missing_tools("backup.sh"):
        pytest.skip(f"backup.sh needs {', '.join(missing_tools('backup.sh'))}")
    env = {**bench_env(tmp_path), "PRESSROOM_BENCH_INPUT": str(ROOT / "sample")}
    # Its own PostgreSQL database name, dropped at its end, when a server answers.
    out = run_bench("backup.sh", tmp_path, f"pressroom_bench_backup_{os.getpid()}", env=env)
    assert "sqlite  restore" in out, out[-2000:]


def test_scale_bench_runs_at_a_tiny_size(tmp_path):
    if missing_tools("scale.py"):
        pytest.skip(f"scale.py needs {', '.join(missing_tools('scale.py'))}")
    out = run_bench("scale.py", tmp_path / "data", "--work", str(tmp_path / "work"))
    assert "release page, spread evenly / trivial view" in out and "GiB per million" in out, out[-2000:]
    again = run_bench("scale.py", tmp_path / "data", "--work", str(tmp_path / "work"),
                      "--skip", "load", "--skip", "search", "--skip", "record")
    assert "reusing" in again, again[-2000:]


def test_replica_bench_runs_at_a_tiny_size(tmp_path):
    """A real primary and streaming replica (ops/pgcluster.py): skipped where PostgreSQL's
    server binaries are absent, and failed for it under CI, as tests/test_replica.py."""
    from pressroom.ops import pgcluster
    from tests.test_replica import not_here

    if pgcluster.pg_bindir() is None:
        not_here("PostgreSQL server binaries (initdb, pg_basebackup) are not installed: "
                 "bench/replica_bench.py did NOT run")
    if missing_tools("replica_bench.py"):
        pytest.skip(f"replica_bench.py needs {', '.join(missing_tools('replica_bench.py'))}")
    out = run_bench("replica_bench.py", tmp_path, "--data", str(tmp_path / "data"))
    assert "(b) primary + replica" in out and "(d) primary stopped mid-run" in out, out[-2000:]
    assert "visitor counts:" in out, out[-2000:]
