"""物业测评: the campaign chooser, the ranking with the reason a firm is not ranked, the
compounds with the self-managed apart, and the exports (tests/unit/services/
scorecard_world.py's small office)."""

from __future__ import annotations

from pathlib import Path

import pytest
from openpyxl import load_workbook
from PySide6.QtWidgets import QApplication, QTableWidget
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.common.jobs import Jobs
from gridapp.ui.office.scorecard import ScorecardView
from gridapp.ui.shell.fonts import install_cjk_font
from tests.conftest import make_services
from tests.unit.services.scorecard_world import World, build_world

pytestmark = pytest.mark.gui
SHOTS = Path(__file__).resolve().parents[3] / "build" / "screenshots"  # gitignored


def _column(table: QTableWidget, column: int) -> list[str]:
    cells = (table.item(r, column) for r in range(table.rowCount()))
    return [cell.text() if cell is not None else "" for cell in cells]


@pytest.fixture
def world(services: Services) -> World:
    return build_world(services)


def _view(qtbot: QtBot, world: World, asked: list[str], out: Path) -> ScorecardView:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_cjk_font(app)

    def ask(fmt: str) -> str:
        asked.append(fmt)
        return str(out.with_suffix(f".{fmt}"))

    jobs = Jobs(world.s)
    view = ScorecardView(world.s.scorecard, jobs, Catalog("zh_CN"), ask_file=ask)
    jobs.setParent(view)
    qtbot.addWidget(view)
    view.resize(1180, 640)
    view.show()
    return view


def test_the_screen_shows_the_service_scorecard(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    asked: list[str] = []
    view = _view(qtbot, world, asked, tmp_path / "测评")
    assert [view.campaigns.itemData(i) for i in range(view.campaigns.count())] == [
        world.q4,
        world.q3,
    ]
    assert view.campaigns.itemText(0) == "2023年第四季度物业满意度测评（进行中）"
    assert view.card is not None and view.card.campaign_id == world.q4
    assert "共 7 户作答；2 家物业企业，0 家参加排名（作答不少于 30 户）" in view.summary.text()
    assert _column(view.firms, 1) == ["甲物业", "乙物业"]
    assert _column(view.firms, 0) == [
        "只有 4 户作答，少于 30 户，不排名",
        "只有 2 户作答，少于 30 户，不排名",
    ]
    assert _column(view.firms, 4) == ["3.75", "1.75"]
    assert _column(view.firms, 5) == ["+0.75", "-0.25"]
    header = view.firms.horizontalHeaderItem(6)
    assert header is not None and header.text() == "保洁"
    cell = view.firms.item(0, 6)
    assert cell is not None and cell.toolTip().startswith("n = 4 · sd = 1.29 · 2–5")
    assert _column(view.compounds, 1) == ["甲小区", "丙小区", "乙小区", "丁小区"]
    assert _column(view.compounds, 2)[-1] == "自主管理"
    SHOTS.mkdir(parents=True, exist_ok=True)
    view.grab().save(str(SHOTS / "scorecard.png"))

    view.select_campaign(world.q3)
    assert view.card is not None and view.card.campaign_id == world.q3
    assert _column(view.firms, 5) == ["—", "—"]  # no assessment before Q3


def test_exports_write_the_files(qtbot: QtBot, world: World, tmp_path: Path) -> None:
    asked: list[str] = []
    view = _view(qtbot, world, asked, tmp_path / "测评")
    with qtbot.waitSignal(view.exported, timeout=10_000):
        view.xlsx_button.click()
    with qtbot.waitSignal(view.exported, timeout=10_000):
        view.pdf_button.click()
    assert asked == ["xlsx", "pdf"]
    book = load_workbook(tmp_path / "测评.xlsx")
    assert book.sheetnames == ["排名", "按小区", "按维度"]
    assert (tmp_path / "测评.pdf").read_bytes().startswith(b"%PDF")
    assert "已导出" in view.status.text()


def test_no_rated_campaign_says_so(qtbot: QtBot, services: Services) -> None:
    view = ScorecardView(services.scorecard, Jobs(services), Catalog("zh_CN"))
    qtbot.addWidget(view)
    assert view.campaigns.count() == 0 and view.card is None
    assert "还没有带评分题的专项行动" in view.summary.text()
    assert not view.xlsx_button.isEnabled()


def test_the_demo_assessment_ranks_its_firms(qtbot: QtBot, clock: FixedClock) -> None:
    s = make_services(None, clock)
    build_demo(s, DemoOptions(templates=True))
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    install_cjk_font(app)
    view = ScorecardView(s.scorecard, Jobs(s), Catalog("zh_CN"))
    qtbot.addWidget(view)
    view.resize(1366, 700)
    view.show()
    assert view.campaigns.currentText() == "2023年第四季度物业服务满意度测评（进行中）"
    assert view.firms.columnCount() == 6 + 8
    standing = _column(view.firms, 0)
    assert standing[:2] == ["第 1 名", "第 2 名"] and standing[2].endswith("少于 30 户，不排名")
    assert _column(view.compounds, 2)[-1] == "自主管理"
    SHOTS.mkdir(parents=True, exist_ok=True)
    view.grab().save(str(SHOTS / "scorecard_demo.png"))
    s.close()
