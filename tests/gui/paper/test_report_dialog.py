"""The report dialog: format, day and file chosen, the report made in the background
with progress, the folder opened when done, errors shown in the dialog."""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.common.jobs import Jobs
from gridapp.ui.paper.report_dialog import ReportDialog
from gridapp.ui.shell.fonts import install_cjk_font
from tests.conftest import make_services

pytestmark = pytest.mark.gui


def _dialog(qtbot: QtBot, services: Services, opened: list[Path]) -> ReportDialog:
    today = services.read.now().date()
    dialog = ReportDialog(Jobs(services), today, Catalog("zh_CN"), on_done=opened.append)
    qtbot.addWidget(dialog)
    dialog.date.setDate(QDate(2023, 12, 6))
    return dialog


def test_each_format_is_made_and_its_folder_opened(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_cjk_font(app)
    opened: list[Path] = []
    dialog = _dialog(qtbot, demo_services, opened)
    assert dialog.path.text().endswith(".xlsx") and not dialog.sheet.isEnabled()
    dialog.path.setText(str(tmp_path / "周报.xlsx"))
    dialog.show()
    progress: list[tuple[int, int]] = []
    dialog.progress.valueChanged.connect(lambda v: progress.append((v, dialog.progress.maximum())))
    with qtbot.waitSignal(dialog.finished_report, timeout=30_000) as blocker:
        dialog.make()  # an in-memory database: at once (a file: see below)
    result = blocker.args[0]
    assert result.format == "xlsx" and result.day == "2023-12-06"
    assert opened == [tmp_path / "周报.xlsx"] and opened[0].exists()
    assert str(tmp_path / "周报.xlsx") in dialog.status.text()
    assert dialog.open_button.isVisible() and dialog.make_button.isEnabled()
    assert progress and progress[-1][0] == progress[-1][1]
    dialog.grab().save(os.environ.get("GRIDAPP_SHOT_DIR", "/tmp") + "/reports-dialog.png")

    dialog.format.setCurrentIndex(dialog.format.findData("csv"))
    assert dialog.path.text() == str(tmp_path / "周报.csv") and dialog.sheet.isEnabled()
    dialog.sheet.setCurrentIndex(dialog.sheet.findData("suggestions"))
    with qtbot.waitSignal(dialog.finished_report, timeout=30_000):
        dialog.make()
    text = (tmp_path / "周报.csv").read_text(encoding="utf-8-sig")
    assert text.startswith("时间,小区,户编码,类别,内容,状态")

    dialog.format.setCurrentIndex(dialog.format.findData("pdf"))
    with qtbot.waitSignal(dialog.finished_report, timeout=30_000) as blocker:
        dialog.make()
    assert blocker.args[0].format == "pdf" and blocker.args[0].rows == 2
    assert len(opened) == 3


def test_errors_show_in_the_dialog(qtbot: QtBot, demo_services: Services, tmp_path: Path) -> None:
    opened: list[Path] = []
    dialog = _dialog(qtbot, demo_services, opened)
    dialog.path.setText("")
    dialog.make()
    assert dialog.status.text() == "请先选择保存位置。"
    dialog.path.setText(str(tmp_path / "missing" / "r.xlsx"))
    with qtbot.waitSignal(dialog.failed, timeout=30_000) as blocker:
        dialog.make()
    assert getattr(blocker.args[0], "key", "") == "error.read_only"
    assert "无法写入" in dialog.status.text() and dialog.make_button.isEnabled()
    assert opened == [] and not dialog.progress.isVisible()


def test_a_report_on_its_own_connection(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """On a database file the report is written off the GUI thread, on a connection of
    its own that is closed afterwards."""
    db = tmp_path / "data" / "gridapp.db"
    services = make_services(db, clock)
    build_demo(services, DemoOptions(households=60, seed=2))
    opened: list[Path] = []
    made: list[tuple[Services, str]] = []
    real = Services.own_connection

    def own_connection(self: Services) -> Services | None:
        own = real(self)
        assert own is not None
        made.append((own, threading.current_thread().name))
        return own

    monkeypatch.setattr(Services, "own_connection", own_connection)
    dialog = _dialog(qtbot, services, opened)
    dialog.path.setText(str(tmp_path / "r.xlsx"))
    with qtbot.waitSignal(dialog.finished_report, timeout=30_000):
        dialog.make()
        assert not dialog.make_button.isEnabled()  # while it runs
    assert dialog.make_button.isEnabled()
    assert len(made) == 1 and opened == [tmp_path / "r.xlsx"]
    own, thread = made[0]
    assert own is not services and thread != threading.main_thread().name
    with pytest.raises(sqlite3.ProgrammingError):  # closed once the report was written
        own.read.counts()
    services.store.close()
