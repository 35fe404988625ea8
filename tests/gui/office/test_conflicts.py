"""Two laptops change the same phone: both values kept, one conflict queued, staff decide
in the review screen, and the decision reaches both laptops."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.office.conflicts import ConflictsView
from gridapp.ui.sync.screens import SyncDialog
from tests.conftest import make_services

pytestmark = pytest.mark.gui


def _phone(services: Services, phone_id: str) -> str:
    row = services.store.db.execute("SELECT number FROM phone WHERE id = ?", [phone_id]).fetchone()
    return str(row[0])


def test_a_phone_conflict_from_two_laptops(qtbot: QtBot, tmp_path: Path, clock: FixedClock) -> None:
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=80, seed=4))
    laptops = []
    for name in ("lap1", "lap2"):
        lap = make_services(tmp_path / name / "gridapp.db", clock, role="field")
        lap.sync.request(tmp_path / f"{name}.json")
        office.sync.enroll(tmp_path / f"{name}.json", 1, tmp_path / f"{name}-roster.gsb")
        laptops.append(lap)
    roster = tmp_path / "roster.gsb"
    office.sync.roster(1, roster)
    for lap in laptops:
        [result] = lap.sync.import_files([roster])
        assert result.status == "applied"
    phone_id, original = office.store.db.execute(
        """SELECT p.id, p.number FROM phone p JOIN resident r ON r.id = p.resident_id
           JOIN household h ON h.id = r.household_id JOIN assignment a
           ON a.building_id = h.building_id JOIN team t ON t.id = a.team_id
           WHERE t.number = 1 LIMIT 1"""
    ).fetchone()
    clock.advance(days=30)
    laptops[0].households.change_phone(phone_id, "13911112222")
    clock.advance(hours=2)
    laptops[1].households.change_phone(phone_id, "13933334444")
    bundles = []
    for n, lap in enumerate(laptops):
        bundles.append(tmp_path / f"b{n}.gsb")
        lap.sync.export(bundles[-1])

    dialog = SyncDialog(office.sync, Catalog("zh_CN"))
    qtbot.addWidget(dialog)
    with qtbot.waitSignal(dialog.changed):
        results = dialog.import_paths(bundles)
    assert [r.status for r in results] == ["applied", "applied"]
    assert dialog.results.rowCount() == 2
    assert office.read.counts().conflicts_open == 1
    # the later change is in use for now; both values are kept
    assert _phone(office, phone_id) == "13933334444"

    office.act_as("B0001", "office")
    view = ConflictsView(office.sync, Catalog("zh_CN"))
    qtbot.addWidget(view)
    view.show()
    assert view.table.rowCount() == 1
    assert view.candidates.count() == 2
    labels = [view.candidates.item(i).text() for i in range(2)]
    assert any("暂用" in label and "13933334444" in label for label in labels)
    choice = next(i for i, label in enumerate(labels) if "13911112222" in label)
    view.candidates.setCurrentRow(choice)
    with qtbot.waitSignal(view.resolved):
        qtbot.mouseClick(view.resolve_button, Qt.MouseButton.LeftButton)
    assert view.table.rowCount() == 0
    assert office.read.counts().conflicts_open == 0
    assert _phone(office, phone_id) == "13911112222"

    decision = tmp_path / "decision.gsb"
    office.sync.roster(1, decision)
    for lap in laptops:
        [result] = lap.sync.import_files([decision])
        assert result.status == "applied"
        assert _phone(lap, phone_id) == "13911112222"
        resolved = lap.sync.conflicts(include_resolved=True)
        assert [c["resolution"] for c in resolved] == ["13911112222"]
    assert original not in {"13911112222", "13933334444"}


# two of the dropped files are not bundles: their refusals are logged
@pytest.mark.expected_log(
    r"^refused a\.gsb: error\.bundle\.not_a_bundle ", r"^refused b\.gsb: error\.bundle\.empty "
)
def test_dropping_files_on_the_sync_screen_imports_them(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock
) -> None:
    from PySide6.QtCore import QMimeData, QPointF, QUrl
    from PySide6.QtGui import QDropEvent

    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    dialog = SyncDialog(office.sync, Catalog("zh_CN"))
    qtbot.addWidget(dialog)
    junk = tmp_path / "usb"
    junk.mkdir()
    (junk / "a.gsb").write_bytes(b"not a bundle")
    (junk / "b.gsb").write_bytes(b"")
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(junk))])
    event = QDropEvent(
        QPointF(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.NoButton,
        Qt.KeyboardModifier.NoModifier,
    )
    dialog.dropEvent(event)
    assert dialog.results.rowCount() == 2
    items = [dialog.results.item(r, 1) for r in range(2)]
    texts = [item.text() for item in items if item is not None]
    assert len(texts) == 2 and all("拒收" in text for text in texts)
