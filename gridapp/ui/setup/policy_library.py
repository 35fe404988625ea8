"""The policy library: office staff edit policy items and choose the campaign's set;
anyone can open an item in large type to show the resident at the door."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QFormLayout,
    QHBoxLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.policy_text import to_html
from gridapp.services import Services
from gridapp.ui.common.screen import fit_to_screen
from gridapp.ui.field.resident_view import ResidentView

ID_ROLE = Qt.ItemDataRole.UserRole + 1


class PolicyLibrary(QWidget):
    changed = Signal()
    failed = Signal(object)

    def __init__(
        self, services: Services, catalog: Catalog, editable: bool, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("policyLibrary")
        self._services, self._catalog, self._editable = services, catalog, editable
        self._items: list[dict[str, Any]] = []
        tr = catalog.tr
        self.setWindowTitle(tr("ui.policy.title"))
        self.list = QListWidget(self)
        self.list.setObjectName("policyList")
        self.title = QLineEdit(self)
        self.category = QLineEdit(self)
        self.body = QPlainTextEdit(self)
        self.body.setPlaceholderText(tr("ui.policy.body_hint"))
        self.active = QCheckBox(tr("ui.policy.active"), self)
        self.in_campaign = QCheckBox(tr("ui.policy.in_campaign"), self)
        self.preview = QTextBrowser(self)
        self.save_button = QPushButton(tr("ui.policy.save"), self)
        self.save_button.setObjectName("savePolicy")
        self.new_button = QPushButton(tr("ui.policy.new"), self)
        self.show_button = QPushButton(tr("ui.policy.show_resident"), self)
        self.show_button.setObjectName("showResident")
        form = QFormLayout()
        form.addRow(tr("ui.policy.field_title"), self.title)
        form.addRow(tr("ui.policy.field_category"), self.category)
        form.addRow(tr("ui.policy.field_body"), self.body)
        form.addRow("", self.active)
        form.addRow("", self.in_campaign)
        buttons = QHBoxLayout()
        for button in (self.new_button, self.save_button, self.show_button):
            buttons.addWidget(button)
        right = QWidget(self)
        right_layout = QVBoxLayout(right)
        right_layout.addLayout(form)
        right_layout.addWidget(self.preview)
        right_layout.addLayout(buttons)
        splitter = QSplitter(self)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setSizes([320, 680])
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)
        for widget in (
            self.title,
            self.category,
            self.body,
            self.active,
            self.in_campaign,
            self.save_button,
            self.new_button,
        ):
            widget.setEnabled(editable)
        self.list.currentRowChanged.connect(self._load)
        self.body.textChanged.connect(self._preview)
        self.title.textChanged.connect(self._preview)
        self.save_button.clicked.connect(self.save)
        self.new_button.clicked.connect(self.new_item)
        self.show_button.clicked.connect(self.show_resident)
        self.list.itemActivated.connect(lambda _i: self.show_resident())
        fit_to_screen(self, 1000, 640)
        self.reload()

    def reload(self, select: str | None = None) -> None:
        self._items = self._services.read.policy_items()
        self.list.clear()
        tr = self._catalog.tr
        for item in self._items:
            marks = []
            if item["position"] >= 0:
                marks.append(tr("ui.policy.mark_campaign"))
            if not item["active"]:
                marks.append(tr("ui.policy.mark_inactive"))
            entry = QListWidgetItem(item["title"] + ("  " + " ".join(marks) if marks else ""))
            entry.setData(ID_ROLE, item["id"])
            self.list.addItem(entry)
        ids = [i["id"] for i in self._items]
        self.list.setCurrentRow(ids.index(select) if select in ids else 0 if ids else -1)

    def current(self) -> dict[str, Any] | None:
        row = self.list.currentRow()
        return self._items[row] if 0 <= row < len(self._items) else None

    def _load(self, _row: int) -> None:
        item = self.current()
        if item is None:
            return
        self.title.setText(item["title"])
        self.category.setText(item["category"])
        self.body.setPlainText(item["body"])
        self.active.setChecked(bool(item["active"]))
        self.in_campaign.setChecked(item["position"] >= 0)

    def _preview(self) -> None:
        self.preview.setHtml(to_html(self.body.toPlainText(), self.title.text()))

    def save(self) -> None:
        item = self.current()
        if item is None:
            return
        try:
            self._services.campaigns.update_policy_item(
                item["id"],
                {
                    "title": self.title.text().strip(),
                    "category": self.category.text().strip(),
                    "body": self.body.toPlainText(),
                    "active": self.active.isChecked(),
                },
            )
            self._save_campaign_set(item["id"], self.in_campaign.isChecked())
        except GridappError as exc:
            self.failed.emit(exc)
            return
        self.reload(select=item["id"])
        self.changed.emit()

    def _save_campaign_set(self, item_id: str, wanted: bool) -> None:
        campaigns = self._services.read.campaigns()
        if not campaigns:
            return
        in_set = [i["id"] for i in self._items if i["position"] >= 0]
        if wanted and item_id not in in_set:
            in_set.append(item_id)
        elif not wanted and item_id in in_set:
            in_set.remove(item_id)
        self._services.campaigns.set_campaign_policies(campaigns[-1]["id"], in_set)

    def new_item(self) -> None:
        record = self._services.campaigns.add_policy_item(
            {"title": self._catalog.tr("ui.policy.untitled"), "body": "", "category": ""}
        )
        self.reload(select=record.id)
        self.title.setFocus()
        self.title.selectAll()

    def show_resident(self) -> ResidentView | None:
        if self.current() is None:
            return None
        shown = [i for i in self._items if i["active"]]
        current = self.current()
        index = next((n for n, i in enumerate(shown) if current and i["id"] == current["id"]), 0)
        view = ResidentView(shown or self._items, index, self._catalog, self)
        view.open()
        return view
