"""Real XLSForms written by others (tests/fixtures/forms) on screen: every one that imports
renders in the form widget with each question the engine shows, titled — inside repeats
too, once an instance is added (nested repeats one instance deep at each level)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from PySide6.QtGui import QTextDocument
from pytestqt.qtbot import QtBot

from gridapp.forms.definition import FormDefinition, Label, load_definition, text_of
from gridapp.forms.xlsform import read_xlsform
from gridapp.i18n import Catalog
from gridapp.ui.field.form_widget import FormWidget
from tests.unit.forms.test_xlsform_real_forms import EXPECTED, FIXTURES, IMPORTS, PENDING

pytestmark = pytest.mark.gui
TODAY = "2024-05-15"


def _cases() -> list[Any]:
    return [
        pytest.param(
            name,
            marks=[pytest.mark.xfail(strict=True, reason=PENDING[name])] if name in PENDING else [],
        )
        for name, expected in EXPECTED.items()
        if expected == IMPORTS
    ]


def _plain(text: str) -> str:
    """What a title says, whether the widget shows it as text, markdown or rich text."""
    document = QTextDocument()
    if "<" in text:
        document.setHtml(text)
    else:
        document.setPlainText(text)
    return re.sub(r"[*#_\s]+", " ", document.toPlainText()).strip()


def _words(definition: FormDefinition, label: Label) -> str:
    """The start of a label as the worker reads it (an answer shown in it, ${x}, left out)."""
    return _plain(text_of(label, "en", definition.default_language).split("${")[0])[:40]


def _check_level(widget: FormWidget, at: tuple[str | int, ...], seen: list[str]) -> None:
    definition = widget.definition
    for question in widget.state.visible(at):
        if question.type in ("calculate", "meta"):
            continue
        path = (*at, question.name)
        where = "/".join(str(p) for p in path)
        if question.type == "repeat":
            block = widget.repeat(path)
            assert block.isVisible(), f"{where} hidden"
            assert _words(definition, question.label) in _plain(block.title.text()), where
            if widget.state.instance_count(path) == 0:
                widget.add_instance(path)
            if widget.state.instance_count(path):
                _check_level(widget, (*path, 0), seen)
        else:
            row = widget.row(path)
            assert row.isVisible(), f"{where} hidden"
            assert _words(definition, question.label) in _plain(row.title.text()), where
        seen.append(where)


@pytest.mark.filterwarnings("ignore::UserWarning:openpyxl")
@pytest.mark.parametrize("name", _cases())
def test_real_form_renders(name: str, qtbot: QtBot) -> None:
    definition = load_definition(read_xlsform(FIXTURES / name))
    widget = FormWidget(definition, Catalog("en"), today=TODAY)
    qtbot.addWidget(widget)
    widget.resize(800, 900)
    widget.show()
    qtbot.waitExposed(widget)
    seen: list[str] = []
    _check_level(widget, (), seen)
    assert seen, name
