"""The conflict review queue: two laptops changed the same field differently; staff
choose the value that stands. The choice travels back in the next roster bundle."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog

if TYPE_CHECKING:
    from gridapp.services.sync import SyncService

VALUE_ROLE = Qt.ItemDataRole.UserRole + 1


def _show(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


class ConflictsView(QWidget):
    resolved = Signal(str)
    failed = Signal(object)  # a GridappError for the window's error presenter

    def __init__(self, sync: SyncService, catalog: Catalog, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflictsView")
        self._sync = sync
        self._catalog = catalog
        self._rows: list[dict[str, Any]] = []
        self.summary = QLabel(self)
        self.table = QTableWidget(0, 5, self)
        self.table.setObjectName("conflictTable")
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.verticalHeader().setVisible(False)
        self.candidates = QListWidget(self)
        self.candidates.setObjectName("candidates")
        self.choose_label = QLabel(self)
        self.resolve_button = QPushButton(self)
        self.resolve_button.setObjectName("resolveButton")
        self.resolve_button.setEnabled(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.candidates, 1)
        bottom.addWidget(self.resolve_button, 0, Qt.AlignmentFlag.AlignBottom)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.table, 3)
        layout.addWidget(self.choose_label)
        layout.addLayout(bottom, 1)
        self.table.itemSelectionChanged.connect(self._show_candidates)
        self.candidates.currentItemChanged.connect(
            lambda *_: self.resolve_button.setEnabled(self.candidates.currentItem() is not None)
        )
        self.resolve_button.clicked.connect(self.resolve_selected)
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        tr = self._catalog.tr
        self.table.setHorizontalHeaderLabels(
            [
                tr(f"ui.conflicts.column.{c}")
                for c in ("household", "record", "field", "candidates", "provisional")
            ]
        )
        self.choose_label.setText(tr("ui.conflicts.choose"))
        self.resolve_button.setText(tr("ui.conflicts.resolve"))
        self.summary.setText(tr("ui.conflicts.summary", count=len(self._rows)))

    def reload(self) -> None:
        self._rows = self._sync.conflicts()
        self.table.setRowCount(len(self._rows))
        code = self._catalog.tr
        for r, row in enumerate(self._rows):
            cells = (
                row["household_code"] or "—",
                code(f"ui.entity.{row['entity']}"),
                code(f"ui.field.{row['field']}"),
                " | ".join(_show(c) for c in row["candidates"]),
                _show(row["provisional_value"]),
            )
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.candidates.clear()
        self.resolve_button.setEnabled(False)
        self.summary.setText(self._catalog.tr("ui.conflicts.summary", count=len(self._rows)))
        if self._rows:
            self.table.selectRow(0)

    def _show_candidates(self) -> None:
        self.candidates.clear()
        row = self.current()
        if row is None:
            return
        for value in row["candidates"]:
            label = _show(value)
            if value == row["provisional_value"]:
                label = self._catalog.tr("ui.conflicts.provisional_mark", value=label)
            item = QListWidgetItem(label)
            item.setData(VALUE_ROLE, json.dumps(value, ensure_ascii=False))
            self.candidates.addItem(item)

    def current(self) -> dict[str, Any] | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows else None

    def resolve_selected(self) -> None:
        row, item = self.current(), self.candidates.currentItem()
        if row is None or item is None:
            return
        try:
            self._sync.resolve(row["id"], json.loads(item.data(VALUE_ROLE)))
        except GridappError as exc:
            self.failed.emit(exc)
            return
        self.reload()
        self.resolved.emit(row["id"])
