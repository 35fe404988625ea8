"""One household: address, residents with masked phones, tags, callbacks, history."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.clock import display_short, iso
from gridapp.errors import GridappError
from gridapp.i18n import Catalog, household_event_words
from gridapp.model import HouseholdDetail, TimelineEvent, mask_numbers, mask_phone
from gridapp.services.households import HouseholdService
from gridapp.services.reading import ReadingService
from gridapp.ui.households.lifecycle import LifecycleMenu

KIND_ROLE = Qt.ItemDataRole.UserRole + 1
ID_ROLE = Qt.ItemDataRole.UserRole + 2
VOIDED_ROLE = Qt.ItemDataRole.UserRole + 3


class HouseholdDetailView(QWidget):
    #: A phone number was shown in full (already in the audit log by then).
    phones_revealed = Signal(str)
    #: A reveal was refused (a GridappError for the window's error presenter).
    failed = Signal(object)
    #: The user asked to correct or void a visit of the timeline (visit id).
    correct_requested = Signal(str)
    void_requested = Signal(str)
    receipt_requested = Signal(str)

    def __init__(
        self,
        read: ReadingService,
        households: HouseholdService,
        catalog: Catalog,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setObjectName("householdDetail")
        self._read = read
        self._catalog = catalog
        self._detail: HouseholdDetail | None = None
        self._revealed = False
        self._full_phones: dict[str, list[str]] = {}
        # Full numbers come only through the audited service, as the signed-in worker.
        self._households = households

        self.title = QLabel(self)
        self.title.setObjectName("householdTitle")
        title_font = QFont(self.title.font())
        title_font.setPointSize(title_font.pointSize() + 5)
        title_font.setBold(True)
        self.title.setFont(title_font)
        self.title.setWordWrap(True)
        self.title.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)

        self.form = QFormLayout()
        self._values: dict[str, QLabel] = {}
        self._labels: dict[str, QLabel] = {}
        for key in ("code", "status", "area", "tags", "attempts", "callbacks"):
            label, value = QLabel(self), QLabel(self)
            value.setWordWrap(True)
            value.setObjectName(f"value_{key}")
            self._labels[key], self._values[key] = label, value
            self.form.addRow(label, value)

        self.residents_label = QLabel(self)
        self.reveal_button = QPushButton(self)
        self.reveal_button.setObjectName("revealPhones")
        self.reveal_button.clicked.connect(self._toggle_reveal)
        # The office's lifecycle steps (the role gate hides them from field workers).
        self.lifecycle = LifecycleMenu(households, read, catalog, self)
        self.lifecycle.changed.connect(self.show_household)
        self.lifecycle_button = QPushButton(self)
        self.lifecycle_button.setObjectName("lifecycle")
        self.lifecycle_button.setMenu(self.lifecycle)
        head = QHBoxLayout()
        head.addWidget(self.residents_label)
        head.addStretch(1)
        head.addWidget(self.lifecycle_button)
        head.addWidget(self.reveal_button)

        self.residents = QTableWidget(0, 4, self)
        self.residents.setObjectName("residents")
        self.residents.verticalHeader().setVisible(False)
        self.residents.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.residents.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)

        self.timeline_label = QLabel(self)
        self.timeline = QTreeWidget(self)
        self.timeline.setObjectName("timeline")
        self.timeline.setColumnCount(3)
        self.timeline.setRootIsDecorated(True)  # a visit unfolds to its answers
        self.timeline.header().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.timeline.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.timeline.customContextMenuRequested.connect(self._timeline_menu)

        self.placeholder = QLabel(self)
        self.placeholder.setAlignment(Qt.AlignmentFlag.AlignCenter)

        layout = QVBoxLayout(self)
        layout.addWidget(self.placeholder)
        layout.addWidget(self.title)
        layout.addLayout(self.form)
        layout.addLayout(head)
        layout.addWidget(self.residents, 2)
        layout.addWidget(self.timeline_label)
        layout.addWidget(self.timeline, 3)
        self.retranslate()
        self.show_household(None)

    # -- public --------------------------------------------------------------------
    def show_household(self, household_id: str | None) -> None:
        changed = self._detail is None or household_id != self._detail.row.id
        self._detail = self._read.household(household_id) if household_id else None
        if changed:
            # A reveal is for one household, never carried over.
            self._revealed, self._full_phones = False, {}
        self._fill()

    def current_id(self) -> str | None:
        return self._detail.row.id if self._detail else None

    def set_catalog(self, catalog: Catalog) -> None:
        self._catalog = catalog
        self.retranslate()
        self._fill()

    def retranslate(self) -> None:
        tr = self._catalog.tr
        for key, label in self._labels.items():
            label.setText(tr(f"ui.detail.{key}"))
        self.residents_label.setText(tr("ui.detail.residents"))
        self.timeline_label.setText(tr("ui.detail.timeline"))
        self.lifecycle.retranslate(self._catalog)
        self.lifecycle_button.setText(tr("ui.lifecycle.menu"))
        self.placeholder.setText(tr("ui.detail.placeholder"))
        self.residents.setHorizontalHeaderLabels(
            [
                tr("ui.detail.name"),
                tr("ui.detail.relation"),
                tr("ui.detail.owner"),
                tr("ui.detail.phone"),
            ]
        )
        self.timeline.setHeaderLabels(
            [tr("ui.detail.when"), tr("ui.detail.what"), tr("ui.detail.details")]
        )
        self._update_reveal_text()

    # -- internals -----------------------------------------------------------------
    def _toggle_reveal(self) -> None:
        if self._revealed or self._detail is None:
            self._revealed, self._full_phones = False, {}
            self._fill()
            return
        household_id = self._detail.row.id
        try:
            self._full_phones = self._households.reveal_phone(household_id)
        except GridappError as exc:
            self.failed.emit(exc)
            return
        self._revealed = True
        self._fill()
        self.phones_revealed.emit(household_id)

    def _update_reveal_text(self) -> None:
        key = "ui.detail.hide_phones" if self._revealed else "ui.detail.reveal_phones"
        self.reveal_button.setText(self._catalog.tr(key))

    def _fill(self) -> None:
        detail = self._detail
        has = detail is not None
        for widget in (
            self.title,
            self.residents,
            self.timeline,
            self.reveal_button,
            self.residents_label,
            self.timeline_label,
            *self._labels.values(),
            *self._values.values(),
        ):
            widget.setVisible(has)
        self.placeholder.setVisible(not has)
        self.lifecycle_button.setVisible(has and any(a.isVisible() for a in self.lifecycle.steps()))
        self.lifecycle.set_household(detail)
        self._update_reveal_text()
        if detail is None:
            return
        tr, code = self._catalog.tr, self._catalog.code
        row = detail.row
        self.title.setText(row.address)
        self._values["code"].setText(row.code)
        self._values["status"].setText(code("household_status", row.status))
        self._values["area"].setText(
            tr("ui.detail.area_value", area=f"{row.area:.2f}") if row.area is not None else "—"
        )
        self._values["tags"].setText("、".join(row.tags) or "—")
        self._values["attempts"].setText(tr("ui.detail.attempts_value", count=row.visits))
        # An overdue callback stands out: someone promised to come back.
        now = iso(self._read.now())
        overdue = any(due < now for due in detail.open_callbacks)
        self._values["callbacks"].setText(
            "、".join(
                tr("ui.today.overdue", at=self._when(due)) if due < now else self._when(due)
                for due in detail.open_callbacks
            )
            or "—"
        )
        self._values["callbacks"].setStyleSheet("color: #b42318;" if overdue else "")
        self.residents.setRowCount(len(detail.residents))
        for r, person in enumerate(detail.residents):
            phones = (
                self._full_phones.get(person.id, [])
                if self._revealed
                else [mask_phone(p) for p in person.phones]
            )
            cells = (
                person.name,
                code("relation", person.relation),
                tr("ui.yes") if person.is_owner else "",
                "、".join(phones),
            )
            for c, text in enumerate(cells):
                self.residents.setItem(r, c, QTableWidgetItem(text))
        self.timeline.clear()
        for event in detail.timeline:
            item = self._event_item(event)
            self.timeline.addTopLevelItem(item)
            if event.kind == "visit" and event.summary.get("answers"):
                self._answer_items(item, event.record_id)
        for column in range(2):
            self.timeline.resizeColumnToContents(column)

    def _answer_items(self, item: QTreeWidgetItem, visit_id: str) -> None:
        """A visit's answers in words under it (folded): a repeat's entries one line
        each under its question. A number typed into free text shows masked, as the
        phones do."""
        for row in self._read.visit_answers(visit_id, self._catalog.lang):
            child = QTreeWidgetItem(["", str(row["label"]), mask_numbers(str(row["text"]))])
            item.addChild(child)
            for line in row.get("entries", ()):
                child.addChild(QTreeWidgetItem(["", "", mask_numbers(line)]))

    def _timeline_menu(self, pos: QPoint) -> None:
        item = self.timeline.itemAt(pos)
        if item is None or item.data(0, KIND_ROLE) != "visit" or item.data(0, VOIDED_ROLE):
            return
        visit_id = str(item.data(0, ID_ROLE))
        menu = QMenu(self)
        menu.addAction(
            self._catalog.tr("ui.detail.correct"), lambda: self.correct_requested.emit(visit_id)
        )
        menu.addAction(
            self._catalog.tr("ui.detail.void"), lambda: self.void_requested.emit(visit_id)
        )
        menu.addAction(
            self._catalog.tr("ui.detail.receipt"), lambda: self.receipt_requested.emit(visit_id)
        )
        menu.popup(self.timeline.viewport().mapToGlobal(pos))

    def _when(self, text: str) -> str:
        return display_short(text, self._read.now())

    def _event_item(self, event: TimelineEvent) -> QTreeWidgetItem:
        tr, code = self._catalog.tr, self._catalog.code
        s = event.summary
        if event.kind == "visit":
            what = tr(
                "ui.timeline.visit",
                mode=code("mode", s.get("mode")),
                outcome=code("outcome", s.get("outcome")),
            )
            parts = [tr("ui.timeline.by", worker=s.get("worker") or "")]
            if s.get("answers"):
                parts.append(tr("ui.timeline.answered", count=s["answers"]))
            if s.get("explained"):
                parts.append(tr("ui.timeline.explained", count=s["explained"]))
            if s.get("supersedes_id"):
                parts.append(tr("ui.timeline.correction"))
            if s.get("notes"):
                parts.append(str(s["notes"]))
            details = tr("ui.fmt.join").join(parts)  # ；in Chinese, ; in English
        elif event.kind == "online_answer":
            what = tr("ui.timeline.online", channel=code("channel", s.get("channel")))
            details = f"{s.get('question', '')} → {s.get('answer', '')}"
        elif event.kind == "household_event":
            what = household_event_words(self._catalog, s)
            details = ""
        else:
            what = tr("ui.timeline.suggestion", category=code("category", s.get("category")))
            details = f"{s.get('text', '')}（{code('suggestion_status', s.get('status'))}）"
        if event.voided:
            what = tr("ui.timeline.void_mark", what=what)
        item = QTreeWidgetItem([self._when(event.at), what, details])
        item.setData(0, KIND_ROLE, event.kind)
        item.setData(0, ID_ROLE, event.record_id)
        item.setData(0, VOIDED_ROLE, event.voided)
        if event.voided:
            for column in range(3):
                font = item.font(column)
                font.setStrikeOut(True)
                item.setFont(column, font)
        return item
