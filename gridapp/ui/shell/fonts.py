"""The shipped CJK font, registered with Qt so Chinese never renders as boxes, whatever
fonts the laptop has."""

from __future__ import annotations

import logging

from PySide6.QtGui import QFont, QFontDatabase
from PySide6.QtWidgets import QApplication

from gridapp.resources import font_path

log = logging.getLogger("gridapp.ui")


def install_cjk_font(app: QApplication, point_size: int = 10) -> str | None:
    """Register the bundled font and make it the application font; returns its family."""
    font_id = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        log.warning("bundled CJK font not loaded from %s", font_path())
        return None
    font = QFont(families[0], point_size)
    app.setFont(font)
    return families[0]
