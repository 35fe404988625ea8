"""Qt's own dialogs speak the UI language: buttons, the calendar, the print preview."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QLocale
from PySide6.QtWidgets import QApplication, QCalendarWidget, QDialogButtonBox
from pytestqt.qtbot import QtBot

from gridapp.ui.shell.translations import QtTranslations

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
    finally:
        words.apply("en")  # removes the translators it installed
        QLocale.setDefault(before)
