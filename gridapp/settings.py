"""Settings, declared once with types and defaults, upgraded by named functions.

User preferences (`settings.json`) are kept apart from remembered UI state
(`ui_state.json`: window size, splitters), as Picard does: resetting one never loses
the other. Both live in the data folder, so `--data-dir` isolates everything.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, fields
from pathlib import Path
from typing import Any

from gridapp.files import file_errors, write_atomic
from gridapp.i18n import DEFAULT_LANGUAGE, LANGUAGES
from gridapp.private import private_dir

log = logging.getLogger("gridapp.settings")

SETTINGS_VERSION = 3


@dataclass
class Settings:
    language: str = DEFAULT_LANGUAGE
    #: A printed visit sheet (走访单) names each household's head masked (张*), as the
    #: PIPL minimum asks of paper that leaves the office. (Phones are always masked on
    #: screen until revealed one household at a time, an audited act: no setting.)
    mask_names_on_sheets: bool = True
    #: Minutes of inactivity before the app locks itself (the sign-in issue uses it).
    idle_lock_minutes: int = 5
    #: Who is recording on this laptop (until sign-in arrives): a worker code.
    worker_code: str = ""

    def validated(self) -> Settings:
        if self.language not in LANGUAGES:
            self.language = DEFAULT_LANGUAGE
        self.idle_lock_minutes = min(max(int(self.idle_lock_minutes), 1), 240)
        if not isinstance(self.mask_names_on_sheets, bool):
            self.mask_names_on_sheets = True  # "false" typed by hand never unmasks
        return self


@dataclass
class UiState:
    geometry: str = ""  # base64 of QWidget.saveGeometry()
    splitter: list[int] = field(default_factory=list)
    last_building_id: str = ""


def _v1_to_v2(raw: dict[str, Any]) -> dict[str, Any]:
    # v1 called the language setting "lang".
    if "lang" in raw:
        raw["language"] = raw.pop("lang")
    return raw


def _v2_to_v3(raw: dict[str, Any]) -> dict[str, Any]:
    # v2 called the sheets' name masking "mask_phones" (it never masked a phone), and
    # had "show_voided_in_timeline", which nothing read: a household's history always
    # shows voided and superseded visits, struck through (a correction hides nothing).
    if "mask_phones" in raw:
        raw["mask_names_on_sheets"] = raw.pop("mask_phones")
    raw.pop("show_voided_in_timeline", None)
    return raw


UPGRADES: dict[int, Callable[[dict[str, Any]], dict[str, Any]]] = {1: _v1_to_v2, 2: _v2_to_v3}


def _read(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    except (OSError, ValueError) as exc:
        log.warning("ignoring unreadable %s: %s", path, exc)
        return {}
    return data if isinstance(data, dict) else {}


def _write(path: Path, data: dict[str, Any]) -> None:
    # Private (0600 in a 0700 folder) and atomic: a crash leaves the old file or the new.
    # The machine's faults raise as EnvironmentFault (gridapp.files), worded for the user.
    with file_errors(path):
        private_dir(path.parent)
    write_atomic(path, json.dumps(data, ensure_ascii=False, indent=2))


def _known(cls: type[Any], raw: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(cls)}
    return {k: v for k, v in raw.items() if k in names}


def load_settings(data_dir: Path) -> Settings:
    raw = _read(data_dir / "settings.json")
    version = int(raw.pop("version", SETTINGS_VERSION if not raw else 1))
    while version < SETTINGS_VERSION:
        raw = UPGRADES[version](raw)
        version += 1
    try:
        return Settings(**_known(Settings, raw)).validated()
    except (TypeError, ValueError) as exc:
        log.warning("settings reset to defaults: %s", exc)
        return Settings()


def save_settings(data_dir: Path, settings: Settings) -> None:
    _write(data_dir / "settings.json", {"version": SETTINGS_VERSION, **asdict(settings)})


def load_ui_state(data_dir: Path) -> UiState:
    try:
        return UiState(**_known(UiState, _read(data_dir / "ui_state.json")))
    except TypeError:
        return UiState()


def save_ui_state(data_dir: Path, state: UiState) -> None:
    _write(data_dir / "ui_state.json", asdict(state))
