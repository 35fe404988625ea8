"""A household's history unfolds each answered visit to its answers in words; a
household-members repeat lists its people a line each, a phone typed into it masked."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.ui.households.detail import ID_ROLE, HouseholdDetailView
from tests.unit.forms.members_form import THREE, use_members_form

pytestmark = pytest.mark.gui


def _children(item: QTreeWidgetItem) -> list[QTreeWidgetItem]:
    found = [item.child(n) for n in range(item.childCount())]
    return [child for child in found if child is not None]


def _texts(item: QTreeWidgetItem) -> list[tuple[str, str]]:
    return [(child.text(1), child.text(2)) for child in _children(item)]


def test_a_visits_members_unfold_in_words(
    qtbot: QtBot, demo_services: Services, clock: FixedClock
) -> None:
    s = demo_services
    clock.set(datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ))
    use_members_form(s)
    s.act_as("B0001", "office")
    household = s.read.household_ids()[3]
    people = [{**THREE[0], "mobile": "13800138000"}, *THREE[1:]]
    answers = {"stance": "agree", "members": people}
    visit = s.visits.record(VisitInput(household, "W0101", "met", answers=answers)).visit_id
    view = HouseholdDetailView(s.read, s.households, Catalog("zh_CN"))
    qtbot.addWidget(view)
    view.show_household(household)
    tree = view.timeline
    [item] = [
        tree.topLevelItem(n)
        for n in range(tree.topLevelItemCount())
        if tree.topLevelItem(n).data(0, ID_ROLE) == visit  # type: ignore[union-attr]
    ]
    assert item is not None
    assert _texts(item) == [("您的态度", "同意"), ("家庭成员", "3 条")]
    members = _children(item)[1]
    assert [line.text(2) for line in _children(members)] == [
        "1. 张三 · 户主 · 年龄 52 · 是否在职 是 · 138****8000",
        "2. 李四 · 配偶 · 年龄 49 · 是否在职 否",
        "3. 张小五 · 子女 · 年龄 19 · 是否在职 否",
    ]
