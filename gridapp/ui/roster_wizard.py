"""花名册导入: choose the file (and sheet) → say which column is what → see every
problem and duplicate → import with a progress bar. Nothing is written until the last
page; by default only a clean file is; "跳过有问题的行" imports the rest and writes the
problem rows to a workbook. `imported(result)` tells the window to refresh."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.roster.fields import Field, resolve
from gridapp.roster.report import default_error_path, describe, outcome_lines
from gridapp.services import Services
from gridapp.ui.roster_sample import fill_sample, sample_table
from gridapp.ui.roster_worker import RosterRunner

#: Problems listed in the preview (the error workbook holds every one).
SHOWN_PROBLEMS = 1000
DUPLICATE_BRUSH = QBrush(QColor("#fff1c2"))
ERROR_STYLE = "color: #b00020;"


def _table(parent: QWidget, name: str, columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
    return table


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
        self.table = _table(
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


class _PreviewPage(QWizardPage):
    def __init__(self, wizard: RosterWizard) -> None:
        super().__init__()
        self.w = wizard
        tr = wizard.catalog.tr
        self.setTitle(tr("ui.roster.wizard.preview_title"))
        self.setCommitPage(True)  # past it the import runs: no way back
        self.summary = QLabel(self)
        self.summary.setObjectName("rosterSummary")
        self.summary.setWordWrap(True)
        self.progress = QProgressBar(self)
        self.problems = _table(
            self,
            "rosterProblems",
            [
                tr("ui.roster.wizard.row"),
                tr("ui.roster.wizard.column"),
                tr("ui.roster.wizard.what"),
            ],
        )
        self.skip = QCheckBox(tr("ui.roster.wizard.skip"), self)
        self.skip.setObjectName("rosterSkip")
        self.errors_out = QLineEdit(self)
        self.errors_out.setObjectName("rosterErrorsOut")
        self.preview: Any = None
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.progress)
        self.sample = sample_table(self, wizard.catalog)
        self.views = QTabWidget(self)
        self.views.addTab(self.problems, tr("ui.roster.wizard.problems_tab"))
        self.views.addTab(self.sample, tr("ui.roster.wizard.sample_tab"))
        layout.addWidget(self.views, 1)
        layout.addWidget(self.skip)
        form = QFormLayout()
        form.addRow(tr("ui.roster.wizard.errors_out"), self.errors_out)
        layout.addLayout(form)
        self.skip.toggled.connect(self._skip_toggled)

    def _skip_toggled(self, on: bool) -> None:
        self.errors_out.setEnabled(on)
        self.completeChanged.emit()

    def initializePage(self) -> None:
        tr = self.w.catalog.tr
        self.preview = None
        self.problems.setRowCount(0)
        self.skip.setChecked(False)
        self.skip.setVisible(False)
        self.errors_out.setVisible(False)
        self.errors_out.setText(
            str(default_error_path(self.w.roster_file.path.resolve(), self.w.catalog))
        )
        self.summary.setText(tr("ui.roster.wizard.checking"))
        self.progress.setVisible(True)
        self.progress.setRange(0, 0)
        roster, mapping = self.w.roster_file, self.w.mapping
        self.w.run(
            lambda s, report: s.roster.preview(roster.path, roster.sheet, mapping, report),
            self._show,
            self.progress,
        )

    def _show(self, preview: Any) -> None:
        tr, catalog = self.w.catalog.tr, self.w.catalog
        self.preview = preview
        self.progress.setVisible(False)
        self.summary.setText(
            tr(
                "ui.roster.wizard.summary",
                rows=preview.rows,
                valid=preview.valid,
                invalid=preview.invalid,
                duplicates=preview.duplicates,
                compounds=len(preview.new_compounds),
                buildings=preview.new_buildings,
            )
        )
        shown = preview.problems[:SHOWN_PROBLEMS]
        self.problems.setRowCount(len(shown))
        for r, problem in enumerate(shown):
            cells = (str(problem.line), problem.column, describe(problem, catalog))
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if problem.duplicate:
                    item.setBackground(DUPLICATE_BRUSH)
                self.problems.setItem(r, c, item)
        self.problems.resizeColumnsToContents()
        fill_sample(self.sample, preview.sample)
        self.views.setCurrentWidget(self.sample if preview.clean else self.problems)
        self.skip.setVisible(not preview.clean)
        self.errors_out.setVisible(not preview.clean)
        self.errors_out.setEnabled(False)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.preview is None or not self.preview.valid:
            return False
        return bool(self.preview.clean or self.skip.isChecked())


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
        roster, mapping, actor, lang = (
            self.w.roster_file,
            self.w.mapping,
            self.w.actor,
            self.w.catalog.lang,
        )
        self.w.run(
            lambda s, report: s.roster.import_file(
                actor, roster.path, roster.sheet, mapping, skip, out, report, lang
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
        actor: str = "OFFICE",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("rosterWizard")
        self.services, self.catalog, self.actor = services, catalog, actor
        self.setWindowTitle(catalog.tr("ui.roster.wizard.title"))
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.roster_file: Any = None
        self.guess: Any = None
        self.mapping: dict[str, str | None] = {}
        self.runner = RosterRunner(services, self)
        self._slots: tuple[Any, ...] = ()
        self.file_page = _FilePage(self)
        self.mapping_page = _MappingPage(self)
        self.preview_page = _PreviewPage(self)
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
        self.runner.failed.connect(self._failed)
        self.runner.crashed.connect(self._crashed)
        self.resize(760, 560)

    def set_file(self, path: Path, sheet: str | None = None) -> None:
        """Choose the file as the browse button does (tests, drag and drop)."""
        self.file_page.path.setText(str(path))
        self.file_page._load_sheets()
        if sheet is not None:
            self.file_page.sheet.setCurrentText(sheet)

    def run(self, work: Any, on_done: Any, bar: QProgressBar) -> None:
        """Start `work` on the runner; its progress on `bar`, its result to `on_done`."""
        bar.setRange(0, 0)
        self.button(QWizard.WizardButton.BackButton).setEnabled(False)

        def progress(_rows: int, fraction: float | None) -> None:
            if fraction is not None:
                bar.setRange(0, 1000)
                bar.setValue(int(fraction * 1000))

        def done(result: Any) -> None:
            self.button(QWizard.WizardButton.BackButton).setEnabled(True)
            on_done(result)

        self._listen(progress, done)
        self.runner.start(work)

    def _listen(self, progress: Any, done: Any) -> None:
        for signal, slot in zip(
            (self.runner.progress, self.runner.done), self._slots, strict=False
        ):
            signal.disconnect(slot)
        self._slots = (progress, done)
        self.runner.progress.connect(progress)
        self.runner.done.connect(done)

    def _failed(self, exc: GridappError) -> None:
        self.button(QWizard.WizardButton.BackButton).setEnabled(True)
        page = self.currentPage()
        label = self.preview_page.summary if page is self.preview_page else self.import_page.status
        label.setStyleSheet(ERROR_STYLE)
        label.setText(self.catalog.error(exc))
        for p in (self.preview_page.progress, self.import_page.progress):
            p.setRange(0, 1)

    def _crashed(self, info: Any) -> None:
        self._failed(GridappError("error.generic"))
        sys.excepthook(*info)  # the window's crash dialog and log

    def reject(self) -> None:
        """Cancel: a running import rolls back; nothing is written."""
        if self.runner.running:
            self.runner.cancel()
            self.runner.wait()
        super().reject()

    def done(self, result: int) -> None:
        self.runner.wait()
        super().done(result)
