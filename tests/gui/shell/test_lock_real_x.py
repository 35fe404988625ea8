"""The sign-in and the lock screen under a real X server, typed with real key events.

gridapp runs in its own process on Qt's xcb platform against a private Xvfb; xdotool
types as a keyboard would (XTEST). The window title is the probe: a locked window's
carries 已锁定. As office staff B0001: one typo at sign-in counts once; 文件 → 立即锁定
(Ctrl+Shift+L) locks, even typed in a window-modal dialog; the keys typed then reach the
lock screen's PIN box; a wrong PIN is refused and counted once, the right one unlocks;
the idle lock comes by itself and says so; Ctrl+Q on the lock screen quits.
"""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from gridapp import audit_actions
from gridapp.demo import DemoOptions, build_demo
from gridapp.services import Services
from gridapp.services.session import SessionService
from gridapp.storage.store import Store
from gridapp.trust.crypto import FAST
from gridapp.trust.keyring import load_keyring
from tests.gui.real_x import ROOT, XServer, running_xvfb, wait_for

pytestmark = [pytest.mark.gui, pytest.mark.slow]

PINS = {"A0001": "246813", "B0001": "135792"}
IDLE_SECONDS = 5
LOCKED = "已锁定"


@pytest.fixture(scope="module")
def x() -> Iterator[XServer]:
    with running_xvfb() as server:
        yield server


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """An encrypted office with an administrator, B0001 and a small demo campaign. The
    keyring's cheap key derivation is stored in it, so the app opens it quickly too."""
    folder = tmp_path / "office"
    sessions = SessionService(folder, params=FAST)
    admin, _ = sessions.set_up("A0001", "admin", PINS["A0001"])
    sessions.accounts.add(admin, "B0001", "office", PINS["B0001"])
    services = Services(Store.open_in(folder, key=admin.key))
    services.device.initialise("office", "测试办公室")
    build_demo(services, DemoOptions(households=40, seed=7))
    services.store.close()
    return folder


@pytest.fixture
def app(x: XServer, data_dir: Path, tmp_path: Path) -> Iterator[subprocess.Popen[bytes]]:
    env = {**x.env, "PYTHONPATH": str(ROOT), "GRIDAPP_IDLE_LOCK_SECONDS": str(IDLE_SECONDS)}
    with (tmp_path / "app.out").open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "gridapp.app", "--data-dir", str(data_dir)],
            env=env,
            cwd=ROOT,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
        yield process
    if process.poll() is None:
        process.kill()
        process.wait()


def _failures(data_dir: Path, code: str) -> int:
    keyring = load_keyring(data_dir / "keyring.json")
    entry = keyring.find(code) if keyring else None
    assert entry is not None
    return entry.failures


def _log(data_dir: Path) -> str:
    path = data_dir / "logs" / "gridapp.log"
    return path.read_text(encoding="utf-8") if path.exists() else ""


def _main_window(x: XServer) -> str | None:
    shown = [w for w in x.windows("gridapp") if "登录" not in x.title(w)]
    return shown[0] if shown else None


def _settle() -> None:
    """Long enough for a second, duplicate submit to have landed if there were one."""
    time.sleep(0.5)


