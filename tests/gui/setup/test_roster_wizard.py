"""The roster wizard driven through real files: a good file imports (on its own thread
and connection) and says so; a bad file shows its problems and writes nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QTableWidgetItem, QWizard
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.setup.roster_preview import DUPLICATE_BRUSH
from gridapp.ui.setup.roster_wizard import RosterWizard
from tests.conftest import make_services
from tests.unit.roster.helpers import GOOD, write_csv, write_xlsx

pytestmark = pytest.mark.gui


@pytest.fixture
def office(tmp_path: Path, clock: FixedClock) -> Iterator[Services]:
    services = make_services(tmp_path / "office" / "gridapp.db", clock)
    yield services
    services.store.close()


def _wizard(qtbot: QtBot, services: Services) -> RosterWizard:
    wizard = RosterWizard(services, Catalog("zh_CN"))
    qtbot.addWidget(wizard)
    wizard.show()
    return wizard


def _to_preview(qtbot: QtBot, wizard: RosterWizard, path: Path) -> None:
    wizard.set_file(path)
    wizard.next()
    assert wizard.currentPage() is wizard.mapping_page
    wizard.next()
    assert wizard.currentPage() is wizard.preview_page
    qtbot.waitUntil(lambda: wizard.preview_page.preview is not None)


def test_a_good_file_imports_on_a_worker_thread(
    qtbot: QtBot, office: Services, tmp_path: Path
) -> None:
    path = write_xlsx(tmp_path / "花名册.xlsx", extra_sheets=["说明"])
    wizard = _wizard(qtbot, office)
    wizard.set_file(path)
    assert wizard.file_page.sheet.count() == 2
    wizard.next()
    combos = wizard.mapping_page.combos
    assert [c.currentData() for c in combos][:4] == ["compound", "building", "unit", "room"]
    assert combos[4].currentText() == "户主"
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.preview is not None)
    page = wizard.preview_page
    assert page.isComplete() and not page.skip.isVisible()
    assert "共 6 行：无误 6 行" in page.summary.text()
    # A clean file opens on the sample: the rows as they will be stored, phones masked.
    assert page.views.currentWidget() is page.sample and page.sample.rowCount() == 6
    assert page.errors_label.isHidden()  # nothing to save: no "问题行保存到" either

    def row(r: int) -> list[str]:
        items = [page.sample.item(r, c) for c in range(page.sample.columnCount())]
        return [item.text() if item is not None else "" for item in items]

    assert row(0) == ["2", "建业新村", "12", "2", "301", "3", "张三丰", "138****5678", "85.5", "3"]
    assert row(2)[2:6] == ["12", "2", "1201", "12"]  # full-width 12; floor from the room
    wizard.preview_page.grab().save(str(tmp_path / "preview.png"))
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as blocker:
        wizard.next()
    result = blocker.args[0]
    assert result.households == 6
    assert wizard.import_page.isComplete()
    assert "已导入 6 户" in wizard.import_page.status.text()
    assert office.read.counts().households == 6  # the GUI's own connection sees it


def test_a_bad_file_shows_its_problems_and_writes_nothing(
    qtbot: QtBot, office: Services, tmp_path: Path
) -> None:
    rows = [GOOD[0], ("建业新村", "12", "2", "303", "李", "1.38E+10", "", "", ""), GOOD[0]]
    path = write_csv(tmp_path / "r.csv", rows, encoding="gbk")
    before = office.read.counts()
    wizard = _wizard(qtbot, office)
    _to_preview(qtbot, wizard, path)
    page = wizard.preview_page
    table = page.problems
    assert table.rowCount() == 2

    def item(r: int, c: int) -> QTableWidgetItem:
        found = table.item(r, c)
        assert found is not None
        return found

    cells = [[item(r, c).text() for c in range(3)] for r in range(2)]
    assert cells[0][:2] == ["3", "联系电话"] and "科学计数法" in cells[0][2]
    assert cells[1][:2] == ["4", "室号"] and "第 2 行" in cells[1][2]
    assert item(1, 0).background() == DUPLICATE_BRUSH
    assert item(0, 0).background() != DUPLICATE_BRUSH
    assert not page.isComplete()  # nothing can be imported while problems stand
    assert page.skip.isVisible()
    assert wizard.button(QWizard.WizardButton.CommitButton).isEnabled() is False
    wizard.reject()
    assert office.read.counts() == before


def test_skipping_bad_rows_writes_the_workbook(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    rows = [GOOD[0], ("建业新村", "12", "2", "", "无室号", "", "", "", "")]
    path = write_csv(tmp_path / "r.csv", rows)
    wizard = _wizard(qtbot, services)  # in memory: the work runs at once
    _to_preview(qtbot, wizard, path)
    page = wizard.preview_page
    page.skip.setChecked(True)
    assert page.isComplete() and page.errors_out.isEnabled()
    page.errors_out.setText(str(tmp_path / "问题.xlsx"))
    with qtbot.waitSignal(wizard.imported) as blocker:
        wizard.next()
    assert blocker.args[0].households == 1 and blocker.args[0].skipped == 1
    assert (tmp_path / "问题.xlsx").exists()
    assert "问题.xlsx" in wizard.import_page.status.text()


def test_an_unrecognised_column_is_mapped_by_the_user(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    header = (
        "小区名称",
        "楼宇",
        "单元",
        "室号",
        "户主姓名",
        "联系电话",
        "建筑面积",
        "户籍人数",
        "备注",
    )
    path = write_csv(tmp_path / "r.csv", header=header)
    wizard = _wizard(qtbot, services)
    wizard.set_file(path)
    wizard.next()
    mapping = wizard.mapping_page
    assert mapping.combos[1].currentData() is None
    wizard.next()  # refused: no building column
    assert wizard.currentPage() is mapping
    assert "楼号" in mapping.error.text()
    mapping.combos[1].setCurrentIndex(mapping.combos[1].findData("building"))
    wizard.next()
    qtbot.waitUntil(lambda: wizard.preview_page.preview is not None)
    assert wizard.preview_page.preview.valid == 6


def test_a_file_that_cannot_be_read_stays_on_the_first_page(
    qtbot: QtBot, services: Services, tmp_path: Path
) -> None:
    path = tmp_path / "big5.csv"
    path.write_bytes("社區,樓號,室號\n建業新村,12,301\n".encode("big5"))
    wizard = _wizard(qtbot, services)
    wizard.set_file(path)
    wizard.next()
    assert wizard.currentPage() is wizard.file_page
    assert "big5.csv" in wizard.file_page.error.text()


def test_an_encrypted_database_imports_on_the_workers_own_connection(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock
) -> None:
    """The worker thread opens its own connection: with the database's key, or the
    import could not even read an encrypted office database."""
    import secrets

    from gridapp.storage.store import Store

    store = Store.open(tmp_path / "office" / "gridapp.db", clock, secrets.token_bytes(32))
    services = Services(store)
    services.device.initialise("office", "test office")
    services.act_as("B0001", "office")  # the worker thread acts as the same worker
    wizard = _wizard(qtbot, services)
    _to_preview(qtbot, wizard, write_csv(tmp_path / "花名册.csv"))
    assert wizard.preview_page.preview.valid == len(GOOD)
    with qtbot.waitSignal(wizard.imported, timeout=20_000) as blocker:
        wizard.next()
    assert blocker.args[0].households == len(GOOD)
    assert services.read.counts().households == len(GOOD)
    store.close()
