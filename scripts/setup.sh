#!/usr/bin/env bash
# Creates .venv with everything the project needs, offline-safe after the first run.
# PyTorch goes in first as the CPU build; every later pip call is constrained to it, otherwise
# the resolver would pull a newer torch with its CUDA packages.
set -euo pipefail
cd "$(dirname "$0")/.."
stamp=.venv/.installed-$(cat pyproject.toml constraints.txt | sha256sum | cut -c1-16)
if [ -f "$stamp" ]; then
  exit 0
fi
python3.11 -m venv .venv
.venv/bin/pip install --quiet --upgrade pip
.venv/bin/pip install --quiet torch==2.13.0
.venv/bin/pip install --quiet -c constraints.txt -e ".[dev]"
rm -f .venv/.installed-*
touch "$stamp"
echo "environment ready in .venv"
