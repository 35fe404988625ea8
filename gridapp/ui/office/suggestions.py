"""Suggestions to closure: filter the list, see each one's history, forward, answer and
close it, export the list. Overdue ones are red (the rule is the service's)."""

from __future__ import annotations

import html
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gridapp.clock import display_time
from gridapp.codes import SuggestionCategory, SuggestionStatus
from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.services.campaigns import CampaignService
from gridapp.services.suggestions import (
    FORWARDED_DUE,
    NEW_DUE,
    SuggestionFilter,
    SuggestionRow,
    SuggestionService,
)
from gridapp.ui.office.suggestion_step import StepDialog

OVERDUE_TEXT = QColor("#b42318")
OVERDUE_BACKGROUND = QColor("#fee4e2")
COLUMNS = ("category", "text", "household", "age", "status", "handler")
STEP_BUTTONS = (
    (SuggestionStatus.FORWARDED, "forwardButton"),
    (SuggestionStatus.ANSWERED, "answerButton"),
    (SuggestionStatus.CLOSED, "closeButton"),
)


class SuggestionsView(QWidget):
    """`changed(id)` after a step is recorded; `failed` carries a GridappError."""

    changed = Signal(str)
    failed = Signal(object)

    def __init__(
        self,
        suggestions: SuggestionService,
        campaigns: CampaignService,
        catalog: Catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("suggestionsView")
        self.setWindowTitle(catalog.tr("ui.suggestions.title"))
        self._suggestions, self._catalog = suggestions, catalog
        self._rows: list[SuggestionRow] = []
        self.step_dialog: StepDialog | None = None
        self.file_dialog: QFileDialog | None = None
        tr = catalog.tr
        # filter bar
        self.status = QComboBox(self)
        self.status.setObjectName("statusFilter")
        self.status.addItem(tr("ui.suggestions.all_status"), None)
        for status in SuggestionStatus:
            self.status.addItem(catalog.code("suggestion_status", status.value), status.value)
        self.category = QComboBox(self)
        self.category.setObjectName("categoryFilter")
        self.category.addItem(tr("ui.suggestions.all_category"), None)
        for category in SuggestionCategory:
            self.category.addItem(catalog.code("category", category.value), category.value)
        self.team = QComboBox(self)
        self.team.setObjectName("teamFilter")
        self.team.addItem(tr("ui.suggestions.all_teams"), None)
        for t in campaigns.teams(None):
            self.team.addItem(
                tr("ui.setup.team_choice", number=t["number"], name=t["name"]), t["number"]
            )
        self.search = QLineEdit(self)
        self.search.setObjectName("searchFilter")
        self.search.setPlaceholderText(tr("ui.suggestions.search"))
        self.search.setClearButtonEnabled(True)
        self.overdue_only = QCheckBox(tr("ui.suggestions.overdue_only"), self)
        self.overdue_only.setObjectName("overdueOnly")
        self.export_button = QPushButton(tr("ui.suggestions.export"), self)
        self.export_button.setObjectName("exportButton")
        bar = QHBoxLayout()
        for widget in (self.status, self.category, self.team):
            bar.addWidget(widget)
        bar.addWidget(self.search, 1)
        bar.addWidget(self.overdue_only)
        bar.addWidget(self.export_button)
        # table
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("suggestionTable")
        self.table.setHorizontalHeaderLabels([tr(f"ui.suggestions.column.{c}") for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(26)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        # legend and count
        swatch = QLabel(self)
        swatch.setFixedSize(14, 14)
        swatch.setStyleSheet(
            f"background: {OVERDUE_BACKGROUND.name()}; border: 1px solid {OVERDUE_TEXT.name()};"
        )
        self.legend = QLabel(
            tr("ui.suggestions.legend", new_days=NEW_DUE.days, forwarded_days=FORWARDED_DUE.days),
            self,
        )
        self.legend.setObjectName("overdueLegend")
        self.count = QLabel(self)
        self.count.setObjectName("suggestionCount")
        legend = QHBoxLayout()
        legend.addWidget(swatch)
        legend.addWidget(self.legend, 1)
        legend.addWidget(self.count)
        # detail
        self.detail = QTextBrowser(self)
        self.detail.setObjectName("suggestionDetail")
        self.step_buttons: dict[str, QPushButton] = {}
        steps = QHBoxLayout()
        steps.addStretch(1)
        for status, name in STEP_BUTTONS:
            button = QPushButton(tr(f"ui.suggestions.step.{status.value}"), self)
            button.setObjectName(name)
            button.clicked.connect(lambda _=False, to=status.value: self.open_step(to))
            self.step_buttons[status.value] = button
            steps.addWidget(button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.detail, 1)
        right_layout.addLayout(steps)
        left = QWidget(self)
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(legend)
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(left)
        splitter.addWidget(right)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        self.message = QLabel(self)
        self.message.setObjectName("suggestionMessage")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(splitter, 1)
        layout.addWidget(self.message)
        for combo in (self.status, self.category, self.team):
            combo.currentIndexChanged.connect(lambda _i: self.reload())
        # Typing waits for a pause, so a long list is not re-read at every keystroke.
        self.typing_timer = QTimer(self)
        self.typing_timer.setSingleShot(True)
        self.typing_timer.setInterval(250)
        self.typing_timer.timeout.connect(self.reload)
        self.search.textChanged.connect(lambda _t: self.typing_timer.start())
        self.overdue_only.toggled.connect(lambda _on: self.reload())
        self.table.itemSelectionChanged.connect(self._show_detail)
        self.export_button.clicked.connect(self.choose_export_file)
        self.reload()

    def filters(self) -> SuggestionFilter:
        return SuggestionFilter(
            status=self.status.currentData(),
            category=self.category.currentData(),
            team_number=self.team.currentData(),
            text=self.search.text().strip() or None,
            overdue_only=self.overdue_only.isChecked(),
        )

    def reload(self) -> None:
        keep = self.current()
        self._rows = self._suggestions.rows(self.filters())
        self.table.setRowCount(len(self._rows))
        tr, code = self._catalog.tr, self._catalog.code
        for r, row in enumerate(self._rows):
            cells = (
                code("category", row.category),
                row.text,
                row.household_code or "—",
                tr("ui.suggestions.age", days=row.age_days),
                code("suggestion_status", row.status),
                row.handler or "—",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, row.id)
                if row.overdue:
                    item.setForeground(QBrush(OVERDUE_TEXT))
                    item.setBackground(QBrush(OVERDUE_BACKGROUND))
                    item.setToolTip(tr("ui.suggestions.overdue_tip"))
                self.table.setItem(r, c, item)
        overdue = sum(1 for row in self._rows if row.overdue)
        self.count.setText(tr("ui.suggestions.count", count=len(self._rows), overdue=overdue))
        ids = [row.id for row in self._rows]
        if keep is not None and keep.id in ids:
            self.table.selectRow(ids.index(keep.id))
        elif self._rows:
            self.table.selectRow(0)
        self._show_detail()

    def current(self) -> SuggestionRow | None:
        selected = self.table.selectionModel().selectedRows() if self.table.selectionModel() else []
        if not selected or selected[0].row() >= len(self._rows):
            return None
        return self._rows[selected[0].row()]

    def select(self, suggestion_id: str) -> bool:
        ids = [row.id for row in self._rows]
        if suggestion_id not in ids:
            return False
        self.table.selectRow(ids.index(suggestion_id))
        return True

    def _show_detail(self) -> None:
        row = self.current()
        allowed = self._suggestions.allowed(row.status) if row else frozenset()
        for status, button in self.step_buttons.items():
            button.setEnabled(status in allowed)
        if row is None:
            self.detail.setHtml(f"<p>{self._catalog.tr('ui.suggestions.none')}</p>")
            return
        tr, code = self._catalog.tr, self._catalog.code
        lines = [
            f"<h3>{_esc(code('category', row.category))} · "
            f"{_esc(code('suggestion_status', row.status))}</h3>",
            f"<p style='font-size: 14px'>{_esc(row.text)}</p>",
            f"<p>{_esc(row.household_code)} {_esc(row.address)}<br>"
            f"{tr('ui.suggestions.made_at', at=display_time(row.created_at))}</p>",
        ]
        if row.overdue:
            lines.append(
                f"<p style='color: {OVERDUE_TEXT.name()}'>{tr('ui.suggestions.overdue_tip')}</p>"
            )
        lines.append(f"<h4>{tr('ui.suggestions.history')}</h4><ul>")
        lines.append(f"<li>{display_time(row.created_at)} {tr('ui.suggestions.collected')}</li>")
        for step in self._suggestions.history(row.id):
            parts = [
                display_time(step["at"]),
                f"<b>{_esc(code('suggestion_status', step['status']))}</b>",
            ]
            if step["handler"]:
                parts.append(
                    _esc(tr(f"ui.suggestions.handler_label.{step['status']}", x=step["handler"]))
                )
            if step["response"]:
                parts.append(_esc(tr("ui.suggestions.response_label", x=step["response"])))
            if step["worker_name"]:
                parts.append(_esc(tr("ui.suggestions.recorded_by", x=step["worker_name"])))
            lines.append("<li>" + " · ".join(parts) + "</li>")
        lines.append("</ul>")
        self.detail.setHtml("".join(lines))

    # -- steps ----------------------------------------------------------------------
    def open_step(self, to: str) -> StepDialog | None:
        row = self.current()
        if row is None:
            return None
        handler = row.handler if to == SuggestionStatus.ANSWERED else ""
        dialog = StepDialog(to, row.text, self._catalog, handler, self)
        dialog.accepted.connect(lambda: self._record(row.id, dialog))
        self.step_dialog = dialog
        dialog.open()
        return dialog

    def _record(self, suggestion_id: str, dialog: StepDialog) -> None:
        handler, response = dialog.values()
        try:
            self._suggestions.advance(suggestion_id, dialog.to, handler=handler, response=response)
        except GridappError as exc:
            self._say(self._catalog.error(exc), ok=False)
            self.failed.emit(exc)
            return
        status = self._catalog.code("suggestion_status", dialog.to)
        self._say(self._catalog.tr("ui.suggestions.advanced", status=status), ok=True)
        self.reload()
        self.select(suggestion_id)
        self.changed.emit(suggestion_id)

    # -- export ---------------------------------------------------------------------
    def choose_export_file(self) -> QFileDialog:
        dialog = QFileDialog(self, self._catalog.tr("ui.suggestions.export"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(
            [
                self._catalog.tr("ui.suggestions.xlsx_filter"),
                self._catalog.tr("ui.suggestions.csv_filter"),
            ]
        )
        dialog.setDefaultSuffix("xlsx")
        dialog.selectFile(self._catalog.tr("ui.suggestions.export_name"))
        dialog.fileSelected.connect(lambda path: self.export_to(Path(path)))
        self.file_dialog = dialog
        dialog.open()
        return dialog

    def export_to(self, path: Path) -> int | None:
        """Export what the filters show; None when refused (the message says why)."""
        try:
            count = self._suggestions.export(path, self.filters(), self._catalog.lang)
        except GridappError as exc:
            self._say(self._catalog.error(exc), ok=False)
            self.failed.emit(exc)
            return None
        self._say(self._catalog.tr("ui.suggestions.exported", count=count, path=str(path)), ok=True)
        return count

    def _say(self, text: str, ok: bool) -> None:
        self.message.setStyleSheet("color: #067647;" if ok else f"color: {OVERDUE_TEXT.name()};")
        self.message.setText(text)


def _esc(text: str) -> str:
    return html.escape(text, quote=False)
