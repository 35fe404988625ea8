"""花名册导入: choose the file (and sheet) → say which column is what → see every
problem and duplicate → import with a progress bar. Nothing is written until the last
page; by default only a clean file is; "跳过有问题的行" imports the rest and writes the
problem rows to a workbook. `imported(result)` tells the window to refresh."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.roster.fields import Field, resolve
from gridapp.roster.report import outcome_lines
from gridapp.services import Services
from gridapp.ui.common.jobs import Jobs
from gridapp.ui.common.screen import fit_to_screen
from gridapp.ui.setup.roster_preview import PreviewPage, make_table

ERROR_STYLE = "color: #b00020;"


class _FilePage(QWizardPage):
    def __init__(self, wizard: RosterWizard) -> None:
        super().__init__()
        self.w = wizard
        tr = wizard.catalog.tr
        self.setTitle(tr("ui.roster.wizard.file_title"))
        self.setSubTitle(tr("ui.roster.wizard.file_help"))
        self.path = QLineEdit(self)
        self.path.setObjectName("rosterPath")
        browse = QPushButton(tr("ui.roster.wizard.browse"), self)
        browse.setObjectName("rosterBrowse")
        self.sheet = QComboBox(self)
        self.sheet.setObjectName("rosterSheet")
        self.error = QLabel(self)
        self.error.setObjectName("rosterFileError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        row = QHBoxLayout()
        row.addWidget(self.path, 1)
        row.addWidget(browse)
        form = QFormLayout(self)
        form.addRow(tr("ui.roster.wizard.file"), row)
        form.addRow(tr("ui.roster.wizard.sheet"), self.sheet)
        form.addRow(self.error)
        browse.clicked.connect(self._browse)
        self.path.editingFinished.connect(self._load_sheets)
        self.path.textChanged.connect(lambda _t: self.completeChanged.emit())

    def _browse(self) -> None:
        name, _ = QFileDialog.getOpenFileName(
            self, self.w.catalog.tr("ui.roster.wizard.file_title"), "",
            self.w.catalog.tr("ui.roster.wizard.filter"),
        )  # fmt: skip
        if name:
            self.path.setText(name)
            self._load_sheets()

    def _load_sheets(self) -> None:
        self.sheet.clear()
        self.error.clear()
        path = Path(self.path.text().strip())
        self.sheet.setEnabled(path.suffix.lower() in (".xlsx", ".xlsm"))
        if self.sheet.isEnabled() and path.is_file():
            try:
                self.sheet.addItems(self.w.services.roster.sheets(path))
            except GridappError as exc:
                self.error.setText(self.w.catalog.error(exc))

    def isComplete(self) -> bool:
        return bool(self.path.text().strip())

    def validatePage(self) -> bool:
        self.error.clear()
        sheet = self.sheet.currentText() if self.sheet.isEnabled() else None
        try:
            # Required columns we do not recognise are for the user to map next.
            roster, cmap = self.w.services.roster.open(
                Path(self.path.text().strip()), sheet or None, require=False
            )
        except GridappError as exc:
            self.error.setText(self.w.catalog.error(exc))
            return False
        self.w.roster_file, self.w.guess = roster, cmap
        return True


class _MappingPage(QWizardPage):
    def __init__(self, wizard: RosterWizard) -> None:
        super().__init__()
        self.w = wizard
        tr = wizard.catalog.tr
        self.setTitle(tr("ui.roster.wizard.mapping_title"))
        self.setSubTitle(tr("ui.roster.wizard.mapping_help"))
        self.table = make_table(
            self, "rosterMapping", [tr("ui.roster.wizard.column"), tr("ui.roster.wizard.field")]
        )
        self.error = QLabel(self)
        self.error.setObjectName("rosterMappingError")
        self.error.setWordWrap(True)
        self.error.setStyleSheet(ERROR_STYLE)
        self.combos: list[QComboBox] = []
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(self.error)

    def initializePage(self) -> None:
        tr = self.w.catalog.tr
        cmap = self.w.guess
        self.table.setRowCount(len(cmap.headers))
        self.combos = []
        for i, (header, guess) in enumerate(zip(cmap.headers, cmap.fields, strict=True)):
            self.table.setItem(i, 0, QTableWidgetItem(header))
            combo = QComboBox(self.table)
            combo.setObjectName(f"rosterField{i}")
            combo.addItem(tr("ui.roster.field.none"), None)
            for f in Field:
                combo.addItem(tr(f"ui.roster.field.{f.value}"), f.value)
            combo.setCurrentIndex(max(combo.findData(guess.value if guess else None), 0))
            self.table.setCellWidget(i, 1, combo)
            self.combos.append(combo)
        self.error.clear()

    def mapping(self) -> dict[str, str | None]:
        return {
            h: combo.currentData()
            for h, combo in zip(self.w.guess.headers, self.combos, strict=True)
        }

    def validatePage(self) -> bool:
        roster = self.w.roster_file
        overrides = {h: (Field(v) if v else None) for h, v in self.mapping().items()}
        try:
            resolve(roster.headers, overrides, file=roster.path.name)
        except GridappError as exc:
            self.error.setText(self.w.catalog.error(exc))
            return False
        self.w.mapping = self.mapping()
        return True


class _ImportPage(QWizardPage):
    def __init__(self, wizard: RosterWizard) -> None:
        super().__init__()
        self.w = wizard
        self.setTitle(wizard.catalog.tr("ui.roster.wizard.import_title"))
        self.status = QLabel(self)
        self.status.setObjectName("rosterImportStatus")
        self.status.setWordWrap(True)
        self.status.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("rosterProgress")
        self.result: Any = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.progress)
        layout.addWidget(self.status)
        layout.addStretch(1)

    def initializePage(self) -> None:
        tr = self.w.catalog.tr
        self.result = None
        self.status.setStyleSheet("")
        self.status.setText(tr("ui.roster.wizard.importing"))
        preview = self.w.preview_page
        skip = preview.skip.isChecked()
        out = Path(preview.errors_out.text().strip()) if skip else None
        roster, mapping, lang = self.w.roster_file, self.w.mapping, self.w.catalog.lang
        self.w.run(
            lambda s, report: s.roster.import_file(
                roster.path, roster.sheet, mapping, skip, out, report, lang
            ),
            self._done,
            self.progress,
        )

    def _done(self, result: Any) -> None:
        self.result = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.status.setText("\n".join(outcome_lines(result, self.w.catalog)))
        self.completeChanged.emit()
        self.w.imported.emit(result)

    def isComplete(self) -> bool:
        return self.result is not None


class RosterWizard(QWizard):
    imported = Signal(object)  # a gridapp.services.roster.RosterResult

    def __init__(
        self,
        services: Services,
        catalog: Catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rosterWizard")
        self.services, self.catalog = services, catalog
        self.setWindowTitle(catalog.tr("ui.roster.wizard.title"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.roster_file: Any = None
        self.guess: Any = None
        self.mapping: dict[str, str | None] = {}
        # Preview and import run on a connection of their own; cancel rolls back.
        self.jobs = Jobs(services, self)
        self.file_page = _FilePage(self)
        self.mapping_page = _MappingPage(self)
        self.preview_page = PreviewPage(self)
        self.import_page = _ImportPage(self)
        for page in (self.file_page, self.mapping_page, self.preview_page, self.import_page):
            self.addPage(page)
        for which, key in (
            (QWizard.WizardButton.NextButton, "ui.roster.wizard.next"),
            (QWizard.WizardButton.BackButton, "ui.roster.wizard.back"),
            (QWizard.WizardButton.CancelButton, "ui.roster.wizard.cancel"),
            (QWizard.WizardButton.FinishButton, "ui.roster.wizard.finish"),
            (QWizard.WizardButton.CommitButton, "ui.roster.wizard.commit"),
        ):
            self.setButtonText(which, catalog.tr(key))
        fit_to_screen(self, 760, 560)

    def set_file(self, path: Path, sheet: str | None = None) -> None:
        """Choose the file as the browse button does (tests, drag and drop)."""
        self.file_page.path.setText(str(path))
        self.file_page._load_sheets()
        if sheet is not None:
            self.file_page.sheet.setCurrentText(sheet)

    def run(self, work: Any, on_done: Any, bar: QProgressBar) -> None:
        """Start `work` off the GUI thread; its progress on `bar`, its result to `on_done`."""
        bar.setRange(0, 0)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)

        def progress(_rows: int, fraction: float | None) -> None:
            if fraction is not None:
                bar.setRange(0, 1000)
                bar.setValue(int(fraction * 1000))

        def done(result: Any) -> None:
            self.button(QWizard.WizardButton.BackButton).setEnabled(True)
            on_done(result)

        self.jobs.run_on_connection(work, done, self._failed, progress)

    def _failed(self, exc: GridappError) -> None:
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        page = self.currentPage()
        label = self.preview_page.summary if page is self.preview_page else self.import_page.status
        label.setStyleSheet(ERROR_STYLE)
        label.setText(self.catalog.error(exc))
        for p in (self.preview_page.progress, self.import_page.progress):
            p.setRange(0, 1)

    def reject(self) -> None:
        """Cancel: a running import rolls back; nothing is written."""
        if self.jobs.running:
            self.jobs.cancel()
            self.jobs.wait()
        super().reject()

    def done(self, result: int) -> None:
        self.jobs.wait()
        super().done(result)
