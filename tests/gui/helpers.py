"""Driving widgets as a person does, in ways Qt's test typing cannot (FACTS.md)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QAbstractButton, QApplication, QWidget
from pytestqt.qtbot import QtBot


def click(qtbot: QtBot, parent: QWidget, name: str) -> None:
    """Click a choice where a person would: on its circle or box, at the left."""
    button = parent.findChild(QAbstractButton, name)
    assert button is not None, name
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton, pos=QPoint(8, button.height() // 2))


def type_chinese(widget: QWidget, text: str) -> None:
    """Qt's test typing is ASCII only: commit the text as an input method would."""
    widget.setFocus()
    event = QInputMethodEvent()
    event.setCommitString(text)
    QApplication.sendEvent(widget, event)
