"""Page 5 of the 新建专项行动 wizard: the teams taking part and the buildings each walks
(a building belongs to one team). A new team is the office's and is added at once."""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from gridapp.errors import GridappError
from gridapp.model import BuildingSummary
from gridapp.ui.setup.campaign_setup import ID_ROLE, add_check, checked_ids
from gridapp.ui.setup.campaign_wizard_pages import StepPage

if TYPE_CHECKING:
    from gridapp.ui.setup.campaign_wizard import CampaignWizard

BASE_ROLE = Qt.ItemDataRole.UserRole + 2


class TeamsPage(StepPage):
    """Tick a team, then the buildings it walks; a building belongs to one team."""

    def __init__(self, wizard: CampaignWizard) -> None:
        super().__init__(wizard, "teams")
        tr = wizard.catalog.tr
        self.teams = QListWidget(self)
        self.teams.setObjectName("wizardTeams")
        self.buildings = QListWidget(self)
        self.buildings.setObjectName("wizardBuildings")
        self.number = QSpinBox(self)
        self.number.setObjectName("wizardTeamNumber")
        self.number.setRange(1, 999)
        self.team_name = QLineEdit(self)
        self.team_name.setObjectName("wizardTeamName")
        self.team_name.setPlaceholderText(tr("ui.wizard.team_name_hint"))
        self.add_team = QPushButton(tr("ui.wizard.team_add"), self)
        self.add_team.setObjectName("wizardTeamAdd")
        self.held: dict[str, list[str]] = {}  # team id → its buildings, as ticked
        self.building_rows: list[BuildingSummary] = []
        self.names: dict[str, str] = {}
        self._filling = False
        add_row = QHBoxLayout()
        add_row.addWidget(self.number)
        add_row.addWidget(self.team_name, 1)
        add_row.addWidget(self.add_team)
        left = QVBoxLayout()
        left.addWidget(QLabel(tr("ui.wizard.teams_list"), self))
        left.addWidget(self.teams, 1)
        left.addLayout(add_row)
        right = QVBoxLayout()
        self.buildings_label = QLabel(tr("ui.wizard.buildings_of", team="—"), self)
        right.addWidget(self.buildings_label)
        right.addWidget(self.buildings, 1)
        columns = QHBoxLayout()
        columns.addLayout(left, 2)
        columns.addLayout(right, 3)
        layout = QVBoxLayout(self)
        layout.addLayout(columns, 1)
        layout.addWidget(self.error)
        self.add_team.clicked.connect(self.new_team)
        self.teams.currentRowChanged.connect(lambda _row: self._show_buildings())
        self.buildings.itemChanged.connect(self._building_ticked)
        self._fill_teams()

    def _fill_teams(self, select: str | None = None) -> None:
        ticked = set(checked_ids(self.teams))
        self.teams.clear()
        for team in self.w.services.campaigns.teams(None):
            label = self.w.catalog.tr(
                "ui.wizard.team_line", number=team["number"], name=team["name"]
            )
            self.names[team["id"]] = label
            add_check(self.teams, label, team["id"], team["id"] in ticked)
        numbers = [t["number"] for t in self.w.services.campaigns.teams(None)]
        self.number.setValue(max(numbers, default=0) + 1)
        rows = [str(self.teams.item(i).data(ID_ROLE)) for i in range(self.teams.count())]
        self.teams.setCurrentRow(rows.index(select) if select in rows else min(0, len(rows) - 1))

    def new_team(self) -> None:
        """A team is the office's, not the campaign's: it is added at once."""
        self.error.clear()
        try:
            team = self.w.services.campaigns.add_team(self.number.value(), self.team_name.text())
        except GridappError as exc:
            self.refuse_error(exc)
            return
        self.team_name.clear()
        self._fill_teams(select=team.id)

    def initializePage(self) -> None:
        self.error.clear()
        self.building_rows = [
            b
            for compound_id in self.w.compound_ids
            for b in self.w.services.read.buildings(compound_id, with_progress=False)
        ]
        known = {b.id for b in self.building_rows}
        self.held = {t: [b for b in held if b in known] for t, held in self.held.items()}
        self._show_buildings()

    def current_team(self) -> str | None:
        item = self.teams.currentItem()
        return None if item is None else str(item.data(ID_ROLE))

    def _owner(self, building_id: str) -> str | None:
        return next((t for t, held in self.held.items() if building_id in held), None)

    def _show_buildings(self) -> None:
        team = self.current_team()
        tr = self.w.catalog.tr
        self.buildings_label.setText(
            tr("ui.wizard.buildings_of", team=self.names.get(team or "", "—"))
        )
        self._filling = True
        self.buildings.clear()
        for b in self.building_rows:
            owner = self._owner(b.id)
            plain = tr("ui.wizard.building_line", compound=b.compound_name, number=b.number,
                       households=b.households)  # fmt: skip
            text = plain
            if owner is not None and owner != team:
                text += tr("ui.wizard.building_held", team=self.names.get(owner, ""))
            item = add_check(self.buildings, text, b.id, owner == team and team is not None)
            item.setData(BASE_ROLE, plain)
            if team is None:
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
        self._filling = False

    def _building_ticked(self, item: QListWidgetItem) -> None:
        team = self.current_team()
        if self._filling or team is None:
            return
        building = str(item.data(ID_ROLE))
        for held in self.held.values():
            if building in held:
                held.remove(building)
        if item.checkState() == Qt.CheckState.Checked:
            self.held.setdefault(team, []).append(building)
            self.teams.currentItem().setCheckState(Qt.CheckState.Checked)
            self._filling = True
            item.setText(str(item.data(BASE_ROLE)))  # no longer another team's
            self._filling = False

    def validatePage(self) -> bool:
        self.error.clear()
        teams = checked_ids(self.teams)
        for team in teams:
            if not self.held.get(team):
                return self.refuse(
                    "error.campaign.team_without_buildings", team=self.names.get(team, team)
                )
        self.w.teams = {team: list(self.held[team]) for team in teams}
        return True
