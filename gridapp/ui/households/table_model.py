"""The household list model: holds ids only and fetches rows a page at a time, so a
100,000-household campaign opens as fast as a small one (Anki's browser table)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QBrush, QColor, QFontMetrics
from PySide6.QtWidgets import QTableView

from gridapp.codes import HouseholdStatus, Outcome
from gridapp.i18n import Catalog
from gridapp.model import HouseholdRow
from gridapp.services.reading import ReadingService

PAGE = 200
#: What a worker scans first comes first: 走访 and 最近结果 never sit off-screen on a
#: 1366-pixel laptop; the tags, of any length, take what is left.
COLUMNS = ("address", "head", "status", "visits", "last_outcome", "area", "tags")

Index = QModelIndex | QPersistentModelIndex
_NOT_VISITED = QBrush(QColor("#9a6700"))


class HouseholdTableModel(QAbstractTableModel):
    def __init__(self, read: ReadingService, catalog: Catalog, parent: Any = None) -> None:
        super().__init__(parent)
        self._read = read
        self._catalog = catalog
        self._ids: list[str] = []
        self._rows: dict[str, HouseholdRow] = {}

    def set_ids(self, ids: Sequence[str]) -> None:
        self.beginResetModel()
        self._ids = list(ids)
        self._rows.clear()
        self.endResetModel()

    def refresh(self) -> None:
        """Forget fetched rows (data changed); ids stay."""
        self._rows.clear()
        if self._ids:
            self.dataChanged.emit(
                self.index(0, 0), self.index(len(self._ids) - 1, len(COLUMNS) - 1)
            )

    def household_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, household_id: str) -> int:
        try:
            return self._ids.index(household_id)
        except ValueError:
            return -1

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self.headerDataChanged.emit(Qt.Orientation.Horizontal, 0, len(COLUMNS) - 1)
        self.refresh()

    def _row(self, row: int) -> HouseholdRow | None:
        household_id = self._ids[row]
        cached = self._rows.get(household_id)
        if cached is None:
            start = row - row % PAGE
            for fetched in self._read.household_rows(self._ids[start : start + PAGE]):
                self._rows[fetched.id] = fetched
            cached = self._rows.get(household_id)
        return cached

    # -- Qt ------------------------------------------------------------------------
    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(COLUMNS)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(COLUMNS):
            return self._catalog.tr(f"ui.household.column.{COLUMNS[section]}")
        if orientation == Qt.Orientation.Vertical:
            return str(section + 1)
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        row = self._row(index.row())
        if row is None:
            return None
        column = COLUMNS[index.column()]
        if role == Qt.ItemDataRole.DisplayRole:
            return self._display(row, column)
        if role == Qt.ItemDataRole.UserRole:
            return row.id
        if role == Qt.ItemDataRole.ForegroundRole and column == "last_outcome" and not row.visits:
            return _NOT_VISITED
        if role == Qt.ItemDataRole.TextAlignmentRole and column in ("area", "visits"):
            return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        if role == Qt.ItemDataRole.ToolTipRole:
            return f"{row.address}  [{row.code}]"
        return None

    def _display(self, row: HouseholdRow, column: str) -> str:
        code = self._catalog.code
        match column:
            case "address":
                return row.address
            case "head":
                return row.head_name
            case "status":
                return code("household_status", row.status)
            case "area":
                return f"{row.area:.2f}" if row.area is not None else ""
            case "tags":
                return "、".join(row.tags)
            case "visits":
                return str(row.visits)
            case "last_outcome":
                if row.last_outcome is None:
                    return self._catalog.tr("ui.household.not_visited")
                return code("outcome", row.last_outcome)
        return ""


def fit_columns(table: QTableView, catalog: Catalog) -> None:
    """Each column as wide as its header or its widest likely value in this language
    (measured, not guessed: English labels are longer), the tags taking the rest. Done
    once per language: a lazy model is never scanned for contents."""
    metrics = QFontMetrics(table.font())
    code = catalog.code
    samples = {
        "address": ["临沂二村12号12单元1202室"],
        "head": ["欧阳某某某"],
        "status": [code("household_status", s) for s in HouseholdStatus],
        "visits": ["99"],
        "last_outcome": [
            *(code("outcome", o) for o in Outcome),
            catalog.tr("ui.household.not_visited"),
        ],
        "area": ["1234.56"],
    }
    header = table.horizontalHeader()
    padding = 2 * metrics.horizontalAdvance("M")
    for column, name in enumerate(COLUMNS):
        if name not in samples:
            continue
        words = [catalog.tr(f"ui.household.column.{name}"), *samples[name]]
        header.resizeSection(column, max(metrics.horizontalAdvance(w) for w in words) + padding)
