"""Sync from the desktop: export to a folder or USB stick, import many bundles with a
result per file, write roster bundles, see each laptop's state."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QFileDialog,
    QHeaderView,
    QInputDialog,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.clock import display_time
from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.ui.common.screen import fit_to_screen

if TYPE_CHECKING:
    from gridapp.services.sync import SyncService
    from gridapp.sync.importer import ImportResult


class SyncDialog(QDialog):
    """Field: the office's confirmation and an export button. Office: import many files
    and a line per laptop. Either way, a table of what each file did."""

    changed = Signal()  # something was imported: screens refresh
    failed = Signal(object)

    def __init__(self, sync: SyncService, catalog: Catalog, parent: QWidget | None = None):
        super().__init__(parent)
        self.setObjectName("syncDialog")
        self._sync = sync
        self._catalog = catalog
        self.role = sync.status()["role"]
        tr = catalog.tr
        self.setWindowTitle(tr("ui.sync.title"))
        self.status = QLabel(self)
        self.status.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.progress.setVisible(False)
        self.results = QTableWidget(0, 2, self)
        self.results.setObjectName("importResults")
        self.results.setHorizontalHeaderLabels([tr("ui.sync.file"), tr("ui.sync.result")])
        # The whole file name (gridapp-laptop-1-20261206-1930.gsb), the result beside it.
        self.results.horizontalHeader().setSectionResizeMode(
            0, QHeaderView.ResizeMode.ResizeToContents
        )
        self.results.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.results.verticalHeader().setVisible(False)
        self.import_button = QPushButton(tr(f"ui.sync.import_{self.role}"), self)
        self.import_button.clicked.connect(self._choose_imports)
        layout = QVBoxLayout(self)
        layout.addWidget(self.status)
        if self.role == "field":
            self.request_button = QPushButton(tr("ui.sync.request"), self)
            self.request_button.clicked.connect(self._choose_request)
            layout.addWidget(self.request_button)
            self.export_button = QPushButton(tr("ui.sync.export"), self)
            self.export_button.setObjectName("exportButton")
            self.export_button.clicked.connect(self._choose_export)
            layout.addWidget(self.export_button)
        else:
            self.laptops = QTableWidget(0, 5, self)
            self.laptops.setObjectName("laptops")
            columns = ("name", "merged", "highest", "last", "waiting")
            self.laptops.setHorizontalHeaderLabels([tr(f"ui.sync.laptop.{c}") for c in columns])
            self.laptops.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
            self.laptops.horizontalHeader().setSectionResizeMode(
                0, QHeaderView.ResizeMode.ResizeToContents
            )
            layout.addWidget(self.laptops)
        layout.addWidget(self.import_button)
        layout.addWidget(self.progress)
        layout.addWidget(self.results)
        fit_to_screen(self, 760, 520)
        self.setAcceptDrops(True)  # staff drop a whole USB stick's bundles at once
        self.refresh()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(url.isLocalFile() for url in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        paths = [Path(url.toLocalFile()) for url in event.mimeData().urls() if url.isLocalFile()]
        files: list[Path] = []
        for path in paths:
            files.extend(sorted(path.glob("*.gsb")) if path.is_dir() else [path])
        if files:
            event.acceptProposedAction()
            self.import_paths(files)

    def refresh(self) -> None:
        tr = self._catalog.tr
        status = self._sync.status()
        if self.role == "field":
            office = status["office"]
            self.request_button.setVisible(office is None)
            self.status.setText(
                tr("ui.sync.not_enrolled", fingerprint=status["fingerprint"])
                if office is None
                else tr(
                    "ui.sync.confirmed" if status["unsent"] else "ui.sync.all_sent",
                    name=office["name"],
                    seq=office["acked_seq"],
                    at=display_time(office["acked_at"]),
                    unsent=status["unsent"],
                    fingerprint=office["fingerprint"],
                )
            )
            return
        self.status.setText(tr("ui.sync.office_status", fingerprint=status["fingerprint"]))
        peers = self._sync.peers()
        self.laptops.setRowCount(len(peers))
        for r, peer in enumerate(peers):
            waiting = tr("ui.sync.waiting", held=peer["held"]) if peer["held"] else ""
            if peer["quarantined"]:
                alarm = tr("ui.sync.quarantined", count=peer["quarantined"])
                waiting = f"{waiting}；{alarm}" if waiting else alarm
            cells = (
                tr(
                    "ui.sync.laptop_name",
                    name=peer["name"],
                    team=peer["team_number"] or "—",
                    status=self._catalog.code("device_status", peer["status"]),
                ),
                str(peer["applied_seq"]),
                str(peer["highest_seq"]),
                display_time(peer["last_bundle_at"]),
                waiting,
            )
            for c, text in enumerate(cells):
                self.laptops.setItem(r, c, QTableWidgetItem(text))

    # -- actions (the file choosers are thin; tests call the methods below) ----------
    def _choose_imports(self) -> None:
        names, _ = QFileDialog.getOpenFileNames(
            self, self._catalog.tr("ui.sync.choose"), "", "gridapp (*.gsb)"
        )
        if names:
            self.import_paths([Path(n) for n in names])

    def _choose_export(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self._catalog.tr("ui.sync.choose_folder"))
        if folder:
            self.export_to(Path(folder))

    def _choose_request(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self._catalog.tr("ui.sync.choose_folder"))
        if folder:
            self.write_request(Path(folder))

    def write_request(self, folder: Path) -> Path:
        out = folder / self._sync.request_file_name()
        public = self._sync.request(out)
        self.status.setText(
            self._catalog.tr("cli.request_written", path=str(out), fingerprint=public.fingerprint)
        )
        return out

    def import_paths(self, paths: list[Path]) -> list[ImportResult]:
        self.progress.setRange(0, len(paths))
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self.results.setRowCount(0)

        def shown(result: ImportResult) -> None:
            row = self.results.rowCount()
            self.results.insertRow(row)
            self.results.setItem(row, 0, QTableWidgetItem(result.file))
            self.results.setItem(row, 1, QTableWidgetItem(self.describe(result)))
            self.progress.setValue(row + 1)
            QApplication.processEvents()

        results = self._sync.import_files(paths, shown)
        self.refresh()
        if any(r.status == "applied" for r in results):
            self.changed.emit()
        return results

    def describe(self, result: ImportResult) -> str:
        tr = self._catalog.tr
        reason = tr(result.reason, **(result.params or {})) if result.reason else ""
        return tr(
            f"cli.import.{result.status}", file="", applied=result.applied, reason=reason
        ).lstrip("：: ")

    def export_to(self, folder: Path) -> Path | None:
        out = folder / self._sync.bundle_file_name()
        self.progress.setRange(0, 0)
        self.progress.setVisible(True)
        try:
            result = self._sync.export(out, lambda _n: QApplication.processEvents())
        except GridappError as exc:
            self.failed.emit(exc)
            return None
        finally:
            self.progress.setVisible(False)
        self.status.setText(
            self._catalog.tr(
                "cli.exported",
                path=str(out),
                changes=result.changes,
                first=result.seq_from,
                last=result.seq_to,
            )
        )
        return out


def enroll_interactively(sync: SyncService, catalog: Catalog, parent: QWidget) -> None:
    """Office: read a laptop's request, show its fingerprint to compare, pick a team, and
    write the laptop's first roster bundle."""
    name, _ = QFileDialog.getOpenFileName(
        parent, catalog.tr("ui.sync.enroll"), "", "gridapp (*.json)"
    )
    if not name:
        return
    request = sync.read_request(Path(name))
    team, ok = QInputDialog.getInt(
        parent,
        catalog.tr("ui.sync.enroll"),
        catalog.tr(
            "ui.sync.enroll_confirm", name=request["name"], fingerprint=request["fingerprint"]
        ),
        1,
        1,
        999,
    )
    if not ok:
        return
    folder = QFileDialog.getExistingDirectory(parent, catalog.tr("ui.sync.choose_folder"))
    if folder:
        out = Path(folder) / f"gridapp-roster-{request['name']}.gsb"
        sync.enroll(Path(name), team, out)
        QMessageBox.information(
            parent,
            catalog.tr("ui.sync.enroll"),
            catalog.tr(
                "cli.enrolled",
                name=request["name"],
                team=team,
                fingerprint=request["fingerprint"],
                path=str(out),
            ),
        )


def write_roster_interactively(sync: SyncService, catalog: Catalog, parent: QWidget) -> None:
    """Ask for a team and a folder, then write that team's roster bundle."""
    team, ok = QInputDialog.getInt(
        parent, catalog.tr("ui.sync.roster"), catalog.tr("ui.sync.roster_team"), 1, 1, 999
    )
    if not ok:
        return
    folder = QFileDialog.getExistingDirectory(parent, catalog.tr("ui.sync.choose_folder"))
    if folder:
        out = Path(folder) / f"gridapp-roster-team{team}.gsb"
        manifest = sync.roster(team, out)
        QMessageBox.information(
            parent,
            catalog.tr("ui.sync.roster"),
            catalog.tr(
                "cli.roster_written",
                path=str(out),
                team=team,
                records=manifest["records"],
                laptops=len(manifest["recipients"]),
            ),
        )
