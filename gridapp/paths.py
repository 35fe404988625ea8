"""Where data lives: the platform's user data folder unless --data-dir says otherwise."""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "gridapp"


def default_data_dir() -> Path:
    override = os.environ.get("GRIDAPP_DATA_DIR")
    if override:
        return Path(override)
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def demo_data_dir() -> Path:
    """The demo's own folder (`--demo` without `--data-dir`): beside the real one, never
    in it, so made-up residents never mix with a campaign's. $GRIDAPP_DATA_DIR wins."""
    override = os.environ.get("GRIDAPP_DATA_DIR")
    if override:
        return Path(override)
    return platformdirs.user_data_path(f"{APP_NAME}-demo", appauthor=False)


def resolve_data_dir(arg: str | os.PathLike[str] | None) -> Path:
    return Path(arg).expanduser().resolve() if arg else default_data_dir()
