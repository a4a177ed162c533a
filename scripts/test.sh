#!/usr/bin/env bash
# The test command: the checks that keep the code's shape (ruff: lint and import order; mypy
# over content/, index/ and bot/; import-linter: the layers contract), then the whole suite
# offline on SQLite (the two-worker test always uses PostgreSQL; the send-budget tests, which
# always do too, are left to the PostgreSQL pass) and, at the same time, the
# database-backed tests again on PostgreSQL (its output follows the SQLite run's). The two runs
# share no database: bot processes get a database of their own. Much of an end-to-end test is
# waiting for a bot process, so running both at once on 2 CPUs takes minutes off the run. Any
# failure fails the run. PostgreSQL is started if it is down, and never skipped: without it
# the run fails.
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
postgres_log=$(mktemp)
trap 'rm -f "$postgres_log"' EXIT
DATABASE_URL=$TEST_POSTGRES_URL .venv/bin/python -m pytest -m database "$@" >"$postgres_log" 2>&1 &
postgres_run=$!
status=0
.venv/bin/python -m pytest "$@" || status=$?
wait "$postgres_run" || status=$?
echo "== the database-backed tests on PostgreSQL =="
cat "$postgres_log"
exit "$status"
