#!/usr/bin/env bash
# Installs what gridapp needs on a Debian-like machine: Qt's system libraries (offscreen
# and Xvfb), then a Python virtual environment in .venv with gridapp and its tools.
# Safe to run again: it installs only what is missing.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  # Qt offscreen
  libglib2.0-0 libgl1 libegl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0
  # a real window under Xvfb (no display on the machine)
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render0
  libxcb-render-util0 libxcb-shape0 libxcb-util1 libxcb-xkb1 libxkbcommon-x11-0
  # tests type real keys into the app on that screen (tests/gui/shell/test_lock_real_x.py)
  xdotool
  # tests look at every PDF the way a user would: pdffonts, pdftotext, pdftoppm
  poppler-utils
  # printing goes through a real print system: CUPS and its cups-pdf virtual printer
  cups printer-driver-cups-pdf
  # report tests open the XLSX workbook in LibreOffice (headless), as the office would
  libreoffice-calc-nogui
)

apt_install() {
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  echo "setup: installing system packages: $*"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

if command -v dpkg-query >/dev/null 2>&1; then
  missing=()
  for pkg in "${APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    apt_install "${missing[@]}"
  fi
else
  echo "setup: not a Debian-like system; install Qt's libraries (see README) yourself" >&2
fi

PYTHON=""
for candidate in python3.11 python3.12 python3.13 python3; do
  if command -v "$candidate" >/dev/null 2>&1 &&
     "$candidate" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    PYTHON="$candidate"; break
  fi
done
if [ -z "$PYTHON" ]; then
  apt_install python3 python3-venv
  PYTHON=python3
fi

if [ ! -x .venv/bin/python ]; then
  if ! "$PYTHON" -m venv .venv 2>/dev/null; then
    rm -rf .venv
    apt_install python3-venv
    "$PYTHON" -m venv .venv
  fi
fi

# Reinstall only when the package definition changed.
stamp=".venv/.gridapp-installed-$(sha256sum pyproject.toml | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  echo "setup: installing Python packages into .venv"
  .venv/bin/python -m pip install -q --upgrade pip 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -m pip install -q -e ".[dev]" 2>&1 | grep -v '^WARNING: Location' || true
  .venv/bin/python -c 'import gridapp, PySide6.QtWidgets, sqlite_utils' # fail loudly if broken
  rm -f .venv/.gridapp-installed-*
  touch "$stamp"
fi
