"""审核: office staff filter the queue, approve visits, and return one with a comment
typed in the small dialog; flagged visits stand out."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import QDate, QItemSelectionModel
from PySide6.QtWidgets import QDialogButtonBox
from pytestqt.qtbot import QtBot

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.review import ReviewFilter
from gridapp.ui.office.review import FLAGGED, ID_ROLE, ReviewView

pytestmark = pytest.mark.gui

AFTER_WEEK = datetime(2023, 12, 8, 18, tzinfo=CHINA_TZ)


@pytest.fixture
def s(demo_services: Services, clock: FixedClock) -> Services:
    clock.set(AFTER_WEEK)
    demo_services.act_as("B0001", "office")
    return demo_services


@pytest.fixture
def view(qtbot: QtBot, s: Services) -> ReviewView:
    widget = ReviewView(s.review, s.campaigns, Catalog("zh_CN"))
    qtbot.addWidget(widget)
    widget.resize(1200, 700)
    widget.show()
    return widget


def _ids(view: ReviewView) -> list[str]:
    ids = []
    for r in range(view.table.rowCount()):
        item = view.table.item(r, 0)
        assert item is not None
        ids.append(str(item.data(ID_ROLE)))
    return ids


def _select(view: ReviewView, *rows: int) -> None:
    view.table.clearSelection()
    model = view.table.selectionModel()
    flags = QItemSelectionModel.SelectionFlag.Select | QItemSelectionModel.SelectionFlag.Rows
    for r in rows:
        model.select(view.table.model().index(r, 0), flags)


def test_the_queue_opens_on_what_is_left_to_review(view: ReviewView, s: Services) -> None:
    assert _ids(view) == [r.id for r in s.review.queue(ReviewFilter(state="new"))]
    assert view.count.text() == f"共 {len(_ids(view))} 条走访"
    assert not view.approve_button.isEnabled() and not view.return_button.isEnabled()
    # flagged visits are coloured, and the flag filter keeps only them
    view.flag.setCurrentIndex(view.flag.findData("contradiction"))
    flagged = _ids(view)
    expected = s.review.queue(ReviewFilter(state="new", flag="contradiction"))
    assert flagged and flagged == [r.id for r in expected]
    item = view.table.item(0, 6)
    assert item is not None and item.text() == "答案矛盾" and item.foreground() == FLAGGED
    view.flag.setCurrentIndex(0)
    # team and day filters
    view.team.setCurrentIndex(view.team.findData(1))
    assert {s.review.queue(ReviewFilter(team=1, state="new"))[0].id} <= set(_ids(view))
    assert all(r.team == 1 for r in s.review.queue(ReviewFilter(team=1)))
    view.day.setDate(QDate(2023, 12, 4))
    view.use_day.setChecked(True)
    expected = s.review.queue(ReviewFilter(team=1, day="2023-12-04", state="new"))
    assert _ids(view) == [r.id for r in expected]


def test_approve_several_and_return_one_with_a_comment(
    qtbot: QtBot, view: ReviewView, s: Services
) -> None:
    before = s.read.counts()
    first, second, third = _ids(view)[:3]
    _select(view, 0, 1)
    assert view.approve_button.isEnabled() and not view.return_button.isEnabled()
    with qtbot.waitSignal(view.changed):
        view.approve_button.click()
    assert first not in _ids(view) and second not in _ids(view)
    _select(view, 0)
    assert _ids(view)[0] == third and view.return_button.isEnabled()
    view.return_button.click()
    dialog = view.return_dialog
    assert dialog is not None and dialog.isVisible()
    ok = dialog.buttons.button(QDialogButtonBox.StandardButton.Ok)
    assert not ok.isEnabled()  # a comment is required
    dialog.comment.setPlainText("请补填满意度")
    assert ok.isEnabled()
    with qtbot.waitSignal(view.changed):
        ok.click()
    assert third not in _ids(view)
    view.state.setCurrentIndex(view.state.findData("returned"))
    assert _ids(view) == [third]
    comment = view.table.item(0, 7)
    state = view.table.item(0, 5)
    assert comment is not None and comment.text() == "请补填满意度"
    assert state is not None and state.text() == "退回待改"
    view.state.setCurrentIndex(view.state.findData("approved"))
    assert _ids(view) == [first, second]
    assert s.read.counts() == before


def test_a_refusal_goes_to_the_window(qtbot: QtBot, view: ReviewView, s: Services) -> None:
    first = _ids(view)[0]
    _select(view, 0)
    s.review.approve([first])  # approved elsewhere meanwhile
    with qtbot.waitSignal(view.failed) as failed:
        view.approve_button.click()
    assert failed.args[0].key == "error.review.already_approved"
