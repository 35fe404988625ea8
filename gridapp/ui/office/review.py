"""审核: the office's review queue (docs/office-review.md). Filter the visits by team,
worker, day, state and flag; approve the chosen ones, or return one to its worker with a
comment (a small dialog). The rules and the flags are the service's."""

from __future__ import annotations

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.clock import display_time
from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.limits import TEXT_LIMITS
from gridapp.services.campaigns import CampaignService
from gridapp.services.review import ReviewFilter, ReviewRow, ReviewService
from gridapp.storage.review_queries import FLAGS, STATES

ID_ROLE = Qt.ItemDataRole.UserRole + 1
FLAGGED = QBrush(QColor("#b54708"))
COLUMNS = ("time", "household", "team", "worker", "outcome", "state", "flags", "comment")


class ReturnDialog(QDialog):
    """The comment a returned visit carries to its worker: what to correct."""

    def __init__(self, catalog: Catalog, address: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("returnDialog")
        tr = catalog.tr
        self.setWindowTitle(tr("ui.review.return_title"))
        self.comment = QPlainTextEdit(self)
        self.comment.setObjectName("returnComment")
        self.comment.setPlaceholderText(tr("ui.review.comment_hint"))
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("ui.review.return_for", address=address), self))
        layout.addWidget(self.comment)
        layout.addWidget(self.buttons)
        self.comment.textChanged.connect(self._enable)
        self._enable()
        self.resize(480, 240)

    def text(self) -> str:
        return self.comment.toPlainText().strip()

    def _enable(self) -> None:
        text = self.text()
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setEnabled(bool(text) and len(text) <= TEXT_LIMITS["review_comment"])


class ReviewView(QWidget):
    """`changed` after a review is recorded; `failed` carries a GridappError."""

    changed = Signal()
    failed = Signal(object)

    def __init__(
        self,
        review: ReviewService,
        campaigns: CampaignService,
        catalog: Catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reviewView")
        self._review, self._catalog = review, catalog
        self._rows: list[ReviewRow] = []
        self.return_dialog: ReturnDialog | None = None
        tr, code = catalog.tr, catalog.code
        self.team = QComboBox(self)
        self.team.setObjectName("teamFilter")
        self.team.addItem(tr("ui.review.all_teams"), None)
        for t in campaigns.teams(None):
            self.team.addItem(
                tr("ui.setup.team_choice", number=t["number"], name=t["name"]), t["number"]
            )
        self.worker = QLineEdit(self)
        self.worker.setObjectName("workerFilter")
        self.worker.setPlaceholderText(tr("ui.review.worker_hint"))
        self.worker.setClearButtonEnabled(True)
        self.use_day = QCheckBox(tr("ui.review.day"), self)
        self.use_day.setObjectName("useDay")
        self.day = QDateEdit(self)
        self.day.setObjectName("dayFilter")
        self.day.setCalendarPopup(True)
        self.day.setDisplayFormat("yyyy-MM-dd")
        self.day.setEnabled(False)
        self.state = QComboBox(self)
        self.state.setObjectName("stateFilter")
        self.state.addItem(tr("ui.review.all_states"), None)
        for state in STATES:
            self.state.addItem(code("review_state", state), state)
        self.state.setCurrentIndex(1)  # 待审: what is left to do
        self.flag = QComboBox(self)
        self.flag.setObjectName("flagFilter")
        self.flag.addItem(tr("ui.review.all_flags"), None)
        for flag in FLAGS:
            self.flag.addItem(code("review_flag", flag), flag)
        bar = QHBoxLayout()
        for widget in (self.team, self.worker, self.use_day, self.day, self.state, self.flag):
            bar.addWidget(widget)
        bar.addStretch(1)
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("reviewTable")
        self.table.setHorizontalHeaderLabels([tr(f"ui.review.column.{c}") for c in COLUMNS])
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch)
        self.count = QLabel(self)
        self.count.setObjectName("reviewCount")
        self.approve_button = QPushButton(tr("ui.review.approve"), self)
        self.approve_button.setObjectName("approveButton")
        self.return_button = QPushButton(tr("ui.review.return"), self)
        self.return_button.setObjectName("returnButton")
        actions = QHBoxLayout()
        actions.addWidget(self.count, 1)
        actions.addWidget(self.approve_button)
        actions.addWidget(self.return_button)
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addLayout(actions)
        for combo in (self.team, self.state, self.flag):
            combo.currentIndexChanged.connect(self.refresh)
        self.worker.editingFinished.connect(self.refresh)
        self.use_day.toggled.connect(self.day.setEnabled)
        self.use_day.toggled.connect(self.refresh)
        self.day.dateChanged.connect(self._day_changed)
        self.table.itemSelectionChanged.connect(self._enable)
        self.approve_button.clicked.connect(self.approve_selected)
        self.return_button.clicked.connect(lambda: self.return_selected())
        self.day.setDate(QDate.currentDate())
        self.refresh()

    def _day_changed(self, _day: QDate) -> None:
        if self.use_day.isChecked():
            self.refresh()

    def filters(self) -> ReviewFilter:
        worker = self.worker.text().strip()
        return ReviewFilter(
            team=self.team.currentData(),
            worker=worker or None,
            day=self.day.date().toString("yyyy-MM-dd") if self.use_day.isChecked() else None,
            state=self.state.currentData(),
            flag=self.flag.currentData(),
        )

    def refresh(self) -> None:
        try:
            self._rows = self._review.queue(self.filters())
        except GridappError as exc:
            self.failed.emit(exc)
            return
        code = self._catalog.code
        self.table.setRowCount(len(self._rows))
        for r, row in enumerate(self._rows):
            flags = "、".join(code("review_flag", f) for f in row.flags)
            cells = (
                display_time(row.started_at),
                row.address,
                str(row.team or "—"),
                f"{row.worker_name}（{row.worker_code}）" if row.worker_code else "—",
                code("outcome", row.outcome),
                code("review_state", row.state),
                flags,
                row.comment if row.state == "returned" else "",
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, row.id)
                if row.flags:
                    item.setForeground(FLAGGED)
                self.table.setItem(r, c, item)
        self.count.setText(self._catalog.tr("ui.review.count", count=len(self._rows)))
        self._enable()

    def selected(self) -> list[ReviewRow]:
        rows = sorted({i.row() for i in self.table.selectedIndexes()})
        return [self._rows[r] for r in rows if r < len(self._rows)]

    def _enable(self) -> None:
        chosen = self.selected()
        self.approve_button.setEnabled(bool(chosen))
        self.return_button.setEnabled(len(chosen) == 1)

    def approve_selected(self) -> None:
        chosen = self.selected()
        if not chosen:
            return
        try:
            self._review.approve([r.id for r in chosen])
        except GridappError as exc:
            self.failed.emit(exc)
            return
        self.refresh()
        self.changed.emit()

    def return_selected(self, comment: str | None = None) -> ReturnDialog | None:
        """Asks for the comment in a dialog (or takes it, from a test or script)."""
        chosen = self.selected()
        if len(chosen) != 1:
            return None
        row = chosen[0]
        if comment is not None:
            self._return(row.id, comment)
            return None
        dialog = ReturnDialog(self._catalog, row.address, self)
        dialog.accepted.connect(lambda: self._return(row.id, dialog.text()))
        self.return_dialog = dialog
        dialog.open()
        return dialog

    def _return(self, visit_id: str, comment: str) -> None:
        try:
            self._review.return_visit(visit_id, comment)
        except GridappError as exc:
            self.failed.emit(exc)
            return
        self.refresh()
        self.changed.emit()
