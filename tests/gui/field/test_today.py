"""今日工作: callbacks by address and name, said as 今天/明天/后天, reaching to the end of
the day after tomorrow; drafts by address."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidget
from pytestqt.qtbot import QtBot

from gridapp.clock import CHINA_TZ, FixedClock
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


def test_a_returned_visit_shows_with_its_comment_and_opens_its_correction(
    qtbot: QtBot, demo_services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    from PySide6.QtWidgets import QWidget

    from gridapp.settings import Settings
    from gridapp.ui.field.actions import FieldActions
    from gridapp.ui.field.visit_dialog import VisitDialog
    from tests.gui.helpers import click

    services = demo_services
    clock.set(datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ))  # after the demo's week
    household = services.read.household_ids(team_number=1)[7]
    services.act_as("W0101", "field")
    visit_id = services.visits.record(
        VisitInput(household, "", "met", answers={"stance": "agree", "satisfaction": 1})
    ).visit_id
    view = TodayView(services.field, services.drafts, Catalog("zh_CN"), review=services.review)
    qtbot.addWidget(view)
    view.show()
    assert view.returned_box.isHidden()  # nothing returned: no section
    services.act_as("B0001", "office")
    services.review.return_visit(visit_id, "满意度与态度不符，请核实")
    services.act_as("W0101", "field")
    base = services.read.counts()
    view.refresh()
    assert not view.returned_box.isHidden()
    assert view.returned_box.title() == "退回待改（1）"
    [household_row] = services.read.household_rows([household])
    assert [_text(view.returned, 0, c) for c in (0, 2)] == [
        household_row.address,
        "满意度与态度不符，请核实",
    ]
    # double-click (activate) opens the correction, as the household page does
    host = QWidget()
    qtbot.addWidget(host)
    actions = FieldActions(
        services, Catalog("zh_CN"), Settings(), tmp_path, host, lambda: None, view.refresh,
        lambda _e: None,
    )  # fmt: skip
    opened: list[VisitDialog | None] = []
    view.correct_visit.connect(lambda vid: opened.append(actions.correct(vid)))
    item = view.returned.item(0, 0)
    assert item is not None
    view.returned.itemActivated.emit(item)
    [dialog] = opened
    assert dialog is not None and dialog.correcting is not None
    assert dialog.correcting["id"] == visit_id
    assert dialog.form is not None
    for name in ("choice_owner_present_True", "choice_satisfaction_4"):
        click(qtbot, dialog.form, name)
    new_id = dialog.save()
    assert new_id is not None and new_id != visit_id
    view.refresh()
    assert view.returned_box.isHidden()  # corrected: nothing left to correct
    assert services.read.counts() == base  # the correction counts once, in its place
    services.act_as("B0001", "office")
    [fixed] = [r for r in services.review.queue() if r.id == new_id]
    assert (fixed.state, fixed.corrects) == ("new", visit_id)
