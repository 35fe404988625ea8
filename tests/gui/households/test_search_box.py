"""The search box: results as you type, Enter opens the first, and a household found
through another resident than its head says whom."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gridapp.i18n import Catalog
from gridapp.model import HouseholdRow
from gridapp.ui.households.search_box import SearchBox

pytestmark = pytest.mark.gui


def _row(matched: str = "") -> HouseholdRow:
    return HouseholdRow(
        "h1", "JYXC-1-1-302", "建业新村", "1", "1", 3, "302", 60.0, "owner_occupied", [],
        "许逸浩", 0, None, matched,
    )  # fmt: skip


def test_whom_the_search_found_is_shown_and_enter_opens_it(qtbot: QtBot) -> None:
    asked: list[str] = []

    def finder(text: str, limit: int) -> list[HouseholdRow]:
        asked.append(text)
        return [_row("吴静琳")] if text == "wjl" else []

    box = SearchBox(finder, Catalog("zh_CN"))
    qtbot.addWidget(box)
    box.show()
    qtbot.keyClicks(box, "wjl")
    qtbot.waitUntil(lambda: box.model.rowCount() == 1)
    shown = box.model.index(0, 0).data()
    assert "建业新村1号1单元302室" in shown and "许逸浩（匹配：吴静琳）" in shown
    with qtbot.waitSignal(box.chosen) as chosen:
        qtbot.keyClick(box, Qt.Key.Key_Return)
    assert chosen.args == ["h1"] and asked[-1] == "wjl"
    box.set_catalog(Catalog("en"))
    box.model.set_rows([_row("吴静琳")])
    assert "许逸浩 (match: 吴静琳)" in box.model.index(0, 0).data()
    box.model.set_rows([_row()])
    assert (
        "匹配" not in box.model.index(0, 0).data() and "match" not in box.model.index(0, 0).data()
    )
