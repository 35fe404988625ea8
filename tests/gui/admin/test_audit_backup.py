"""The audit log screen, the backup screen, and the household page's audited reveal."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QMessageBox, QPushButton, QTableWidget
from pytestqt.qtbot import QtBot

from gridapp import audit_actions as A
from gridapp.clock import FixedClock
from gridapp.i18n import Catalog
from gridapp.model import mask_phone
from gridapp.services import Services
from gridapp.services.backup import pending_restore
from gridapp.ui.admin.audit import AuditView
from gridapp.ui.admin.backup import BackupView
from gridapp.ui.households.detail import HouseholdDetailView
from tests.conftest import make_services

pytestmark = pytest.mark.gui


def _text(table: QTableWidget, row: int, column: int) -> str:
    item = table.item(row, column)
    assert item is not None
    return item.text()


def test_audit_view_filters_exports_and_shows_the_chain_badge(
    qtbot: QtBot, services: Services, clock: FixedClock, tmp_path: Path
) -> None:
    services.audit.sign_in("W0101")
    clock.advance(days=2)
    services.act_as("W0102", "admin")  # the record names whoever is signed in
    services.audit.record(A.PHONE_REVEALED, "hh-1", phones=2)
    view = AuditView(services.audit, Catalog("zh_CN"))
    qtbot.addWidget(view)
    view.resize(900, 400)
    view.show()
    assert view.table.rowCount() == 2
    assert _text(view.table, 0, 3) == "查看号码"
    assert _text(view.table, 0, 5) == "电话数：2"  # in words, not {"phones": 2}
    assert view.badge.property("intact") is True and "完整" in view.badge.text()
    view.action.setCurrentIndex(view.action.findData(A.SIGN_IN))
    assert view.table.rowCount() == 1 and _text(view.table, 0, 2) == "W0101"
    view.action.setCurrentIndex(0)
    after_first = clock.now().date() - timedelta(days=1)  # the sign-in was two days back
    view.since.setDate(QDate(after_first.year, after_first.month, after_first.day))
    assert view.table.rowCount() == 1 and _text(view.table, 0, 2) == "W0102"
    view.grab().save("/tmp/backup-audit-view.png")
    with qtbot.waitSignal(view.exported):
        assert view.export_to(tmp_path / "audit.xlsx") == 1
    # the export is itself in the log now (the date filter still shows it: it is newest)
    assert _text(view.table, 0, 3) == "导出审计日志"
    failures: list[object] = []
    view.failed.connect(failures.append)
    assert view.export_to(tmp_path / "audit.txt") is None
    assert len(failures) == 1


def test_audit_details_read_as_words_in_either_language() -> None:
    from gridapp.ui.admin.audit import detail_words

    detail = {"failed_before": 0, "via": "unlock", "masked": True, "from_the_future": "x"}
    assert detail_words(Catalog("zh_CN"), detail) == (
        "此前输错次数：0；from_the_future：x；姓名遮挡：是；方式：解锁屏幕"
    )
    assert detail_words(Catalog("en"), {"failed_before": 1, "via": "unlock"}) == (
        "failed attempts before: 1; via: unlocking the screen"
    )
    assert detail_words(Catalog("zh_CN"), {}) == ""


def test_audit_view_badge_turns_red_when_the_chain_is_broken(
    qtbot: QtBot, services: Services
) -> None:
    for actor in ("W0101", "W0102", "W0103"):
        services.audit.sign_in(actor)
    db = services.store.db
    db.execute("DROP TRIGGER _audit_append_only_update")
    db.execute("UPDATE _audit SET actor = 'W9999' WHERE seq = 2")
    view = AuditView(services.audit, Catalog("zh_CN"))
    qtbot.addWidget(view)
    assert view.badge.property("intact") is False and "2" in view.badge.text()


def test_backup_view_backs_up_and_stages_a_restore_after_confirmation(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock
) -> None:
    services = make_services(tmp_path / "data" / "gridapp.db", clock)
    view = BackupView(services.backup, Catalog("zh_CN"))
    qtbot.addWidget(view)
    view.resize(800, 300)
    view.show()
    assert view.table.rowCount() == 0 and "还没有备份" in view.summary.text()
    with qtbot.waitSignal(view.backed_up):
        qtbot.mouseClick(view.now_button, Qt.MouseButton.LeftButton)
    assert view.table.rowCount() == 1 and _text(view.table, 0, 1) == "手动"
    assert not view.restore_button.isEnabled()
    view.table.selectRow(0)
    assert view.restore_button.isEnabled()
    qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    box = view.confirm
    assert box is not None and box.isVisible()
    assert "另存" in box.text() and "重新启动" in box.text()
    box.grab().save("/tmp/backup-confirm.png")
    view.grab().save("/tmp/backup-view.png")
    # Cancel changes nothing.
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert pending_restore(tmp_path / "data") is None
    qtbot.mouseClick(view.restore_button, Qt.MouseButton.LeftButton)
    confirm = view.confirm
    assert confirm is not None
    restore = confirm.findChild(QPushButton, "restoreConfirmed")
    assert restore is not None
    with qtbot.waitSignal(view.restore_staged):
        restore.click()
    assert pending_restore(tmp_path / "data") is not None


def test_backup_view_refuses_a_tampered_backup(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock
) -> None:
    services = make_services(tmp_path / "data" / "gridapp.db", clock)
    info = services.backup.now()
    data = bytearray(Path(info.path).read_bytes())
    data[3000] ^= 0xFF
    Path(info.path).write_bytes(bytes(data))
    view = BackupView(services.backup, Catalog("zh_CN"))
    qtbot.addWidget(view)
    failures: list[object] = []
    view.failed.connect(failures.append)
    assert view.restore(Path(info.path)) is False
    assert len(failures) == 1 and pending_restore(tmp_path / "data") is None


def test_the_household_page_reveals_through_the_audited_service(
    qtbot: QtBot, demo_services: Services
) -> None:
    view = HouseholdDetailView(demo_services.read, demo_services.households, Catalog("zh_CN"))
    qtbot.addWidget(view)
    demo_services.act_as("A0001", "admin")
    household_id = demo_services.read.household_ids()[0]
    view.show_household(household_id)
    detail = demo_services.read.household(household_id)
    assert detail is not None
    phone = detail.residents[0].phones[0]
    assert _text(view.residents, 0, 3).startswith(mask_phone(phone))
    assert view.reveal_button.text() == "显示完整号码"
    assert demo_services.audit.entries(A.PHONE_REVEALED) == []
    with qtbot.waitSignal(view.phones_revealed):
        qtbot.mouseClick(view.reveal_button, Qt.MouseButton.LeftButton)
    assert _text(view.residents, 0, 3).startswith(phone)
    [entry] = demo_services.audit.entries(A.PHONE_REVEALED)
    assert (entry.actor, entry.target) == ("A0001", household_id)
    qtbot.mouseClick(view.reveal_button, Qt.MouseButton.LeftButton)  # hide again
    assert "*" in _text(view.residents, 0, 3)
