"""Repeats on screen: instances framed and titled, added, removed, moved by buttons and
keys, their count set by a repeat_count, nested repeats, answers round-tripping the
stored list-of-objects shape; a screenshot of three household members."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from gridapp.forms.definition import load_definition
from gridapp.i18n import Catalog
from gridapp.ui.field.form_widget import FormWidget
from gridapp.ui.shell.fonts import install_cjk_font
from tests.gui.helpers import click, type_chinese

pytestmark = pytest.mark.gui
SHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"  # gitignored
CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier

MEMBERS: dict[str, Any] = {
    "id": "household",
    "version": 1,
    "title": {"zh_CN": "住户成员", "en": "Household members"},
    "choice_lists": {
        "relation": [
            {"value": "head", "label": {"zh_CN": "户主", "en": "Head"}},
            {"value": "spouse", "label": {"zh_CN": "配偶", "en": "Spouse"}},
            {"value": "child", "label": {"zh_CN": "子女", "en": "Child"}},
        ]
    },
    "items": [
        {"name": "address", "type": "text", "label": {"zh_CN": "门牌", "en": "Door"}},
        {
            "name": "members",
            "type": "repeat",
            "label": {"zh_CN": "成员", "en": "Member"},
            "items": [
                {
                    "name": "who",
                    "type": "text",
                    "required": True,
                    "label": {"zh_CN": "姓名", "en": "Name"},
                    "required_message": {"zh_CN": "请写上这位成员的姓名", "en": "Name please"},
                },
                {
                    "name": "relation",
                    "type": "select_one",
                    "choices": "relation",
                    "label": {"zh_CN": "与户主关系", "en": "Relation"},
                },
                {"name": "age", "type": "integer", "label": {"zh_CN": "年龄", "en": "Age"}},
                {
                    "name": "working",
                    "type": "yes_no",
                    "relevant": "${age} >= 16",
                    "label": {"zh_CN": "是否在工作", "en": "Working?"},
                },
                {
                    "name": "phones",
                    "type": "repeat",
                    "label": {"zh_CN": "电话", "en": "Phone"},
                    "items": [
                        {"name": "number", "type": "text", "label": {"zh_CN": "号码", "en": "No."}}
                    ],
                },
            ],
        },
        {"name": "people", "type": "calculate", "calculation": "count(${members})"},
        {"name": "remark", "type": "text", "label": {"zh_CN": "备注", "en": "Remark"}},
    ],
}

COUNTED: dict[str, Any] = {
    "id": "counted",
    "version": 1,
    "title": "按人数",
    "items": [
        {"name": "n", "type": "integer", "label": "几个孩子"},
        {
            "name": "kids",
            "type": "repeat",
            "label": "孩子",
            "repeat_count": "${n}",
            "items": [{"name": "kid_age", "type": "integer", "label": "年龄"}],
        },
    ],
}


@pytest.fixture
def cjk(qapp: QApplication) -> Iterator[None]:
    before = qapp.font()
    install_cjk_font(qapp)
    yield
    qapp.setFont(before)


def _form(qtbot: QtBot, doc: dict[str, Any], answers: Any = None) -> FormWidget:
    widget = FormWidget(load_definition(doc), Catalog("zh_CN"), "2023-12-05", answers)
    qtbot.addWidget(widget)
    widget.resize(720, 900)
    with qtbot.waitActive(widget):
        widget.show()
        widget.activateWindow()
    return widget


def _edit(form: FormWidget, path: tuple[str | int, ...]) -> QLineEdit:
    target = form.row(path).focus_target
    assert isinstance(target, QLineEdit)
    return target


def test_three_members_typed_by_keyboard(qtbot: QtBot, cjk: None) -> None:
    form = _form(qtbot, MEMBERS)
    block = form.repeat("members")
    assert block.frames == [] and block.add_button.isVisible()
    assert "Ctrl+Shift+Enter" in block.add_button.toolTip()
    qtbot.mouseClick(block.add_button, Qt.MouseButton.LeftButton)
    first = _edit(form, ("members", 0, "who"))
    assert first.hasFocus()
    people = (("张三", "head", "45"), ("李梅", "spouse", "43"), ("张小明", "child", "9"))
    for n, (who, relation, age) in enumerate(people):
        if n:  # from inside the last instance: the key adds the next and goes there
            qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Return, CTRL_SHIFT)
        edit = _edit(form, ("members", n, "who"))
        assert edit.hasFocus()
        type_chinese(edit, who)
        click(qtbot, form, f"choice_members_{n + 1}_relation_{relation}")
        qtbot.keyClicks(_edit(form, ("members", n, "age")), age)
    assert [f.title.text() for f in block.frames] == ["成员 1", "成员 2", "成员 3"]
    assert form.row(("members", 0, "working")).isVisible()
    assert not form.row(("members", 2, "working")).isVisible()  # 9 years old
    click(qtbot, form, "choice_members_1_working_True")
    # Tab order follows the instances: from the first's age to its yes/no
    _edit(form, ("members", 0, "age")).setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert QApplication.focusWidget() is form.row(("members", 0, "working")).focus_widgets[0]
    assert form.answers() == {
        "members": [
            {"who": "张三", "relation": "head", "age": 45, "working": True},
            {"who": "李梅", "relation": "spouse", "age": 43},
            {"who": "张小明", "relation": "child", "age": 9},
        ],
        "people": 3,
    }
    SHOTS.mkdir(parents=True, exist_ok=True)
    form.resize(720, 1500)
    inner = form.widget()
    assert inner is not None and inner.grab().save(str(SHOTS / "form_repeat_3.png"))


def test_move_and_remove_keep_the_answers_with_their_instance(qtbot: QtBot) -> None:
    answers = {"members": [{"who": "甲"}, {"who": "乙", "age": 30}, {"who": "丙"}]}
    form = _form(qtbot, MEMBERS, answers)
    _edit(form, ("members", 2, "who")).setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Up, ALT)
    assert [i["who"] for i in form.answers()["members"]] == ["甲", "丙", "乙"]
    assert _edit(form, ("members", 1, "who")).hasFocus()  # the cursor moved with it
    assert _edit(form, ("members", 2, "age")).text() == "30"
    # Tab still follows the instances as shown: from the first's 添加 电话 to the second
    form.repeat(("members", 0, "phones")).add_button.setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
    assert _edit(form, ("members", 1, "who")).hasFocus()
    qtbot.mouseClick(form.repeat("members").frames[0].down, Qt.MouseButton.LeftButton)
    assert [i["who"] for i in form.answers()["members"]] == ["丙", "甲", "乙"]
    asked: list[str] = []
    form.confirm = lambda text: asked.append(text) or False  # type: ignore[func-returns-value]
    _edit(form, ("members", 1, "who")).setFocus()
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace, CTRL_SHIFT)
    assert asked == ["删除“成员 2”及其中已填写的答案？"]
    assert len(form.answers()["members"]) == 3  # declined
    form.confirm = lambda _text: True
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_Backspace, CTRL_SHIFT)
    assert [i["who"] for i in form.answers()["members"]] == ["丙", "乙"]
    assert _edit(form, ("members", 1, "who")).hasFocus()
    # an empty instance goes without asking
    form.confirm = lambda _text: pytest.fail("asked about an empty instance")
    assert form.add_instance(("members",)) == 2
    assert form.remove_instance(("members",), 2)
    assert form.state.instance_count("members") == 2


def test_nested_repeats_and_round_trip(qtbot: QtBot) -> None:
    answers = {
        "address": "3-201",
        "members": [
            {"who": "张三", "phones": [{"number": "138"}, {"number": "139"}]},
            {"who": "李梅"},
        ],
    }
    form = _form(qtbot, MEMBERS, answers)
    inner = form.repeat(("members", 0, "phones"))
    assert [f.title.text() for f in inner.frames] == ["电话 1", "电话 2"]
    assert _edit(form, ("members", 0, "phones", 1, "number")).text() == "139"
    _edit(form, ("members", 1, "who")).setFocus()
    qtbot.mouseClick(form.repeat(("members", 1, "phones")).add_button, Qt.MouseButton.LeftButton)
    number = _edit(form, ("members", 1, "phones", 0, "number"))
    assert number.hasFocus()
    qtbot.keyClicks(number, "137")
    # the key inside the inner repeat adds to the inner one
    qtbot.keyClick(number, Qt.Key.Key_Return, CTRL_SHIFT)
    assert form.state.instance_count(("members", 1, "phones")) == 2
    assert form.state.instance_count("members") == 2
    result = form.answers()
    assert result["members"][1]["phones"] == [{"number": "137"}, {}]  # an instance, unanswered
    assert result["members"][0]["phones"] == [{"number": "138"}, {"number": "139"}]
    again = _form(qtbot, MEMBERS, result)
    assert again.answers() == result


def test_required_in_an_instance_says_its_own_message(qtbot: QtBot) -> None:
    form = _form(qtbot, MEMBERS, {"members": [{"who": "甲"}, {"age": 5}]})
    assert not form.try_finish()
    row = form.row(("members", 1, "who"))
    assert row.message.text() == "请写上这位成员的姓名"
    assert row.focus_target is not None and row.focus_target.hasFocus()


def test_repeat_count_sets_the_instances(qtbot: QtBot) -> None:
    form = _form(qtbot, COUNTED)
    block = form.repeat("kids")
    assert not block.add_button.isVisible() and block.frames == []
    count = form.findChild(QLineEdit, "edit_n")
    assert count is not None
    qtbot.keyClicks(count, "3")
    assert [f.title.text() for f in block.frames] == ["孩子 1", "孩子 2", "孩子 3"]
    assert not any(f.remove.isVisible() or f.up.isVisible() for f in block.frames)
    assert form.add_instance(("kids",)) is None
    qtbot.keyClicks(_edit(form, ("kids", 1, "kid_age")), "7")
    count.setText("2")  # fewer: the last instance goes, the others keep their answers
    assert len(block.frames) == 2
    assert form.answers() == {"n": 2, "kids": [{}, {"kid_age": 7}]}
    assert _edit(form, ("kids", 1, "kid_age")).text() == "7"


def test_a_new_instance_scrolls_into_view(qtbot: QtBot) -> None:
    """A laptop screen shows a few questions: the entry just added is on screen, its
    first question focused, without the worker scrolling."""
    form = _form(qtbot, MEMBERS)
    form.resize(720, 420)
    qtbot.wait(10)
    for n in range(3):
        assert form.add_instance(("members",)) == n
        qtbot.wait(10)
        first, inner = _edit(form, ("members", n, "who")), form.widget()
        assert inner is not None
        top = first.mapTo(inner, first.rect().topLeft()).y()
        shown = form.verticalScrollBar().value()
        assert shown <= top and top + first.height() <= shown + form.viewport().height()
        assert QApplication.focusWidget() is first


def test_a_label_names_the_entry_it_asks_about(qtbot: QtBot) -> None:
    """A label "${who} 的年龄" reads as the name typed in that entry, following the typing."""
    from tests.unit.forms.test_rows import DOC as LABELLED

    form = _form(qtbot, LABELLED, {"head": "张建国", "members": [{"who": "李秀英"}, {}]})
    first, second = form.row(("members", 0, "age")), form.row(("members", 1, "age"))
    assert first.title.text() == "李秀英（）的年龄"
    assert second.title.text() == "（）的年龄"
    type_chinese(_edit(form, ("members", 1, "who")), "张小明")
    qtbot.wait(10)
    assert second.title.text() == "张小明（）的年龄"
    block = form.repeat("members")
    assert block.title.text() == "张建国 家的成员"
    assert [f.title.text() for f in block.frames] == ["张建国 家的成员 1", "张建国 家的成员 2"]
