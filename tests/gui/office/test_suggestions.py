"""Office staff follow suggestions up to closure: filter, forward, answer, close,
see what is overdue, export the list."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialogButtonBox, QTableWidget, QTableWidgetItem
from pytestqt.qtbot import QtBot

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.ui.office.suggestion_step import StepDialog
from gridapp.ui.office.suggestions import OVERDUE_BACKGROUND, OVERDUE_TEXT, SuggestionsView
from tests.gui.helpers import type_chinese

pytestmark = pytest.mark.gui

LEFT = Qt.MouseButton.LeftButton
ON_THE_WEEK = datetime(2023, 12, 9, 18, tzinfo=CHINA_TZ)


def _cell(table: QTableWidget, row: int, column: int) -> QTableWidgetItem:
    item = table.item(row, column)
    assert item is not None
    return item


@pytest.fixture
def s(demo_services: Services, clock: FixedClock) -> Services:
    clock.set(ON_THE_WEEK)
    households = demo_services.read.household_ids()
    for n, (category, text) in enumerate(
        (("fee", "调价幅度太大"), ("safety", "楼道堆物"), ("facility", "电梯常坏"))
    ):
        demo_services.visits.record(
            VisitInput(households[10 + n], "W0101", "met", suggestions=((category, text),))
        )
    return demo_services


@pytest.fixture
def view(qtbot: QtBot, s: Services) -> SuggestionsView:
    widget = SuggestionsView(s.suggestions, s.campaigns, Catalog("zh_CN"))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def _texts(view: SuggestionsView) -> list[str]:
    return [_cell(view.table, r, 1).text() for r in range(view.table.rowCount())]


def _ok(qtbot: QtBot, dialog: StepDialog) -> None:
    button = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert button is not None
    qtbot.mouseClick(button, LEFT)


def test_filters_narrow_the_list(qtbot: QtBot, view: SuggestionsView, s: Services) -> None:
    everything = view.table.rowCount()
    assert everything == s.read.counts().suggestions
    view.category.setCurrentIndex(view.category.findData("safety"))
    assert _texts(view) and set(_texts(view)) <= {
        r.text for r in s.suggestions.rows() if r.category == "safety"
    }
    view.category.setCurrentIndex(0)
    with qtbot.waitSignal(view.typing_timer.timeout):
        type_chinese(view.search, "电梯常")
    assert _texts(view) == ["电梯常坏"]
    with qtbot.waitSignal(view.typing_timer.timeout):
        view.search.clear()
    view.status.setCurrentIndex(view.status.findData("closed"))
    assert view.table.rowCount() == 0
    assert view.detail.toPlainText().startswith("没有")
    assert not any(b.isEnabled() for b in view.step_buttons.values())
    view.status.setCurrentIndex(0)
    assert view.table.rowCount() == everything


def test_a_suggestion_forwarded_answered_and_closed(
    qtbot: QtBot, view: SuggestionsView, s: Services
) -> None:
    with qtbot.waitSignal(view.typing_timer.timeout):
        type_chinese(view.search, "电梯常坏")
    row = view.current()
    assert row is not None and row.status == "new"
    assert view.step_buttons["forwarded"].isEnabled()
    assert view.step_buttons["answered"].isEnabled()
    assert not view.step_buttons["closed"].isEnabled()

    qtbot.mouseClick(view.step_buttons["forwarded"], LEFT)
    dialog = view.step_dialog
    assert dialog is not None and dialog.isVisible()
    _ok(qtbot, dialog)  # no handler: refused, nothing recorded
    assert "转给谁" in view.message.text()
    assert s.suggestions.history(row.id) == []

    qtbot.mouseClick(view.step_buttons["forwarded"], LEFT)
    dialog = view.step_dialog
    assert dialog is not None
    type_chinese(dialog.handler, "物业公司工程部")
    with qtbot.waitSignal(view.changed):
        _ok(qtbot, dialog)
    assert _cell(view.table, 0, 4).text() == "已转办"
    assert _cell(view.table, 0, 5).text() == "物业公司工程部"

    qtbot.mouseClick(view.step_buttons["answered"], LEFT)
    dialog = view.step_dialog
    assert dialog is not None and dialog.handler.text() == "物业公司工程部"
    type_chinese(dialog.response, "已更换主板，周五前完成验收")
    with qtbot.waitSignal(view.changed):
        _ok(qtbot, dialog)
    assert view.step_buttons["closed"].isEnabled()
    assert not view.step_buttons["answered"].isEnabled()

    qtbot.mouseClick(view.step_buttons["closed"], LEFT)
    dialog = view.step_dialog
    assert dialog is not None
    with qtbot.waitSignal(view.changed):
        _ok(qtbot, dialog)
    assert _cell(view.table, 0, 4).text() == "已办结"
    history = view.detail.toPlainText()
    for expected in (
        "网格员入户收集",
        "已转办",
        "物业公司工程部",
        "已更换主板",
        "已办结",
        "街道物业专班",
    ):
        assert expected in history
    assert [st["status"] for st in s.suggestions.history(row.id)] == [
        "forwarded",
        "answered",
        "closed",
    ]
    # reopening stays possible
    assert view.step_buttons["forwarded"].isEnabled()


def test_overdue_rows_are_red_with_a_legend(
    qtbot: QtBot, view: SuggestionsView, s: Services, clock: FixedClock
) -> None:
    assert "3 天" in view.legend.text() and "7 天" in view.legend.text()
    rows = {r.text: r for r in s.suggestions.rows()}
    fresh = _texts(view).index("电梯常坏")
    assert not rows["电梯常坏"].overdue
    assert _cell(view.table, fresh, 0).foreground().color() != OVERDUE_TEXT
    old = next(i for i, t in enumerate(_texts(view)) if rows[t].overdue)
    for column in range(view.table.columnCount()):
        item = _cell(view.table, old, column)
        assert item.foreground().color() == OVERDUE_TEXT
        assert item.background().color() == OVERDUE_BACKGROUND
    overdue = sum(1 for r in rows.values() if r.overdue)
    assert f"超期 {overdue} 条" in view.count.text()
    view.overdue_only.setChecked(True)
    assert view.table.rowCount() == overdue
    clock.advance(days=4)
    view.reload()
    assert view.table.rowCount() == len(rows)  # every new one is now late


def test_export_writes_the_file(
    qtbot: QtBot, view: SuggestionsView, s: Services, tmp_path: Path
) -> None:
    view.category.setCurrentIndex(view.category.findData("fee"))
    shown = view.table.rowCount()
    assert shown > 0
    dialog = view.choose_export_file()
    assert dialog.isVisible()
    target = tmp_path / "意见建议.xlsx"
    dialog.fileSelected.emit(str(target))
    dialog.close()
    assert target.stat().st_size > 0
    assert f"{shown} 条" in view.message.text()
    from openpyxl import load_workbook

    sheet = load_workbook(target).active
    assert sheet is not None
    assert sheet.max_row == shown + 1
    csv_file = tmp_path / "s.csv"
    assert view.export_to(csv_file) == shown
    assert csv_file.read_bytes().startswith(b"\xef\xbb\xbf")
    assert view.export_to(tmp_path / "s.doc") is None
    assert ".xlsx" in view.message.text()
