"""Campaign set-up for office staff: the campaign (fields, compounds, questionnaire,
policy set), teams and workers, and which team walks which buildings. Every button is
one service call; errors come back as a message, nothing half-done."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.model import Campaign
from gridapp.services import Services
from gridapp.ui.common.campaign_switch import CampaignChoice, CampaignSwitcher
from gridapp.ui.setup.assign import AssignTab
from gridapp.ui.setup.campaign_close import CampaignEnd
from gridapp.ui.setup.teams import TeamsTab

ID_ROLE = Qt.ItemDataRole.UserRole + 1
#: (action, message key for success) → True when it went through.
Runner = Callable[[Callable[[], object], str], bool]


def checklist(name: str, parent: QWidget) -> QListWidget:
    widget = QListWidget(parent)
    widget.setObjectName(name)
    return widget


def add_check(widget: QListWidget, text: str, record_id: str, checked: bool) -> QListWidgetItem:
    item = QListWidgetItem(text, widget)
    item.setData(ID_ROLE, record_id)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def checked_ids(widget: QListWidget) -> list[str]:
    return [
        str(widget.item(i).data(ID_ROLE))
        for i in range(widget.count())
        if widget.item(i).checkState() == Qt.CheckState.Checked
    ]


class CampaignTab(QWidget):
    """The campaign's fields, its compounds, questionnaire and policy set (drag to
    order the policy items: the order is the one laptops show)."""

    def __init__(self, services: Services, catalog: Catalog, run: Runner) -> None:
        super().__init__()
        self._services, self._catalog, self._run = services, catalog, run
        self.campaign_id: str | None = None
        tr = catalog.tr
        self.name = QLineEdit(self)
        self.name.setObjectName("campaignName")
        self.description = QPlainTextEdit(self)
        self.description.setObjectName("campaignDescription")
        self.description.setMaximumHeight(70)
        self.starts, self.ends = QDateEdit(self), QDateEdit(self)
        for edit, name in ((self.starts, "campaignStarts"), (self.ends, "campaignEnds")):
            edit.setObjectName(name)
            edit.setCalendarPopup(True)
            edit.setDisplayFormat("yyyy-MM-dd")
        self.questionnaire = QComboBox(self)
        self.questionnaire.setObjectName("campaignQuestionnaire")
        self.compounds = checklist("campaignCompounds", self)
        self.policies = checklist("campaignPolicies", self)
        self.policies.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.save_button = QPushButton(tr("ui.setup.save_campaign"), self)
        self.save_button.setObjectName("saveCampaign")
        self.save_button.setDefault(True)
        dates = QHBoxLayout()
        dates.addWidget(self.starts)
        dates.addWidget(QLabel("—", self))
        dates.addWidget(self.ends)
        dates.addStretch(1)
        form = QFormLayout()
        form.addRow(tr("ui.setup.campaign_name"), self.name)
        form.addRow(tr("ui.setup.campaign_description"), self.description)
        form.addRow(tr("ui.setup.campaign_dates"), dates)
        form.addRow(tr("ui.setup.questionnaire"), self.questionnaire)
        lists = QHBoxLayout()
        for label, widget in (
            (tr("ui.setup.compounds"), self.compounds),
            (tr("ui.setup.policies"), self.policies),
        ):
            column = QVBoxLayout()
            column.addWidget(QLabel(label, self))
            column.addWidget(widget)
            lists.addLayout(column, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.save_button)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(lists, 1)
        layout.addLayout(buttons)
        self.save_button.clicked.connect(self.save)

    def reload(self, campaign_id: str | None = None) -> None:
        """Show the campaign chosen (the one in progress when None)."""
        campaign = self._services.campaigns.campaign(campaign_id)
        self.campaign_id = campaign["id"] if campaign else None
        self.setEnabled(campaign is not None)
        if campaign is None:
            return
        self.name.setText(campaign["name"])
        self.description.setPlainText(campaign["description"])
        self.starts.setDate(QDate.fromString(campaign["starts_on"], "yyyy-MM-dd"))
        self.ends.setDate(QDate.fromString(campaign["ends_on"], "yyyy-MM-dd"))
        self.questionnaire.clear()
        for q in self._services.read.questionnaires():
            self.questionnaire.addItem(f"{q['title']}（{q['form_id']} v{q['version']}）", q["id"])
        self.questionnaire.setCurrentIndex(
            max(self.questionnaire.findData(campaign["questionnaire_id"]), 0)
        )
        self.compounds.clear()
        for c in self._services.campaigns.compounds(self.campaign_id):
            add_check(self.compounds, c["name"], c["id"], bool(c["in_scope"]))
        self.policies.clear()
        for p in self._services.read.policy_items(self.campaign_id):
            label = (
                p["title"] if p["active"] else self._catalog.tr("ui.setup.inactive", x=p["title"])
            )
            add_check(self.policies, label, p["id"], p["position"] >= 0)

    def save(self) -> bool:
        campaign_id = self.campaign_id
        if campaign_id is None:
            return False
        changes: dict[str, Any] = {
            "name": self.name.text(),
            "description": self.description.toPlainText().strip(),
            "starts_on": self.starts.date().toString("yyyy-MM-dd"),
            "ends_on": self.ends.date().toString("yyyy-MM-dd"),
        }
        if self.questionnaire.currentData():
            changes["questionnaire_id"] = self.questionnaire.currentData()
        compounds, policies = checked_ids(self.compounds), checked_ids(self.policies)
        return self._run(
            lambda: self._services.campaigns.edit_campaign(
                campaign_id, changes, compounds, policies
            ),
            "ui.setup.campaign_saved",
        )


class CampaignSetupView(QWidget):
    """Three tabs: 活动, 小组与网格员, 分配. `changed` after every write (the window
    refreshes its tree and counts); `failed` carries a GridappError."""

    changed = Signal()
    failed = Signal(object)

    def __init__(
        self,
        services: Services,
        catalog: Catalog,
        parent: QWidget | None = None,
        can_purge_now: bool = False,
        choice: CampaignChoice | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("campaignSetupView")
        self.setWindowTitle(catalog.tr("ui.setup.title"))
        self._services, self._catalog = services, catalog
        self.tabs = QTabWidget(self)
        self.campaign_tab = CampaignTab(services, catalog, self.run)
        self.campaign_end = CampaignEnd(
            services.privacy, catalog, self.run, self.say, can_purge_now
        )
        campaign_page = QWidget(self)
        page_layout = QVBoxLayout(campaign_page)
        page_layout.setContentsMargins(0, 0, 0, 0)
        page_layout.addWidget(self.campaign_tab, 1)
        page_layout.addWidget(self.campaign_end)
        self.teams_tab = TeamsTab(services.campaigns, catalog, self.run)
        self.assign_tab = AssignTab(services, catalog, self.run)
        self.tabs.addTab(campaign_page, catalog.tr("ui.setup.tab_campaign"))
        self.tabs.addTab(self.teams_tab, catalog.tr("ui.setup.tab_teams"))
        self.tabs.addTab(self.assign_tab, catalog.tr("ui.setup.tab_assign"))
        self.message = QLabel(self)
        self.message.setObjectName("setupMessage")
        self.message.setWordWrap(True)
        self.no_campaign = QLabel(catalog.tr("ui.wizard.no_campaign"), self)
        self.no_campaign.setObjectName("setupNoCampaign")
        self.no_campaign.setWordWrap(True)
        self.new_button = QPushButton(catalog.tr("ui.wizard.open"), self)
        self.new_button.setObjectName("newCampaign")
        self.new_button.clicked.connect(self.open_wizard)
        self.choice = choice or CampaignChoice(self)
        self.switcher = CampaignSwitcher(
            services.campaigns.campaign_list, self.choice, catalog, self
        )
        self.choice.changed.connect(self._on_choice)  # a method: gone with this widget
        top = QHBoxLayout()
        top.addWidget(self.switcher)
        top.addWidget(self.no_campaign, 1)
        top.addWidget(self.new_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(self.message)
        self.reload()

    def _on_choice(self, _campaign_id: object) -> None:
        self.reload()

    def reload(self) -> None:
        self.switcher.reload()
        self.campaign_tab.reload(self.switcher.current())
        campaign_id = self.campaign_tab.campaign_id
        self.teams_tab.reload(campaign_id)
        self.assign_tab.reload(campaign_id)
        self.campaign_end.reload(campaign_id)
        self.no_campaign.setVisible(campaign_id is None)

    def open_wizard(self) -> QWidget:
        """新建专项行动: the wizard over this screen; a campaign written refreshes it."""
        from gridapp.ui.setup.campaign_wizard import CampaignWizard  # load when used

        wizard = CampaignWizard(self._services, self._catalog, self)
        wizard.created.connect(self._created)
        wizard.open()
        return wizard

    def _created(self, record: Campaign) -> None:
        self.reload()
        self.choice.choose(record.id)  # every screen shows the new campaign
        self.changed.emit()

    def say(self, text: str, ok: bool) -> None:
        self.message.setStyleSheet("color: #067647;" if ok else "color: #b42318;")
        self.message.setText(text)

    def run(self, action: Callable[[], object], done_key: str) -> bool:
        """Run one service call; say what happened; refresh every tab after a write."""
        try:
            result = action()
        except GridappError as exc:
            self.message.setStyleSheet("color: #b42318;")
            self.message.setText(self._catalog.error(exc))
            self.failed.emit(exc)
            return False
        params: dict[str, Any] = {"count": result} if isinstance(result, int) else {}
        if hasattr(result, "as_dict"):
            params = result.as_dict()
        elif hasattr(result, "__dataclass_fields__"):
            params = dict(vars(result))
        elif isinstance(result, dict):
            params = dict(result)
        self.message.setStyleSheet("color: #067647;")
        self.message.setText(self._catalog.tr(done_key, **params))
        self.reload()
        self.changed.emit()
        return True
