"""The field menu's actions do what the settings say."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from gridapp.i18n import Catalog
from gridapp.paper.documents import SheetDoc
from gridapp.services import Services
from gridapp.settings import Settings
from gridapp.ui.field.actions import FieldActions

pytestmark = pytest.mark.gui


def _actions_making_sheets(
    qtbot: QtBot,
    services: Services,
    settings: Settings,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> tuple[FieldActions, list[SheetDoc]]:
    """Field actions whose sheets are made (their words kept), never rendered."""
    host = QWidget()
    qtbot.addWidget(host)
    actions = FieldActions(
        services, Catalog("zh_CN"), settings, tmp_path, host, lambda: None, lambda: None,
        lambda _e: None,
    )  # fmt: skip
    made: list[SheetDoc] = []
    real_sheet = services.paper.sheet

    def sheet(**kwargs: object) -> SheetDoc:
        made.append(real_sheet(**kwargs))  # type: ignore[arg-type]
        return made[-1]

    monkeypatch.setattr(services.paper, "sheet", sheet)
    monkeypatch.setattr(actions.paper, "_render", lambda work: None)
    return actions, made


@pytest.mark.parametrize("masked", [True, False])
def test_the_visit_sheet_masks_names_as_the_setting_says(
    qtbot: QtBot,
    demo_services: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    masked: bool,
) -> None:
    actions, made = _actions_making_sheets(
        qtbot, demo_services, Settings(mask_names_on_sheets=masked), tmp_path, monkeypatch
    )
    building = demo_services.read.buildings()[0].id
    actions.current_building = lambda: building
    paper = actions.paper
    try:
        actions.print_sheet()
    finally:
        paper.cleanup()
    [doc] = made
    names = [r.head_name for g in doc.groups for r in g.rows if len(r.head_name) > 1]
    assert names and all(("*" in name) is masked for name in names)


def test_a_grids_visit_sheet_is_chosen_from_the_list(
    qtbot: QtBot, demo_services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from PySide6.QtWidgets import QInputDialog

    actions, made = _actions_making_sheets(qtbot, demo_services, Settings(), tmp_path, monkeypatch)
    offered: list[list[str]] = []

    def choose(*args: object) -> tuple[str, bool]:
        items = list(args[3])  # type: ignore[call-overload]
        offered.append(items)
        return items[1], True

    monkeypatch.setattr(QInputDialog, "getItem", choose)
    paper = actions.paper
    try:
        actions.print_grid_sheet()
    finally:
        paper.cleanup()
    [items] = offered
    assert items[:2] == ["建业新村 · 建业新村第1网格", "建业新村 · 建业新村第2网格"]
    [doc] = made
    buildings = {g.building for g in doc.groups}
    assert {g.compound for g in doc.groups} == {"建业新村"} and len(buildings) > 1
    compound = {b.number for b in demo_services.read.buildings() if b.compound_name == "建业新村"}
    assert buildings < compound  # the second grid: some of the compound's buildings
