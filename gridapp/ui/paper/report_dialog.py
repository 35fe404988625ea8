"""Export a report: choose the format (workbook, one sheet as CSV, the daily PDF), the
day and the file; the report is made off the GUI thread with a progress bar, and its
folder opens when it is done."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QDate, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.reports import SHEETS
from gridapp.services import Services
from gridapp.ui.common.campaign_switch import CampaignChoice, CampaignLister, CampaignSwitcher
from gridapp.ui.common.jobs import Jobs, Progress

if TYPE_CHECKING:
    from gridapp.services.reports import ReportResult

log = logging.getLogger("gridapp.ui")
FORMATS = ("xlsx", "csv", "pdf")


def open_folder(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path.parent)))


class ReportDialog(QDialog):
    """`jobs` makes the report on a connection of its own, off the GUI thread (at once
    for an in-memory database); `today` is the day the dialog proposes."""

    finished_report = Signal(object)  # ReportResult
    failed = Signal(object)  # GridappError

    def __init__(
        self,
        jobs: Jobs,
        today: dt.date,
        catalog: Catalog,
        parent: QWidget | None = None,
        # Nothing opens by itself (a machine without a file manager only logs a warning):
        # 打开所在文件夹 is a button.
        on_done: Callable[[Path], None] | None = None,
        #: The campaigns and the session's choice: the report is of the one chosen.
        campaigns: tuple[CampaignLister, CampaignChoice] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportDialog")
        self.setModal(True)
        self.jobs, self.catalog, self.on_done = jobs, catalog, on_done
        self.last_result: ReportResult | None = None
        tr = catalog.tr
        self.setWindowTitle(tr("ui.report.title"))
        # Made first, so Tab goes from the campaign down the form as it is read.
        self.switcher: CampaignSwitcher | None = None
        if campaigns is not None:
            self.switcher = CampaignSwitcher(campaigns[0], campaigns[1], catalog, self)
        self.format = QComboBox(self)
        self.format.setObjectName("formatBox")
        for code in FORMATS:
            self.format.addItem(tr(f"ui.report.format.{code}"), code)
        self.sheet = QComboBox(self)
        self.sheet.setObjectName("sheetBox")
        for code in SHEETS:
            self.sheet.addItem(tr(f"ui.report.sheet.{code}"), code)
        self.sheet.setCurrentIndex(SHEETS.index("visits"))
        self.date = QDateEdit(QDate(today.year, today.month, today.day), self)
        self.date.setObjectName("dateEdit")
        self.date.setCalendarPopup(True)
        self.date.setDisplayFormat("yyyy-MM-dd")
        name = tr("ui.report.file_name", day=today.isoformat())
        self.path = QLineEdit(str(Path.home() / f"{name}.xlsx"), self)
        self.path.setObjectName("pathEdit")
        browse = QPushButton(tr("ui.report.browse"), self)
        browse.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path, 1)
        file_row.addWidget(browse)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("progress")
        self.progress.setVisible(False)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.make_button = QPushButton(tr("ui.report.make"), self)
        self.make_button.setObjectName("makeButton")
        self.make_button.setDefault(True)
        self.make_button.clicked.connect(self.make)
        self.open_button = QPushButton(tr("ui.report.open_folder"), self)
        self.open_button.setVisible(False)
        self.open_button.clicked.connect(
            lambda: self.last_result and open_folder(self.last_result.path)
        )
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        buttons.addWidget(self.make_button)
        form = QFormLayout(self)
        if self.switcher is not None:
            form.addRow(self.switcher)
        form.addRow(tr("ui.report.format"), self.format)
        form.addRow(tr("ui.report.sheet"), self.sheet)
        form.addRow(tr("ui.report.date"), self.date)
        form.addRow(tr("ui.report.file"), file_row)
        form.addRow(self.progress)
        form.addRow(self.status)
        form.addRow(buttons)
        self.format.currentIndexChanged.connect(lambda _: self._format_changed())
        self._format_changed()
        self.resize(560, 0)

    def chosen_format(self) -> str:
        return str(self.format.currentData())

    def _format_changed(self) -> None:
        fmt = self.chosen_format()
        self.sheet.setEnabled(fmt == "csv")
        text = self.path.text().strip()
        if text:
            self.path.setText(str(Path(text).with_suffix(f".{fmt}")))

    def browse(self) -> None:
        fmt = self.chosen_format()
        name, _ = QFileDialog.getSaveFileName(
            self, self.catalog.tr("ui.report.file"), self.path.text(), f"{fmt.upper()} (*.{fmt})"
        )
        if name:
            self.path.setText(name)

    def make(self) -> None:
        text = self.path.text().strip()
        if not text:
            self._show_error(self.catalog.tr("ui.report.no_file"))
            return
        out = Path(text).expanduser()
        day = dt.date(self.date.date().year(), self.date.date().month(), self.date.date().day())
        sheet = str(self.sheet.currentData())
        campaign = self.switcher.current() if self.switcher is not None else None

        def work(services: Services, progress: Progress) -> ReportResult:
            return services.reports.write(
                out, self.catalog, day.isoformat(), sheet, progress, campaign_id=campaign
            )

        self.make_button.setEnabled(False)
        self.open_button.setVisible(False)
        self.progress.setRange(0, 0)  # busy until the first figure arrives
        self.progress.setVisible(True)
        self.status.setStyleSheet("")
        self.status.setText(self.catalog.tr("ui.report.working"))
        self.jobs.run_on_connection(work, self._done, self._failed, self._progressed)

    def _progressed(self, done: int, total: int) -> None:
        self.progress.setRange(0, max(total, 1))
        self.progress.setValue(done)

    def _done(self, result: ReportResult) -> None:
        self.last_result = result
        self.progress.setRange(0, 1)
        self.progress.setValue(1)
        self.make_button.setEnabled(True)
        self.open_button.setVisible(True)
        self.status.setText(self.catalog.tr("ui.report.done", path=str(result.path)))
        self.finished_report.emit(result)
        if self.on_done is not None:
            self.on_done(result.path)

    def _failed(self, exc: GridappError) -> None:
        self.progress.setVisible(False)
        self.make_button.setEnabled(True)
        self._show_error(self.catalog.error(exc))
        self.failed.emit(exc)

    def _show_error(self, text: str) -> None:
        self.status.setStyleSheet("color: #b42318;")
        self.status.setText(text)

    def wait(self) -> None:
        self.jobs.wait()
