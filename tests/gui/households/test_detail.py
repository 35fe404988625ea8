"""The household page's timeline tells a household's lifecycle in words, in both
languages; such a line offers no visit menu."""

from __future__ import annotations

import itertools

from pytestqt.qtbot import QtBot

from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.households.detail import KIND_ROLE, HouseholdDetailView


def _neighbours(s: Services) -> tuple[str, str]:
    rows = s.store.db.execute(
        """SELECT h.id, h.building_id FROM household h WHERE EXISTS
           (SELECT 1 FROM resident r WHERE r.household_id = h.id)
           ORDER BY h.building_id, h.code"""
    ).fetchall()
    for (a, ba), (b, bb) in itertools.pairwise(rows):
        if ba == bb:
            return a, b
    raise AssertionError("no building with two occupied households")


def _lines(view: HouseholdDetailView) -> list[str]:
    items = [view.timeline.topLevelItem(i) for i in range(view.timeline.topLevelItemCount())]
    return [i.text(1) for i in items if i is not None and i.data(0, KIND_ROLE) == "household_event"]


def test_lifecycle_lines(qtbot: QtBot, demo_services: Services) -> None:
    s = demo_services
    s.act_as("B0001", "office")
    keep, other = _neighbours(s)
    other_room = s.read.household_rows([other])[0].room
    moved = len(
        s.store.db.execute("SELECT id FROM resident WHERE household_id = ?", [keep]).fetchall()
    )
    s.households.move_out(keep)
    s.households.merge(keep, other)
    view = HouseholdDetailView(s.read, s.households, Catalog("zh_CN"))
    qtbot.addWidget(view)
    view.show_household(keep)
    assert _lines(view) == [f"已迁出 {moved} 人", f"与 {other_room} 室合并"]
    view.set_catalog(Catalog("en"))
    assert _lines(view) == [f"{moved} residents moved out", f"Merged with room {other_room}"]
