"""The dashboard's parts: number tiles, and one read-only table model over rows already
made from a snapshot.

A model over the snapshot's own list, not a QTableWidget of items: 2,500 buildings are
shown by handing the list over (one reset); a row's cells are made when the view
first asks for them, which is for the rows on screen only (or all, once, when the
user sorts), so the UI thread's share of a refresh stays small at any campaign size.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QHeaderView,
    QLabel,
    QTableView,
    QVBoxLayout,
    QWidget,
)

ALERT = QColor("#b42318")
ID_ROLE = Qt.ItemDataRole.UserRole + 1
SORT_ROLE = Qt.ItemDataRole.UserRole + 2
_RIGHT = int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

Index = QModelIndex | QPersistentModelIndex


@dataclass(frozen=True)
class Cell:
    text: str
    sort: Any = None  # what the column sorts by; the text when None
    alert: bool = False  # shown in red
    number: bool = False  # right-aligned


@dataclass(frozen=True)
class Row:
    id: str
    cells: tuple[Cell, ...]


class RowsModel(QAbstractTableModel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._headers: list[str] = []
        self._items: Sequence[Any] = ()
        self._make: Callable[[int, Any], Row] = lambda _i, row: row
        self._made: dict[int, Row] = {}
        self._alert = QBrush(ALERT)

    def set_rows(
        self,
        headers: list[str],
        items: Sequence[Any],
        make: Callable[[int, Any], Row] | None = None,
    ) -> None:
        """Show `items`; `make(index, item)` turns one into its Row when first needed
        (without it, the items are Rows already)."""
        self.beginResetModel()
        self._headers, self._items, self._made = headers, items, {}
        self._make = make or (lambda _i, row: row)
        self.endResetModel()

    def _row(self, index: int) -> Row:
        row = self._made.get(index)
        if row is None:
            row = self._made[index] = self._make(index, self._items[index])
        return row

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._headers)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if (
            orientation == Qt.Orientation.Horizontal
            and role == Qt.ItemDataRole.DisplayRole
            and section < len(self._headers)
        ):
            return self._headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        row = self._row(index.row())
        cell = row.cells[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return cell.text
        if role == SORT_ROLE:
            return cell.text if cell.sort is None else cell.sort
        if role == ID_ROLE:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole and cell.alert:
            return self._alert
        if role == Qt.ItemDataRole.TextAlignmentRole and cell.number:
            return _RIGHT
        return None

    def text(self, row: int, column: int) -> str:
        return self._row(row).cells[column].text

    def row_id(self, row: int) -> str:
        return self._row(row).id


class RowsTable(QTableView):
    """A sortable read-only table over a RowsModel."""

    def __init__(self, name: str, parent: QWidget | None = None, sortable: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName(name)
        self.rows = RowsModel(self)
        if sortable:
            proxy = QSortFilterProxyModel(self)
            proxy.setSourceModel(self.rows)
            proxy.setSortRole(SORT_ROLE)
            self.setModel(proxy)
            self.setSortingEnabled(True)
            self.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # walking order until asked
        else:
            self.setModel(self.rows)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setAlternatingRowColors(True)
        self.verticalHeader().setVisible(False)
        self.verticalHeader().setDefaultSectionSize(24)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        header.setHighlightSections(False)

    def id_at(self, index: QModelIndex) -> str:
        return str(self.model().data(index, ID_ROLE))


def number(value: int, alert: bool = False) -> Cell:
    return Cell(f"{value:,}", value, alert, number=True)


def percent(share: float, alert: bool = False) -> Cell:
    return Cell(f"{share * 100:.1f}%", share, alert, number=True)


class Tile(QFrame):
    def __init__(self, name: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"tile_{name}")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setStyleSheet(
            "Tile { background: #f7f9fc; border: 1px solid #d9e1ec; border-radius: 6px; }"
        )
        self.caption, self.value, self.detail = QLabel(self), QLabel(self), QLabel(self)
        self.value.setObjectName("value")
        font = self.value.font()
        font.setPointSizeF(font.pointSizeF() * 2.2)
        font.setBold(True)
        self.value.setFont(font)
        self.value.setText("—")
        for label in (self.caption, self.detail):
            label.setStyleSheet("color: #4b5563;")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.setSpacing(2)
        for label in (self.caption, self.value, self.detail):
            layout.addWidget(label)

    def set(self, value: str, detail: str = "", alert: bool = False) -> None:
        self.value.setText(value)
        self.value.setStyleSheet("color: #b42318;" if alert else "color: #111827;")
        self.detail.setText(detail)
