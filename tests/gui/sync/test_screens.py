"""The sync window speaks to the worker in steps and outcomes, not in command lines and
sequence numbers."""

from __future__ import annotations

from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.i18n import Catalog
from gridapp.services.visits import VisitInput
from gridapp.ui.sync.screens import SyncDialog
from tests.conftest import make_services

pytestmark = pytest.mark.gui


def test_a_laptop_is_told_what_to_do_then_what_arrived(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock
) -> None:
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=60, seed=4))
    lap = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    dialog = SyncDialog(lap.sync, Catalog("zh_CN"))
    qtbot.addWidget(dialog)
    dialog.refresh()
    text = dialog.status.text()
    assert "生成登记申请" in text and "导入名册包" in text
    assert "device request" not in text and "序号" not in text
    lap.sync.request(tmp_path / "lap.json")
    office.sync.enroll(tmp_path / "lap.json", 1, tmp_path / "roster.gsb")
    [result] = lap.sync.import_files([tmp_path / "roster.gsb"])
    assert result.status == "applied"
    dialog.refresh()
    assert "没有待发送的内容" in dialog.status.text()
    lap.act_as("W0101", "field")
    household = lap.read.household_ids()[0]
    lap.visits.record(VisitInput(household, "", "not_home"))
    dialog.refresh()
    text = dialog.status.text()
    assert "条新记录未送达" in text and "请导出同步包" in text and "序号" not in text
