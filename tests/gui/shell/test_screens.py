"""The office's area of the main window: tabs built on first show, the 办公 menu's
dialogs, and a refresh of everything shown after data changes behind the window."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QPushButton
from pytestqt.qtbot import QtBot

from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.settings import Settings, UiState
from gridapp.ui.setup.roster_wizard import RosterWizard
from gridapp.ui.shell.main_window import MainWindow, ShellContext
from tests.unit.roster.helpers import write_csv

pytestmark = pytest.mark.gui


@pytest.fixture
def window(qtbot: QtBot, demo_services: Services, tmp_path: Path) -> MainWindow:
    w = MainWindow(
        demo_services,
        Catalog("zh_CN"),
        ShellContext(tmp_path, Settings(), UiState(), demo_services.device.local()),
    )
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    return w


def test_office_tabs_are_named_and_build_only_when_shown(window: MainWindow) -> None:
    office = window.office
    assert office is not None
    titles = [window.tabs.tabText(i) for i in range(window.tabs.count())]
    assert {"进度总览", "意见建议", "表决预测", "活动设置"} <= set(titles)
    assert all(page.inner is None for page in office.pages)  # nothing paid for at start-up
    for page in office.pages:
        window.tabs.setCurrentWidget(page)
        assert page.inner is not None, page.key
        assert page.inner.isVisible()
    assert office.office_menu.title().startswith("办公")


@pytest.mark.parametrize(
    ("key", "cls"),
    [
        ("ui.office.roster_import", "RosterWizard"),
        ("ui.office.campaign_new", "CampaignWizard"),
        ("ui.office.report", "ReportDialog"),
        ("ui.office.backup", "QDialog"),
        ("ui.office.audit", "QDialog"),
    ],
)
def test_each_office_action_opens_its_dialog(
    window: MainWindow, qtbot: QtBot, key: str, cls: str
) -> None:
    office = window.office
    assert office is not None
    office.actions[key].trigger()
    dialog = office.opened
    assert isinstance(dialog, QDialog) and type(dialog).__name__ == cls
    qtbot.waitUntil(dialog.isVisible)
    assert dialog.windowTitle()
    dialog.reject()


@pytest.mark.parametrize("key", ["ui.menu.conflicts", "ui.office.backup", "ui.office.audit"])
def test_a_screen_in_a_dialog_closes_by_esc_or_its_button(
    window: MainWindow, qtbot: QtBot, key: str
) -> None:
    """With no window manager there is no title-bar button: 关闭 and Esc close it."""
    office = window.office
    assert office is not None
    office.actions[key].trigger()
    dialog = office.opened
    assert isinstance(dialog, QDialog)
    qtbot.waitUntil(dialog.isVisible)
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    office.actions[key].trigger()
    again = office.opened
    assert isinstance(again, QDialog)
    qtbot.waitUntil(again.isVisible)
    [close] = [
        b for b in again.findChildren(QPushButton) if b.text().replace("&", "") in ("关闭", "Close")
    ]
    close.click()
    assert not again.isVisible()


def test_a_roster_import_refreshes_what_the_window_shows(
    window: MainWindow, qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    """The households a roster brings are in the window's counts once the wizard says
    it imported (the wizard's own import runs in tests/gui/setup)."""
    office = window.office
    assert office is not None
    qtbot.waitUntil(lambda: bool(window.status_counts.text()))
    total = demo_services.read.counts().households
    shown_before = window.status_counts.text()
    assert f"/{total} 户" in shown_before
    office.actions["ui.office.roster_import"].trigger()
    wizard = office.opened
    assert isinstance(wizard, RosterWizard)
    demo_services.act_as("B0001", "office")
    result = demo_services.roster.import_file(write_csv(tmp_path / "r.csv"))
    assert result.households == 6  # behind the window's back, as the wizard's job does
    with qtbot.waitSignal(window.counts_shown, timeout=5000):
        wizard.imported.emit(result)
    assert f"/{total + 6} 户" in window.status_counts.text()
    wizard.reject()


def test_a_field_laptop_has_no_office_area(qtbot: QtBot, tmp_path: Path, clock: object) -> None:
    from tests.conftest import make_services

    services = make_services(None, clock, role="field")  # type: ignore[arg-type]
    w = MainWindow(
        services,
        Catalog("zh_CN"),
        ShellContext(tmp_path, Settings(), UiState(), services.device.local()),
    )
    qtbot.addWidget(w)
    assert w.office is None
    assert "办公(&O)" not in [a.text() for a in w.menuBar().actions()]
    services.store.close()


def test_the_office_screens_share_one_campaign_choice(window: MainWindow) -> None:
    """Choosing a campaign on the dashboard shows it on 活动设置 and prints it on sheets."""
    from gridapp.services.campaign_create import CampaignPlan
    from gridapp.ui.office.dashboard import DashboardView
    from gridapp.ui.setup.campaign_setup import CampaignSetupView

    office = window.office
    assert office is not None
    services = office.ctx.services
    services.act_as("B0001", "office")
    compound = services.read.compounds()[0].id
    draft = services.campaigns.plan_campaign(
        CampaignPlan("四百走访", "2023-12-08", "2024-03-31", [compound], status="draft")
    )
    window.tabs.setCurrentWidget(office.page("ui.dashboard.title"))
    dashboard = office.page("ui.dashboard.title").inner
    assert isinstance(dashboard, DashboardView) and dashboard.switcher is not None
    dashboard.reload()
    box = dashboard.switcher.box
    box.setCurrentIndex(box.findData(draft.id))
    assert window.field.campaign() == draft.id  # visit sheets are for it
    window.tabs.setCurrentWidget(office.page("ui.office.campaign_setup"))
    setup = office.page("ui.office.campaign_setup").inner
    assert isinstance(setup, CampaignSetupView)
    assert setup.switcher.current() == draft.id
    assert setup.campaign_tab.name.text() == "四百走访"
