"""One box to find a household: names, pinyin initials, addresses as people type them,
phone tails, codes. Results appear as you type; Enter opens the first; a USB scanner
typing a household code and Enter opens that household from anywhere."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import (
    QAbstractListModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QLineEdit, QListView, QWidget

from gridapp.i18n import Catalog
from gridapp.model import HouseholdRow

DEBOUNCE_MS = 120
Index = QModelIndex | QPersistentModelIndex
Finder = Callable[[str, int], Sequence[HouseholdRow]]


class ResultsModel(QAbstractListModel):
    """The rows found for the current text (at most a page: the popup shows 50)."""

    def __init__(self, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self.catalog = catalog
        self.rows: list[HouseholdRow] = []

    def set_rows(self, rows: Sequence[HouseholdRow]) -> None:
        self.beginResetModel()
        self.rows = list(rows)
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.DisplayRole:
            status = self.catalog.code("household_status", row.status)
            who = row.head_name
            if row.matched:  # found through another resident: say whom
                who = self.catalog.tr("ui.search.matched", head=row.head_name, name=row.matched)
            return f"{row.address}　{who}　{status}　{row.code}"
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        return None


class SearchBox(QLineEdit):
    chosen = Signal(str)  # household id
    not_found = Signal(str)  # the text that found nothing

    def __init__(self, find: Finder, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchBox")
        self.setClearButtonEnabled(True)
        self._find = find
        self.model = ResultsModel(catalog, self)
        self.popup = QListView()
        self.popup.setObjectName("searchResults")
        self.popup.setWindowFlags(Qt.WindowType.ToolTip)
        self.popup.setModel(self.model)
        self.popup.setUniformItemSizes(True)
        self.popup.clicked.connect(lambda index: self._choose(index.row()))
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self.search_now)
        self.textEdited.connect(lambda _t: self._timer.start())
        self.returnPressed.connect(self._enter)
        self.set_catalog(catalog)

    def set_catalog(self, catalog: Catalog) -> None:
        self.model.catalog = catalog
        self.setPlaceholderText(catalog.tr("ui.search.placeholder"))

    def search_now(self) -> list[HouseholdRow]:
        self._timer.stop()
        text = self.text().strip()
        rows = list(self._find(text, 50)) if text else []
        self.model.set_rows(rows)
        if rows and self.isVisible():
            width = max(self.width(), 560)
            self.popup.setFixedWidth(width)
            self.popup.setFixedHeight(min(len(rows), 12) * 24 + 6)
            self.popup.move(self.mapToGlobal(self.rect().bottomLeft()))
            self.popup.setCurrentIndex(self.model.index(0, 0))
            self.popup.show()
        else:
            self.popup.hide()
        return rows

    def _enter(self) -> None:
        if self._timer.isActive() or not self.model.rows:
            self.search_now()  # a scanner types faster than the debounce
        if not self.model.rows:
            self.not_found.emit(self.text().strip())
            return
        row = self.popup.currentIndex().row() if self.popup.isVisible() else 0
        self._choose(max(row, 0))

    def _choose(self, row: int) -> None:
        if 0 <= row < len(self.model.rows):
            household_id = self.model.rows[row].id
            self.popup.hide()
            self.clear()
            self.model.set_rows([])
            self.chosen.emit(household_id)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self.popup.isVisible() and event.key() in (Qt.Key.Key_Down, Qt.Key.Key_Up):
            step = 1 if event.key() == Qt.Key.Key_Down else -1
            row = min(max(self.popup.currentIndex().row() + step, 0), len(self.model.rows) - 1)
            self.popup.setCurrentIndex(self.model.index(row, 0))
            return
        if event.key() == Qt.Key.Key_Escape:
            self.popup.hide()
        super().keyPressEvent(event)

    def focusOutEvent(self, event: Any) -> None:
        QTimer.singleShot(150, self.popup.hide)  # a click on a result lands first
        super().focusOutEvent(event)
