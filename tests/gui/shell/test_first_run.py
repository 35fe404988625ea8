"""The desktop's first run on an empty folder: the first administrator is created, the
database is encrypted from its first byte with this device's role, the recovery code is
shown once; a refusal creates nothing; `--exit-when-ready` cannot ask and says so."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from gridapp import app
from gridapp.clock import FixedClock
from gridapp.i18n import Catalog
from gridapp.services import session as session_module
from gridapp.services.session import SessionService
from gridapp.storage.database import is_plain
from gridapp.trust.crypto import FAST
from gridapp.ui.shell.first_run import FirstRunDialog

pytestmark = pytest.mark.gui

PIN = "246813"
LEFT = Qt.MouseButton.LeftButton


def _fill(dialog: FirstRunDialog, role: str | None, code: str, pin: str, again: str) -> None:
    if role is not None:
        dialog.role_buttons[role].setChecked(True)
    dialog.code.setText(code)
    dialog.pin.setText(pin)
    dialog.again.setText(again)


@pytest.mark.parametrize("role", ["field", "office"])
def test_first_run_creates_the_administrator_and_an_encrypted_database(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock, role: str
) -> None:
    data = tmp_path / "data"
    sessions = SessionService(data, clock, FAST)
    dialog = FirstRunDialog(sessions, Catalog("zh_CN"))
    qtbot.addWidget(dialog)
    dialog.show()
    for chosen, code, pin, again, words in (
        (None, "A0001", PIN, PIN, "请选择"),
        (role, "张三", PIN, PIN, "不可用"),
        (role, "A0001", PIN, "246814", "不一致"),
        (role, "A0001", "123456", "123456", "太简单"),
    ):
        _fill(dialog, chosen, code, pin, again)
        qtbot.mouseClick(dialog.create_button, LEFT)
        assert words in dialog.message.text()
        assert dialog.session is None and not data.exists()  # nothing made for a typo
        assert dialog.pin.text() == "" and dialog.again.text() == ""
    assert dialog.name.text() == Catalog("zh_CN").tr(f"cli.default_device_name.{role}")
    _fill(dialog, role, "a0001", PIN, PIN)
    qtbot.mouseClick(dialog.create_button, LEFT)
    assert dialog.session is not None and dialog.session.code == "A0001"
    assert dialog.session.role == "admin"
    assert dialog.pages.currentIndex() == 1
    assert dialog.recovery and dialog.recovery in dialog.recovery_text.text()
    assert "保险柜" in dialog.recovery_text.text()
    assert not is_plain(data / "gridapp.db") and (data / "keyring.json").exists()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.done_button, LEFT)
    session = sessions.sign_in("A0001", PIN)
    store = sessions.open_store(session, clock)
    try:
        device = store.local_device()
        assert device is not None and device.role == role
    finally:
        store.close()
    if os.name == "posix":
        assert stat.S_IMODE(data.stat().st_mode) == 0o700
        assert {stat.S_IMODE(p.stat().st_mode) for p in data.iterdir() if p.is_file()} == {0o600}


def test_escape_after_creation_goes_on_signed_in(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock
) -> None:
    sessions = SessionService(tmp_path / "data", clock, FAST)
    dialog = FirstRunDialog(sessions, Catalog("zh_CN"))
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.reject()  # before: nothing made, the app quits
    assert dialog.result() == QDialog.DialogCode.Rejected
    assert not (tmp_path / "data").exists()
    dialog = FirstRunDialog(sessions, Catalog("zh_CN"))
    qtbot.addWidget(dialog)
    dialog.show()
    _fill(dialog, "field", "A0001", PIN, PIN)
    assert dialog.submit()
    dialog.reject()  # after: the folder is set up; go on with it
    assert dialog.result() == QDialog.DialogCode.Accepted


def test_the_app_starts_on_an_empty_folder_through_the_first_run(
    qtbot: QtBot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(session_module, "KDF_PARAMS", FAST)
    data = tmp_path / "data"
    shown: list[FirstRunDialog] = []

    def exec_(self: FirstRunDialog) -> int:
        shown.append(self)
        _fill(self, "field", "A0001", PIN, PIN)
        assert self.submit()
        self.accept()
        return int(QDialog.DialogCode.Accepted.value)

    monkeypatch.setattr(FirstRunDialog, "exec", exec_)
    go_on, session = app.sign_in_at_start(SessionService(data), False, Catalog("zh_CN"))
    assert go_on and session is not None and session.code == "A0001" and shown
    services = app.open_services(data, False, Catalog("zh_CN"), session.key)
    try:
        device = services.store.local_device()
        assert device is not None and device.role == "field"
    finally:
        services.store.close()
    assert not is_plain(data / "gridapp.db")


def test_without_a_window_the_first_run_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert app.main(["--data-dir", str(data), "--exit-when-ready"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "首次使用" in err and "init --worker" in err
    assert not data.exists()
