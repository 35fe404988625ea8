"""Importing a questionnaire workbook from the desktop: read off the GUI thread,
previewed in the real form widget and answered in a sandbox (nothing stored), its show
conditions marked live, and published only from 发布到活动."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from openpyxl import Workbook
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMainWindow, QMessageBox, QTreeWidgetItem, QWidget
from pytestqt.qtbot import QtBot

from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.setup.content_menu import ContentMenu
from gridapp.ui.setup.form_preview import FormPreview
from gridapp.ui.shell.fonts import install_cjk_font
from tests.gui.helpers import click

pytestmark = pytest.mark.gui
FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "forms"
SHOTS = Path("/work/shots16")
TABLES = ("questionnaire", "visit", "answer", "campaign", "draft")


@pytest.fixture
def cjk(qapp: QApplication) -> Iterator[None]:
    """The bundled CJK font as the app font (as the app sets it), for screenshots."""
    before = qapp.font()
    install_cjk_font(qapp)
    yield
    qapp.setFont(before)


def _menu(qtbot: QtBot, services: Services) -> ContentMenu:
    window = QMainWindow()
    qtbot.addWidget(window)
    return ContentMenu(window.menuBar(), services, Catalog("zh_CN"), True, window)


def _imported(qtbot: QtBot, menu: ContentMenu, path: Path) -> QWidget:
    menu.import_workbook(path)
    qtbot.waitUntil(lambda: menu.opened is not None, timeout=20_000)
    window = menu.opened
    assert window is not None
    qtbot.addWidget(window)
    return window


def _rows(services: Services) -> dict[str, int]:
    db = services.store.db
    names = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    return {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES if t in names}


def _marks(preview: FormPreview) -> dict[str, bool]:
    assert preview.conditions is not None
    found: dict[str, bool] = {}

    def walk(item: QTreeWidgetItem) -> None:
        for n in range(item.childCount()):
            child = item.child(n)
            assert child is not None
            path = child.data(0, Qt.ItemDataRole.UserRole)
            if path:
                found[str(path)] = bool(child.data(2, Qt.ItemDataRole.UserRole))
            walk(child)

    root = preview.conditions.invisibleRootItem()
    assert root is not None
    walk(root)
    return found


def test_a_workbook_is_previewed_in_a_sandbox_then_published(
    qtbot: QtBot, demo_services: Services, cjk: None
) -> None:
    menu = _menu(qtbot, demo_services)
    before_id = demo_services.read.active_questionnaire()[0]  # type: ignore[index]
    before = _rows(demo_services)
    preview = _imported(qtbot, menu, FIXTURES / "fee_libreoffice.xlsx")
    assert isinstance(preview, FormPreview) and preview.form is not None
    preview.show()
    qtbot.waitExposed(preview)
    assert "fee_now" in preview.form.rows
    assert _marks(preview)["reasons"] is False
    conditions = preview.conditions
    assert conditions is not None
    reasons = conditions.findItems("不同意的原因（可多选）", Qt.MatchFlag.MatchExactly, 0)
    assert reasons and reasons[0].text(1) == "当 “您对调价方案的态度？” = “反对” 时显示"
    # answered in the sandbox: the conditions follow, nothing is stored
    click(qtbot, preview.form, "choice_stance_oppose")
    assert preview.form.is_shown("reasons") and _marks(preview)["reasons"] is True
    click(qtbot, preview.form, "choice_owner_present_True")
    assert _rows(demo_services) == before
    assert demo_services.read.active_questionnaire()[0] == before_id  # type: ignore[index]
    SHOTS.mkdir(parents=True, exist_ok=True)
    preview.resize(1180, 760)
    assert preview.grab().save(str(SHOTS / "preview_dialog.png"))

    # only 发布到活动 publishes, to the chosen campaign
    assert preview.campaign is not None and preview.campaign.count() >= 1
    assert preview.publish_button is not None
    with qtbot.waitSignal(preview.published) as published:
        qtbot.mouseClick(preview.publish_button, Qt.MouseButton.LeftButton)
    active = demo_services.read.active_questionnaire()
    assert active is not None and active[0] == published.args[0] != before_id
    assert active[1].version == 2
    after = _rows(demo_services)
    assert after["questionnaire"] == before["questionnaire"] + 1
    assert "并用于" in preview.message.text()
    assert not preview.publish_button.isEnabled()


def test_a_refused_workbook_lists_its_problems_and_publishes_nothing(
    qtbot: QtBot, demo_services: Services, tmp_path: Path
) -> None:
    menu = _menu(qtbot, demo_services)
    before = _rows(demo_services)
    book = Workbook()
    survey = book.active
    assert survey is not None
    survey.title = "survey"
    for row in (["type", "name", "label"], ["text", "q1", "一"], ["text", "q1", "二"]):
        survey.append(row)
    path = tmp_path / "dup.xlsx"
    book.save(path)
    preview = _imported(qtbot, menu, path)
    assert isinstance(preview, FormPreview) and preview.form is None
    assert preview.problems is not None
    lines = [preview.problems.item(n).text() for n in range(preview.problems.count())]
    assert lines == ["survey!3  题目名称“q1”重复。"]
    assert "dup.xlsx" in preview.heading.text()

    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    box = _imported(qtbot, menu, broken)
    assert isinstance(box, QMessageBox) and box.icon() == QMessageBox.Icon.Warning
    assert _rows(demo_services) == before


def test_the_campaign_questionnaire_previewed_without_publishing(
    qtbot: QtBot, demo_services: Services
) -> None:
    menu = _menu(qtbot, demo_services)
    preview = menu.open_preview()
    assert preview is not None
    qtbot.addWidget(preview)
    assert preview.form is not None and "stance" in preview.form.rows
    assert preview.publish_button is None
    assert preview.language is not None  # the demo's form speaks 中文 and English
    preview.language.setCurrentIndex(preview.language.findData("en"))
    assert preview.form.rows["stance"].title.text().startswith("What is your view")
    before = _rows(demo_services)
    qtbot.mouseClick(preview.finish, Qt.MouseButton.LeftButton)  # checked as at a visit
    assert preview.form.rows["stance"].message.text() == "此题必须回答。"  # the app's words
    assert _rows(demo_services) == before


def test_show_conditions_are_marked_per_instance(
    qtbot: QtBot, demo_services: Services, cjk: None
) -> None:
    from gridapp.forms.definition import load_definition
    from tests.gui.field.test_form_widget_repeats import MEMBERS

    preview = FormPreview(demo_services, Catalog("zh_CN"), load_definition(MEMBERS), MEMBERS)
    qtbot.addWidget(preview)
    assert preview.form is not None
    before = _rows(demo_services)
    preview.form.set_answers({"members": [{"who": "张三", "age": 45}, {"who": "小明", "age": 9}]})
    preview.refresh_conditions()
    marks = _marks(preview)
    assert marks["members/0/working"] is True and marks["members/1/working"] is False
    assert preview.conditions is not None
    working = preview.conditions.findItems(
        "是否在工作", Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive, 0
    )
    assert len(working) == 2 and working[0].text(1) == "当 “年龄” >= 16 时显示"
    preview.form.add_instance(("members",))  # the tree follows the instances
    assert "members/2/working" in _marks(preview)
    SHOTS.mkdir(parents=True, exist_ok=True)
    preview.resize(1180, 760)
    assert preview.grab().save(str(SHOTS / "preview_repeats.png"))
    assert _rows(demo_services) == before
