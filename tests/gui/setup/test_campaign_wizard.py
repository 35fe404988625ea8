"""新建专项行动 on an office made from its own roster, no demo: every page refuses bad
input with a message and stays; the last page makes one service call whose refusal
shows there; a good plan is one campaign with its compounds, questionnaire, policy
items and assignments."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import QListWidget, QWizard
from pytestqt.qtbot import QtBot

from gridapp.clock import FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.campaign_create import CampaignPlan
from gridapp.ui.setup.campaign_setup import CampaignSetupView
from gridapp.ui.setup.campaign_wizard import CampaignWizard
from tests.conftest import make_services
from tests.gui.helpers import type_chinese
from tests.unit.cli.test_campaign_create import lift_workbook
from tests.unit.roster.helpers import GOOD, write_xlsx

pytestmark = pytest.mark.gui

NEXT = QWizard.WizardButton.NextButton
EMPTY = "南园小区"


def office_from_roster(tmp_path: Path, clock: FixedClock) -> Services:
    """A new office: init, its roster imported, one compound whose rooms were all merged
    (no households left to visit), one team and one policy item of its own."""
    services = make_services(None, clock)
    services.act_as("B0001", "office")
    rows = (*GOOD, (EMPTY, "1", "1", "101", "周九", "", "", "1", ""))
    services.roster.import_file(write_xlsx(tmp_path / "roster.xlsx", rows))
    empty = next(c for c in services.read.compounds() if c.name == EMPTY)
    with services.store.unit_of_work("B0001") as db:  # as merging rooms would leave it
        db.execute(
            "UPDATE household SET merged_into = (SELECT id FROM household LIMIT 1)"
            " WHERE building_id IN (SELECT id FROM building WHERE compound_id = ?)",
            [empty.id],
        )
    services.campaigns.add_team(1, "东片")
    services.campaigns.add_policy_item({"title": "物业费调整办法", "body": "须经业主大会表决。"})
    return services


@pytest.fixture
def office(tmp_path: Path, clock: FixedClock) -> Iterator[Services]:
    services = office_from_roster(tmp_path, clock)
    yield services
    services.store.close()


@pytest.fixture
def wizard(qtbot: QtBot, office: Services) -> CampaignWizard:
    widget = CampaignWizard(office, Catalog("zh_CN"))
    qtbot.addWidget(widget)
    widget.show()
    return widget


def next_page(wizard: CampaignWizard) -> None:
    wizard.button(NEXT).click()


def tick(widget: QListWidget, text: str) -> None:
    item = next(widget.item(i) for i in range(widget.count()) if text in widget.item(i).text())
    item.setCheckState(Qt.CheckState.Checked)


def rows(widget: QListWidget) -> list[str]:
    return [widget.item(i).text() for i in range(widget.count())]


def fill_name(wizard: CampaignWizard, name: str) -> None:
    page = wizard.name_page
    page.name.clear()
    type_chinese(page.name, name)
    page.starts.setDate(QDate(2024, 1, 8))
    page.ends.setDate(QDate(2024, 2, 8))


def test_every_page_refuses_then_the_campaign_is_published(
    qtbot: QtBot, wizard: CampaignWizard, office: Services, tmp_path: Path
) -> None:
    # 1 名称与目的
    next_page(wizard)
    assert wizard.currentPage() is wizard.name_page
    assert wizard.name_page.error.text() == "专项行动名称不能为空。"
    fill_name(wizard, "加装电梯意愿征询")
    type_chinese(wizard.name_page.purpose, "征询十个门栋的加装电梯意愿")
    wizard.name_page.ends.setDate(QDate(2024, 1, 1))
    next_page(wizard)
    assert wizard.currentPage() is wizard.name_page
    assert "早于开始日期" in wizard.name_page.error.text()
    wizard.name_page.ends.setDate(QDate(2024, 2, 8))
    next_page(wizard)
    # 2 小区: the merged compound is shown, cannot be ticked, and the page says why
    page2 = wizard.compound_page
    assert wizard.currentPage() is page2
    empty = next(page2.compounds.item(i) for i in range(page2.compounds.count())
                 if EMPTY in page2.compounds.item(i).text())  # fmt: skip
    assert not empty.flags() & Qt.ItemFlag.ItemIsEnabled
    assert "不能选" in empty.text() and EMPTY in page2.note.text()
    assert "请先" in page2.note.text() and "名册" in page2.note.text()
    assert any(r == "建业新村（4 户，2 栋）" for r in rows(page2.compounds))
    next_page(wizard)
    assert wizard.currentPage() is page2 and page2.error.text() == "请至少选一个小区。"
    tick(page2.compounds, "建业新村")
    tick(page2.compounds, "光鸿苑")
    next_page(wizard)
    # 3 问卷: a broken workbook is listed by sheet/row/column and refused
    page3 = wizard.form_page
    assert wizard.currentPage() is page3
    page3.choice.button(page3.XLSFORM).setChecked(True)
    next_page(wizard)
    assert wizard.currentPage() is page3 and "读取" in page3.error.text()
    page3.path.setText(str(lift_workbook(tmp_path / "broken.xlsx", broken=True)))
    page3.read.click()
    qtbot.waitUntil(lambda: page3.problems.count() > 0)
    assert rows(page3.problems) == ["survey!4:name  题目名称“floor”重复。"]
    next_page(wizard)
    assert wizard.currentPage() is page3 and "问题" in page3.error.text()
    page3.path.setText(str(lift_workbook(tmp_path / "lift.xlsx")))
    page3.read.click()
    qtbot.waitUntil(lambda: page3.document is not None)
    assert "可以使用" in page3.xls_status.text()
    next_page(wizard)
    # 4 政策条目: a new item without text is refused, on 添加 and on Next
    page4 = wizard.policy_page
    assert wizard.currentPage() is page4
    type_chinese(page4.title_edit, "加装电梯补贴")
    page4.add.click()
    assert "没有正文" in page4.error.text() and page4.written.count() == 0
    next_page(wizard)
    assert wizard.currentPage() is page4 and "没有正文" in page4.error.text()
    type_chinese(page4.body_edit, "每台补贴最高 28 万元。")
    page4.add.click()
    assert page4.written.count() == 1 and page4.error.text() == ""
    tick(page4.library, "物业费调整办法")
    next_page(wizard)
    # 5 小组与楼栋: a ticked team without buildings is refused
    page5 = wizard.teams_page
    assert wizard.currentPage() is page5
    tick(page5.teams, "东片")
    next_page(wizard)
    assert wizard.currentPage() is page5
    assert page5.error.text() == "小组“第 1 组 东片”没有分到楼栋：请给它分楼栋，或不选这个小组。"
    assert set(rows(page5.buildings)) == {"建业新村 12号（3 户）", "建业新村 3号（1 户）",
                                          "光鸿苑 5号（2 户）"}  # fmt: skip
    tick(page5.buildings, "建业新村 12号")
    tick(page5.buildings, "建业新村 3号")
    type_chinese(page5.team_name, "西片")
    page5.add_team.click()
    assert page5.current_team() is not None and "西片" in page5.teams.currentItem().text()
    tick(page5.buildings, "光鸿苑 5号")
    assert page5.teams.currentItem().checkState() == Qt.CheckState.Checked
    next_page(wizard)
    # 6 确认并发布: the service's refusal shows on the page (a name taken meanwhile)
    page6 = wizard.confirm_page
    assert wizard.currentPage() is page6
    summary = page6.summary.text()
    assert "加装电梯意愿征询" in summary and "共 6 户" in summary and "加装电梯补贴" in summary
    assert "第 1 组 东片：2 栋" in summary and "第 2 组 西片：1 栋" in summary
    assert "问卷：“加装电梯意愿征询”（lift v1，导入自 lift.xlsx）" in summary
    office.campaigns.plan_campaign(
        CampaignPlan("加装电梯意愿征询", "2024-03-01", "2024-03-02", [_compound(office, "光鸿苑")])
    )
    before = len(office.campaigns.campaign_list())
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert wizard.isVisible() and "已有名为“加装电梯意愿征询”" in page6.error.text()
    assert len(office.campaigns.campaign_list()) == before
    for _ in range(5):
        wizard.back()
    fill_name(wizard, "加装电梯意愿征询（第一批）")
    for _ in range(5):
        next_page(wizard)
    assert wizard.currentPage() is page6
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert not wizard.isVisible() and wizard.record is not None
    _check_published(office, wizard.record.id)


def _compound(services: Services, name: str) -> str:
    return next(c.id for c in services.read.compounds() if c.name == name)


def _check_published(office: Services, campaign_id: str) -> None:
    row = next(c for c in office.campaigns.campaign_list() if c["id"] == campaign_id)
    assert row["name"] == "加装电梯意愿征询（第一批）" and row["status"] == "active"
    assert row["compounds"] == 2 and row["households"] == 6 and row["form_id"] == "lift"
    assert (row["starts_on"], row["ends_on"]) == ("2024-01-08", "2024-02-08")
    scoped = {c["name"] for c in office.campaigns.compounds(campaign_id) if c["in_scope"]}
    assert scoped == {"建业新村", "光鸿苑"}
    policies = [p["title"] for p in office.read.policy_items(campaign_id) if p["position"] >= 0]
    assert policies == ["物业费调整办法", "加装电梯补贴"]
    teams = office.campaigns.teams(campaign_id)
    held = {t["name"]: (t["buildings"], t["households"]) for t in teams}
    assert held == {"东片": (2, 4), "西片": (1, 2)}


def test_a_template_is_published_with_the_campaign_as_a_draft(
    wizard: CampaignWizard, office: Services
) -> None:
    fill_name(wizard, "物业服务满意度测评")
    next_page(wizard)
    tick(wizard.compound_page.compounds, "光鸿苑")
    next_page(wizard)
    page3 = wizard.form_page
    assert page3.choice.checkedId() == page3.TEMPLATE  # nothing published yet
    page3.template.setCurrentIndex(page3.template.findData("property_satisfaction"))
    for _ in range(3):
        next_page(wizard)
    assert wizard.currentPage() is wizard.confirm_page
    assert "模板“物业服务满意度测评”" in wizard.confirm_page.summary.text()
    wizard.button(QWizard.WizardButton.CustomButton1).click()
    assert not wizard.isVisible(), wizard.confirm_page.error.text()
    (row,) = office.campaigns.campaign_list()
    assert row["status"] == "draft" and row["form_id"] == "property_satisfaction"


def test_a_template_used_twice_publishes_its_next_version(qtbot: QtBot, office: Services) -> None:
    for number, name in enumerate(("测评一", "测评二"), start=1):
        wizard = CampaignWizard(office, Catalog("zh_CN"))
        qtbot.addWidget(wizard)
        wizard.show()
        fill_name(wizard, name)
        wizard.name_page.starts.setDate(QDate(2024, number * 3, 1))
        wizard.name_page.ends.setDate(QDate(2024, number * 3, 20))
        next_page(wizard)
        tick(wizard.compound_page.compounds, "光鸿苑")
        next_page(wizard)
        page3 = wizard.form_page
        page3.choice.button(page3.TEMPLATE).setChecked(True)
        page3.template.setCurrentIndex(page3.template.findData("property_satisfaction"))
        for _ in range(3):
            next_page(wizard)
        wizard.button(QWizard.WizardButton.FinishButton).click()
        assert not wizard.isVisible(), wizard.confirm_page.error.text()
    versions = sorted(
        q["version"]
        for q in office.read.questionnaires()
        if q["form_id"] == "property_satisfaction"
    )
    assert versions == [1, 2]


def test_a_new_office_reaches_the_wizard_from_its_set_up_screen(
    qtbot: QtBot, office: Services
) -> None:
    view = CampaignSetupView(office, Catalog("zh_CN"))
    qtbot.addWidget(view)
    view.show()
    assert view.no_campaign.isVisible() and "尚无进行中的专项行动" in view.no_campaign.text()
    assert "新建专项行动" in view.no_campaign.text() and view.new_button.isEnabled()
    changed: list[bool] = []
    view.changed.connect(lambda: changed.append(True))
    wizard = view.open_wizard()
    assert isinstance(wizard, CampaignWizard)
    qtbot.waitUntil(wizard.isVisible)
    fill_name(wizard, "四百走访")
    next_page(wizard)
    tick(wizard.compound_page.compounds, "建业新村")
    for _ in range(4):
        next_page(wizard)
    wizard.button(QWizard.WizardButton.FinishButton).click()
    assert changed and not view.no_campaign.isVisible()
    assert view.campaign_tab.name.text() == "四百走访"
