#!/usr/bin/env bash
# The edit-test loop: ruff, ruff format, mypy, then the tests not marked slow, stopping
# at the first failure (scripts/test.sh runs everything, slow tests included).
#   bash scripts/fast.sh                 all four steps
#   bash scripts/fast.sh mypy tests      only these (ruff, format, mypy, tests)
#   bash scripts/fast.sh -- -k search    all four; the words after -- go to pytest
# Set-up runs first (it installs only what is missing: quick once installed). To use a
# virtual environment elsewhere (a git worktree sharing one), set GRIDAPP_VENV to it:
# set-up is then left out.
set -euo pipefail
cd "$(dirname "$0")/.."
steps=()
while [ "$#" -gt 0 ] && [ "$1" != "--" ]; do steps+=("$1"); shift; done
[ "$#" -gt 0 ] && shift  # the --
[ "${#steps[@]}" -gt 0 ] || steps=(ruff format mypy tests)
if [ -n "${GRIDAPP_VENV:-}" ]; then
  bin="$GRIDAPP_VENV/bin"
else
  bash scripts/setup.sh
  bin=".venv/bin"
fi
export QT_QPA_PLATFORM=offscreen PYTHONPATH="$PWD${PYTHONPATH:+:$PYTHONPATH}"
for step in "${steps[@]}"; do
  case "$step" in
    ruff) echo "== ruff"; "$bin/ruff" check . ;;
    format) echo "== ruff format"; "$bin/ruff" format --check . ;;
    mypy) echo "== mypy"; "$bin/mypy" gridapp tests bench ;;
    tests) echo "== pytest (not slow)"; "$bin/python" -m pytest -m "not slow" -x -q "$@" ;;
    *) echo "fast.sh: unknown step $step (ruff, format, mypy, tests)" >&2; exit 2 ;;
  esac
done
