#!/usr/bin/env bash
# Lint (ruff, mypy), then the whole suite twice: on SQLite and on PostgreSQL. Non-zero if anything failed.
# The two runs go side by side (each has its own var/test-<pid> folder and database), which halves the
# wall time on a two-core machine; the SQLite run prints as it goes, the PostgreSQL run's output follows.
set -uo pipefail

bin=.venv/bin
status=0

echo "== ruff"
$bin/ruff check . || status=1
$bin/ruff format --check . || status=1

echo "== mypy"
DEBUG=1 $bin/mypy || status=1

mkdir -p var
pg_log=$(mktemp var/pytest-postgres-XXXXXX.log)
scripts/with-postgres.sh $bin/pytest -p no:cacheprovider "$@" >"$pg_log" 2>&1 &
pg_pid=$!

echo "== pytest on SQLite (PostgreSQL runs beside it)"
env -u DATABASE_URL $bin/pytest "$@" || status=1

wait "$pg_pid"
pg_status=$?
echo "== pytest on PostgreSQL"
cat "$pg_log"
rm -f "$pg_log"
[ "$pg_status" -eq 0 ] || status=1

exit $status
