"""The office dashboard: figures on screen, then a field laptop's bundle is imported,
the lead's refresh() runs, and tiles and charts move while the old figures stay up."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.reading import ReadingService
from gridapp.services.visits import VisitInput
from gridapp.storage.store import Store
from gridapp.ui.common.jobs import ThreadReadPool
from gridapp.ui.office.dashboard import DashboardView
from tests.conftest import make_services

pytestmark = pytest.mark.gui

ANSWERS = {"stance": "agree", "satisfaction": 4}
THU = datetime(2023, 12, 7, 20, 0, tzinfo=CHINA_TZ)


@pytest.fixture
def office(tmp_path: Path, clock: FixedClock) -> Iterator[Services]:
    s = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(s, DemoOptions(households=80, seed=4))
    clock.set(THU)
    yield s
    s.store.close()


@pytest.fixture
def pool(office: Services, clock: FixedClock) -> Iterator[ThreadReadPool]:
    path = office.store.path
    p = ThreadReadPool(lambda: ReadingService(Store.open(path, clock)))
    yield p
    p.shutdown()


def _laptop_bundle(office: Services, tmp_path: Path, clock: FixedClock) -> Path:
    """A team-1 laptop visits a household nobody has reached yet; its sync bundle."""
    lap = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    lap.sync.request(tmp_path / "lap.json")
    office.sync.enroll(tmp_path / "lap.json", 1, tmp_path / "roster.gsb")
    [roster] = lap.sync.import_files([tmp_path / "roster.gsb"])
    assert roster.status == "applied"
    household = lap.field.unreached(1)[0].id
    lap.visits.record(VisitInput(household, "W0101", "met", answers=ANSWERS, started_at=THU))
    lap.sync.export(tmp_path / "b1.gsb")
    lap.store.close()
    return tmp_path / "b1.gsb"


def _tile(view: DashboardView, name: str) -> str:
    return view.tiles[name].value.text()


def test_the_dashboard_follows_an_imported_bundle(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock, office: Services, pool: ThreadReadPool
) -> None:
    view = DashboardView(office.read, Catalog("zh_CN"), pool)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    with qtbot.waitSignal(view.refreshed, timeout=20_000):
        view.show()
    before = office.read.counts()
    assert _tile(view, "households_visited") == f"{before.households_visited:,}"
    assert _tile(view, "consultations") == f"{before.consultations:,}"
    assert _tile(view, "coverage") == f"{before.households_visited / before.households:.1%}"
    charts = view.charts
    assert charts is not None
    snap = view.snapshot
    assert snap is not None
    days = [charts.day_bars.at(i) for i in range(charts.day_bars.count())]
    assert days == [float(d.visits) for d in snap.days]
    assert charts.day_categories[0] == "12-04"
    line = [p.y() for p in charts.day_line.points()]
    assert line == [float(d.cumulative) for d in snap.days if d.cumulative is not None]
    assert line[-1] == before.households_visited
    team1 = charts.team_bars.at(0)
    assert charts.team_bars.count() == 16 and charts.team_categories[0] == "1"
    met = charts.outcome_pie.slices()[0].value()
    assert view.laptops.model().rowCount() == 0

    bundle = _laptop_bundle(office, tmp_path, clock)
    [result] = office.sync.import_files([bundle])
    assert result.status == "applied"
    view.reload()  # what the window does after every import
    # The old figures stay on screen while the new ones are read.
    assert view.loading and view.status.text() == "正在更新…"
    assert _tile(view, "households_visited") == f"{before.households_visited:,}"
    qtbot.waitUntil(lambda: not view.loading, timeout=20_000)

    after = office.read.counts()
    assert after.households_visited == before.households_visited + 1
    assert _tile(view, "households_visited") == f"{after.households_visited:,}"
    assert _tile(view, "consultations") == f"{before.consultations + 1:,}"
    assert view.status.text().startswith("数据截至")
    thursday = charts.day_categories.index("12-07")
    assert charts.day_bars.at(thursday) == days[thursday] + 1
    assert charts.day_line.points()[-1].y() == after.households_visited
    assert view.snapshot is not None
    team = next(t for t in view.snapshot.teams if t.team == 1)
    assert charts.team_bars.at(0) == round(team.share * 100) >= team1
    assert charts.outcome_pie.slices()[0].value() == met + 1
    laptops = view.laptops.rows
    assert laptops.rowCount() == 1
    assert laptops.text(0, 1) == "1" and laptops.text(0, 3) != "—"
    assert laptops.text(0, 5) == "无"


def test_a_refresh_during_a_refresh_runs_once_more_after_it(
    qtbot: QtBot, office: Services, pool: ThreadReadPool
) -> None:
    view = DashboardView(office.read, Catalog("en"), pool)
    qtbot.addWidget(view)
    with qtbot.waitSignal(view.refreshed, timeout=20_000):
        view.show()
    shown: list[object] = []
    view.refreshed.connect(lambda: shown.append(view.snapshot))
    view.reload()
    view.reload()
    view.reload()
    qtbot.waitUntil(lambda: len(shown) == 2 and not view.loading, timeout=20_000)
    assert view.status.text().startswith("Figures as of")
    assert view.tiles["coverage"].caption.text() == "Coverage"


def test_hidden_it_waits_to_be_shown(qtbot: QtBot, office: Services) -> None:
    view = DashboardView(office.read, Catalog("zh_CN"))  # synchronous reads
    qtbot.addWidget(view)
    view.reload()
    assert view.snapshot is None and view.charts is None  # nothing read, QtCharts not loaded
    view.show()
    assert view.snapshot is not None and view.charts is not None
    assert view.tabs.tabText(1).startswith("待回访")
    new = sum(r.new for r in view.snapshot.reviews)
    assert new and view.tabs.tabText(4) == f"审核（待审 {new:,}）"
    model = view.reviews.model()
    assert model is not None and model.rowCount() == len(view.snapshot.reviews)
    assert [model.headerData(c, Qt.Orientation.Horizontal) for c in range(4)] == [
        "小组",
        "待审",
        "已通过",
        "退回待改",
    ]


@pytest.mark.expected_log(r"^refused forged\.gsb: error\.bundle\.authority\.")  # the refusal
def test_a_refused_bundle_raises_an_alarm_on_the_dashboard(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock, office: Services, pool: ThreadReadPool
) -> None:
    """A laptop's signed bundle that writes for another team: the office sees it."""
    import json
    import uuid

    from gridapp.sync.container import BundleReader, write_bundle
    from gridapp.sync.crypto import DeviceKeys

    bundle = _laptop_bundle(office, tmp_path, clock)
    lap = Services(Store.open(tmp_path / "lap" / "gridapp.db", clock))
    lap_keys = DeviceKeys.of(lap.store.require_device())
    lap.store.close()
    office_keys = DeviceKeys.of(office.store.require_device())
    with BundleReader(bundle) as reader:
        _, manifest = reader.verify([lap_keys.public])
        records = list(reader.records(manifest, office_keys))
    for record in records:
        if record["entity"] == "visit":
            record["fields"]["device_id"] = str(uuid.uuid4())  # posing as another laptop
    forged = tmp_path / "forged.gsb"
    head = {k: manifest.raw[k] for k in ("kind", "created_at", "schema", "seq_from", "seq_to")}
    write_bundle(
        forged, head | {"bundle_id": str(uuid.uuid4())}, records, lap_keys, [office_keys.public]
    )
    [result] = office.sync.import_files([forged])
    assert result.reason == "error.bundle.authority.other_device"

    view = DashboardView(office.read, Catalog("zh_CN"), pool)
    qtbot.addWidget(view)
    view.resize(1400, 900)
    with qtbot.waitSignal(view.refreshed, timeout=20_000):
        view.show()
    assert "1 个同步包被拒收" in view.tiles["conflicts_open"].detail.text()
    assert "1 个告警" in view.tabs.tabText(3)
    model = view.laptops.rows
    last = model.columnCount() - 1
    assert model.headerData(last, Qt.Orientation.Horizontal) == "告警"
    text = str(model.index(0, last).data())
    assert text.startswith("拒收 1 个包") and "冒用了其他设备的编号" in text, text
    assert json.dumps(text)  # plain text, no markup
    view.tabs.setCurrentIndex(3)
    view.grab().save(str(tmp_path / "alarm.png"))
