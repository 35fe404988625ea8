"""给居民看: a policy item in large type, shown to the resident at the door; arrows page
through the campaign's items."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence, QShortcut
from PySide6.QtWidgets import QDialog, QTextBrowser, QVBoxLayout, QWidget

from gridapp.i18n import Catalog
from gridapp.policy_text import to_html
from gridapp.ui.common.screen import fit_to_screen

RESIDENT_FONT_PX = 34


class ResidentView(QDialog):
    """One policy item, large, for the resident: Esc closes, ←/→ previous and next item,
    Ctrl+= / Ctrl+- bigger and smaller type."""

    def __init__(
        self,
        items: list[dict[str, Any]],
        index: int,
        catalog: Catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("residentView")
        self.setWindowTitle(catalog.tr("ui.policy.resident_title"))
        self._items, self._index, self._size = items, index, RESIDENT_FONT_PX
        self.text = QTextBrowser(self)
        self.text.setObjectName("residentText")
        self.text.setStyleSheet("QTextBrowser { background: #fffdf5; color: #101828; }")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(24, 24, 24, 24)
        layout.addWidget(self.text)
        QShortcut(QKeySequence.StandardKey.ZoomIn, self, lambda: self.zoom(4))
        QShortcut(QKeySequence("Ctrl+="), self, lambda: self.zoom(4))
        QShortcut(QKeySequence.StandardKey.ZoomOut, self, lambda: self.zoom(-4))
        fit_to_screen(self, 1100, 760)
        self._show()

    def zoom(self, step: int) -> None:
        self._size = min(max(self._size + step, 18), 72)
        self._show()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Right and self._index + 1 < len(self._items):
            self._index += 1
            self._show()
        elif event.key() == Qt.Key.Key_Left and self._index > 0:
            self._index -= 1
            self._show()
        else:
            super().keyPressEvent(event)

    def current(self) -> dict[str, Any]:
        return self._items[self._index]

    def _show(self) -> None:
        item = self.current()
        self.text.setHtml(to_html(item["body"], item["title"], self._size))
