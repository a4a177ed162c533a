#!/usr/bin/env bash
# The test command: the checks that keep the code's shape (ruff: lint and import order; mypy
# over content/, index/ and bot/; import-linter: the layers contract), then the whole suite
# offline on SQLite (the two-worker test always uses PostgreSQL), then the database-backed
# tests again on PostgreSQL. Any failure fails the run. PostgreSQL is started if it is down,
# and never skipped: without it the run fails.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 HF_HUB_DISABLE_PROGRESS_BARS=1 TRANSFORMERS_OFFLINE=1
unset DATABASE_URL
export TEST_POSTGRES_URL=${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}
if ! pg_isready -q -h 127.0.0.1 -p 5432; then
  pg_ctlcluster --skip-systemctl-redirect "$(ls /etc/postgresql | head -n1)" main start
  for _ in $(seq 30); do pg_isready -q -h 127.0.0.1 -p 5432 && break; sleep 1; done
fi

.venv/bin/ruff check .
.venv/bin/python -m mypy
.venv/bin/lint-imports
.venv/bin/python -m pytest "$@"
DATABASE_URL=$TEST_POSTGRES_URL .venv/bin/python -m pytest -m database "$@"
