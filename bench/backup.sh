#!/usr/bin/env bash
# Backup and restore timings on the shared corpus, SQLite and (when a server answers)
# PostgreSQL. One run each; prints seconds and sizes.
#   bash bench/backup.sh [PG_DB_NAME]      (default pressroom_bench_backup; dropped after)
# PRESSROOM_BENCH_INPUT=PATH imports PATH instead of the corpus (tests: the small sample).
set -euo pipefail
cd "$(dirname "$0")/.."
PR=.venv/bin/pressroom
if [ -n "${PRESSROOM_BENCH_INPUT:-}" ]; then
  INPUT=("$PRESSROOM_BENCH_INPUT")
else
  for c in "${PRESSROOM_SHARED:-}" ../shared ../../shared; do
    [ -n "$c" ] && [ -d "$c/corpus" ] && { CORPUS=$c/corpus; break; }
  done
  [ -n "${CORPUS:-}" ] || { echo "no shared corpus (set PRESSROOM_SHARED)"; exit 1; }
  INPUT=("$CORPUS/pib-2020" "$CORPUS/pib-2026")
fi
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
t() { local s; s=$(date +%s.%N); "$@" >/dev/null; echo "$(date +%s.%N) - $s" | bc; }

export PRESSROOM_DATA=$WORK/sqlite
unset DATABASE_URL REDIS_URL
$PR migrate -v0
$PR import "${INPUT[@]}" --quiet
$PR export --format jsonl --out "$WORK/archive.jsonl"
echo "archive: $($PR fingerprint | tr -d '\n ' | cut -c1-200)"
echo "sqlite  database $(stat -c %s "$PRESSROOM_DATA/pressroom.sqlite3") bytes"
echo "sqlite  backup   $(t $PR backup "$WORK/s.backup") s, $(stat -c %s "$WORK/s.backup") bytes"
echo "sqlite  restore  $(t $PR restore --noinput "$WORK/s.backup") s"

DB=${1:-pressroom_bench_backup}
if psql -h 127.0.0.1 -U postgres -d postgres -Atqc 'select 1' >/dev/null 2>&1; then
  dropdb -h 127.0.0.1 -U postgres --if-exists "$DB"
  createdb -h 127.0.0.1 -U postgres -E UTF8 -T template0 --lc-collate=C.UTF-8 --lc-ctype=C.UTF-8 "$DB"
  export PRESSROOM_DATA=$WORK/pg DATABASE_URL=postgres://postgres@127.0.0.1:5432/$DB
  $PR migrate -v0
  echo "postgres import  $(t $PR import "$WORK/archive.jsonl" --quiet) s"
  echo "postgres backup  $(t $PR backup "$WORK/p.backup") s, $(stat -c %s "$WORK/p.backup") bytes"
  echo "postgres restore $(t $PR restore --noinput "$WORK/p.backup") s"
  dropdb -h 127.0.0.1 -U postgres "$DB"
else
  echo "postgres: no server at 127.0.0.1:5432, skipped"
fi
