"""The questionnaire on screen: skip logic shows and hides, finishing waits for
required answers, Chinese typed in arrives whole."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from gridapp.forms.definition import load_definition
from gridapp.i18n import Catalog
from gridapp.resources import load_json
from gridapp.ui.field.form_widget import FormWidget
from tests.gui.helpers import click, type_chinese

pytestmark = pytest.mark.gui


@pytest.fixture
def form(qtbot: QtBot) -> FormWidget:
    definition = load_definition(load_json("content", "fee_consultation.v1.json"))
    widget = FormWidget(definition, Catalog("zh_CN"), today="2023-12-05")
    qtbot.addWidget(widget)
    widget.resize(700, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_reasons_hidden_until_the_answer_is_oppose(form: FormWidget, qtbot: QtBot) -> None:
    assert not form.is_shown("reasons")
    click(qtbot, form, "choice_stance_oppose")
    assert form.is_shown("reasons")
    click(qtbot, form, "choice_stance_agree")
    assert not form.is_shown("reasons")


def test_finishing_waits_for_required_answers(form: FormWidget, qtbot: QtBot) -> None:
    assert not form.try_finish()
    assert form.rows["owner_present"].message.isVisible()
    assert form.rows["owner_present"].message.text() == "此题必须回答。"
    for name in ("choice_owner_present_True", "choice_stance_oppose", "choice_satisfaction_2"):
        click(qtbot, form, name)
    assert form.missing() == ["reasons"]
    assert not form.try_finish()
    click(qtbot, form, "choice_reasons_other")
    other = form.rows["reasons"].other
    assert other is not None and other.isVisible()
    type_chinese(other, "停车位不够")
    assert form.try_finish()
    assert form.answers() == {
        "owner_present": True,
        "stance": "oppose",
        "reasons": ["other"],
        "reasons_other": "停车位不够",
        "satisfaction": 2,
        "needs_followup": "yes",
    }


def test_wrong_values_are_named_as_you_type(form: FormWidget, qtbot: QtBot) -> None:
    edit = form.findChild(QLineEdit, "edit_household_size")
    assert edit is not None
    qtbot.keyClicks(edit, "30")
    assert form.rows["household_size"].message.text() == "超出范围（1–20）。"
    edit.clear()
    type_chinese(edit, "３")
    assert not form.rows["household_size"].message.isVisible()
    assert form.answers()["household_size"] == 3


def test_answers_load_back(form: FormWidget) -> None:
    form.set_answers({"stance": "oppose", "reasons": ["history"], "comment": "楼道灯坏了"})
    assert form.is_shown("reasons")
    edit = form.findChild(QLineEdit, "edit_comment")
    assert edit is not None and edit.text() == "楼道灯坏了"
    assert form.answers()["reasons"] == ["history"]
