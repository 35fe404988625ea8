"""Known errors become a clear message; anything else reaches a crash dialog with the
log tail, and the log file (STYLE.md habit 7). Dialogs open without exec(), so tests
never block on them."""

from __future__ import annotations

import logging
import sqlite3
import sys
import traceback
from pathlib import Path
from types import TracebackType

from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QDialogButtonBox,
    QLabel,
    QMessageBox,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.logs import ring
from gridapp.storage.database import classify

log = logging.getLogger("gridapp.ui")


class CrashDialog(QDialog):
    def __init__(
        self, catalog: Catalog, report: str, log_path: Path | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("crashDialog")
        self.setWindowTitle(catalog.tr("ui.crash.title"))
        intro = QLabel(catalog.tr("ui.crash.intro", log=str(log_path or "")), self)
        intro.setWordWrap(True)
        self.report = QPlainTextEdit(report, self)
        self.report.setReadOnly(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        copy = buttons.addButton(
            catalog.tr("ui.crash.copy"), QDialogButtonBox.ButtonRole.ActionRole
        )
        copy.clicked.connect(lambda: QApplication.clipboard().setText(report))
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.report)
        layout.addWidget(buttons)
        self.resize(720, 480)


class ErrorPresenter:
    """Shows errors to the user in their language."""

    def __init__(self, catalog: Catalog, log_path: Path | None = None) -> None:
        self.catalog = catalog
        self.log_path = log_path
        self.last_dialog: QDialog | None = None
        #: Named in messages about the database (set by the composition root).
        self.db_path: Path | None = None

    def known(self, exc: GridappError, parent: QWidget | None = None) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            self.catalog.tr("ui.error.title"),
            self.catalog.error(exc),
            QMessageBox.StandardButton.Ok,
            parent,
        )
        box.setObjectName("errorMessage")
        box.open()
        self.last_dialog = box
        return box

    def crash(
        self,
        exc_type: type[BaseException],
        exc: BaseException,
        tb: TracebackType | None,
        parent: QWidget | None = None,
    ) -> CrashDialog:
        text = "".join(traceback.format_exception(exc_type, exc, tb))
        log.error("unexpected error\n%s", text)
        report = text + "\n--- log ---\n" + "\n".join(ring.tail(40))
        dialog = CrashDialog(self.catalog, report, self.log_path, parent)
        dialog.open()
        self.last_dialog = dialog
        return dialog

    def handle(
        self, exc_type: type[BaseException], exc: BaseException, tb: TracebackType | None
    ) -> None:
        if isinstance(exc, sqlite3.Error):
            # A read that met the machine's fault (locked, damaged, full): a message.
            translated = classify(exc, self.db_path)
            if isinstance(translated, GridappError):
                exc = translated
        if isinstance(exc, GridappError):
            log.info("refused: %s", exc.key)  # parameters may be personal data
            self.known(exc, QApplication.activeWindow())
        elif isinstance(exc, KeyboardInterrupt):
            QApplication.quit()
        else:
            self.crash(exc_type, exc, tb, QApplication.activeWindow())

    def install(self) -> None:
        sys.excepthook = self.handle
