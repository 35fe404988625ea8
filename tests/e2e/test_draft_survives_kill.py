"""Kill the app with SIGKILL in the middle of typing a visit: the draft comes back whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
from pytestqt.qtbot import QtBot

from gridapp.cli import main
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.storage.store import Store
from gridapp.ui.field.visit_dialog import VisitDialog

pytestmark = [pytest.mark.gui, pytest.mark.slow]

NOTES = "居民说：楼上漏水三个月了，物业一直没来修。"

CHILD = textwrap.dedent("""
    import sys, time
    from pathlib import Path
    from PySide6.QtGui import QInputMethodEvent
    from PySide6.QtWidgets import QAbstractButton, QApplication
    app = QApplication([])
    from gridapp.i18n import Catalog
    from gridapp.services import Services
    from gridapp.storage.store import Store
    from gridapp.ui.field.visit_dialog import VisitDialog
    services = Services(Store.open_in(Path(sys.argv[1])))
    household = services.read.household_ids()[3]
    dialog = VisitDialog(services, Catalog(), household, "W0101")
    dialog.show()
    dialog.findChild(QAbstractButton, "outcome_met").setChecked(True)
    dialog.form.findChild(QAbstractButton, "choice_stance_oppose").setChecked(True)
    dialog.notes.setFocus()
    for char in sys.argv[2]:  # one keystroke at a time, as an input method commits
        event = QInputMethodEvent()
        event.setCommitString(char)
        QApplication.sendEvent(dialog.notes, event)
        app.processEvents()
        time.sleep(0.02)
    end = time.monotonic() + 0.6  # longer than the autosave delay, then "typing" goes on
    while time.monotonic() < end:
        app.processEvents()
        time.sleep(0.02)
    print("TYPED", household, flush=True)
    while True:
        app.processEvents()
        time.sleep(0.02)
""")


def test_the_draft_survives_sigkill(
    tmp_path: Path, qtbot: QtBot, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "laptop"
    assert main(["--data-dir", str(data), "demo", "--households", "40"]) == 0
    capsys.readouterr()
    script = tmp_path / "child.py"
    script.write_text(CHILD, encoding="utf-8")
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    child = subprocess.Popen(
        [sys.executable, str(script), str(data), NOTES],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert child.stdout is not None
    line = child.stdout.readline()
    assert line.startswith("TYPED"), line
    household = line.split()[1]
    os.kill(child.pid, signal.SIGKILL)  # no chance to save anything more
    child.wait(timeout=10)
    child.stdout.close()
    assert child.returncode == -signal.SIGKILL

    store = Store.open_in(data)
    assert store.integrity_ok()
    services = Services(store)
    draft = services.drafts.for_household("visit", household)
    assert draft is not None
    assert draft["payload"]["notes"] == NOTES
    assert draft["payload"]["outcome"] == "met"
    dialog = VisitDialog(services, Catalog(), household, "W0101")
    qtbot.addWidget(dialog)
    assert dialog.restored
    assert dialog.notes.toPlainText() == NOTES
    assert dialog.form is not None and dialog.form.state.answers["stance"] == "oppose"
    store.close()
