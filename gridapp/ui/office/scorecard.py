"""物业测评: a satisfaction campaign's scorecard (docs/scorecard.md). Choose the campaign;
the firms' ranking and the compounds (self-managed ones apart) show with the answers
behind each figure and why a firm is not ranked; export to Excel or PDF. The figures
and the words come from the core (services/scorecard.py, reports/scorecard.py); the
work runs through Jobs, off the GUI thread."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.reports import scorecard as words
from gridapp.services import Services
from gridapp.ui.common.jobs import Jobs, Progress

if TYPE_CHECKING:
    from gridapp.services.scorecard import Line, Scorecard, ScorecardService

_GREY = QColor("#667085")


class ScorecardView(QWidget):
    failed = Signal(object)  # a GridappError for the window's error presenter
    loaded = Signal(object)  # the Scorecard shown
    exported = Signal(str)  # the file written

    def __init__(
        self,
        scorecard: ScorecardService,
        jobs: Jobs,
        catalog: Catalog,
        parent: QWidget | None = None,
        # Tests and scripts give the file; the screen asks with a file dialog.
        ask_file: Callable[[str], str | None] | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("scorecardView")
        self._service, self._jobs, self._catalog = scorecard, jobs, catalog
        self._ask_file = ask_file
        self.card: Scorecard | None = None
        tr = catalog.tr
        self.title = QLabel(tr("ui.scorecard.title"), self)
        font = QFont(self.title.font())
        font.setPointSize(font.pointSize() + 4)
        self.title.setFont(font)
        self.campaigns = QComboBox(self)
        self.campaigns.setObjectName("campaignBox")
        self.refresh_button = QPushButton(tr("ui.scorecard.refresh"), self)
        self.xlsx_button = QPushButton(tr("ui.scorecard.export_xlsx"), self)
        self.xlsx_button.setObjectName("exportXlsx")
        self.pdf_button = QPushButton(tr("ui.scorecard.export_pdf"), self)
        self.pdf_button.setObjectName("exportPdf")
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("ui.scorecard.campaign"), self))
        top.addWidget(self.campaigns, 1)
        top.addWidget(self.refresh_button)
        top.addWidget(self.xlsx_button)
        top.addWidget(self.pdf_button)
        self.summary = QLabel(self)
        self.summary.setObjectName("summary")
        self.summary.setWordWrap(True)
        self.status = QLabel(self)
        self.status.setObjectName("status")
        self.status.setWordWrap(True)
        self.status.setStyleSheet(f"color: {_GREY.name()};")
        self.firms = self._table("firmTable")
        self.compounds = self._table("compoundTable")
        splitter = QSplitter(Qt.Orientation.Vertical, self)
        for caption, table in (
            (tr("scorecard.sheet.ranking"), self.firms),
            (tr("scorecard.sheet.compounds"), self.compounds),
        ):
            box = QWidget(splitter)
            inner = QVBoxLayout(box)
            inner.setContentsMargins(0, 0, 0, 0)
            inner.addWidget(QLabel(caption, box))
            inner.addWidget(table, 1)
            splitter.addWidget(box)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addLayout(top)
        layout.addWidget(self.summary)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.status)

        try:
            choices = scorecard.campaigns()
        except GridappError as exc:
            choices = []
            self.failed.emit(exc)
        for campaign_id, name, status in choices:
            label = tr("ui.scorecard.choice", name=name, status=catalog.code("campaign", status))
            self.campaigns.addItem(label, campaign_id)
        if not choices:
            self.summary.setText(tr("ui.scorecard.empty"))
        for widget in (self.xlsx_button, self.pdf_button, self.refresh_button):
            widget.setEnabled(bool(choices))
        self.campaigns.currentIndexChanged.connect(lambda _: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.xlsx_button.clicked.connect(lambda: self.export("xlsx"))
        self.pdf_button.clicked.connect(lambda: self.export("pdf"))
        self.reload()

    def _table(self, name: str) -> QTableWidget:
        table = QTableWidget(0, 0, self)
        table.setObjectName(name)
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.verticalHeader().setVisible(False)
        table.setAlternatingRowColors(True)
        return table

    def select_campaign(self, campaign_id: str) -> None:
        index = self.campaigns.findData(campaign_id)
        if index >= 0:
            self.campaigns.setCurrentIndex(index)

    def reload(self) -> None:
        campaign_id = self.campaigns.currentData()
        if campaign_id is None:
            return
        self.status.setText(self._catalog.tr("ui.scorecard.loading"))

        def work(services: Services, _progress: Progress) -> Scorecard:
            return services.scorecard.scorecard(str(campaign_id))

        self._jobs.run_on_connection(work, self._show, self._failed)

    def _failed(self, exc: GridappError) -> None:
        self.status.setText(self._catalog.error(exc))
        self.failed.emit(exc)

    def _show(self, card: Scorecard) -> None:
        self.card = card
        self.status.clear()
        catalog = self._catalog
        self.summary.setText(words.summary(card, catalog))
        self._fill(self.firms, card, card.firms, compound=False)
        self._fill(self.compounds, card, (*card.compounds, *card.self_managed), compound=True)
        if card.flagged:
            self.status.setText(catalog.tr("cli.scorecard_flagged", count=len(card.flagged)))
        self.loaded.emit(card)

    def _fill(
        self, table: QTableWidget, card: Scorecard, lines: tuple[Line, ...], compound: bool
    ) -> None:
        tr = self._catalog.tr
        labels = words.dimension_labels(card, self._catalog)
        head = [
            tr("scorecard.col.standing"),
            tr("scorecard.col.compound" if compound else "scorecard.col.firm"),
            tr("scorecard.col.firm" if compound else "scorecard.col.compounds"),
            tr("scorecard.col.answered"),
            tr("scorecard.col.overall"),
            tr("scorecard.col.change"),
            *labels,
        ]
        table.clear()
        table.setColumnCount(len(head))
        table.setHorizontalHeaderLabels(head)
        table.setRowCount(len(lines))
        for r, line in enumerate(lines):
            other = (
                (line.firm or tr("scorecard.self_managed"))
                if compound
                else "、".join(line.compounds)
            )
            cells = [
                words.standing(line, card, self._catalog),
                line.name,
                other,
                str(line.answered),
                words.shown(line.overall),
                words.change_text(line.change),
            ]
            tips = [""] * len(cells)
            for d in card.dimensions:
                f = line.figures[d.name]
                cells.append(words.shown(f.mean))
                tips.append(
                    f"n = {f.n} · sd = {words.shown(f.sd)} · "
                    f"{f.low if f.low is not None else '—'}–{f.high if f.high is not None else '—'}"
                )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c >= 3:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if tips[c]:
                    item.setToolTip(tips[c])
                if not line.ranked:
                    item.setForeground(_GREY)
                table.setItem(r, c, item)
        header = table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(False)

    def export(self, fmt: str, out: Path | None = None) -> None:
        card = self.card
        if card is None:
            return
        if out is None:
            out = self._choose(fmt, card)
            if out is None:
                return
        catalog = self._catalog

        def work(services: Services, _progress: Progress) -> Path:
            services.scorecard.write(card, out, catalog)
            return out

        def done(path: Path) -> None:
            self.status.setText(catalog.tr("ui.scorecard.written", path=str(path)))
            self.exported.emit(str(path))

        self._jobs.run_on_connection(work, done, self._failed)

    def _choose(self, fmt: str, card: Scorecard) -> Path | None:
        if self._ask_file is not None:
            chosen = self._ask_file(fmt)
            return Path(chosen) if chosen else None
        name, _ = QFileDialog.getSaveFileName(
            self,
            self._catalog.tr(f"ui.scorecard.export_{fmt}"),
            str(Path.home() / f"{card.campaign}.{fmt}"),
            f"{fmt.upper()} (*.{fmt})",
        )
        return Path(name) if name else None
