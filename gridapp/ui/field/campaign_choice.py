"""Which campaign a visit belongs to, asked only when the household is in several
running campaigns (a fee consultation and a lift consultation in the same stairwell):
keyboard-first — the digit keys pick, arrows and Enter work, Esc cancels."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.i18n import Catalog
from gridapp.ui.common.screen import fit_to_screen


class CampaignChoice(QDialog):
    def __init__(
        self,
        campaigns: Sequence[dict[str, Any]],
        catalog: Catalog,
        address: str,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("campaignChoice")
        tr = catalog.tr
        self.setWindowTitle(tr("ui.visit.which_campaign_title"))
        prompt = QLabel(tr("ui.visit.which_campaign", address=address, count=len(campaigns)), self)
        prompt.setWordWrap(True)
        self.list = QListWidget(self)
        self.list.setObjectName("campaignList")
        for n, campaign in enumerate(campaigns, start=1):
            text = tr(
                "ui.visit.campaign_item",
                n=n,
                name=campaign["name"],
                starts=campaign["starts_on"],
                ends=campaign["ends_on"],
            )
            item = QListWidgetItem(text, self.list)
            item.setData(Qt.ItemDataRole.UserRole, campaign["id"])
        self.list.setCurrentRow(0)
        self.list.itemActivated.connect(lambda _item: self.accept())
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(prompt)
        layout.addWidget(self.list, 1)
        layout.addWidget(buttons)
        self.list.installEventFilter(self)
        self.list.setFocus()
        width = max(self.list.sizeHintForColumn(0) + 60, 520)  # every name whole
        fit_to_screen(self, width, 260)

    def chosen(self) -> str | None:
        item = self.list.currentItem()
        return str(item.data(Qt.ItemDataRole.UserRole)) if item is not None else None

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        # The list would take a digit as the start of a keyboard search: here it picks.
        if watched is self.list and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            text = event.text()
            if text.isdigit() and 1 <= int(text) <= self.list.count():
                self.list.setCurrentRow(int(text) - 1)
                self.accept()
                return True
        return super().eventFilter(watched, event)
