"""The desktop meets the machine's faults: a damaged database at start offers the
newest good backup, a staged restore finishes at start, a locked or damaged database
during work becomes a Chinese message box, never a crash dialog."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from gridapp.app import main, open_or_recover
from gridapp.clock import FixedClock
from gridapp.errors import UnreadableFile
from gridapp.i18n import Catalog
from gridapp.services.backup import stage_restore
from gridapp.ui.shell.crash import CrashDialog, ErrorPresenter
from tests.conftest import make_services

pytestmark = pytest.mark.gui


def _wreck(path: Path) -> bytes:
    path.write_bytes(b"\x00garbage, not a database\x00" * 200)
    for suffix in ("-wal", "-shm"):
        path.with_name(path.name + suffix).unlink(missing_ok=True)
    return path.read_bytes()


def _data(tmp_path: Path, clock: FixedClock) -> Path:
    services = make_services(tmp_path / "data" / "gridapp.db", clock)
    services.households.add_compound("建业新村")
    services.backup.now()
    services.store.close()
    return tmp_path / "data"


def test_a_damaged_database_at_start_offers_the_newest_good_backup(
    tmp_path: Path, clock: FixedClock
) -> None:
    data = _data(tmp_path, clock)
    wrecked = _wreck(data / "gridapp.db")
    questions: list[str] = []
    told: list[str] = []

    def decline(question: str) -> bool:
        questions.append(question)
        return False

    # Declined: nothing changes, the error stands.
    with pytest.raises(UnreadableFile):
        open_or_recover(data, False, Catalog("zh_CN"), decline, told.append)
    assert "已损坏" in questions[0] and (data / "gridapp.db").read_bytes() == wrecked
    services = open_or_recover(data, False, Catalog("zh_CN"), lambda q: True, told.append)
    try:
        assert services.store.integrity_ok()
        assert services.read.compound_names()[0][1] == "建业新村"
        assert "已从备份恢复" in told[0]
    finally:
        services.store.close()
    assert list(data.glob("gridapp-replaced-*.db"))


def test_a_damaged_encrypted_database_is_offered_its_backup_too(
    tmp_path: Path, clock: FixedClock
) -> None:
    """With the key this folder's keyring unwrapped, a first page SQLCipher cannot read
    is damage (or a foreign file), not a wrong PIN: the newest good backup is offered."""
    import secrets

    from gridapp.services import Services
    from gridapp.storage.store import Store

    key = secrets.token_bytes(32)
    data = tmp_path / "data"
    services = Services(Store.open(data / "gridapp.db", clock, key))
    services.device.initialise("office", "test office")
    services.act_as("A0001", "admin")
    services.households.add_compound("建业新村")
    services.backup.now()
    services.store.close()
    raw = bytearray((data / "gridapp.db").read_bytes())
    raw[100:3100] = bytes(3000)
    (data / "gridapp.db").write_bytes(bytes(raw))
    asked: list[str] = []

    def accept(question: str) -> bool:
        asked.append(question)
        return True

    restored = open_or_recover(data, False, Catalog("zh_CN"), accept, print, key)
    restored.act_as("A0001", "admin")  # app.py binds the signed-in worker next
    try:
        assert asked and restored.read.compound_names()[0][1] == "建业新村"
    finally:
        restored.store.close()


def test_a_damaged_database_without_a_backup_says_so(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _wreck(data / "gridapp.db")
    with pytest.raises(UnreadableFile) as caught:
        open_or_recover(data, False, Catalog("zh_CN"), lambda q: True, print)
    assert "没有可用的备份" in Catalog("zh_CN").error(caught.value)


def test_a_staged_restore_finishes_at_start(tmp_path: Path, clock: FixedClock) -> None:
    data = _data(tmp_path, clock)
    from gridapp.services import Services
    from gridapp.storage.store import Store

    live = Services(Store.open(data / "gridapp.db", clock))
    live.households.add_compound("南码头小区")
    [backup] = live.backup.list()
    live.backup.stage_restore(Path(backup.path))
    live.store.close()
    told: list[str] = []
    services = open_or_recover(data, False, Catalog("zh_CN"), lambda q: False, told.append)
    try:
        assert [n for _, n in services.read.compound_names()] == ["建业新村"]
    finally:
        services.store.close()
    assert "已从备份恢复" in told[0]
    # a staged restore whose backup was tampered with since: refused, said, forgotten
    stage_restore(data, Path(backup.path))
    Path(backup.path).write_bytes(b"tampered")
    told.clear()
    services = open_or_recover(data, False, Catalog("zh_CN"), lambda q: False, told.append)
    services.store.close()
    assert "拒绝恢复" in told[0] and not (data / "restore-pending.json").exists()


def test_main_exits_cleanly_on_a_damaged_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    _wreck(data / "gridapp.db")
    assert main(["--data-dir", str(data), "--exit-when-ready"]) == 1
    err = capsys.readouterr().err
    assert "Traceback" not in err and "损坏" in err
    # Ended early, it leaves no garbage collector timed on the application behind: one
    # left running collected inside the next test and crashed it now and then.
    from PySide6.QtWidgets import QApplication

    from gridapp.ui.shell.collector import UiThreadCollector

    app = QApplication.instance()
    assert app is not None
    assert [c for c in app.children() if isinstance(c, UiThreadCollector)] == []


def test_database_faults_during_work_become_a_message(qtbot: QtBot) -> None:
    presenter = ErrorPresenter(Catalog("zh_CN"))
    presenter.db_path = Path("/data/gridapp.db")
    for text, words in (
        ("database is locked", "正被另一个程序使用"),
        ("database disk image is malformed", "已损坏"),
        ("database or disk is full", "磁盘已满"),
    ):
        error = sqlite3.OperationalError(text)
        presenter.handle(type(error), error, None)
        dialog = presenter.last_dialog
        assert dialog is not None and not isinstance(dialog, CrashDialog)
        assert words in dialog.text()  # type: ignore[attr-defined]
        dialog.close()


@pytest.mark.slow
def test_the_demo_starts_on_an_empty_folder_signed_in_as_its_administrator(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`gridapp --demo` on an empty folder: encrypted demo, signed in as A0001 from the
    first read on (every call acts as someone), the window ready."""
    from gridapp.services import session as session_module
    from gridapp.trust.crypto import FAST

    monkeypatch.setattr(session_module, "KDF_PARAMS", FAST)
    data = tmp_path / "demo"
    assert main(["--data-dir", str(data), "--demo", "--exit-when-ready"]) == 0
    assert (data / "keyring.json").exists()
    # Nothing of it ends later event loops: a quit posted by its closing window used to
    # (every QEventLoop then returned at once, and the next GUI tests timed out).
    QApplication.processEvents()
    fired: list[bool] = []
    loop = QEventLoop()

    def fire() -> None:
        fired.append(True)
        loop.quit()

    QTimer.singleShot(20, fire)
    loop.exec()
    assert fired


def test_a_screenshot_is_saved_and_the_app_quits(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The README's `--screenshot` on a machine without a display: saved, then it quits
    (it used to wait forever); the demo, given no folder, has its own and says which."""
    from gridapp.services import session as session_module
    from gridapp.trust.crypto import FAST

    monkeypatch.setattr(session_module, "KDF_PARAMS", FAST)
    monkeypatch.delenv("GRIDAPP_DATA_DIR", raising=False)
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "home"))
    shot = tmp_path / "shot.png"
    assert main(["--demo", "--screenshot", str(shot)]) == 0
    assert shot.stat().st_size > 10_000
    demo = tmp_path / "home" / "gridapp-demo"
    assert (demo / "gridapp.db").exists() and not (tmp_path / "home" / "gridapp").exists()
    captured = capsys.readouterr()
    assert f"demo data: {demo}" in captured.err and f"saved to {shot}" in captured.out
