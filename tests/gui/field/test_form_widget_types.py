"""The version-2 question types and keys on screen: time, date-time, acknowledge, meta
(never shown), defaults, cascading choices (choice_filter), the form's languages with a
fallback, required_message, group headings."""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QCheckBox, QLabel, QLineEdit
from pytestqt.qtbot import QtBot

from gridapp.forms.definition import load_definition
from gridapp.i18n import Catalog
from gridapp.ui.field.form_widget import FormWidget
from tests.gui.helpers import click

pytestmark = pytest.mark.gui

DOC: dict[str, Any] = {
    "format_version": 2,
    "id": "types",
    "version": 1,
    "title": {"zh_CN": "题型", "fr": "Types"},
    "languages": ["zh_CN", "en", "fr"],
    "default_language": "zh_CN",
    "choice_lists": {
        "province": [
            {"value": "sh", "label": {"zh_CN": "上海", "fr": "Shanghai"}},
            {"value": "js", "label": {"zh_CN": "江苏", "fr": "Jiangsu"}},
        ],
        "city": [
            {"value": "pd", "label": "浦东", "columns": {"province": "sh"}},
            {"value": "xh", "label": "徐汇", "columns": {"province": "sh"}},
            {"value": "nj", "label": "南京", "columns": {"province": "js"}},
        ],
    },
    "items": [
        {"name": "start", "type": "meta", "meta": "start"},
        {
            "name": "where",
            "type": "group",
            "label": {"zh_CN": "住址", "fr": "Adresse"},
            "appearance": "field-list",
            "items": [
                {
                    "name": "province",
                    "type": "select_one",
                    "choices": "province",
                    "label": {"zh_CN": "省市", "fr": "Province"},
                },
                {
                    "name": "city",
                    "type": "select_one",
                    "choices": "city",
                    "choice_filter": "province = ${province}",
                    "label": {"zh_CN": "区"},
                },
                {"name": "size", "type": "integer", "default": 3, "label": "人数"},
            ],
        },
        {"name": "met_at", "type": "time", "label": "几点见到"},
        {"name": "next", "type": "datetime", "label": "下次上门"},
        {
            "name": "ok",
            "type": "acknowledge",
            "required": True,
            "label": "已告知隐私说明",
            "required_message": {"zh_CN": "请先告知隐私说明", "fr": "Informez d'abord"},
        },
    ],
}


def _form(qtbot: QtBot, answers: Any = None, lang: str | None = None) -> FormWidget:
    widget = FormWidget(
        load_definition(DOC),
        Catalog("zh_CN"),
        "2023-12-05",
        answers,
        lang=lang,
        meta={"start": "2023-12-05T09:00"},
    )
    qtbot.addWidget(widget)
    widget.resize(700, 900)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def _edit(form: FormWidget, name: str) -> QLineEdit:
    edit = form.findChild(QLineEdit, f"edit_{name}")
    assert edit is not None
    return edit


def test_new_types_defaults_and_meta(qtbot: QtBot) -> None:
    form = _form(qtbot)
    assert "start" not in form.rows  # meta: filled by the app, never shown
    assert _edit(form, "size").text() == "3"  # a new form: its default
    heading = form.findChild(QLabel, "group_where")
    assert heading is not None and heading.text() == "住址" and heading.isVisible()
    time = _edit(form, "met_at")
    qtbot.keyClicks(time, "9:3x0")  # a letter does not go in
    assert time.text() == "9:30"
    qtbot.keyClicks(_edit(form, "next"), "2023-12-09 19:00")
    assert not form.try_finish()
    assert form.rows["ok"].message.text() == "请先告知隐私说明"
    click(qtbot, form, "choice_ok_OK")
    assert form.try_finish()
    assert form.answers() == {
        "start": "2023-12-05T09:00",
        "size": 3,
        "met_at": "09:30",
        "next": "2023-12-09T19:00",
        "ok": "OK",
    }
    again = _form(qtbot, form.answers())
    assert _edit(again, "next").text() == "2023-12-09 19:00"
    ok = again.findChild(QCheckBox, "choice_ok_OK")
    assert ok is not None and ok.isChecked()
    assert _edit(again, "size").text() == "3"


def test_a_wrong_time_is_named(qtbot: QtBot) -> None:
    form = _form(qtbot)
    qtbot.keyClicks(_edit(form, "met_at"), "25:00")
    assert form.rows["met_at"].message.isVisible()


def test_cascading_choices_follow_the_answer(qtbot: QtBot) -> None:
    form = _form(qtbot)
    city = form.rows["city"].choice_buttons
    assert not any(b.isVisibleTo(form) for b in city.values())  # no province yet
    click(qtbot, form, "choice_province_sh")
    assert {v for v, b in city.items() if b.isVisibleTo(form)} == {"pd", "xh"}
    click(qtbot, form, "choice_city_pd")
    assert form.answers()["city"] == "pd"
    click(qtbot, form, "choice_province_js")
    assert {v for v, b in city.items() if b.isVisibleTo(form)} == {"nj"}
    assert "city" not in form.answers() and not city["pd"].isChecked()  # filtered away: cleared


def test_the_form_in_another_language_with_a_fallback(qtbot: QtBot) -> None:
    form = _form(qtbot, lang="fr")
    assert form.rows["province"].title.text() == "Province"
    assert form.rows["city"].title.text() == "区"  # no French: the default language
    province = form.findChild(QLabel, "group_where")
    assert province is not None and province.text() == "Adresse"
    button = form.rows["province"].choice_buttons["sh"]
    assert button.text() == "Shanghai"
    assert not form.try_finish()
    assert form.rows["ok"].message.text() == "Informez d'abord"
