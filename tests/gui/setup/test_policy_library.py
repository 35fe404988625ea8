"""Office staff edit policy items and the campaign's set; residents read them large."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.field.resident_view import ResidentView
from gridapp.ui.setup.policy_library import PolicyLibrary

pytestmark = pytest.mark.gui


def test_editing_a_policy_item_makes_a_new_version(qtbot: QtBot, demo_services: Services) -> None:
    library = PolicyLibrary(demo_services, Catalog("zh_CN"), editable=True)
    qtbot.addWidget(library)
    library.show()
    first = library.current()
    assert first is not None and first["version"] == 1
    library.body.setPlainText("第一段。\n\n- 要点一\n- **要点二**")
    qtbot.mouseClick(library.save_button, Qt.MouseButton.LeftButton)
    saved = next(i for i in demo_services.read.policy_items() if i["id"] == first["id"])
    assert saved["version"] == 2
    assert (
        "<li><b>要点二</b></li>" in library.preview.toHtml()
        or "要点二" in library.preview.toPlainText()
    )


def test_leaving_an_item_out_of_the_campaign(qtbot: QtBot, demo_services: Services) -> None:
    library = PolicyLibrary(demo_services, Catalog("zh_CN"), editable=True)
    qtbot.addWidget(library)
    item = library.current()
    assert item is not None and item["position"] >= 0
    library.in_campaign.setChecked(False)
    library.save()
    campaign = demo_services.read.campaigns()[0]
    assert item["id"] not in [p["id"] for p in campaign["policy_items"]]
    assert len(campaign["policy_items"]) == 8


def test_a_field_laptop_cannot_edit(qtbot: QtBot, demo_services: Services) -> None:
    library = PolicyLibrary(demo_services, Catalog("zh_CN"), editable=False)
    qtbot.addWidget(library)
    assert not library.save_button.isEnabled() and not library.body.isEnabled()
    assert library.show_button.isEnabled()


def test_the_resident_view_is_large_and_pages_with_arrows(
    qtbot: QtBot, demo_services: Services
) -> None:
    library = PolicyLibrary(demo_services, Catalog("zh_CN"), editable=False)
    qtbot.addWidget(library)
    view = library.show_resident()
    assert isinstance(view, ResidentView)
    qtbot.addWidget(view)
    first = view.current()["title"]
    assert first in view.text.toPlainText()
    assert "font-size:34px" in view.text.toHtml().replace(" ", "")
    qtbot.keyClick(view, Qt.Key.Key_Right)
    assert view.current()["title"] != first
    view.zoom(8)
    assert "font-size:42px" in view.text.toHtml().replace(" ", "")
