"""结束专项行动 and 清除个人信息 in the campaign set-up screen's 活动 tab."""

from __future__ import annotations

from datetime import timedelta

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.setup.campaign_setup import CampaignSetupView
from gridapp.ui.shell.fonts import install_cjk_font

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _cjk_font(qapp: QApplication) -> None:
    install_cjk_font(qapp)  # screenshots show characters, not boxes


def _view(qtbot: QtBot, services: Services, can_purge_now: bool = False) -> CampaignSetupView:
    view = CampaignSetupView(services, Catalog("zh_CN"), can_purge_now=can_purge_now)
    qtbot.addWidget(view)
    view.resize(1100, 760)
    view.show()
    return view


def _yes(box: QMessageBox | None, name: str) -> None:
    assert box is not None
    button = box.findChild(QPushButton, name)
    assert button is not None
    button.click()


def test_closing_asks_first_and_says_laptops_erase_at_their_next_roster_bundle(
    qtbot: QtBot, demo_services: Services
) -> None:
    view = _view(qtbot, demo_services)
    end = view.campaign_end
    assert end.close_button.isEnabled() and not end.purge_button.isEnabled()
    assert not end.now.isVisible()  # not an administrator
    box = end.ask_close()
    assert box is not None
    assert "下一次导入名册包" in box.text() and "不能撤销" in box.text()
    box.grab().save("/tmp/accounts-close-confirm.png")
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert demo_services.privacy.campaign()["status"] == "active"  # type: ignore[index]

    with qtbot.waitSignal(view.changed):
        _yes(end.ask_close(), "closeConfirmYes")
    campaign = demo_services.privacy.campaign()
    assert campaign is not None and campaign["status"] == "closed"
    assert "已结束专项行动" in view.message.text()
    assert not end.close_button.isEnabled() and end.purge_button.isEnabled()
    assert "已结束" in end.state.text()
    view.grab().save("/tmp/accounts-campaign-closed.png")


def test_purging_shows_the_counts_and_refuses_before_the_retention_date(
    qtbot: QtBot, demo_services: Services, clock: FixedClock
) -> None:
    view = _view(qtbot, demo_services)
    end = view.campaign_end
    _yes(end.ask_close(), "closeConfirmYes")
    until = demo_services.privacy.retention_until(demo_services.privacy.campaign() or {})
    assert end.ask_purge() is None
    assert "未到期" in view.message.text() and until.isoformat() in view.message.text()
    assert "户" in view.message.text()  # the dry run's counts

    clock.set(clock.now() + timedelta(days=(until - clock.now().date()).days + 1))
    box = end.ask_purge()
    assert box is not None and "不能撤销" in box.text()
    households = demo_services.privacy.purge(dry_run=True).counts.households
    assert f"{households} 户" in box.text()
    box.grab().save("/tmp/accounts-purge-confirm.png")
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert demo_services.privacy.purge(dry_run=True).counts.households == households
    _yes(end.ask_purge(), "purgeConfirmYes")
    assert "已清除专项行动" in view.message.text()
    assert demo_services.privacy.purge(dry_run=True).counts.residents == 0


def test_an_administrator_may_purge_early_with_the_box_ticked(
    qtbot: QtBot, demo_services: Services
) -> None:
    view = _view(qtbot, demo_services, can_purge_now=True)
    end = view.campaign_end
    assert end.now.isVisible() and not end.now.isEnabled()  # nothing to purge yet
    _yes(end.ask_close(), "closeConfirmYes")
    assert end.now.isEnabled()
    assert end.ask_purge() is None  # unticked: the date still holds
    end.now.setChecked(True)
    box = end.ask_purge()
    assert box is not None and "提前清除" in box.text()
    _yes(box, "purgeConfirmYes")
    assert "已清除专项行动" in view.message.text()
    entries = demo_services.audit.entries(limit=5)
    assert entries  # the service audits close and purge
