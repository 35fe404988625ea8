"""The roster wizard's preview page: every problem and duplicate, by row and column,
and a sample of the first rows as gridapp will store them (normalised address, floor
from the room, area without its unit) so the user sees the mapping at work before
anything is written. Phones in the sample are masked, as everywhere."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QProgressBar,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
    QWizardPage,
)

from gridapp.i18n import Catalog
from gridapp.model import mask_phone
from gridapp.roster.check import RosterRecord
from gridapp.roster.fields import Field
from gridapp.roster.report import default_error_path, describe

if TYPE_CHECKING:
    from gridapp.ui.setup.roster_wizard import RosterWizard

#: Problems listed in the preview (the error workbook holds every one).
SHOWN_PROBLEMS = 1000
DUPLICATE_BRUSH = QBrush(QColor("#fff1c2"))


def make_table(parent: QWidget, name: str, columns: list[str]) -> QTableWidget:
    table = QTableWidget(0, len(columns), parent)
    table.setObjectName(name)
    table.setHorizontalHeaderLabels(columns)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(len(columns) - 1, QHeaderView.ResizeMode.Stretch)
    return table


COLUMNS = (
    Field.COMPOUND,
    Field.BUILDING,
    Field.UNIT,
    Field.ROOM,
    Field.FLOOR,
    Field.OWNER,
    Field.PHONE,
    Field.AREA,
    Field.POPULATION,
)


def sample_table(parent: QWidget, catalog: Catalog) -> QTableWidget:
    table = QTableWidget(0, len(COLUMNS) + 1, parent)
    table.setObjectName("rosterSample")
    table.setHorizontalHeaderLabels(
        [catalog.tr("ui.roster.wizard.row")]
        + [catalog.tr(f"ui.roster.field.{field.value}") for field in COLUMNS]
    )
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.verticalHeader().setVisible(False)
    return table


def fill_sample(table: QTableWidget, records: Sequence[RosterRecord]) -> None:
    table.setRowCount(len(records))
    for r, record in enumerate(records):
        cells = (
            str(record.line),
            record.compound,
            record.building,
            record.unit,
            record.room,
            str(record.floor),
            record.owner,
            "、".join(mask_phone(p) for p in record.phones),
            "" if record.area is None else f"{record.area:g}",
            "" if record.population is None else str(record.population),
        )
        for c, text in enumerate(cells):
            table.setItem(r, c, QTableWidgetItem(text))
    table.resizeColumnsToContents()


class PreviewPage(QWizardPage):
    """Every problem and duplicate (the import waits for a clean file, or for \"skip\"),
    and a sample of the rows as they will be stored."""

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
        self.problems = make_table(
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
        self.errors_label = QLabel(tr("ui.roster.wizard.errors_out"), self)
        form.addRow(self.errors_label, self.errors_out)
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
        self.errors_label.setVisible(False)  # a clean file has no problem rows to save
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
        self.errors_label.setVisible(not preview.clean)
        self.errors_out.setEnabled(False)
        self.completeChanged.emit()

    def isComplete(self) -> bool:
        if self.preview is None or not self.preview.valid:
            return False
        return bool(self.preview.clean or self.skip.isChecked())
