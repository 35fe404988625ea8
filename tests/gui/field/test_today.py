"""今日工作: callbacks by address and name, said as 今天/明天/后天, reaching to the end of
the day after tomorrow; drafts by address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.ui.field.today import ID_ROLE, TodayView

pytestmark = pytest.mark.gui


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    return item.text() if item is not None else ""


def _row_texts(view: TodayView, household: str) -> list[list[str]]:
    table = view.callbacks
    rows = []
    for r in range(table.rowCount()):
        cells = [_text(table, r, c) for c in range(table.columnCount())]
        first = table.item(r, 0)
        if first is not None and first.data(ID_ROLE) == household:
            rows.append(cells)
    return rows


def test_a_callback_for_tomorrow_evening_is_listed_by_address_and_name(
    qtbot: QtBot, demo_services: Services, clock: FixedClock
) -> None:
    services = demo_services
    services.act_as("W0101", "field")
    near, far = services.read.household_ids()[:2]
    (before,) = services.store.db.execute(
        "SELECT count(*) FROM live_visit WHERE household_id = ?", [near]
    ).fetchone()
    tomorrow_evening = clock.now().replace(hour=19, minute=0) + timedelta(days=1)
    services.visits.record(VisitInput(near, "", "not_home", callback_at=tomorrow_evening))
    services.visits.record(
        VisitInput(far, "", "not_home", callback_at=tomorrow_evening + timedelta(days=3))
    )
    view = TodayView(services.field, services.drafts, Catalog("zh_CN"))
    qtbot.addWidget(view)
    view.show()
    [cells] = _row_texts(view, near)
    [household] = services.read.household_rows([near])
    assert cells[0] == "明天 19:00"
    assert cells[1] == household.address and cells[2] == household.head_name
    assert cells[3] == str(before + 1)  # attempts so far, this one included
    assert _row_texts(view, far) == []  # four days ahead: not yet on the list
    assert all("JYXC" not in text for row in _row_texts(view, near) for text in row)


def test_drafts_name_their_household_by_address(
    qtbot: QtBot, demo_services: Services, clock: FixedClock
) -> None:
    services = demo_services
    services.act_as("W0101", "field")
    household = services.read.household_ids()[0]
    services.drafts.save("d1", "visit", household, {}, clock.now().isoformat())
    view = TodayView(services.field, services.drafts, Catalog("en"))
    qtbot.addWidget(view)
    view.show()
    [row] = services.read.household_rows([household])
    assert _text(view.drafts, 0, 0) == row.address
    assert _text(view.drafts, 0, 1) == f"Today {clock.now():%H:%M}"
