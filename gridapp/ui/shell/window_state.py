"""Remembered window layout (ui_state.json): size, splitter, the building last open.
A convenience: failing to save it never blocks closing."""

from __future__ import annotations

import base64
import logging
from pathlib import Path

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import QSplitter, QWidget

from gridapp.errors import EnvironmentFault
from gridapp.settings import UiState, save_ui_state
from gridapp.ui.households.navigator import Navigator

log = logging.getLogger("gridapp.ui")


def restore_window(
    window: QWidget, splitter: QSplitter, navigator: Navigator, state: UiState
) -> None:
    screen = window.screen().availableGeometry()
    if state.geometry:
        window.restoreGeometry(QByteArray(base64.b64decode(state.geometry)))
    else:
        # The first start fills a field laptop's small screen (1366×768) and stays a
        # comfortable window on a large one.
        window.resize(min(1440, screen.width()), min(860, screen.height()))
        if screen.width() <= 1440 or screen.height() <= 860:
            window.setWindowState(window.windowState() | Qt.WindowState.WindowMaximized)
    # Navigator : households : the household page, in proportion to the window.
    width = max(window.width(), 800)
    splitter.setSizes(state.splitter or [width * 19 // 100, width * 47 // 100, width * 34 // 100])
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
