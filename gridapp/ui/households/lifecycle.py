"""The office's lifecycle steps on the household page (docs/household-lifecycle.md):
迁出, 迁入, 合并, 分户, each one service call; the rules stay in the service."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QInputDialog,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMenu,
    QMessageBox,
    QWidget,
)

from gridapp.codes import HouseholdStatus, Relation
from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.model import HouseholdDetail
from gridapp.services.households import HouseholdService, NewResident
from gridapp.services.reading import ReadingService


class LifecycleMenu(QMenu):
    """户籍变动: the four steps for the household shown. `changed` carries the household
    to show next (the kept one after a merge, the same one otherwise)."""

    changed = Signal(str)
    failed = Signal(GridappError)

    def __init__(
        self,
        households: HouseholdService,
        read: ReadingService,
        catalog: Catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("lifecycleMenu")
        self._households, self._read, self._catalog = households, read, catalog
        self._detail: HouseholdDetail | None = None
        self.move_out = QAction(self)
        self.move_in = QAction(self)
        self.merge = QAction(self)
        self.split = QAction(self)
        for action, slot in (
            (self.move_out, self._move_out),
            (self.move_in, self._move_in),
            (self.merge, self._merge),
            (self.split, self._split),
        ):
            action.triggered.connect(slot)
            self.addAction(action)
        self.retranslate(catalog)

    def steps(self) -> tuple[QAction, ...]:
        return (self.move_out, self.move_in, self.merge, self.split)

    def retranslate(self, catalog: Catalog) -> None:
        self._catalog = catalog
        tr = catalog.tr
        self.setTitle(tr("ui.lifecycle.menu"))
        self.move_out.setText(tr("ui.lifecycle.move_out"))
        self.move_in.setText(tr("ui.lifecycle.move_in"))
        self.merge.setText(tr("ui.lifecycle.merge"))
        self.split.setText(tr("ui.lifecycle.split"))

    def set_household(self, detail: HouseholdDetail | None) -> None:
        self._detail = detail
        occupied = bool(detail and detail.residents)
        self.move_out.setEnabled(occupied)
        self.move_in.setEnabled(detail is not None and not occupied)
        self.merge.setEnabled(detail is not None)
        self.split.setEnabled(occupied)

    # -- the steps ---------------------------------------------------------------------

    def _run(self, step: Callable[[], object], show: str) -> None:
        try:
            step()
        except GridappError as exc:
            self.failed.emit(exc)
            return
        self.changed.emit(show)

    def _move_out(self) -> None:
        detail = self._detail
        if detail is None:
            return
        tr = self._catalog.tr
        answer = QMessageBox.question(
            self.parentWidget(),
            tr("ui.lifecycle.move_out"),
            tr("ui.lifecycle.move_out_confirm", count=len(detail.residents), code=detail.row.code),
        )
        if answer == QMessageBox.StandardButton.Yes:
            household = detail.row.id
            self._run(lambda: self._households.move_out(household), household)

    def _move_in(self) -> None:
        detail = self._detail
        if detail is None:
            return
        tr = self._catalog.tr
        text, ok = QInputDialog.getMultiLineText(
            self.parentWidget(), tr("ui.lifecycle.move_in"), tr("ui.lifecycle.move_in_names")
        )
        names = [line.strip() for line in text.splitlines() if line.strip()] if ok else []
        if not names:
            return
        # The first named is the head and owner; the rest are family (edit them after).
        people = [NewResident(names[0], Relation.HEAD, True)] + [
            NewResident(name) for name in names[1:]
        ]
        household = detail.row.id
        self._run(
            lambda: self._households.move_in(household, people, HouseholdStatus.OWNER_OCCUPIED),
            household,
        )

    def _merge(self) -> None:
        detail = self._detail
        if detail is None:
            return
        tr = self._catalog.tr
        try:
            rows = self._read.neighbours(detail.row.id)
        except GridappError as exc:
            self.failed.emit(exc)
            return
        labels = [f"{r.room}  {r.code}" for r in rows]
        if not labels:
            return
        choice, ok = QInputDialog.getItem(
            self.parentWidget(),
            tr("ui.lifecycle.merge"),
            tr("ui.lifecycle.merge_with", room=detail.row.room),
            labels,
            0,
            False,
        )
        if ok and choice in labels:
            other = rows[labels.index(choice)].id
            keep = detail.row.id
            self._run(lambda: self._households.merge(keep, other), keep)

    def _split(self) -> None:
        detail = self._detail
        if detail is None:
            return
        dialog = SplitDialog(detail, self._catalog, self.parentWidget())
        if dialog.exec() != QDialog.DialogCode.Accepted:
            return
        household, room, chosen = detail.row.id, dialog.room(), dialog.chosen()
        self._run(lambda: self._households.split(household, room, chosen), household)


class SplitDialog(QDialog):
    """分户: the new room and who moves there."""

    def __init__(self, detail: HouseholdDetail, catalog: Catalog, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("splitDialog")
        tr = catalog.tr
        self.setWindowTitle(tr("ui.lifecycle.split"))
        self.room_edit = QLineEdit(self)
        self.room_edit.setMaxLength(20)
        self.people = QListWidget(self)
        for person in detail.residents:
            item = QListWidgetItem(person.name, self.people)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form = QFormLayout(self)
        form.addRow(tr("ui.lifecycle.new_room"), self.room_edit)
        form.addRow(tr("ui.lifecycle.who_moves"), self.people)
        form.addRow(buttons)

    def room(self) -> str:
        return self.room_edit.text()

    def chosen(self) -> list[str]:
        found = []
        for row in range(self.people.count()):
            item = self.people.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(str(item.data(Qt.ItemDataRole.UserRole)))
        return found
