"""Paper from the desktop: a receipt right after a visit, visit sheets for a building,
receipt verification at the office. PDFs render off the GUI thread; the preview is Qt's,
and printing goes through the system's print queue (gridapp/ui/paper/printing.py).

The PDFs carry residents' names and addresses, so none outlives its use: a preview's
file goes when the preview closes, the whole `gridapp-print-*` folder at exit, and a
folder left by a crash is swept at the next start (`sweep_stale_print_folders`)."""

from __future__ import annotations

import atexit
import logging
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QStandardPaths, Qt, QTimer
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QFormLayout,
    QLabel,
    QLineEdit,
    QProgressDialog,
    QPushButton,
    QToolBar,
    QWidget,
)

from gridapp.clock import display_time
from gridapp.errors import GridappError, InvalidInput
from gridapp.files import copy_atomic
from gridapp.i18n import Catalog
from gridapp.ui.common.jobs import Jobs, Progress

if TYPE_CHECKING:
    from gridapp.services.paper import PaperService

_VERDICT_COLOURS = {"valid": "#067647"}
log = logging.getLogger("gridapp.ui")
PRINT_PREFIX = "gridapp-print-"
#: A click that starts slower work shows a progress window by then (a busy cursor at once).
FEEDBACK_MS = 150
_OWNER = "owner.pid"  # which process uses the folder: a live one's is never swept
#: A folder with no owner file (made by an older version) is swept once this old.
_UNOWNED_AGE_S = 24 * 3600


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:  # exists, but another user's
        return True
    return True


def new_print_folder(root: Path | None = None) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=PRINT_PREFIX, dir=root))
    (folder / _OWNER).write_text(str(os.getpid()), encoding="ascii")
    return folder


def remove_print_folder(folder: Path) -> None:
    shutil.rmtree(folder, ignore_errors=True)


def sweep_stale_print_folders(root: Path | None = None) -> int:
    """Delete print folders whose process is gone (a crash, a power cut); returns how
    many. A folder without an owner file (an older version made it) goes once a day old."""
    import time

    base = root or Path(tempfile.gettempdir())
    swept = 0
    for folder in base.glob(f"{PRINT_PREFIX}*"):
        if not folder.is_dir():
            continue
        try:
            pid = int((folder / _OWNER).read_text(encoding="ascii").strip())
        except (OSError, ValueError):
            pid = 0
        try:
            young = time.time() - folder.stat().st_mtime < _UNOWNED_AGE_S
        except OSError:
            continue
        if (pid and _alive(pid)) or (not pid and young):
            continue
        remove_print_folder(folder)
        swept += 1
    if swept:
        log.info("removed %d print folder(s) left by an earlier run", swept)
    return swept


