"""Two running campaigns over the same household: the visit form asks which one (digit
keys pick), files the visit under it and asks that campaign's questionnaire; with one
running campaign it asks nothing."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QWidget
from pytestqt.qtbot import QtBot

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.campaign_create import CampaignPlan
from gridapp.services.campaign_setup import Scope
from gridapp.settings import Settings
from gridapp.ui.field.actions import FieldActions
from gridapp.ui.field.campaign_choice import CampaignChoice
from tests.gui.helpers import click
from tests.unit.services.test_campaign_create import LIFT_FORM

pytestmark = pytest.mark.gui


def _actions(qtbot: QtBot, services: Services, household: str) -> FieldActions:
    host = QWidget()
    qtbot.addWidget(host)
    return FieldActions(
        services, Catalog("zh_CN"), Settings(), Path("/tmp"), host,
        lambda: household, lambda: None, lambda _e: None,
    )  # fmt: skip


def _answer_choice(qtbot: QtBot, key: Qt.Key, seen: list[str]) -> None:
    def press() -> None:
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, CampaignChoice):
            QTimer.singleShot(20, press)
            return
        seen.extend(dialog.list.item(n).text() for n in range(dialog.list.count()))
        qtbot.keyClick(dialog.list, key)

    QTimer.singleShot(0, press)


@pytest.fixture
def household(demo_services: Services, clock: FixedClock) -> str:
    clock.set(datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ))
    return demo_services.read.household_ids()[7]


def test_the_worker_chooses_the_campaign_and_gets_its_questionnaire(
    qtbot: QtBot, demo_services: Services, household: str, clock: FixedClock
) -> None:
    s = demo_services
    s.act_as("W0101", "field")
    actions = _actions(qtbot, s, household)
    first = actions.record_visit(household)  # one running campaign: nothing asked
    assert first is not None and first.campaign is not None
    fee = first.campaign["id"]
    first.close()
    today = clock.now().date()
    s.act_as("B0001", "office")
    lift = s.campaigns.plan_campaign(
        CampaignPlan(
            name="加装电梯意愿征询",
            starts_on=today.isoformat(),
            ends_on=(today + timedelta(days=30)).isoformat(),
            compound_ids=[c.id for c in s.read.compounds()],
            questionnaire=LIFT_FORM,
        )
    )
    # Team 1 walks the same buildings for it: the household is in both campaigns' work.
    s.campaigns.assign(lift.id, 1, Scope(compounds=[c.id for c in s.read.compounds()]))
    s.act_as("W0101", "field")
    actions.reload_workers()
    seen: list[str] = []
    _answer_choice(qtbot, Qt.Key.Key_1, seen)  # the latest started comes first
    dialog = actions.record_visit(household)
    assert dialog is not None and dialog.campaign is not None
    assert len(seen) == 2 and "加装电梯意愿征询" in seen[0]
    assert dialog.campaign["id"] == lift.id
    assert "加装电梯意愿征询" in dialog.campaign_label.text()
    assert dialog.form is not None and dialog.form.definition.id == "lift_willingness"
    click(qtbot, dialog, "outcome_met")
    click(qtbot, dialog.form, "choice_willing_yes")
    before = (s.read.counts(fee).visits, s.read.counts(lift.id).visits)
    assert dialog.save() is not None, dialog.message.text()
    assert (s.read.counts(fee).visits, s.read.counts(lift.id).visits) == (
        before[0],
        before[1] + 1,
    )
    # Esc on the question: no visit form at all
    _answer_choice(qtbot, Qt.Key.Key_Escape, seen)
    assert actions.record_visit(household) is None
