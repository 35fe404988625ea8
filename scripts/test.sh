#!/usr/bin/env bash
# Installs everything, then runs the whole check: lint, types, and the test suite.
# Extra arguments go to pytest (e.g. -m "not gui" for the fast core run).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export QT_QPA_PLATFORM=offscreen
echo "== ruff"; .venv/bin/ruff check .
.venv/bin/ruff format --check .
echo "== mypy"; .venv/bin/mypy gridapp tests bench
echo "== pytest"; .venv/bin/python -m pytest "$@"
