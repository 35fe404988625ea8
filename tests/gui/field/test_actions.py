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


@pytest.mark.parametrize("masked", [True, False])
def test_the_visit_sheet_masks_names_as_the_setting_says(
    qtbot: QtBot,
    demo_services: Services,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    masked: bool,
) -> None:
    host = QWidget()
    qtbot.addWidget(host)
    actions = FieldActions(
        demo_services,
        Catalog("zh_CN"),
        Settings(mask_names_on_sheets=masked),
        tmp_path,
        host,
        lambda: None,
        lambda: None,
        lambda _e: None,
    )
    building = demo_services.read.buildings()[0].id
    actions.current_building = lambda: building
    made: list[SheetDoc] = []
    real_sheet = demo_services.paper.sheet

    def sheet(**kwargs: object) -> SheetDoc:
        made.append(real_sheet(**kwargs))  # type: ignore[arg-type]
        return made[-1]

    monkeypatch.setattr(demo_services.paper, "sheet", sheet)
    paper = actions.paper
    monkeypatch.setattr(paper, "_render", lambda work: None)  # the sheet's words, no PDF
    try:
        actions.print_sheet()
    finally:
        paper.cleanup()
    [doc] = made
    names = [r.head_name for g in doc.groups for r in g.rows if len(r.head_name) > 1]
    assert names and all(("*" in name) is masked for name in names)
