"""The audit log screen: who did what sensitive thing, filtered by action and date,
exported for the office's records, with a badge saying whether the chain is whole."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.audit_actions import ALL
from gridapp.clock import display_time
from gridapp.errors import GridappError
from gridapp.i18n import Catalog

if TYPE_CHECKING:
    from gridapp.services.audit import AuditService

COLUMNS = ("seq", "at", "actor", "action", "target", "detail")
MAX_ROWS = 5000  # the newest; older entries are in an export


def detail_words(catalog: Catalog, detail: dict[str, Any]) -> str:
    """An entry's details in words (此前输错次数：0；方式：解锁屏幕), never raw JSON; a
    detail a newer version wrote and this one has no words for shows its own name."""
    known = catalog.known_keys()
    parts = []
    for key, value in sorted(detail.items()):
        label_key = f"ui.audit.detail.{key}"
        label = catalog.tr(label_key) if label_key in known else key
        text = str(value).lower() if isinstance(value, bool) else str(value)
        value_key = f"ui.audit.value.{text}"
        shown = catalog.tr(value_key) if value_key in known else text
        parts.append(catalog.tr("ui.audit.detail_item", label=label, value=shown))
    return catalog.tr("ui.fmt.join").join(parts)


class AuditView(QWidget):
    exported = Signal(str)  # the file written
    failed = Signal(object)  # a GridappError for the window's error presenter

    def __init__(
        self,
        audit: AuditService,
        catalog: Catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("auditView")
        self._audit = audit
        self._catalog = catalog
        self.action = QComboBox(self)
        self.action.setObjectName("auditAction")
        self.since = QDateEdit(self)
        self.since.setObjectName("auditSince")
        self.since.setCalendarPopup(True)
        self.since.setDisplayFormat("yyyy-MM-dd")
        self.since.setSpecialValueText(" ")
        self.since.setMinimumDate(QDate(2020, 1, 1))
        self.since.setDate(self.since.minimumDate())  # the special value: no lower bound
        self.action_label, self.since_label = QLabel(self), QLabel(self)
        self.export_button = QPushButton(self)
        self.export_button.setObjectName("auditExport")
        self.badge = QLabel(self)
        self.badge.setObjectName("auditBadge")
        self.table = QTableWidget(0, len(COLUMNS), self)
        self.table.setObjectName("auditTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(
            len(COLUMNS) - 1, QHeaderView.ResizeMode.Stretch
        )
        top = QHBoxLayout()
        for widget in (self.action_label, self.action, self.since_label, self.since):
            top.addWidget(widget)
        top.addStretch(1)
        top.addWidget(self.badge)
        top.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.retranslate()
        self.action.currentIndexChanged.connect(lambda _: self.reload())
        self.since.dateChanged.connect(lambda _: self.reload())
        self.export_button.clicked.connect(self._choose_export)
        self.reload()

    def retranslate(self) -> None:
        tr = self._catalog.tr
        current = self.action.currentData()
        self.action.blockSignals(True)
        self.action.clear()
        self.action.addItem(tr("ui.audit.all_actions"), None)
        for action in ALL:
            self.action.addItem(self._catalog.code("audit_action", action), action)
        self.action.setCurrentIndex(max(0, self.action.findData(current)))
        self.action.blockSignals(False)
        self.action_label.setText(tr("ui.audit.action"))
        self.since_label.setText(tr("ui.audit.since"))
        self.export_button.setText(tr("ui.audit.export"))
        self.table.setHorizontalHeaderLabels([tr(f"ui.audit.column.{c}") for c in COLUMNS])

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self.retranslate()
        self.reload()

    def filters(self) -> tuple[str | None, str | None]:
        since = None
        if self.since.date() != self.since.minimumDate():
            since = self.since.date().toString("yyyy-MM-dd")
        return self.action.currentData(), since

    def reload(self) -> None:
        action, since = self.filters()
        try:
            self._entries = self._audit.entries(action, since, limit=MAX_ROWS)
            broken = self._audit.verify()
            total = self._audit.count()
        except GridappError as exc:
            self.failed.emit(exc)
            return
        code = self._catalog.code
        self.table.setRowCount(len(self._entries))
        for r, e in enumerate(self._entries):
            detail = detail_words(self._catalog, e.detail)
            cells = (
                str(e.seq),
                display_time(e.at),
                e.actor,
                code("audit_action", e.action),
                e.target,
                detail,
            )
            for c, text in enumerate(cells):
                self.table.setItem(r, c, QTableWidgetItem(text))
        self.table.resizeColumnsToContents()
        tr = self._catalog.tr
        if broken is None:
            self.badge.setText(tr("ui.audit.intact", count=total))
            self.badge.setStyleSheet("color: #067647; font-weight: bold;")
        else:
            self.badge.setText(tr("ui.audit.broken", seq=broken))
            self.badge.setStyleSheet("color: #b42318; font-weight: bold;")
        self.badge.setProperty("intact", broken is None)

    def _choose_export(self) -> None:
        dialog = QFileDialog(self, self._catalog.tr("ui.audit.export"))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)
        dialog.setNameFilters(self._catalog.tr("ui.audit.export_filter").split(";;"))
        dialog.selectFile("audit.xlsx")
        dialog.fileSelected.connect(lambda name: self.export_to(Path(name)))
        dialog.open()  # never exec(): tests drive export_to directly

    def export_to(self, out: Path) -> int | None:
        """Write what the filters show (all of it, not only the rows on screen)."""
        action, since = self.filters()
        tr = self._catalog.tr
        try:
            found = self._audit.entries(action, since)
            count = self._audit.export(
                out,
                found,
                [tr(f"ui.audit.column.{c}") for c in (*COLUMNS, "hash")],
                lambda a: self._catalog.code("audit_action", a),
            )
        except GridappError as exc:
            self.failed.emit(exc)
            return None
        self.reload()
        self.exported.emit(str(out))
        return count
