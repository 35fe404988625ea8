"""Backups on the desktop: the list, 立即备份, and 恢复… with a confirmation that says
exactly what happens. A running app has the database open in several places, so the
restore is checked now and finished at the next start (services/backup.py)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.clock import display_time
from gridapp.errors import GridappError
from gridapp.i18n import Catalog

if TYPE_CHECKING:
    from gridapp.services.backup import BackupService
    from gridapp.storage.backup import BackupInfo

COLUMNS = ("time", "kind", "size", "file")


def _size(size: int) -> str:
    return f"{size / 1024:.0f} KB" if size < 1 << 20 else f"{size / (1 << 20):.1f} MB"


class BackupView(QWidget):
    backed_up = Signal(str)  # the new backup's path
    #: A restore passed its checks and waits for the next start: offer to restart.
    restore_staged = Signal(str)
    failed = Signal(object)  # a GridappError for the window's error presenter

    def __init__(
        self,
        backup: BackupService,
        catalog: Catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("backupView")
        self._backup = backup
        self._catalog = catalog
        self._rows: list[BackupInfo] = []
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("backupTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch
        )
        self.now_button = QPushButton(self)
        self.now_button.setObjectName("backupNow")
        self.restore_button = QPushButton(self)
        self.restore_button.setObjectName("backupRestore")
        self.restore_button.setEnabled(False)
        self.confirm: QMessageBox | None = None
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        buttons.addWidget(self.now_button)
        buttons.addWidget(self.restore_button)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table)
        self.now_button.clicked.connect(self.back_up_now)
        self.restore_button.clicked.connect(self.ask_restore)
        self.table.itemSelectionChanged.connect(
            lambda: self.restore_button.setEnabled(self.selected() is not None)
        )
        self.retranslate()
        self.reload()

    def retranslate(self) -> None:
        tr = self._catalog.tr
        self.now_button.setText(tr("ui.backup.now"))
        self.restore_button.setText(tr("ui.backup.restore"))
        self.table.setHorizontalHeaderLabels([tr(f"ui.backup.column.{c}") for c in COLUMNS])

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self.retranslate()
        self.reload()

    def reload(self) -> None:
        tr = self._catalog.tr
        self._rows = self._backup.list()
        self.table.setRowCount(len(self._rows))
        for r, info in enumerate(self._rows):
            cells = (
                display_time(info.created_at),
                tr(f"ui.backup.kind.{info.kind}"),
                _size(info.size),
                Path(info.path).name,
            )
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        folder = self._backup.folder
        self.summary.setText(
            tr("ui.backup.summary", count=len(self._rows), folder=str(folder or ""))
            if self._rows
            else tr("ui.backup.none")
        )
        self.restore_button.setEnabled(self.selected() is not None)

    def selected(self) -> BackupInfo | None:
        rows = self.table.selectionModel().selectedRows()
        return self._rows[rows[0].row()] if rows else None

    def back_up_now(self) -> str | None:
        try:
            info = self._backup.now()
        except GridappError as exc:
            self.failed.emit(exc)
            return None
        self.reload()
        self.backed_up.emit(info.path)
        return info.path

    def ask_restore(self) -> QMessageBox | None:
        """The confirmation says what will happen; nothing happens until 恢复 is chosen."""
        info = self.selected()
        if info is None:
            return None
        tr = self._catalog.tr
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("ui.backup.confirm_title"),
            tr(
                "ui.backup.confirm",
                time=display_time(info.created_at),
                kind=tr(f"ui.backup.kind.{info.kind}"),
            ),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName("restoreConfirm")
        restore = box.addButton(tr("ui.backup.restore"), QMessageBox.ButtonRole.AcceptRole)
        restore.setObjectName("restoreConfirmed")
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("ui.backup.cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        restore.clicked.connect(lambda: self.restore(Path(info.path)))
        box.open()  # never exec(): tests click the buttons
        self.confirm = box
        return box

    def restore(self, path: Path) -> bool:
        try:
            self._backup.stage_restore(path)
        except GridappError as exc:
            self.failed.emit(exc)
            return False
        done = QMessageBox(
            QMessageBox.Icon.Information,
            self._catalog.tr("ui.backup.confirm_title"),
            self._catalog.tr("ui.backup.staged"),
            QMessageBox.StandardButton.Ok,
            self,
        )
        done.setObjectName("restoreStaged")
        done.open()
        self.restore_staged.emit(str(path))
        return True
