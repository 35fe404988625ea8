"""Qt's own dialogs speak the UI language: buttons, the calendar, the print preview;
after a switch, so does everything beside the main window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale
from PySide6.QtWidgets import (
    QApplication,
    QCalendarWidget,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
)
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.session import SessionService
from gridapp.settings import Settings, UiState
from gridapp.trust.crypto import FAST
from gridapp.ui.shell.crash import ErrorPresenter
from gridapp.ui.shell.lock import IdleLock
from gridapp.ui.shell.main_window import MainWindow, ShellContext
from gridapp.ui.shell.translations import QtTranslations, follow_language

pytestmark = pytest.mark.gui


def _buttons(qtbot: QtBot) -> list[str]:
    box = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    qtbot.addWidget(box)
    return sorted(b.text().replace("&", "") for b in box.buttons())


def test_chinese_then_english_then_chinese_again(qapp: QApplication, qtbot: QtBot) -> None:
    words, before = QtTranslations(qapp), QLocale()
    try:
        assert words.apply("zh_CN")
        assert _buttons(qtbot) == sorted(["确定", "取消"])
        calendar = QCalendarWidget()
        qtbot.addWidget(calendar)
        assert calendar.locale().monthName(12) == "十二月"
        assert QLocale().dayName(1, QLocale.FormatType.ShortFormat) == "周一"
        assert words.apply("en")
        assert _buttons(qtbot) == ["Cancel", "OK"]
        assert QLocale().monthName(12) == "December"
        assert words.apply("zh_CN") and _buttons(qtbot) == sorted(["确定", "取消"])
        # Words Qt 6's own zh_CN file lacks are supplied; the others still come through.
        files = QFileDialog()
        files.setOption(QFileDialog.Option.DontUseNativeDialog, True)
        qtbot.addWidget(files)
        labels = [label.text() for label in files.findChildren(QLabel)]
        assert "查找范围(&L)：" in labels and "文件类型(&T)：" in labels
        assert QCoreApplication.translate("QFileDialog", "Back") == "后退"
    finally:
        words.apply("en")  # removes the translators it installed
        QLocale.setDefault(before)


def test_after_a_switch_the_lock_screen_and_qt_follow(
    qapp: QApplication, qtbot: QtBot, demo_services: Services, tmp_path: Path, clock: FixedClock
) -> None:
    """中文 → English → 中文 from the 语言 menu: the lock screen, error messages and
    Qt's own buttons all follow (the lock screen stayed English before)."""
    sessions = SessionService(tmp_path / "data", clock, FAST)
    admin, _ = sessions.set_up("A0001", "admin", "246810")
    window = MainWindow(
        demo_services,
        Catalog("zh_CN"),
        ShellContext(tmp_path, Settings(), UiState(), demo_services.device.local()),
    )
    qtbot.addWidget(window)
    words, errors, before = QtTranslations(qapp), ErrorPresenter(window.catalog), QLocale()
    lock = IdleLock(window, sessions, admin, window.catalog, minutes=60)
    follow_language(window, words, errors, lock)
    try:
        words.apply("zh_CN")
        window.language_actions["en"].trigger()
        assert lock.screen.button.text() == "Unlock" and lock.lock_action.text() == "Lock now"
        assert errors.catalog.lang == "en" and _buttons(qtbot) == ["Cancel", "OK"]
        window.language_actions["zh_CN"].trigger()
        with qtbot.waitSignal(lock.locked):
            lock.lock()
        assert lock.screen.heading.text() == "已锁定"
        assert lock.screen.button.text() == "解锁" and "锁定" in lock.explanation()
        assert _buttons(qtbot) == sorted(["确定", "取消"])
    finally:
        lock.stop()
        words.apply("en")
        QLocale.setDefault(before)
