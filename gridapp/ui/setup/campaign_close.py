"""The end of a campaign, in the set-up screen's 活动 tab: 结束专项行动… (laptops erase
the residents' personal data with their next roster bundle) and 清除个人信息… (the
office's own copy, after the retention period; an administrator may purge earlier).
Every step is one PrivacyService call, confirmed first (docs/privacy.md)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.services.privacy import PrivacyService

#: (action, message key for success) → True when it went through.
Runner = Callable[[Callable[[], object], str], bool]


class CampaignEnd(QGroupBox):
    """Close, then purge. `can_purge_now`: the signed-in worker is an administrator
    (the lead's role check), who alone sees 不等保存期满."""

    def __init__(
        self,
        privacy: PrivacyService,
        catalog: Catalog,
        run: Runner,
        say: Callable[[str, bool], None],
        can_purge_now: bool = False,
    ) -> None:
        super().__init__(catalog.tr("ui.privacy.group"))
        self.setObjectName("campaignEnd")
        self._privacy, self._catalog, self._run = privacy, catalog, run
        self._say = say
        self.campaign: dict[str, Any] | None = None
        self.confirm: QMessageBox | None = None  # the one open, for tests to click
        tr = catalog.tr
        self.state = QLabel(self)
        self.state.setObjectName("campaignEndState")
        self.state.setWordWrap(True)
        self.close_button = QPushButton(tr("ui.privacy.close"), self)
        self.close_button.setObjectName("closeCampaign")
        self.purge_button = QPushButton(tr("ui.privacy.purge"), self)
        self.purge_button.setObjectName("purgeCampaign")
        self.now = QCheckBox(tr("ui.privacy.now"), self)
        self.now.setObjectName("purgeNow")
        self.now.setVisible(can_purge_now)
        self.now.setEnabled(can_purge_now)
        row = QHBoxLayout()
        row.addWidget(self.close_button)
        row.addWidget(self.purge_button)
        row.addWidget(self.now)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addLayout(row)
        self.close_button.clicked.connect(self.ask_close)
        self.purge_button.clicked.connect(self.ask_purge)

    def reload(self, active_id: str | None) -> None:
        self.campaign = self._privacy.campaign(active_id)
        campaign = self.campaign
        closed = campaign is not None and campaign["status"] == "closed"
        self.close_button.setEnabled(campaign is not None and not closed)
        self.purge_button.setEnabled(closed)
        self.now.setEnabled(closed and self.now.isVisible())
        if campaign is None:
            self.state.setText("")
            return
        until = self._privacy.retention_until(campaign).isoformat()
        key = "ui.privacy.state_closed" if closed else "ui.privacy.state_active"
        self.state.setText(self._catalog.tr(key, name=campaign["name"], until=until))

    def _box(self, name: str, text: str, yes_key: str, then: Callable[[], object]) -> QMessageBox:
        tr = self._catalog.tr
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("ui.privacy.confirm_title"),
            text,
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setObjectName(name)
        yes = box.addButton(tr(yes_key), QMessageBox.ButtonRole.AcceptRole)
        yes.setObjectName(f"{name}Yes")
        yes.clicked.connect(then)
        box.button(QMessageBox.StandardButton.Cancel).setText(tr("ui.privacy.cancel"))
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        self.confirm = box
        return box

    def ask_close(self) -> QMessageBox | None:
        campaign = self.campaign
        if campaign is None or campaign["status"] == "closed":
            return None
        until = self._privacy.retention_until(campaign).isoformat()
        text = self._catalog.tr("ui.privacy.close_confirm", name=campaign["name"], until=until)
        campaign_id = campaign["id"]
        then = lambda: self.close_campaign(campaign_id)  # noqa: E731
        box = self._box("closeConfirm", text, "ui.privacy.close_yes", then)
        box.open()  # never exec(): tests click the buttons
        return box

    def close_campaign(self, campaign_id: str) -> bool:
        return self._run(
            lambda: self._privacy.close_campaign(campaign_id),
            "cli.privacy.closed",
        )

    def ask_purge(self) -> QMessageBox | None:
        """The counts first (a dry run, nothing changes); before the retention date a
        refusal naming the date, unless an administrator ticked 不等保存期满."""
        campaign = self.campaign
        if campaign is None:
            return None
        now = self.now.isVisible() and self.now.isChecked()
        try:
            report = self._privacy.purge(campaign["id"], dry_run=True)
        except GridappError as exc:
            self._say(self._catalog.error(exc), False)
            return None
        values = report.as_dict()
        if report.early and not now:
            self._say(self._catalog.tr("ui.privacy.too_early", **values), False)
            return None
        key = "ui.privacy.purge_confirm_early" if report.early else "ui.privacy.purge_confirm"
        campaign_id = campaign["id"]
        text = self._catalog.tr(key, **values)
        box = self._box(
            "purgeConfirm", text, "ui.privacy.purge_yes", lambda: self.purge(campaign_id, now)
        )
        box.open()
        return box

    def purge(self, campaign_id: str, now: bool) -> bool:
        return self._run(
            lambda: self._privacy.purge(campaign_id, now=now),
            "cli.privacy.purged",
        )
