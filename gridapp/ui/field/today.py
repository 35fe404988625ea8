"""My work today: visits the office returned to correct (退回待改, with its comment),
the team's buildings with progress, callbacks due (overdue stand out), drafts not
finished, and the households not yet reached in walking order."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QBrush, QColor, QShowEvent
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.clock import display_short, parse_iso
from gridapp.i18n import Catalog
from gridapp.services.drafts import DraftService
from gridapp.services.field import FieldService
from gridapp.services.review import ReviewService

ID_ROLE = Qt.ItemDataRole.UserRole + 1
_OVERDUE = QBrush(QColor("#b42318"))


def _table(columns: int, parent: QWidget, name: str) -> QTableWidget:
    table = QTableWidget(0, columns, parent)
    table.setObjectName(name)
    table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
    table.setSelectionBehavior(QTableWidget.SelectionBehavior.SelectRows)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
    return table


class TodayView(QWidget):
    open_household = Signal(str)
    resume_draft = Signal(str)  # household id
    correct_visit = Signal(str)  # a returned visit's id: open its correction

    def __init__(
        self,
        field: FieldService,
        drafts: DraftService,
        catalog: Catalog,
        parent: QWidget | None = None,
        review: ReviewService | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("todayView")
        self._field, self._drafts, self.catalog = field, drafts, catalog
        self._review = review
        self.title = QLabel(self)
        font = self.title.font()
        font.setPointSize(font.pointSize() + 4)
        font.setBold(True)
        self.title.setFont(font)
        self.buildings_box, self.callbacks_box = QGroupBox(self), QGroupBox(self)
        self.drafts_box, self.unreached_box = QGroupBox(self), QGroupBox(self)
        self.buildings = _table(3, self.buildings_box, "myBuildings")
        self.callbacks = _table(4, self.callbacks_box, "callbacksDue")
        self.drafts = _table(2, self.drafts_box, "drafts")
        self.unreached = _table(3, self.unreached_box, "unreached")
        self.returned_box = QGroupBox(self)
        self.returned_box.setObjectName("returnedBox")
        self.returned = _table(3, self.returned_box, "returnedVisits")
        for box, table in (
            (self.returned_box, self.returned),
            (self.buildings_box, self.buildings),
            (self.callbacks_box, self.callbacks),
            (self.drafts_box, self.drafts),
            (self.unreached_box, self.unreached),
        ):
            QVBoxLayout(box).addWidget(table)
        grid = QGridLayout()
        grid.addWidget(self.callbacks_box, 0, 0)
        grid.addWidget(self.drafts_box, 0, 1)
        grid.addWidget(self.unreached_box, 1, 0)
        grid.addWidget(self.buildings_box, 1, 1)
        grid.setRowStretch(1, 2)
        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.returned_box)
        layout.addLayout(grid, 1)
        for table in (self.callbacks, self.unreached):
            table.itemActivated.connect(
                lambda item: self.open_household.emit(str(item.data(ID_ROLE)))
            )
        self.drafts.itemActivated.connect(
            lambda item: self.resume_draft.emit(str(item.data(ID_ROLE)))
        )
        self.returned.itemActivated.connect(
            lambda item: self.correct_visit.emit(str(item.data(ID_ROLE)))
        )
        self._stale = True  # filled when first shown: start-up never waits for it

    def showEvent(self, event: QShowEvent) -> None:
        if self._stale:
            self._fill_all()
        super().showEvent(event)

    def refresh(self) -> None:
        """Re-read now if on screen, else when next shown."""
        self._stale = True
        if self.isVisible():
            self._fill_all()

    def _fill_all(self) -> None:
        self._stale = False
        tr, field = self.catalog.tr, self._field
        team = field.my_team()
        self.title.setText(tr("ui.today.title_team", team=team) if team else tr("ui.today.title"))
        self.callbacks_box.setTitle(tr("ui.today.callbacks"))
        self.drafts_box.setTitle(tr("ui.today.drafts"))
        self.unreached_box.setTitle(tr("ui.today.unreached"))
        self.buildings_box.setTitle(tr("ui.today.buildings"))
        now = field.now()
        self._fill_returned(now)
        self.callbacks.setHorizontalHeaderLabels(
            [
                tr("ui.today.col.due"),
                tr("ui.today.col.household"),
                tr("ui.today.col.head"),
                tr("ui.today.col.attempts"),
            ]
        )
        due = field.callbacks_due(team)
        self.callbacks.setRowCount(len(due))
        for r, row in enumerate(due):
            when = self._when(row["due_at"], now)
            label = tr("ui.today.overdue", at=when) if row["overdue"] else when
            cells = (label, row["address"], row["head_name"] or "—", str(row["attempts"]))
            brush = _OVERDUE if row["overdue"] else None
            self._fill(self.callbacks, r, cells, row["household_id"], brush)
        self.drafts.setHorizontalHeaderLabels(
            [tr("ui.today.col.household"), tr("ui.today.col.updated")]
        )
        drafts = [d for d in self._drafts.all() if d["household_id"]]
        self.drafts.setRowCount(len(drafts))
        for r, d in enumerate(drafts):
            shown = (d["address"] or d["code"] or "—", self._when(d["updated_at"], now))
            self._fill(self.drafts, r, shown, d["household_id"])
        self.unreached.setHorizontalHeaderLabels(
            [tr("ui.today.col.household"), tr("ui.today.col.head"), tr("ui.today.col.tags")]
        )
        rows = field.unreached(team, limit=300)
        self.unreached.setRowCount(len(rows))
        for r, h in enumerate(rows):
            self._fill(self.unreached, r, (h.address, h.head_name, "、".join(h.tags)), h.id)
        self.buildings.setHorizontalHeaderLabels(
            [tr("ui.today.col.building"), tr("ui.today.col.progress"), tr("ui.today.col.team")]
        )
        buildings = field.buildings(team)
        self.buildings.setRowCount(len(buildings))
        for r, b in enumerate(buildings):
            self._fill(
                self.buildings,
                r,
                (
                    tr("ui.fmt.building", compound=b.compound_name, number=b.number),
                    tr("ui.today.progress", visited=b.households_visited or 0, total=b.households),
                    str(b.team_number or "—"),
                ),
                b.id,
            )

    def _fill_returned(self, now: datetime) -> None:
        """退回待改: the office's comment on each visit to correct; shown only when some."""
        tr = self.catalog.tr
        rows = self._review.returned_for_me() if self._review is not None else []
        self.returned_box.setTitle(tr("ui.today.returned", count=len(rows)))
        self.returned_box.setVisible(bool(rows))
        self.returned.setHorizontalHeaderLabels(
            [tr("ui.today.col.household"), tr("ui.today.col.visited"), tr("ui.today.col.comment")]
        )
        self.returned.setRowCount(len(rows))
        for r, row in enumerate(rows):
            cells = (row.address, self._when(row.started_at, now), row.comment)
            self._fill(self.returned, r, cells, row.id, _OVERDUE)
            first = self.returned.item(r, 0)
            if first is not None:
                first.setToolTip(tr("ui.today.returned_hint"))

    def _when(self, stored: str, now: datetime) -> str:
        """今天 19:00, 明天 19:00, 后天 19:00, else the day (with its year when not this one)."""
        try:
            moment = parse_iso(stored)
        except ValueError:
            return stored
        ahead = (moment.date() - now.date()).days
        if 0 <= ahead <= 2:
            day = self.catalog.tr(f"ui.today.day_{ahead}")
            return f"{day} {moment:%H:%M}"
        return display_short(stored, now)

    @staticmethod
    def _fill(
        table: QTableWidget,
        row: int,
        cells: tuple[str, ...],
        record_id: str,
        brush: QBrush | None = None,
    ) -> None:
        for c, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(ID_ROLE, record_id)
            if brush is not None:
                item.setForeground(brush)
            table.setItem(row, c, item)