class PaperActions:
    """Render (in the background, with progress), then preview and print."""

    def __init__(
        self,
        paper: PaperService,
        catalog: Catalog,
        parent: QWidget,
        on_error: Callable[[GridappError], object],
    ) -> None:
        self.paper, self.catalog, self.parent, self.on_error = paper, catalog, parent, on_error
        # Rendering needs no database: the documents are read first, on this thread.
        self.jobs = Jobs()
        sweep_stale_print_folders()
        self.folder = new_print_folder()
        self._keep: list[Any] = []
        self.closed = False
        self._waiting = False
        # At exit, however the app ends: Qt's quit, or the interpreter's (a test, a crash
        # that still unwinds). A hard kill leaves it for the next start's sweep.
        atexit.register(remove_print_folder, self.folder)
        app = QCoreApplication.instance()
        if app is not None:
            app.aboutToQuit.connect(self.cleanup)

    def cleanup(self) -> None:
        """Close any preview still open, then delete every PDF rendered here (the
        folder goes too)."""
        self.closed = True
        self.jobs.wait()
        for kept in self._keep:
            # A dialog whose window was deleted before the quit is gone with it.
            if isinstance(kept, QDialog) and shiboken6.isValid(kept) and kept.isVisible():
                kept.reject()
        remove_print_folder(self.folder)

    def receipt(self, visit_id: str, layout: str = "a5") -> None:
        from gridapp.paper.receipt_pdf import render_receipts

        self._busy()  # the click is answered at once, whatever follows
        try:
            doc = self.paper.receipt_document(self.paper.issue_receipt(visit_id), self.catalog.lang)
        except GridappError as exc:
            self._idle()
            self.on_error(exc)
            return
        out = self.folder / f"receipt-{doc.short_code}-{layout}.pdf"
        self._render(
            lambda progress: (render_receipts([doc], out, layout, self.catalog, progress), out)[1]
        )

    def receipts(self, visit_ids: list[str], layout: str = "a5") -> Path | None:
        """Many receipts into one PDF (a batch after a day's round), rendered in the
        background with a progress bar, then previewed for printing."""
        from gridapp.paper.receipt_pdf import render_receipts

        if not visit_ids:
            self.on_error(InvalidInput("error.paper.no_visits"))
            return None
        try:
            docs = self.paper.receipt_documents(visit_ids, lang=self.catalog.lang)
        except GridappError as exc:
            self.on_error(exc)
            return None
        out = self.folder / f"receipts-{len(docs)}-{layout}.pdf"

        def work(progress: Callable[[int, int], None]) -> Path:
            render_receipts(docs, out, layout, self.catalog, progress)
            return out

        self._render(work)
        return out

    def todays_receipts(self) -> Path | None:
        return self.receipts(self.paper.todays_visits())

    def sheet(
        self,
        building_id: str | None = None,
        mask_names: bool = True,
        grid_id: str | None = None,
        campaign_id: str | None = None,
    ) -> None:
        """A building's visit sheet, or a whole grid's (a group per building), for the
        campaign chosen (the one in progress when None)."""
        from gridapp.paper.sheet_pdf import render_sheets

        try:
            doc = self.paper.sheet(
                building_id=building_id,
                mask_names=mask_names,
                grid_id=grid_id,
                campaign_id=campaign_id,
            )
        except GridappError as exc:
            self.on_error(exc)
            return
        out = self.folder / f"sheet-{building_id or grid_id}.pdf"

        def work(progress: Callable[[int, int], None]) -> Path:
            render_sheets(doc, out, self.catalog, progress)
            return out

        self._render(work)

    def _busy(self) -> None:
        if not self._waiting:
            QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        self._waiting = True

    def _idle(self) -> None:
        if self._waiting:
            QApplication.restoreOverrideCursor()
        self._waiting = False

    def _render(self, work: Callable[[Progress], Path]) -> None:
        """Rendering runs in the background; a busy cursor at once and, from 150 ms on,
        a progress window that stays until the preview is on screen (loading the print
        preview the first time is slow too)."""
        self._busy()
        dialog = QProgressDialog(self.catalog.tr("ui.paper.rendering"), "", 0, 0, self.parent)
        dialog.setObjectName("renderProgress")
        dialog.setCancelButton(None)
        dialog.setMinimumDuration(FEEDBACK_MS)
        # setMinimumDuration alone does not restart the dialog's own timer (it shows
        # after Qt's default 4 s unless a value is set): show it ourselves.
        finished: list[bool] = []

        def show_if_running() -> None:
            if not finished:
                dialog.show()

        QTimer.singleShot(FEEDBACK_MS, dialog, show_if_running)

        def progressed(n: int, total: int) -> None:
            dialog.setMaximum(total)
            dialog.setValue(n)

        def done(path: Path) -> None:
            finished.append(True)
            if not self.closed:  # quitting: a late render is not shown, only deleted
                self.preview(path)
            dialog.close()
            self._idle()

        def failed(exc: GridappError) -> None:
            finished.append(True)
            dialog.close()
            self._idle()
            self.on_error(exc)

        self._keep = [dialog]
        self.jobs.run(work, done, failed, progressed)

    def preview(self, path: Path) -> QDialog:
        from gridapp.ui.paper.printing import preview_pdf  # QtPrintSupport/QtPdf: load when used

        dialog = preview_pdf(path, self.parent)
        toolbar = dialog.findChild(QToolBar)
        if toolbar is not None:  # "save as PDF" beside Qt's own print button
            toolbar.addAction(self.catalog.tr("ui.paper.save_pdf"), lambda: self.save_as(path))
        dialog.finished.connect(lambda _result: self._discard(path))
        dialog.open()
        self._keep.append(dialog)
        return dialog

    def _discard(self, path: Path) -> None:
        """A closed preview's PDF: printed or saved elsewhere by now, or not wanted."""
        try:
            path.unlink(missing_ok=True)
        except OSError as exc:
            log.warning("could not delete %s: %s", path.name, exc)

    def save_as(self, path: Path, target: Path | None = None) -> Path | None:
        if target is None:
            # Offered in the user's documents, not wherever the app was started from.
            documents = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
            start = Path(documents or Path.home()) / path.name
            name, _ = QFileDialog.getSaveFileName(
                self.parent, self.catalog.tr("ui.paper.save_pdf"), str(start), "PDF (*.pdf)"
            )
            if not name:
                return None
            target = Path(name)
        try:
            copy_atomic(path, target)
        except (GridappError, OSError) as exc:
            # An OSError is the preview's own file gone (swept): the writing speaks for itself.
            self.on_error(
                exc
                if isinstance(exc, GridappError)
                else InvalidInput("error.path.missing", file=str(path))
            )
            log.warning("save as PDF failed: %s", exc)
            return None
        return target

    def wait(self) -> None:
        self.jobs.wait()


class VerifyDialog(QDialog):
    """At the office: scan (a USB scanner types) or type a receipt's QR payload or short
    code; the verdict says valid, forged, altered, voided, revoked or unknown."""

    def __init__(
        self, paper: PaperService, catalog: Catalog, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("verifyDialog")
        self.paper, self.catalog = paper, catalog
        tr = catalog.tr
        self.setWindowTitle(tr("ui.paper.verify_title"))
        self.input = QLineEdit(self)
        self.input.setObjectName("verifyInput")
        self.input.setPlaceholderText(tr("ui.paper.verify_hint"))
        self.input.returnPressed.connect(self.check)
        button = QPushButton(tr("ui.paper.verify_button"), self)
        button.clicked.connect(self.check)
        self.verdict = QLabel(self)
        self.verdict.setObjectName("verdict")
        font = self.verdict.font()
        font.setPointSize(font.pointSize() + 6)
        font.setBold(True)
        self.verdict.setFont(font)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow(tr("ui.paper.verify_input"), self.input)
        form.addRow("", button)
        form.addRow(self.verdict)
        form.addRow(self.summary)
        self.resize(640, 280)

    def check(self) -> str:
        verdict = self.paper.verify(self.input.text())
        tr = self.catalog.tr
        self.verdict.setText(tr(f"ui.paper.verdict.{verdict.status}"))
        self.verdict.setStyleSheet(f"color: {_VERDICT_COLOURS.get(verdict.status, '#b42318')};")
        s = verdict.summary or {}
        self.summary.setText(
            tr(
                "ui.paper.summary",
                address=s.get("address", "—"),
                at=display_time(s.get("started_at")),
                worker=s.get("worker", "—"),
                outcome=self.catalog.code("outcome", s.get("outcome")),
            )
            if s
            else ""
        )
        self.input.selectAll()
        return verdict.status
