"""Known errors read as a message; anything else opens the crash dialog with the log."""

from __future__ import annotations

import logging
import sys

import pytest
from pytestqt.qtbot import QtBot

from gridapp.errors import DiskFull
from gridapp.i18n import Catalog
from gridapp.ui.shell.crash import CrashDialog, ErrorPresenter

pytestmark = pytest.mark.gui


def test_a_known_error_is_a_message_in_chinese(qtbot: QtBot) -> None:
    presenter = ErrorPresenter(Catalog("zh_CN"))
    presenter.handle(DiskFull, DiskFull(path="/media/usb/g.db"), None)
    dialog = presenter.last_dialog
    assert dialog is not None
    qtbot.addWidget(dialog)
    assert "磁盘已满" in dialog.text() and "/media/usb/g.db" in dialog.text()  # type: ignore[attr-defined]
    dialog.close()


# the log line and the crash are what the report must show
@pytest.mark.expected_log(r"^the line before the crash$", r"(?s)^unexpected error\n.*boom")
def test_an_unexpected_error_shows_the_report_and_log_tail(qtbot: QtBot) -> None:
    logging.getLogger("gridapp.test").warning("the line before the crash")
    presenter = ErrorPresenter(Catalog("zh_CN"))
    try:
        raise ZeroDivisionError("boom")
    except ZeroDivisionError:
        exc_type, exc, tb = sys.exc_info()
    assert exc_type is not None and exc is not None
    presenter.handle(exc_type, exc, tb)
    dialog = presenter.last_dialog
    assert isinstance(dialog, CrashDialog)
    qtbot.addWidget(dialog)
    report = dialog.report.toPlainText()
    assert "ZeroDivisionError: boom" in report
    assert "the line before the crash" in report
    dialog.close()
