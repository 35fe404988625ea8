"""The administrators' accounts screen, and 启用登录与加密 on a plain database."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.errors import AccessDenied
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.session import SessionService
from gridapp.settings import Settings, UiState
from gridapp.storage.database import is_plain
from gridapp.storage.store import Store
from gridapp.trust.crypto import FAST
from gridapp.trust.roles import Session
from gridapp.ui.admin.accounts import AccountsView
from gridapp.ui.shell.fonts import install_cjk_font
from gridapp.ui.shell.main_window import MainWindow, ShellContext

pytestmark = pytest.mark.gui


@pytest.fixture(autouse=True)
def _cjk_font(qapp: QApplication) -> None:
    install_cjk_font(qapp)  # screenshots show characters, not boxes


ADMIN_PIN, WORKER_PIN = "246813", "135792"
LEFT = Qt.MouseButton.LeftButton


@pytest.fixture
def sessions(tmp_path: Path, clock: FixedClock) -> SessionService:
    service = SessionService(tmp_path / "data", clock, FAST)
    admin, _ = service.set_up("A0001", "admin", ADMIN_PIN)
    service.accounts.add(admin, "W0101", "field", WORKER_PIN)
    return service


@pytest.fixture
def admin(sessions: SessionService) -> Session:
    return sessions.sign_in("A0001", ADMIN_PIN)


def _view(qtbot: QtBot, sessions: SessionService, session: Session | None) -> AccountsView:
    view = AccountsView(sessions, session, Catalog("zh_CN"))
    qtbot.addWidget(view)
    view.resize(900, 480)
    view.show()
    return view


def _codes(view: AccountsView) -> list[str]:
    return [view.table.item(r, 0).text() for r in range(view.table.rowCount())]  # type: ignore[union-attr]


def _type_pin(qtbot: QtBot, first: object, second: object, pin: str, again: str = "") -> None:
    for edit, text in ((first, pin), (second, again or pin)):
        edit.clear()  # type: ignore[attr-defined]
        qtbot.keyClicks(edit, text)


def test_an_administrator_adds_resets_and_removes_accounts(
    qtbot: QtBot, sessions: SessionService, admin: Session
) -> None:
    view = _view(qtbot, sessions, admin)
    told: list[tuple[str, str, str]] = []  # what the app hands to the audit log
    sessions.accounts.on_change = lambda *change: told.append(change)
    assert _codes(view) == ["A0001", "W0101"]
    assert view.table.item(0, 1).text() == "管理员"  # type: ignore[union-attr]

    view.code.setText("w0102")
    view.role.setCurrentIndex(view.role.findData("field"))
    _type_pin(qtbot, view.pin, view.again, "123456")  # a run: the PIN rules say no
    qtbot.mouseClick(view.add_button, LEFT)
    assert "太简单" in view.message.text()
    assert view.pin.text() == "" and _codes(view) == ["A0001", "W0101"]
    _type_pin(qtbot, view.pin, view.again, "802468", "802469")
    qtbot.mouseClick(view.add_button, LEFT)
    assert "不一致" in view.message.text()
    _type_pin(qtbot, view.pin, view.again, "80246")
    qtbot.mouseClick(view.add_button, LEFT)
    assert "至少要 6 位" in view.message.text()
    _type_pin(qtbot, view.pin, view.again, "802468")
    with qtbot.waitSignal(view.changed):
        qtbot.mouseClick(view.add_button, LEFT)
    assert "已添加账户 W0102" in view.message.text()
    assert _codes(view) == ["A0001", "W0101", "W0102"]
    assert sessions.sign_in("W0102", "802468").role == "field"
    view.grab().save("/tmp/accounts-list.png")

    view.select("W0101")
    _type_pin(qtbot, view.reset_pin_edit, view.reset_again, "975319")
    qtbot.mouseClick(view.reset_button, LEFT)
    assert "W0101 的 PIN 已更新" in view.message.text()
    assert sessions.sign_in("W0101", "975319").code == "W0101"
    with pytest.raises(AccessDenied):
        sessions.sign_in("W0101", WORKER_PIN)

    view.select("W0102")
    box = view.ask_remove()
    assert box is not None and "W0102" in box.text()
    box.grab().save("/tmp/accounts-remove.png")
    box.button(QMessageBox.StandardButton.Cancel).click()
    assert "W0102" in _codes(view)  # cancelled: nothing happened
    view.select("W0102")
    box = view.ask_remove()
    assert box is not None
    yes = box.findChild(QPushButton, "removeConfirmYes")
    assert yes is not None
    yes.click()
    assert _codes(view) == ["A0001", "W0101"]
    assert "已删除账户 W0102" in view.message.text()

    view.select("A0001")  # oneself: refused, with the reason
    box = view.ask_remove()
    assert box is not None
    box.findChild(QPushButton, "removeConfirmYes").click()  # type: ignore[union-attr]
    assert "不能删除正在登录的账户" in view.message.text()
    assert "A0001" in _codes(view)
    assert told == [
        ("A0001", "account_added", "W0102"),
        ("A0001", "pin_reset", "W0101"),
        ("A0001", "account_removed", "W0102"),
    ]


def test_a_locked_account_shows_until_when(
    qtbot: QtBot, sessions: SessionService, admin: Session
) -> None:
    for _ in range(5):
        with pytest.raises(AccessDenied):
            sessions.sign_in("W0101", "000001")
    view = _view(qtbot, sessions, admin)
    assert view.table.item(1, 3).text() != ""  # type: ignore[union-attr]
    assert view.table.item(0, 3).text() == ""  # type: ignore[union-attr]


def test_a_field_worker_cannot_manage_accounts(qtbot: QtBot, sessions: SessionService) -> None:
    worker = sessions.sign_in("W0101", WORKER_PIN)
    view = _view(qtbot, sessions, worker)
    view.code.setText("W0109")
    _type_pin(qtbot, view.pin, view.again, "802468")
    qtbot.mouseClick(view.add_button, LEFT)
    assert "没有权限" in view.message.text()
    assert "W0109" not in _codes(view)


def test_first_set_up_encrypts_the_plain_database_and_shows_the_recovery_code_once(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock
) -> None:
    data = tmp_path / "plain"
    services = Services(Store.open_in(data, clock))
    services.device.initialise("office", "办公室")
    sessions = SessionService(data, clock, FAST)
    assert not sessions.protected() and is_plain(sessions.db_path)
    released: list[bool] = []

    def release() -> None:
        released.append(True)
        services.store.close()

    view = AccountsView(sessions, None, Catalog("zh_CN"), release)
    qtbot.addWidget(view)
    view.resize(760, 420)
    view.show()
    view.grab().save("/tmp/accounts-setup.png")
    view.setup_code.setText("a0001")
    _type_pin(qtbot, view.setup_pin, view.setup_again, "111111")
    qtbot.mouseClick(view.setup_button, LEFT)
    assert "太简单" in view.message.text()
    assert released == [] and not sessions.protected()  # nothing let go for a typo

    _type_pin(qtbot, view.setup_pin, view.setup_again, ADMIN_PIN)
    qtbot.mouseClick(view.setup_button, LEFT)
    assert released == [True]
    box = view.confirm
    assert box is not None and box.objectName() == "recoveryCode"
    qtbot.waitUntil(box.isVisible)
    assert view.recovery_shown in box.text()
    assert "请抄写并妥善保管" in box.text() and "A0001" in box.text()
    box.grab().save("/tmp/accounts-recovery.png")
    assert sessions.protected() and not is_plain(sessions.db_path)
    assert not (data / "gridapp.db.plain").exists()
    with qtbot.waitSignal(view.restart_needed):
        box.findChild(QPushButton, "recoveryCodeDone").click()  # type: ignore[union-attr]

    session = sessions.sign_in("A0001", ADMIN_PIN)
    store = sessions.open_store(session, clock)
    try:
        assert store.local_device() is not None  # the same data, now encrypted
    finally:
        store.close()
    recovered = sessions.accounts.recover(view.recovery_shown, "A0001", "975319")
    assert recovered.key == session.key


def test_the_office_menu_opens_accounts_for_administrators_only(
    qtbot: QtBot, demo_services: Services, tmp_path: Path, sessions: SessionService, admin: Session
) -> None:
    window = MainWindow(
        demo_services,
        Catalog("zh_CN"),
        ShellContext(
            tmp_path, Settings(), UiState(), demo_services.device.local(), admin, sessions
        ),
    )
    qtbot.addWidget(window)
    office = window.office
    assert office is not None
    office_staff = sessions.accounts.add(admin, "B0001", "office", "802468")
    window.apply_role(sessions.sign_in(office_staff.code, "802468"))
    assert not office.actions["ui.office.accounts"].isVisible()
    window.apply_role(admin)
    action = office.actions["ui.office.accounts"]
    assert action.isVisible() and action.text() == "账户管理…"
    action.trigger()
    dialog = office.opened
    assert dialog is not None
    qtbot.waitUntil(dialog.isVisible)
    view = dialog.findChild(AccountsView)
    assert view is not None and "B0001" in _codes(view)
    dialog.reject()
