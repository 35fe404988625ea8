"""Windows that fit the screen they open on: a field laptop is 1366×768, often at 125 %
(1093×614 logical pixels), and a dialog taller than that hides its buttons."""

from __future__ import annotations

from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

#: Room left for a window manager's title bar and the task bar.
MARGIN = 40


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """`widget.resize(width, height)`, shrunk to the available screen (the widget's own,
    else the primary) when that is smaller."""
    screen = widget.screen() or QGuiApplication.primaryScreen()
    if screen is None:
        widget.resize(width, height)
        return
    room = screen.availableGeometry()
    widget.resize(min(width, room.width() - MARGIN), min(height, room.height() - MARGIN))
