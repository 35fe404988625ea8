"""Importing a questionnaire workbook from the desktop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtWidgets import QMainWindow, QMessageBox
from pytestqt.qtbot import QtBot

from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.setup.content_menu import ContentMenu

pytestmark = pytest.mark.gui
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "forms"


def test_a_good_workbook_becomes_the_campaign_questionnaire(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    window = QMainWindow()
    qtbot.addWidget(window)
    menu = ContentMenu(window.menuBar(), demo_services, Catalog("zh_CN"), True, window)
    box = menu.import_workbook(FIXTURES / "fee_libreoffice.xlsx")
    assert box.icon() == QMessageBox.Icon.Information
    active = demo_services.read.active_questionnaire()
    assert active is not None and active[1].version == 2
    preview = menu.open_preview()
    qtbot.addWidget(preview)
    assert preview.form is not None and "fee_now" in preview.form.rows

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    box = menu.import_workbook(broken)
    assert box.icon() == QMessageBox.Icon.Warning
    assert demo_services.read.active_questionnaire()[1].version == 2  # type: ignore[index]
