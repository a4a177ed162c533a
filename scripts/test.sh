#!/usr/bin/env bash
# The test command: the whole suite, offline.
set -euo pipefail
cd "$(dirname "$0")/.."
export HF_HUB_OFFLINE=1 HF_HUB_DISABLE_PROGRESS_BARS=1 TRANSFORMERS_OFFLINE=1
.venv/bin/python -m pytest "$@"
