#!/usr/bin/env bash
# Lint (ruff, mypy), then the whole suite twice: on SQLite and on PostgreSQL. Non-zero if anything failed.
set -uo pipefail

bin=.venv/bin
status=0

echo "== ruff"
$bin/ruff check . || status=1
$bin/ruff format --check . || status=1

echo "== mypy"
DEBUG=1 $bin/mypy || status=1

echo "== pytest on SQLite"
env -u DATABASE_URL $bin/pytest "$@" || status=1

echo "== pytest on PostgreSQL"
scripts/with-postgres.sh $bin/pytest "$@" || status=1

exit $status
