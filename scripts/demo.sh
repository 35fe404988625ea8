#!/usr/bin/env bash
# Installs everything, then starts gridapp on its built-in demo campaign.
# Extra arguments go to gridapp (e.g. --data-dir DIR, --lang en).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
  echo "demo: no display here; starting gridapp on a virtual screen (Xvfb)." >&2
  echo "demo: add --screenshot FILE.png to save what it shows and quit." >&2
  exec xvfb-run -a -s "-screen 0 1366x768x24" .venv/bin/gridapp --demo "$@"
fi
exec .venv/bin/gridapp --demo "$@"
