"""Office staff set the campaign up: its fields and scope, teams and workers, and which
team walks which buildings, a few clicks each."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.setup.assign import UNASSIGNED_BACKGROUND
from gridapp.ui.setup.campaign_setup import ID_ROLE, CampaignSetupView
from tests.gui.helpers import type_chinese

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton


def _cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


@pytest.fixture
def view(qtbot: QtBot, demo_services: Services) -> CampaignSetupView:
    demo_services.act_as("B0001", "office")
    widget = CampaignSetupView(demo_services, Catalog("zh_CN"))
    qtbot.addWidget(widget)
    widget.resize(1100, 700)
    widget.show()
    return widget


def _row_of(tab: Any, code: str) -> int:
    return next(r for r in range(tab.workers.rowCount()) if _cell(tab.workers, r, 0).text() == code)


def _campaign(services: Services) -> dict[str, Any]:
    campaign = services.campaigns.campaign()
    assert campaign is not None
    return campaign


def _worker(services: Services, code: str) -> dict[str, Any]:
    return next(w for w in services.campaigns.workers() if w["code"] == code)


def test_the_campaign_tab_saves_and_refuses_reversed_dates(
    qtbot: QtBot, view: CampaignSetupView, demo_services: Services
) -> None:
    tab = view.campaign_tab
    assert tab.compounds.count() == 4 and tab.policies.count() > 0
    assert tab.questionnaire.currentData() == _campaign(demo_services)["questionnaire_id"]
    before = demo_services.campaigns.campaign()
    tab.name.clear()
    type_chinese(tab.name, "物业费调价征询（第二轮）")
    tab.ends.setDate(QDate(2023, 12, 1))
    with qtbot.waitSignal(view.failed):
        qtbot.mouseClick(tab.save_button, LEFT)
    assert "早于" in view.message.text()
    assert demo_services.campaigns.campaign() == before
    tab.ends.setDate(QDate(2023, 12, 24))
    tab.policies.item(0).setCheckState(Qt.CheckState.Unchecked)
    left_out = tab.policies.item(0).data(ID_ROLE)
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(tab.save_button, LEFT)
    after = demo_services.read.campaigns()[0]
    assert after["name"] == "物业费调价征询（第二轮）" and after["ends_on"] == "2023-12-24"
    assert left_out not in [p["id"] for p in after["policy_items"]]
    assert view.campaign_tab.name.text() == "物业费调价征询（第二轮）"
    # a compound whose buildings are assigned cannot leave the campaign
    tab.compounds.item(0).setCheckState(Qt.CheckState.Unchecked)
    with qtbot.waitSignal(view.failed):
        qtbot.mouseClick(tab.save_button, LEFT)
    assert "取消分配" in view.message.text()


def test_teams_and_workers_add_move_and_retire(
    qtbot: QtBot, view: CampaignSetupView, demo_services: Services
) -> None:
    view.tabs.setCurrentWidget(view.teams_tab)
    tab = view.teams_tab
    assert tab.teams.count() == 16
    assert tab.team_number.value() == 17
    type_chinese(tab.team_name, "机动组")
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(tab.add_team_button, LEFT)
    assert tab.teams.count() == 17
    assert "机动组" in view.message.text()

    # move a worker to the new team
    row = _row_of(tab, "W0101")
    tab.workers.selectRow(row)
    tab.move_team.setCurrentIndex(tab.move_team.findData(17))
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(tab.move_button, LEFT)
    assert _worker(demo_services, "W0101")["team"] == 17
    moved = _row_of(tab, "W0101")
    assert _cell(tab.workers, moved, 3).text() == "机动组"

    # retire one: the first click only asks
    row = _row_of(tab, "W0102")
    tab.workers.selectRow(row)
    qtbot.mouseClick(tab.retire_button, LEFT)
    assert "W0102" in tab.retire_button.text()
    assert _worker(demo_services, "W0102")["active"] == 1
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(tab.retire_button, LEFT)
    assert _worker(demo_services, "W0102")["active"] == 0
    shown = [_cell(tab.workers, r, 0).text() for r in range(tab.workers.rowCount())]
    assert "W0102" not in shown
    tab.show_retired.setChecked(True)
    shown = [_cell(tab.workers, r, 0).text() for r in range(tab.workers.rowCount())]
    assert shown[-1] == "W0102"
    assert _cell(tab.workers, len(shown) - 1, 5).text() == "已停用"

    # a duplicate code is refused with a message, nothing added
    tab.new_code.setText("W0103")
    type_chinese(tab.new_name, "重名")
    count = len(demo_services.campaigns.workers())
    with qtbot.waitSignal(view.failed):
        qtbot.mouseClick(tab.add_worker_button, LEFT)
    assert "W0103" in view.message.text()
    assert len(demo_services.campaigns.workers()) == count


def test_assigning_several_buildings_in_one_click(
    qtbot: QtBot, view: CampaignSetupView, demo_services: Services
) -> None:
    view.tabs.setCurrentWidget(view.assign_tab)
    tab = view.assign_tab
    campaign_id = _campaign(demo_services)["id"]
    rows = demo_services.campaigns.assignment_tree(campaign_id)
    compounds = [r["compound_id"] for r in rows]
    compound = max(compounds, key=compounds.count)
    in_grid = [r["building_id"] for r in rows if r["compound_id"] == compound]
    assert len(in_grid) > 3
    # free a whole compound: its buildings show as unassigned
    place = tab.item_for("compound", compound)
    assert place is not None
    tab.tree.clearSelection()
    place.setSelected(True)
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(tab.unassign_button, LEFT)
    assert f"未分配 {len(in_grid)} 栋" in tab.summary.text()
    building = tab.item_for("building", in_grid[0])
    assert building is not None
    assert building.text(2) == "未分配"
    assert building.background(0).color() == UNASSIGNED_BACKGROUND

    # pick three of them and a team: one click
    tab.tree.clearSelection()
    for building_id in in_grid[:3]:
        item = tab.item_for("building", building_id)
        assert item is not None
        item.setSelected(True)
    tab.team.setCurrentIndex(tab.team.findData(5))
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(tab.assign_button, LEFT)
    assert "新分配 3 栋" in view.message.text()
    after = {
        r["building_id"]: r["team"] for r in demo_services.campaigns.assignment_tree(campaign_id)
    }
    assert [after[b] for b in in_grid[:3]] == [5, 5, 5]
    assert all(after[b] is None for b in in_grid[3:])
    assert f"未分配 {len(in_grid) - 3} 栋" in tab.summary.text()
    item = tab.item_for("building", in_grid[0])
    assert item is not None and item.text(2) == "5 · 第5组"
    assert item.isSelected()  # the selection survives the refresh
    # the whole compound → team 6: the three move, the rest are new
    tab.tree.clearSelection()
    place = tab.item_for("compound", compound)
    assert place is not None
    place.setSelected(True)
    tab.team.setCurrentIndex(tab.team.findData(6))
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(tab.assign_button, LEFT)
    assert f"新分配 {len(in_grid) - 3} 栋，从别组调来 3 栋" in view.message.text()
    assert "未分配 0 栋" in tab.summary.text()
