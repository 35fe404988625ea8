"""Which campaign the office screens are about: one small object in the shell
(`CampaignChoice`, kept for the session) and the chooser each screen shows
(`CampaignSwitcher`: open campaigns first, closed ones after). Choosing on one screen
changes them all; `None` means the campaign in progress (the latest started)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from gridapp.i18n import Catalog

#: Lists every campaign: dicts with id, name, status, starts_on, ends_on.
CampaignLister = Callable[[], list[dict[str, Any]]]


class CampaignChoice(QObject):
    """The campaign chosen for this session; `changed(id or None)` when it changes."""

    changed = Signal(object)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.campaign_id: str | None = None

    def choose(self, campaign_id: str | None) -> None:
        if campaign_id != self.campaign_id:
            self.campaign_id = campaign_id
            self.changed.emit(campaign_id)


def in_order(campaigns: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Open campaigns (running, then drafts) latest started first; closed ones after."""
    rank = {"active": 0, "draft": 1}
    return sorted(
        sorted(campaigns, key=lambda c: (c["starts_on"], c["name"]), reverse=True),
        key=lambda c: rank.get(str(c["status"]), 2),
    )


def default_campaign(campaigns: list[dict[str, Any]]) -> str | None:
    """The campaign screens show before anyone chooses: the latest started running one,
    else the first in order."""
    ordered = in_order(campaigns)
    return str(ordered[0]["id"]) if ordered else None


class CampaignSwitcher(QWidget):
    """专项行动: [chooser]. Follows the shared choice; choosing sets it."""

    def __init__(
        self,
        campaigns: CampaignLister,
        choice: CampaignChoice,
        catalog: Catalog,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("campaignSwitcher")
        self._campaigns, self.choice, self.catalog = campaigns, choice, catalog
        self.caption = QLabel(catalog.tr("ui.switcher.caption"), self)
        self.box = QComboBox(self)
        self.box.setObjectName("campaignSwitcherBox")
        self.box.setMinimumContentsLength(18)
        self.box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.box.setToolTip(catalog.tr("ui.switcher.tooltip"))
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.box, 1)
        self._filling = False
        self.box.currentIndexChanged.connect(self._picked)
        choice.changed.connect(self._on_choice)  # a method: gone with this widget
        self.reload()

    def reload(self) -> None:
        """Read the campaigns again (one was created, published or closed)."""
        tr = self.catalog.tr
        self._filling = True
        self.box.clear()
        for c in in_order(self._campaigns()):
            status = self.catalog.code("campaign", str(c["status"]))
            text = tr(
                "ui.switcher.item",
                name=c["name"],
                status=status,
                starts=c["starts_on"],
                ends=c["ends_on"],
            )
            self.box.addItem(text, c["id"])
        self.box.setEnabled(self.box.count() > 0)
        self._filling = False
        self._show_choice()

    def current(self) -> str | None:
        """The campaign the screen is about (the choice, else the default)."""
        data = self.box.currentData()
        return None if data is None else str(data)

    def _on_choice(self, _campaign_id: object) -> None:
        self._show_choice()

    def _show_choice(self) -> None:
        self._filling = True
        wanted = self.choice.campaign_id
        index = self.box.findData(wanted) if wanted is not None else -1
        self.box.setCurrentIndex(index if index >= 0 else (0 if self.box.count() else -1))
        self._filling = False

    def _picked(self, _index: int) -> None:
        if not self._filling:
            self.choice.choose(self.current())
