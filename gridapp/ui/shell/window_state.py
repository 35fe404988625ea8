"""Remembered window layout (ui_state.json): size, splitter, the building last open.
A convenience: failing to save it never blocks closing."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QSplitter, QWidget

from gridapp.errors import EnvironmentFault
from gridapp.settings import UiState, save_ui_state
from gridapp.ui.households.navigator import Navigator

log = logging.getLogger("gridapp.ui")


def restore_window(
    window: QWidget, splitter: QSplitter, navigator: Navigator, state: UiState
) -> None:
    if state.geometry:
        window.restoreGeometry(QByteArray(base64.b64decode(state.geometry)))
    else:
        window.resize(1440, 860)
    splitter.setSizes(state.splitter or [300, 640, 500])
    if state.last_building_id:
        navigator.select("building", state.last_building_id)


def save_window(
    window: QWidget, splitter: QSplitter, navigator: Navigator, state: UiState, data_dir: Path
) -> None:
    state.geometry = base64.b64encode(bytes(window.saveGeometry().data())).decode("ascii")
    state.splitter = splitter.sizes()
    current = navigator.current()
    state.last_building_id = current[1] if current and current[0] == "building" else ""
    try:
        save_ui_state(data_dir, state)
    except EnvironmentFault as exc:
        log.warning("could not save window state: %s", exc)
