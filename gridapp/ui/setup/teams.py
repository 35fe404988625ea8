"""The 小组与网格员 tab: teams (add, rename) and workers (add, move, retire).

Retiring asks for a second click on the same button rather than a modal question, so
nothing blocks (and tests drive it like a person)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.codes import StaffRole
from gridapp.i18n import Catalog
from gridapp.services.campaigns import CampaignService

Runner = Callable[[Callable[[], object], str], bool]
NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1
NAME_ROLE = Qt.ItemDataRole.UserRole + 2
RETIRED = QColor("#98a2b3")


def fill_teams(combo: QComboBox, teams: list[dict[str, Any]], catalog: Catalog) -> None:
    current = combo.currentData()
    combo.clear()
    for t in teams:
        combo.addItem(
            catalog.tr("ui.setup.team_choice", number=t["number"], name=t["name"]), t["number"]
        )
    if current is not None and combo.findData(current) >= 0:
        combo.setCurrentIndex(combo.findData(current))


class TeamsTab(QWidget):
    def __init__(self, campaigns: CampaignService, catalog: Catalog, run: Runner) -> None:
        super().__init__()
        self._campaigns, self._catalog, self._run = campaigns, catalog, run
        self._workers: list[dict[str, Any]] = []
        self._retire_armed: str | None = None
        tr = catalog.tr
        # teams
        self.teams = QListWidget(self)
        self.teams.setObjectName("teamList")
        self.team_number = QSpinBox(self)
        self.team_number.setObjectName("teamNumber")
        self.team_number.setRange(1, 999)
        self.team_name = QLineEdit(self)
        self.team_name.setObjectName("teamName")
        self.team_name.setPlaceholderText(tr("ui.setup.team_name"))
        self.add_team_button = QPushButton(tr("ui.setup.add_team"), self)
        self.add_team_button.setObjectName("addTeam")
        self.rename_button = QPushButton(tr("ui.setup.rename_team"), self)
        self.rename_button.setObjectName("renameTeam")
        team_box = QGroupBox(tr("ui.setup.teams"), self)
        team_form = QHBoxLayout()
        team_form.addWidget(self.team_number)
        team_form.addWidget(self.team_name, 1)
        team_buttons = QHBoxLayout()
        team_buttons.addWidget(self.add_team_button)
        team_buttons.addWidget(self.rename_button)
        team_layout = QVBoxLayout(team_box)
        team_layout.addWidget(self.teams, 1)
        team_layout.addLayout(team_form)
        team_layout.addLayout(team_buttons)
        # workers
        self.workers = QTableWidget(0, 6, self)
        self.workers.setObjectName("workerTable")
        self.workers.setHorizontalHeaderLabels(
            [
                tr(f"ui.setup.worker.{c}")
                for c in ("code", "name", "role", "team", "visits", "state")
            ]
        )
        self.workers.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.workers.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.workers.verticalHeader().setVisible(False)
        self.workers.verticalHeader().setDefaultSectionSize(26)
        self.workers.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.show_retired = QCheckBox(tr("ui.setup.show_retired"), self)
        self.show_retired.setObjectName("showRetired")
        self.move_team = QComboBox(self)
        self.move_team.setObjectName("moveTeam")
        self.move_button = QPushButton(tr("ui.setup.move_worker"), self)
        self.move_button.setObjectName("moveWorker")
        self.retire_button = QPushButton(tr("ui.setup.retire_worker"), self)
        self.retire_button.setObjectName("retireWorker")
        self.new_code, self.new_name = QLineEdit(self), QLineEdit(self)
        self.new_code.setObjectName("newWorkerCode")
        self.new_code.setPlaceholderText(tr("ui.setup.worker.code"))
        self.new_name.setObjectName("newWorkerName")
        self.new_name.setPlaceholderText(tr("ui.setup.worker.name"))
        self.new_team, self.new_role = QComboBox(self), QComboBox(self)
        self.new_team.setObjectName("newWorkerTeam")
        self.new_role.setObjectName("newWorkerRole")
        for role in StaffRole:
            self.new_role.addItem(catalog.code("worker_role", role.value), role.value)
        self.add_worker_button = QPushButton(tr("ui.setup.add_worker"), self)
        self.add_worker_button.setObjectName("addWorker")
        actions = QHBoxLayout()
        actions.addWidget(self.show_retired)
        actions.addStretch(1)
        actions.addWidget(QLabel(tr("ui.setup.to_team"), self))
        actions.addWidget(self.move_team)
        actions.addWidget(self.move_button)
        actions.addWidget(self.retire_button)
        new_row = QHBoxLayout()
        for widget in (self.new_code, self.new_name, self.new_team, self.new_role):
            new_row.addWidget(widget)
        new_row.addWidget(self.add_worker_button)
        worker_box = QGroupBox(tr("ui.setup.workers"), self)
        worker_layout = QVBoxLayout(worker_box)
        worker_layout.addWidget(self.workers, 1)
        worker_layout.addLayout(actions)
        worker_layout.addLayout(new_row)
        layout = QHBoxLayout(self)
        layout.addWidget(team_box, 2)
        layout.addWidget(worker_box, 5)
        self.teams.currentItemChanged.connect(self._team_chosen)
        self.add_team_button.clicked.connect(self.add_team)
        self.rename_button.clicked.connect(self.rename_team)
        self.show_retired.toggled.connect(lambda _on: self._show_workers())
        self.move_button.clicked.connect(self.move_selected)
        self.retire_button.clicked.connect(self.retire_selected)
        self.add_worker_button.clicked.connect(self.add_worker)
        self.workers.itemSelectionChanged.connect(self._disarm)

    def reload(self, campaign_id: str | None) -> None:
        teams = self._campaigns.teams(campaign_id)
        chosen = self.current_team()
        self.teams.clear()
        for t in teams:
            item = QListWidgetItem(self._catalog.tr("ui.setup.team_line", **t), self.teams)
            item.setData(NUMBER_ROLE, t["number"])
            item.setData(NAME_ROLE, t["name"])
            if t["number"] == chosen:
                self.teams.setCurrentItem(item)
        fill_teams(self.move_team, teams, self._catalog)
        fill_teams(self.new_team, teams, self._catalog)
        self.team_number.setValue(max((t["number"] for t in teams), default=0) + 1)
        self._workers = self._campaigns.workers()
        self._show_workers()

    def current_team(self) -> int | None:
        item = self.teams.currentItem()
        return int(item.data(NUMBER_ROLE)) if item is not None else None

    def _team_chosen(self, item: QListWidgetItem | None, _old: object) -> None:
        if item is not None:
            self.team_name.setText(str(item.data(NAME_ROLE)))
            self.move_team.setCurrentIndex(self.move_team.findData(item.data(NUMBER_ROLE)))

    def _show_workers(self) -> None:
        rows = [w for w in self._workers if w["active"] or self.show_retired.isChecked()]
        self.workers.setRowCount(len(rows))
        code = self._catalog.code
        for r, w in enumerate(rows):
            state = "ui.setup.worker.active" if w["active"] else "ui.setup.worker.retired"
            cells = (
                w["code"],
                w["name"],
                code("worker_role", w["role"]),
                w["team_name"] or "—",
                str(w["visits"]),
                self._catalog.tr(state),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, w["code"])
                if not w["active"]:
                    item.setForeground(QBrush(RETIRED))
                self.workers.setItem(r, c, item)
        self._disarm()

    def selected_codes(self) -> list[str]:
        rows = sorted({i.row() for i in self.workers.selectedIndexes()})
        return [str(self.workers.model().index(r, 0).data(Qt.ItemDataRole.UserRole)) for r in rows]

    # -- actions --------------------------------------------------------------------
    def add_team(self) -> None:
        number, name = self.team_number.value(), self.team_name.text()
        self._run(
            lambda: self._campaigns.add_team(number, name),
            "ui.setup.team_added",
        )

    def rename_team(self) -> None:
        number, name = self.current_team(), self.team_name.text()
        if number is not None:
            self._run(
                lambda: self._campaigns.rename_team(number, name),
                "ui.setup.team_renamed",
            )

    def move_selected(self) -> None:
        codes, team = self.selected_codes(), self.move_team.currentData()
        if codes and team is not None:
            self._run(
                lambda: self._campaigns.move_workers(codes, int(team)),
                "ui.setup.worker_moved",
            )

    def retire_selected(self) -> None:
        codes = self.selected_codes()
        if len(codes) != 1:
            return
        if self._retire_armed != codes[0]:
            self._retire_armed = codes[0]
            self.retire_button.setText(self._catalog.tr("ui.setup.retire_confirm", code=codes[0]))
            return
        self._retire_armed = None
        code = codes[0]
        self._run(
            lambda: self._campaigns.retire_worker(code),
            "ui.setup.worker_retired",
        )

    def _disarm(self) -> None:
        self._retire_armed = None
        self.retire_button.setText(self._catalog.tr("ui.setup.retire_worker"))

    def add_worker(self) -> None:
        code, name = self.new_code.text(), self.new_name.text()
        team, role = self.new_team.currentData(), self.new_role.currentData()
        if self._run(
            lambda: self._campaigns.add_worker(code, name, team, role),
            "ui.setup.worker_added",
        ):
            self.new_code.clear()
            self.new_name.clear()
