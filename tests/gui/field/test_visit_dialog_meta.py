"""A form's metadata questions filled by the visit form: this laptop's id, the worker
credited and when the visit began, stored with the answers; never shown."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.storage import figures
from gridapp.ui.field.visit_dialog import VisitDialog
from tests.gui.helpers import click

pytestmark = pytest.mark.gui

WITH_META = {
    "format": "gridapp-questionnaire",
    "format_version": 2,
    "id": "with_meta",
    "version": 1,
    "title": {"zh_CN": "带元数据的问卷"},
    "items": [
        {"name": "device", "type": "meta", "meta": "deviceid"},
        {"name": "who", "type": "meta", "meta": "username"},
        {"name": "began", "type": "meta", "meta": "start"},
        {
            "name": "agree",
            "type": "select_one",
            "label": "是否同意",
            "choices": [{"value": "yes", "label": "同意"}, {"value": "no", "label": "不同意"}],
        },
    ],
}


def test_metadata_is_filled_and_stored(
    qtbot: QtBot, demo_services: Services, clock: FixedClock
) -> None:
    s = demo_services
    clock.set(datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ))
    campaign = figures.active_campaign(s.store.db)
    assert campaign is not None
    s.act_as("B0001", "office")
    s.campaigns.publish_to_campaign(WITH_META, campaign["id"])
    s.act_as("W0101", "field")
    household = s.read.household_ids()[3]
    dialog = VisitDialog(s, Catalog("zh_CN"), household, "W0101")
    qtbot.addWidget(dialog)
    dialog.show()
    assert dialog.form is not None
    assert dialog.form.findChild(QWidget, "question_agree") is not None
    assert dialog.form.findChild(QWidget, "question_device") is None  # never shown
    click(qtbot, dialog, "outcome_met")
    click(qtbot, dialog.form, "choice_agree_yes")
    visit_id = dialog.save()
    assert visit_id is not None, dialog.message.text()
    stored = {r["question"]: r["value"] for r in s.read.visit_answers(visit_id)}
    device = s.device.local()
    assert device is not None
    assert stored["device"] == device.device_id and stored["who"] == "W0101"
    assert str(stored["began"]).startswith("2023-12-20T10:00")
    assert stored["agree"] == "yes"
