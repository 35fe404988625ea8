"""户籍变动 on the household page: each step is one service call, the page shows the
result and its history; a refusal is reported, not raised."""

from __future__ import annotations

import itertools

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QInputDialog, QMessageBox
from pytestqt.qtbot import QtBot

from gridapp.errors import GridappError
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.households import lifecycle
from gridapp.ui.households.detail import HouseholdDetailView


def _neighbours(s: Services) -> tuple[str, str]:
    rows = s.store.db.execute(
        """SELECT h.id, h.building_id FROM household h WHERE EXISTS
           (SELECT 1 FROM resident r WHERE r.household_id = h.id)
           ORDER BY h.building_id, h.code"""
    ).fetchall()
    for (a, ba), (b, bb) in itertools.pairwise(rows):
        if ba == bb:
            return a, b
    raise AssertionError("no building with two occupied households")


@pytest.fixture
def page(qtbot: QtBot, demo_services: Services) -> HouseholdDetailView:
    demo_services.act_as("B0001", "office")
    view = HouseholdDetailView(demo_services.read, demo_services.households, Catalog("zh_CN"))
    qtbot.addWidget(view)
    return view


def test_move_out_then_in(
    page: HouseholdDetailView, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    household, _ = _neighbours(demo_services)
    page.show_household(household)
    menu = page.lifecycle
    assert menu.move_out.isEnabled() and not menu.move_in.isEnabled()
    monkeypatch.setattr(QMessageBox, "question", lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    menu.move_out.trigger()
    assert page.residents.rowCount() == 0
    assert menu.move_in.isEnabled() and not menu.move_out.isEnabled()
    monkeypatch.setattr(QInputDialog, "getMultiLineText", lambda *_a, **_k: ("王新\n\n李新", True))
    menu.move_in.trigger()
    names = [page.residents.item(r, 0) for r in range(2)]
    assert [n.text() if n else "" for n in names] == ["王新", "李新"]
    items = [page.timeline.topLevelItem(i) for i in range(page.timeline.topLevelItemCount())]
    words = [i.text(1) for i in items if i is not None]
    assert "新住户迁入 2 人" in words and any(w.startswith("已迁出") for w in words)


def test_merge_with_a_neighbour_and_split_again(
    page: HouseholdDetailView, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    keep, other = _neighbours(demo_services)
    room = demo_services.read.household_rows([other])[0].room
    page.show_household(keep)
    before = page.residents.rowCount()

    def pick(*args: object, **_k: object) -> tuple[str, bool]:
        labels = args[3]
        assert isinstance(labels, list)
        return next(label for label in labels if label.startswith(f"{room} ")), True

    monkeypatch.setattr(QInputDialog, "getItem", pick)
    page.lifecycle.merge.trigger()
    assert page.residents.rowCount() > before
    assert other not in demo_services.read.household_ids()

    def split_exec(dialog: lifecycle.SplitDialog) -> int:
        dialog.room_edit.setText("9901")
        dialog.people.item(0).setCheckState(Qt.CheckState.Checked)
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(lifecycle.SplitDialog, "exec", split_exec)
    rows = page.residents.rowCount()
    page.lifecycle.split.trigger()
    assert page.residents.rowCount() == rows - 1


def test_a_refusal_is_reported(
    page: HouseholdDetailView, demo_services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    household, _ = _neighbours(demo_services)
    page.show_household(household)
    failures: list[GridappError] = []
    page.lifecycle.failed.connect(failures.append)

    def split_exec(dialog: lifecycle.SplitDialog) -> int:
        dialog.room_edit.setText("9901")  # nobody chosen
        return QDialog.DialogCode.Accepted.value

    monkeypatch.setattr(lifecycle.SplitDialog, "exec", split_exec)
    page.lifecycle.split.trigger()
    assert [f.key for f in failures] == ["error.household.no_residents"]
