"""The shell as a user drives it: walk compound → building → household, see details."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.i18n import Catalog
from gridapp.model import mask_phone
from gridapp.services import Services
from gridapp.settings import Settings, UiState, load_settings
from gridapp.ui.households.navigator import ID_ROLE, KIND_ROLE
from gridapp.ui.shell.main_window import MainWindow, ShellContext

pytestmark = pytest.mark.gui


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


def _cell(w: MainWindow, row: int, column: int) -> str:
    item = w.detail.residents.item(row, column)
    assert item is not None
    return item.text()


def _tree_items(w: MainWindow, kind: str) -> list[tuple[str, str]]:
    model = w.navigator.model
    found = []
    for row in range(model.rowCount()):
        top = model.index(row, 0)
        if top.data(KIND_ROLE) == kind:
            found.append((top.data(), top.data(ID_ROLE)))
        for child_row in range(model.rowCount(top)):
            child = model.index(child_row, 0, top)
            if child.data(KIND_ROLE) == kind:
                found.append((child.data(), child.data(ID_ROLE)))
    return found


def test_opens_on_the_first_building_with_its_first_household_selected(
    window: MainWindow, demo_services: Services
) -> None:
    first = demo_services.read.buildings()[0]
    assert window.navigator.current() == ("building", first.id)
    assert window.households.rowCount() == first.households
    assert window.detail.current_id() == window.households.household_id(0)
    assert window.detail.title.text() == window.households.index(0, 0).data()
    assert "办公室" in window.status_role.text()
    assert str(window.context.data_dir) in window.status_data.text()


def test_walk_compound_building_household(
    window: MainWindow, qtbot: QtBot, demo_services: Services
) -> None:
    compounds = _tree_items(window, "compound")
    assert [label.split("　")[0] for label, _ in compounds] == [
        "建业新村",
        "临沂二村",
        "光鸿苑",
        "东方城市花园二期",
    ]
    window.navigator.select("compound", compounds[0][1])
    in_compound = window.households.rowCount()
    assert 0 < in_compound < 240
    building_label, building_id = _tree_items(window, "building")[1]
    window.navigator.select("building", building_id)
    expected = demo_services.read.household_ids(building_id=building_id)
    assert window.households.rowCount() == len(expected)
    assert f"/{len(expected)}" in building_label
    # choose the third household by clicking its row
    view = window.table
    rect = view.visualRect(window.households.index(2, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.detail.current_id() == expected[2]
    detail = demo_services.read.household(expected[2])
    assert detail is not None
    assert window.detail.title.text() == detail.row.address
    assert window.detail.residents.rowCount() == len(detail.residents)
    assert _cell(window, 0, 0) == detail.residents[0].name
    assert window.detail.timeline.topLevelItemCount() == len(detail.timeline)


def test_phones_are_masked_until_revealed_and_masked_again_on_the_next_household(
    window: MainWindow, qtbot: QtBot, demo_services: Services
) -> None:
    detail = demo_services.read.household(window.detail.current_id() or "")
    assert detail is not None
    phone = detail.residents[0].phones[0]
    assert _cell(window, 0, 3).startswith(mask_phone(phone))
    with qtbot.waitSignal(window.detail.phones_revealed) as signal:
        qtbot.mouseClick(window.detail.reveal_button, Qt.MouseButton.LeftButton)
    assert signal.args == [detail.row.id]
    assert _cell(window, 0, 3).startswith(phone)
    window.table.selectRow(1)
    assert "*" in _cell(window, 0, 3)


def test_household_code_box_opens_a_household(
    window: MainWindow, qtbot: QtBot, demo_services: Services
) -> None:
    last = demo_services.read.household_rows(demo_services.read.household_ids())[-1]
    window.code_box.setFocus()
    qtbot.keyClicks(window.code_box, last.code.lower())
    qtbot.keyClick(window.code_box, Qt.Key.Key_Return)
    assert window.detail.current_id() == last.id
    assert window.code_box.text() == ""
    qtbot.keyClicks(window.code_box, "NOPE-1")
    qtbot.keyClick(window.code_box, Qt.Key.Key_Return)
    assert "NOPE-1" in window.statusBar().currentMessage()


def test_switching_language_retranslates_and_is_remembered(
    window: MainWindow, tmp_path: Path
) -> None:
    window.language_actions["en"].trigger()
    assert window.file_menu.title() == "&File"
    assert window.households.headerData(0, Qt.Orientation.Horizontal) == "Address"
    assert window.navigator.model.index(0, 0).data() == "All households"
    assert "Role: office" in window.status_role.text()
    details = [
        window.detail.timeline.topLevelItem(i).text(2)  # type: ignore[union-attr]
        for i in range(window.detail.timeline.topLevelItemCount())
    ]
    assert details and all("；" not in d for d in details)  # "; " between the parts
    assert load_settings(tmp_path).language == "en"
    window.language_actions["zh_CN"].trigger()
    assert window.file_menu.title() == "文件(&F)"


def test_refresh_after_a_write_shows_it(
    window: MainWindow, demo_services: Services, clock: FixedClock
) -> None:
    from gridapp.services.visits import VisitInput

    clock.set(datetime(2023, 12, 20, 14, tzinfo=CHINA_TZ))  # after the demo's week
    household = window.detail.current_id()
    assert household is not None
    before = window.detail.timeline.topLevelItemCount()
    demo_services.visits.record(VisitInput(household, "W0101", "not_home"))
    window.refresh()
    assert window.detail.timeline.topLevelItemCount() == before + 1
    assert window.detail._values["callbacks"].text() != "—"


def test_window_state_is_remembered(window: MainWindow, tmp_path: Path) -> None:
    from gridapp.settings import load_ui_state

    building_id = _tree_items(window, "building")[0][1]
    window.navigator.select("building", building_id)
    window.close()
    state = load_ui_state(tmp_path)
    assert state.last_building_id == building_id
    assert state.geometry and len(state.splitter) == 3


def test_household_model_passes_the_model_tester(window: MainWindow, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.households)


def test_all_households_are_one_click_away(window: MainWindow) -> None:
    window.navigator.select("all", "")
    assert window.households.rowCount() == 240


def test_progress_and_counts_come_from_background_reads_on_a_file_database(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock
) -> None:
    from gridapp.demo import DemoOptions, build_demo
    from gridapp.services.reading import ReadingService
    from gridapp.storage.store import Store
    from gridapp.ui.common.jobs import ThreadReadPool
    from tests.conftest import make_services

    services = make_services(tmp_path / "gridapp.db", clock)
    build_demo(services, DemoOptions(households=120, seed=2))

    pool = ThreadReadPool(lambda: ReadingService(Store.open(tmp_path / "gridapp.db")))
    w = MainWindow(
        services,
        Catalog("zh_CN"),
        ShellContext(tmp_path, Settings(), UiState(), services.device.local()),
        pool,
    )
    qtbot.addWidget(w)
    with qtbot.waitSignals([w.counts_shown, w.navigator.progress_shown], timeout=10_000):
        w.show()
    counts = services.read.counts()
    assert f"{counts.households_visited}/{counts.households}" in w.status_counts.text()
    labels = [w.navigator.model.index(r, 0).data() for r in range(w.navigator.model.rowCount())]
    assert not any("…" in label for label in labels)
    pool.shutdown()
    services.store.close()


def test_navigator_model_passes_the_model_tester(window: MainWindow, qtmodeltester) -> None:  # type: ignore[no-untyped-def]
    qtmodeltester.check(window.navigator.model)


def test_the_search_box_finds_by_pinyin_initials_as_you_type(
    window: MainWindow,
    qtbot: QtBot,
    demo_services: Services,
    qtmodeltester: ModelTester,
) -> None:
    from pypinyin import Style, lazy_pinyin

    rows = demo_services.read.household_rows(demo_services.read.household_ids())
    target = next(r for r in rows if len(r.head_name) == 3 and r.head_name[0] in "王陈张李徐")
    initials = "".join(lazy_pinyin(target.head_name, style=Style.FIRST_LETTER))
    box = window.code_box
    box.setFocus()
    qtbot.keyClicks(box, initials)
    qtbot.waitUntil(lambda: box.model.rowCount() > 0, timeout=2000)
    ids = [r.id for r in box.model.rows]
    assert target.id in ids
    qtmodeltester.check(box.model)
    for _ in range(ids.index(target.id)):
        qtbot.keyClick(box, Qt.Key.Key_Down)
    qtbot.keyClick(box, Qt.Key.Key_Return)
    assert window.detail.current_id() == target.id
    assert window.tabs.currentWidget() is window.splitter


def test_a_new_laptop_is_ready_as_soon_as_its_roster_arrives(
    qtbot: QtBot, demo_services: Services, tmp_path: Path, clock: FixedClock
) -> None:
    """Signed in as W0101 on a laptop that has nothing yet: after the first roster
    bundle (the sync screen refreshes the window), the worker box names W0101, the
    households are listed, and a visit saves: no restart."""
    from gridapp.services.visits import VisitInput
    from tests.conftest import make_services

    lap = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    lap.act_as("W0101", "field")
    window = MainWindow(
        lap,
        Catalog("zh_CN"),
        ShellContext(tmp_path, Settings(), UiState(), lap.device.local()),
    )
    qtbot.addWidget(window)
    window.show()
    assert window.field.worker.count() == 0  # nobody on this laptop yet
    lap.sync.request(tmp_path / "req.json")
    demo_services.sync.allow_plain_laptops = True  # a plain test laptop
    demo_services.sync.enroll(tmp_path / "req.json", 1, tmp_path / "roster.gsb")
    assert lap.sync.import_files([tmp_path / "roster.gsb"])[0].status == "applied"
    window.refresh()  # what the sync screen does after an import
    assert window.field.worker.count() == 1
    assert window.field.worker_code() == "W0101" and not window.field.worker.isEnabled()
    assert window.households.rowCount() > 0
    household = window.households.household_id(0)
    lap.visits.record(VisitInput(household, window.field.worker_code(), "not_home"))


@pytest.mark.parametrize("lang", ["zh_CN", "en"])
def test_visits_and_last_outcome_are_on_a_1366_screen(
    qtbot: QtBot, demo_services: Services, tmp_path: Path, lang: str
) -> None:
    """A common field laptop is 1366×768: the list's 走访 and 最近结果 are on screen
    without scrolling, in either language, and no status is cut short."""
    from gridapp.ui.households.table_model import COLUMNS

    w = MainWindow(
        demo_services,
        Catalog(lang),
        ShellContext(tmp_path, Settings(), UiState(), demo_services.device.local()),
    )
    qtbot.addWidget(w)
    w.resize(1366, 740)
    w.splitter.setSizes([1366 * 19 // 100, 1366 * 47 // 100, 1366 * 34 // 100])
    w.show()
    qtbot.waitExposed(w)
    header, view = w.table.horizontalHeader(), w.table.viewport().width()
    for name in ("address", "head", "status", "visits", "last_outcome"):
        column = COLUMNS.index(name)
        assert header.sectionViewportPosition(column) + header.sectionSize(column) <= view, name
    metrics = w.table.fontMetrics()
    status = COLUMNS.index("status")
    for row in range(w.households.rowCount()):
        text = str(w.households.index(row, status).data())
        assert metrics.horizontalAdvance(text) < header.sectionSize(status), text
