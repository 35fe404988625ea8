"""The 分配 tab: compound → grid → building with the team holding each building.
Select any mix of compounds, grids and buildings, pick a team, one click assigns them
all (one service call); buildings nobody holds yet are highlighted."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.campaign_setup import Scope
from gridapp.ui.setup.teams import fill_teams

Runner = Callable[[Callable[[], object], str], bool]
KEY_ROLE = Qt.ItemDataRole.UserRole + 1  # ("compound" | "grid" | "building", id)
UNASSIGNED_BACKGROUND = QColor("#fef0c7")
UNASSIGNED_TEXT = QColor("#b54708")
OUT_OF_SCOPE = QColor("#98a2b3")


class AssignTab(QWidget):
    def __init__(self, services: Services, catalog: Catalog, run: Runner) -> None:
        super().__init__()
        self._services, self._catalog, self._run = services, catalog, run
        self.campaign_id: str | None = None
        tr = catalog.tr
        self.tree = QTreeWidget(self)
        self.tree.setObjectName("assignTree")
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(
            [
                tr("ui.setup.assign.place"),
                tr("ui.setup.assign.households"),
                tr("ui.setup.assign.team"),
            ]
        )
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.summary = QLabel(self)
        self.summary.setObjectName("assignSummary")
        swatch = QLabel(self)
        swatch.setFixedSize(14, 14)
        swatch.setStyleSheet(
            f"background: {UNASSIGNED_BACKGROUND.name()};"
            f" border: 1px solid {UNASSIGNED_TEXT.name()};"
        )
        legend = QLabel(tr("ui.setup.assign.legend"), self)
        self.team = QComboBox(self)
        self.team.setObjectName("assignTeam")
        self.assign_button = QPushButton(tr("ui.setup.assign.assign"), self)
        self.assign_button.setObjectName("assignButton")
        self.unassign_button = QPushButton(tr("ui.setup.assign.unassign"), self)
        self.unassign_button.setObjectName("unassignButton")
        bar = QHBoxLayout()
        bar.addWidget(swatch)
        bar.addWidget(legend)
        bar.addSpacing(16)
        bar.addWidget(self.summary)
        bar.addStretch(1)
        bar.addWidget(self.team)
        bar.addWidget(self.assign_button)
        bar.addWidget(self.unassign_button)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(tr("ui.setup.assign.hint"), self))
        layout.addWidget(self.tree, 1)
        layout.addLayout(bar)
        self.assign_button.clicked.connect(self.assign_selected)
        self.unassign_button.clicked.connect(self.unassign_selected)
        self.tree.itemSelectionChanged.connect(self._update_buttons)

    def reload(self, campaign_id: str | None) -> None:
        self.campaign_id = campaign_id
        fill_teams(self.team, self._services.campaigns.teams(campaign_id), self._catalog)
        expanded, selected = self._state()
        self.tree.clear()
        rows = self._services.campaigns.assignment_tree(campaign_id)
        parents: dict[tuple[str, str], QTreeWidgetItem] = {}
        totals: dict[int, list[int]] = {}  # id(item) → [households, buildings, unassigned]
        held: dict[int, dict[int, str]] = {}  # id(item) → team number → label
        for row in rows:
            compound = parents.get(("compound", row["compound_id"]))
            if compound is None:
                compound = self._item(self.tree.invisibleRootItem(), "compound", row["compound_id"])
                compound.setText(0, row["compound_name"])
                if not row["in_scope"]:
                    compound.setText(
                        0,
                        self._catalog.tr("ui.setup.assign.out_of_scope", name=row["compound_name"]),
                    )
                parents[("compound", row["compound_id"])] = compound
            parent = compound
            if row["grid_id"]:
                parent = parents.get(("grid", row["grid_id"])) or self._item(
                    compound, "grid", row["grid_id"]
                )
                parent.setText(0, row["grid_name"])
                parents[("grid", row["grid_id"])] = parent
            building = self._item(parent, "building", row["building_id"])
            building.setText(
                0, self._catalog.tr("ui.setup.assign.building", number=row["building_number"])
            )
            building.setText(1, str(row["households"]))
            self._show_team(building, row, bool(row["in_scope"]))
            for owner in {id(compound), id(parent)}:
                sums = totals.setdefault(owner, [0, 0, 0])
                sums[0] += row["households"]
                sums[1] += 1
                sums[2] += row["team"] is None and bool(row["in_scope"])
                if row["team"] is not None:
                    held.setdefault(owner, {})[row["team"]] = row["team_name"]
            if not row["in_scope"]:
                for item in (compound, parent, building):
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsSelectable)
                    for column in range(3):
                        item.setForeground(column, QBrush(OUT_OF_SCOPE))
        for item in parents.values():
            households, buildings, unassigned = totals[id(item)]
            item.setText(1, str(households))
            teams = "、".join(name for _, name in sorted(held.get(id(item), {}).items()))
            key = "ui.setup.assign.group_free" if unassigned else "ui.setup.assign.group_state"
            item.setText(
                2, self._catalog.tr(key, buildings=buildings, free=unassigned, teams=teams or "—")
            )
            if unassigned:
                item.setForeground(2, QBrush(UNASSIGNED_TEXT))
        in_scope = [r for r in rows if r["in_scope"]]
        free = sum(1 for r in in_scope if r["team"] is None)
        self.summary.setText(
            self._catalog.tr("ui.setup.assign.summary", total=len(in_scope), free=free)
        )
        self._restore(expanded, selected)
        self._update_buttons()

    def _item(self, parent: QTreeWidgetItem, kind: str, record_id: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem(parent)
        item.setData(0, KEY_ROLE, (kind, record_id))
        return item

    def _show_team(self, item: QTreeWidgetItem, row: dict[str, Any], in_scope: bool) -> None:
        if row["team"] is not None:
            item.setText(
                2,
                self._catalog.tr("ui.setup.team_choice", number=row["team"], name=row["team_name"]),
            )
        elif in_scope:
            item.setText(2, self._catalog.tr("ui.setup.assign.unassigned"))
            for column in range(3):
                item.setBackground(column, QBrush(UNASSIGNED_BACKGROUND))
            item.setForeground(2, QBrush(UNASSIGNED_TEXT))

    def _state(self) -> tuple[set[Any], set[Any]]:
        expanded, selected = set(), set()
        for item in self._items():
            key = item.data(0, KEY_ROLE)
            if item.isExpanded():
                expanded.add(key)
            if item.isSelected():
                selected.add(key)
        return expanded, selected

    def _restore(self, expanded: set[Any], selected: set[Any]) -> None:
        for item in self._items():
            key = item.data(0, KEY_ROLE)
            if key in expanded or (not expanded and key[0] == "compound"):
                item.setExpanded(True)
            if key in selected:
                item.setSelected(True)

    def _items(self) -> list[QTreeWidgetItem]:
        found: list[QTreeWidgetItem] = []
        stack = [self.tree.invisibleRootItem()]
        while stack:
            parent = stack.pop()
            for i in range(parent.childCount()):
                child = parent.child(i)
                if child is not None:
                    found.append(child)
                    stack.append(child)
        return found

    def item_for(self, kind: str, record_id: str) -> QTreeWidgetItem | None:
        return next((i for i in self._items() if i.data(0, KEY_ROLE) == (kind, record_id)), None)

    def selected_scope(self) -> Scope:
        picked: dict[str, list[str]] = {"compound": [], "grid": [], "building": []}
        for item in self.tree.selectedItems():
            kind, record_id = item.data(0, KEY_ROLE)
            picked[kind].append(record_id)
        return Scope(
            buildings=picked["building"], grids=picked["grid"], compounds=picked["compound"]
        )

    def _update_buttons(self) -> None:
        chosen = bool(self.tree.selectedItems()) and self.campaign_id is not None
        self.assign_button.setEnabled(chosen and self.team.count() > 0)
        self.unassign_button.setEnabled(chosen)

    def assign_selected(self) -> None:
        team, scope, campaign_id = self.team.currentData(), self.selected_scope(), self.campaign_id
        if team is None or campaign_id is None:
            return
        self._run(
            lambda: self._services.campaigns.assign(campaign_id, int(team), scope),
            "ui.setup.assign.done",
        )

    def unassign_selected(self) -> None:
        scope, campaign_id = self.selected_scope(), self.campaign_id
        if campaign_id is not None:
            self._run(
                lambda: self._services.campaigns.unassign(campaign_id, scope),
                "ui.setup.assign.undone",
            )
