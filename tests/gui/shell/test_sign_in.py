"""Sign-in, the idle lock that hides every resident, and a field worker's short menus."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QDialog,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.session import SessionService
from gridapp.settings import Settings, UiState
from gridapp.trust.crypto import FAST
from gridapp.trust.roles import Session
from gridapp.ui.shell.lock import IdleLock
from gridapp.ui.shell.main_window import MainWindow, ShellContext
from gridapp.ui.shell.sign_in import SignInDialog

pytestmark = pytest.mark.gui

ADMIN_PIN, WORKER_PIN, OTHER_PIN = "246813", "135792", "802468"


@pytest.fixture
def sessions(tmp_path: Path, clock: FixedClock) -> SessionService:
    service = SessionService(tmp_path / "data", clock, FAST)
    admin, _ = service.set_up("A0001", "admin", ADMIN_PIN)
    service.accounts.add(admin, "W0101", "field", WORKER_PIN)
    service.accounts.add(admin, "W0102", "field", OTHER_PIN)
    return service


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


def _sign_in(qtbot: QtBot, dialog: SignInDialog, code: str, pin: str) -> None:
    dialog.code.setText(code)
    dialog.pin.clear()
    qtbot.keyClicks(dialog.pin, pin)
    qtbot.mouseClick(dialog.button, Qt.MouseButton.LeftButton)


def test_sign_in_counts_wrong_pins_then_says_how_long_to_wait(
    qtbot: QtBot, sessions: SessionService
) -> None:
    dialog = SignInDialog(sessions, Catalog("zh_CN"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.pin.echoMode() == QLineEdit.EchoMode.Password
    assert not dialog.hint.isVisible()  # demo accounts only on the demo's keyring
    _sign_in(qtbot, dialog, "W0101", "000000")
    assert "还可以再试 4 次" in dialog.message.text()
    assert dialog.pin.text() == ""
    for _ in range(4):
        _sign_in(qtbot, dialog, "W0101", "000000")
    assert "还需等待 1 分钟" in dialog.message.text()
    _sign_in(qtbot, dialog, "W0101", WORKER_PIN)  # right, but locked
    assert dialog.session is None and dialog.isVisible()
    sessions.clock.advance(minutes=2)  # type: ignore[attr-defined]
    with qtbot.waitSignal(dialog.signed_in) as signal:
        _sign_in(qtbot, dialog, "w0101", WORKER_PIN)
    session = signal.args[0]
    assert isinstance(session, Session) and session.role == "field"
    assert dialog.result() == QDialog.DialogCode.Accepted


def _visible_texts(root: QWidget) -> list[str]:
    texts = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        if isinstance(widget, QLabel):
            texts.append(widget.text())
        if isinstance(widget, QAbstractItemView) and widget.model() is not None:
            model = widget.model()
            texts += [
                str(model.index(r, c).data())
                for r in range(min(model.rowCount(), 30))
                for c in range(model.columnCount())
            ]
    return texts


def test_idle_lock_hides_every_resident_until_the_pin(
    qtbot: QtBot, window: MainWindow, sessions: SessionService
) -> None:
    worker = sessions.sign_in("W0101", WORKER_PIN)
    name = window.detail.residents.item(0, 0).text()  # type: ignore[union-attr]
    # An open dialog showing the household too.
    dialog = QDialog(window)
    dialog.setWindowTitle(f"走访 {name}")
    QVBoxLayout(dialog).addWidget(QLabel(name, dialog))
    dialog.show()
    assert any(name in t for t in _visible_texts(window))

    lock = IdleLock(window, sessions, worker, Catalog("zh_CN"), minutes=0.002)
    with qtbot.waitSignal(lock.locked, timeout=5000):
        pass
    assert lock.is_locked
    assert not window.tabs.isVisible() and not window.menuBar().isVisible()
    assert lock.screen.isVisible()
    for top in (window, dialog):
        assert not any(name in t for t in _visible_texts(top))
    assert name not in dialog.windowTitle()
    # Shortcuts behind the lock do nothing: Ctrl+L would focus the search box.
    qtbot.keyClick(window, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert not window.code_box.hasFocus()

    lock.screen.code_edit.setText("W0102")  # a colleague may not unlock
    qtbot.keyClicks(lock.screen.pin, OTHER_PIN)
    assert not lock.try_unlock()
    assert "只有 W0101 本人或管理员" in lock.screen.message.text()
    lock.screen.code_edit.setText("W0101")
    qtbot.keyClicks(lock.screen.pin, "000000")
    assert not lock.try_unlock() and lock.is_locked
    qtbot.keyClicks(lock.screen.pin, WORKER_PIN)
    with qtbot.waitSignal(lock.unlocked):
        qtbot.keyClick(lock.screen.pin, Qt.Key.Key_Return)
    assert window.tabs.isVisible() and not lock.screen.isVisible()
    assert any(name in t for t in _visible_texts(dialog))
    assert name in dialog.windowTitle()
    lock.stop()


def test_an_administrator_may_unlock_a_workers_screen(
    qtbot: QtBot, window: MainWindow, sessions: SessionService
) -> None:
    worker = sessions.sign_in("W0101", WORKER_PIN)
    lock = IdleLock(window, sessions, worker, Catalog("zh_CN"), minutes=60)
    with qtbot.waitSignal(lock.locked):
        lock.lock_action.trigger()  # "lock now", before stepping away
    attempts: list[tuple[str, bool]] = []
    lock.attempted.connect(lambda code, ok: attempts.append((code, ok)))  # the audit log's
    lock.screen.code_edit.setText("A0001")
    qtbot.keyClicks(lock.screen.pin, "000000")
    assert not lock.try_unlock() and lock.is_locked
    qtbot.keyClicks(lock.screen.pin, ADMIN_PIN)
    assert lock.try_unlock() and not lock.is_locked
    assert attempts == [("A0001", False), ("A0001", True)]
    lock.stop()


def test_a_field_worker_sees_no_office_actions(
    window: MainWindow, sessions: SessionService
) -> None:
    assert window.office is not None
    keys = ("ui.menu.conflicts", "ui.menu.enroll", "ui.menu.roster")
    office_actions = [window.office.actions[key] for key in keys]
    window.apply_role(sessions.sign_in("W0101", WORKER_PIN))
    assert not any(a.isVisible() or a.isEnabled() for a in office_actions)
    assert not window.content.import_form.isVisible()
    assert window.field.record.isVisible()
    # the household page's 户籍变动 is the office's
    steps = window.detail.lifecycle.steps()
    assert not any(a.isVisible() for a in steps) and window.detail.lifecycle_button.isHidden()
    label = window.findChild(QLabel, "statusSession")
    assert label is not None and "W0101（网格员）" in label.text()
    window.apply_role(sessions.sign_in("A0001", ADMIN_PIN))
    assert all(a.isVisible() and a.isEnabled() for a in office_actions)
    assert all(a.isVisible() for a in steps)
    assert window.detail.current_id() is None or not window.detail.lifecycle_button.isHidden()
    assert "A0001（管理员）" in label.text()


def test_demo_keyring_shows_its_accounts(qtbot: QtBot, tmp_path: Path, clock: FixedClock) -> None:
    sessions = SessionService(tmp_path / "demo", clock, FAST)
    sessions.set_up_demo()
    dialog = SignInDialog(sessions, Catalog("zh_CN"), "A0001 / 147258")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.hint.isVisible() and "A0001 / 147258" in dialog.hint.text()
    assert sessions.sign_in_demo() is not None
    dialog.grab().save(str(tmp_path / "sign-in.png"))


def test_a_worker_changes_their_pin(qtbot: QtBot, sessions: SessionService) -> None:
    from gridapp.ui.shell.sign_in import ChangePinDialog

    worker = sessions.sign_in("W0101", WORKER_PIN)
    dialog = ChangePinDialog(sessions, Catalog("zh_CN"), worker, None)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.old, WORKER_PIN)
    qtbot.keyClicks(dialog.new, "975310")
    qtbot.keyClicks(dialog.again, "975311")
    dialog.submit()
    assert "不一致" in dialog.message.text()
    dialog.again.setText("975310")
    with qtbot.waitSignal(dialog.changed):
        dialog.submit()
    assert sessions.sign_in("W0101", "975310").key == worker.key


def test_the_office_area_follows_the_role(window: MainWindow, sessions: SessionService) -> None:
    office = window.office
    assert office is not None
    admin = sessions.sign_in("A0001", ADMIN_PIN)
    sessions.accounts.add(admin, "B0001", "office", OTHER_PIN[::-1])

    def visible_tabs() -> set[str]:
        return {p.key for p in office.pages if window.tabs.isTabVisible(window.tabs.indexOf(p))}

    window.apply_role(sessions.sign_in("W0101", WORKER_PIN))
    assert visible_tabs() == set()
    assert not office.office_menu.menuAction().isVisible()

    window.apply_role(sessions.sign_in("B0001", OTHER_PIN[::-1]))
    assert visible_tabs() == {p.key for p in office.pages}  # staff steer the campaign
    assert office.actions["ui.office.roster_import"].isVisible()
    assert not office.actions["ui.office.audit"].isVisible()  # administrators only
    assert not office.actions["ui.office.backup"].isVisible()

    window.apply_role(admin)
    assert office.actions["ui.office.audit"].isVisible()


def test_one_wrong_pin_and_enter_count_once(qtbot: QtBot, sessions: SessionService) -> None:
    """Return in the PIN box submits once (not once for the box and once more for the
    dialog's default button); Return in the code box only moves on to the PIN."""
    dialog = SignInDialog(sessions, Catalog("zh_CN"))
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    qtbot.keyClicks(dialog.code, "W0101")
    qtbot.keyClick(dialog.code, Qt.Key.Key_Return)
    assert dialog.focusWidget() is dialog.pin and dialog.message.text() == ""
    for left in (4, 3):
        qtbot.keyClicks(dialog.pin, "000000")
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
        assert f"还可以再试 {left} 次" in dialog.message.text()
    qtbot.keyClick(dialog.pin, Qt.Key.Key_Enter)  # nothing typed: no attempt
    accounts = {a.code: a for a in sessions.accounts.accounts()}
    assert accounts["W0101"].failures == 2
    qtbot.keyClicks(dialog.pin, WORKER_PIN)
    with qtbot.waitSignal(dialog.signed_in):
        qtbot.keyClick(dialog.pin, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_lock_says_what_happened(
    qtbot: QtBot, window: MainWindow, sessions: SessionService
) -> None:
    worker = sessions.sign_in("W0101", WORKER_PIN)
    lock = IdleLock(window, sessions, worker, Catalog("zh_CN"), minutes=60)
    lock.lock_action.trigger()  # 文件 → 立即锁定
    text = lock.screen.explain.text()
    assert "已于 09:00 手动锁定" in text and "无操作" not in text and "W0101" in text
    qtbot.keyClicks(lock.screen.pin, WORKER_PIN)
    assert lock.try_unlock()
    lock.stop()

    idle = IdleLock(window, sessions, worker, Catalog("zh_CN"), minutes=0.01)  # 0.6 s
    with qtbot.waitSignal(idle.locked, timeout=5000):
        pass
    text = idle.screen.explain.text()
    assert idle.reason == "idle" and 0.5 <= idle.idle_seconds < 5
    assert "秒无操作，已于 09:00 自动锁定" in text and "手动" not in text
    idle.stop()


def test_idle_durations_read_as_people_say_them() -> None:
    from gridapp.ui.shell.lock import _duration

    zh = Catalog("zh_CN")
    said = [_duration(zh, s) for s in (0.2, 45, 299.6, 300, 3540, 3600, 4800)]
    assert said == ["1 秒", "45 秒", "5 分钟", "5 分钟", "59 分钟", "1 小时", "1 小时 20 分钟"]


def test_the_idle_delay_can_only_be_shortened(monkeypatch: pytest.MonkeyPatch) -> None:
    from gridapp.ui.shell.lock import IDLE_SECONDS_ENV, idle_minutes

    monkeypatch.delenv(IDLE_SECONDS_ENV, raising=False)
    assert idle_minutes(5) == 5
    monkeypatch.setenv(IDLE_SECONDS_ENV, "30")
    assert idle_minutes(5) == 0.5
    for ignored in ("600", "0", "-3", "nan", "soon"):
        monkeypatch.setenv(IDLE_SECONDS_ENV, ignored)
        assert idle_minutes(5) == 5


def test_ctrl_q_on_the_lock_screen_quits(
    qtbot: QtBot, window: MainWindow, sessions: SessionService
) -> None:
    worker = sessions.sign_in("W0101", WORKER_PIN)
    lock = IdleLock(window, sessions, worker, Catalog("zh_CN"), minutes=60)
    lock.lock()
    qtbot.keyClicks(lock.screen.pin, "13")
    qtbot.keyClick(lock.screen.pin, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible(), timeout=3000)
    assert lock.is_locked  # it closed without showing anything first
    lock.stop()


def test_lock_now_works_from_a_modal_dialog_and_the_lock_screen_takes_the_keys(
    qtbot: QtBot, window: MainWindow, sessions: SessionService
) -> None:
    """A visit form is window-modal: Ctrl+Shift+L typed in it locks, and the lock screen
    (its own application-modal window, shown last) is not blocked by it."""
    worker = sessions.sign_in("W0101", WORKER_PIN)
    lock = IdleLock(window, sessions, worker, Catalog("zh_CN"), minutes=60)
    dialog = QDialog(window)
    dialog.setWindowTitle("走访")
    QVBoxLayout(dialog).addWidget(QLineEdit(dialog))
    dialog.open()
    qtbot.waitExposed(dialog)
    handle = dialog.windowHandle()
    assert handle is not None
    with qtbot.waitSignal(lock.locked):  # through the window, as a keyboard's key comes
        qtbot.keyClick(
            handle,
            Qt.Key.Key_L,
            Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier,
        )
    assert lock.reason == "manual" and lock.screen.isWindow()
    assert lock.screen.windowModality() == Qt.WindowModality.ApplicationModal
    assert QApplication.modalWindow() is lock.screen.windowHandle()  # on top of the stack
    lock.screen.close()  # the window manager's ✕ does not unlock
    assert lock.is_locked and lock.screen.isVisible()
    qtbot.keyClicks(lock.screen.pin, WORKER_PIN)
    with qtbot.waitSignal(lock.unlocked):
        qtbot.keyClick(lock.screen.pin, Qt.Key.Key_Return)
    assert dialog.isVisible() and dialog.windowTitle() == "走访"
    lock.stop()
