"""Real XLSForms written by others (tests/fixtures/forms) on screen: every one that imports
renders in the form widget with each question the engine shows, titled."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtGui import QTextDocument
from PySide6.QtWidgets import QLabel
from pytestqt.qtbot import QtBot

from gridapp.forms.definition import load_definition, text_of
from gridapp.forms.engine import FormState
from gridapp.forms.xlsform import read_xlsform
from gridapp.i18n import Catalog
from gridapp.ui.field.form_widget import FormWidget
from tests.unit.forms.test_xlsform_real_forms import EXPECTED, FIXTURES, IMPORTS, PENDING

pytestmark = pytest.mark.gui

#: Importable forms that do not render yet, and what they wait for (besides PENDING).
RENDER_PENDING: dict[str, str] = {}


def _cases() -> list[Any]:
    cases = []
    for name, expected in EXPECTED.items():
        if expected != IMPORTS:
            continue
        reason = PENDING.get(name) or RENDER_PENDING.get(name)
        marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
        cases.append(pytest.param(name, marks=marks))
    return cases


def _plain(text: str) -> str:
    """What a title says, whether the widget shows it as text, markdown or rich text."""
    document = QTextDocument()
    document.setHtml(text) if "<" in text else document.setPlainText(text)
    return re.sub(r"[*#_\s]+", " ", document.toPlainText()).strip()


@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")
@pytest.mark.parametrize("name", _cases())
def test_real_form_renders(name: str, qtbot: QtBot) -> None:
    definition = load_definition(read_xlsform(FIXTURES / name))
    widget = FormWidget(definition, Catalog("en"), today="2024-05-15")
    qtbot.addWidget(widget)
    widget.resize(800, 900)
    widget.show()
    qtbot.waitExposed(widget)
    state = FormState(definition, today="2024-05-15")
    shown = [q for q in state.visible() if q.type not in ("calculate", "meta")]
    assert shown, name
    titles = [_plain(label.text()) for label in widget.findChildren(QLabel) if label.isVisible()]
    for question in shown:
        assert widget.is_shown(question.name), f"{name}: {question.name} hidden"
        words = text_of(question.label, "en", definition.default_language).split("${")[0]
        words = _plain(words)[:40]
        assert any(words in title for title in titles), f"{name}: no title {words!r}"