def test_sign_in_lock_unlock_idle_and_quit_with_real_keys(
    x: XServer, data_dir: Path, app: subprocess.Popen[bytes], tmp_path: Path
) -> None:
    # Sign in: the code, Tab, a typo and Return — one failure, not two.
    sign_in = wait_for("the sign-in window", lambda: x.windows("登录"))[0]
    x.type("B0001", window=sign_in)
    x.key("Tab")
    x.type("975310")
    x.key("Return")
    wait_for("the typo counted", lambda: _failures(data_dir, "B0001") > 0)
    _settle()
    assert _failures(data_dir, "B0001") == 1
    x.type(PINS["B0001"])  # the box was cleared and keeps the focus
    x.key("Return")
    window = wait_for("the main window", lambda: _main_window(x))
    assert LOCKED not in x.title(window)
    assert _failures(data_dir, "B0001") == 0  # a right PIN starts the count again

    # A window-modal dialog open (线上解答, as a visit form would be), then 文件 → 立即锁定
    # by its shortcut, typed in that dialog.
    x.key("ctrl+o", window=window)
    dialog = wait_for("the online-answer dialog", lambda: x.windows("线上解答"))[0]
    x.type("parking fee?", window=dialog)  # the question has the keys, Tab moves on
    x.key("Tab")
    x.type("explained at the door")
    x.key("ctrl+shift+l", window=dialog)
    wait_for("the manual lock", lambda: LOCKED in x.title(window))
    assert "线上解答" not in x.title(dialog)  # no title gives anything away
    assert "locked by hand" in _log(data_dir)
    x.screenshot(tmp_path / "locked.png")
    # Typed where the app put the keyboard: the lock screen's PIN box, not blocked by
    # the dialog behind it.
    x.type("000000")
    x.key("Return")
    wait_for("the wrong PIN counted", lambda: _failures(data_dir, "B0001") > 0)
    _settle()
    assert _failures(data_dir, "B0001") == 1 and LOCKED in x.title(window)
    x.type(PINS["B0001"])
    x.key("Return")
    wait_for("the unlock", lambda: LOCKED not in x.title(window))
    assert "线上解答" in x.title(dialog)
    # Act in the unlocked session: Ctrl+Enter saves the answer typed before the lock.
    x.key("ctrl+Return", window=dialog)
    wait_for("the answer saved", lambda: not x.windows("线上解答"))

    # Nobody touches it: the idle lock, which says how long it waited.
    wait_for("the idle lock", lambda: LOCKED in x.title(window), timeout=IDLE_SECONDS + 30)
    # The log line is written as the lock shows: wait for it rather than race it.
    idle = wait_for(
        "the idle lock's log line",
        lambda: re.search(r"locked after (\d+) s without input", _log(data_dir)),
    )
    assert int(idle.group(1)) >= IDLE_SECONDS
    x.type(PINS["B0001"])
    x.key("Return")
    wait_for("the second unlock", lambda: LOCKED not in x.title(window))

    # Locked again, Ctrl+Q quits (and shows nothing on the way out).
    x.key("ctrl+shift+l", window=window)
    wait_for("the last lock", lambda: LOCKED in x.title(window))
    x.key("ctrl+q")
    assert app.wait(timeout=60) == 0, (tmp_path / "app.out").read_text(errors="replace")
    assert "quit from the lock screen" in _log(data_dir)

    # The audit log: B0001's sign-in (after one typo), one wrong and two right unlocks.
    sessions = SessionService(data_dir, params=FAST)
    admin = sessions.sign_in("A0001", PINS["A0001"])
    services = Services(Store.open_in(data_dir, key=admin.key))
    services.act_as(admin.code, admin.role)
    try:
        actions = [e.action for e in services.audit.entries(actor="B0001")]
        # Every entry of that session names B0001: the only others are the app's own
        # automatic backups and the typed-in codes of sign-in attempts.
        others = {
            (e.actor, e.action)
            for e in services.audit.entries()
            if e.actor != "B0001" and e.action not in (audit_actions.SIGN_IN_FAILED,)
        }
        # What B0001 did is credited to B0001: the answer's worker and its log entry.
        saved = services.store.db.execute(
            "SELECT w.code, c.actor FROM online_answer o JOIN worker w ON w.id = o.worker_id"
            " JOIN change_log c ON c.record_id = o.id WHERE o.question = 'parking fee?'"
        ).fetchall()
    finally:
        services.store.close()
    assert actions.count(audit_actions.SIGN_IN) == 3
    assert actions.count(audit_actions.SIGN_IN_FAILED) == 1
    assert saved == [("B0001", "B0001")]
    assert others <= {("system", audit_actions.BACKUP_MADE)}, others
