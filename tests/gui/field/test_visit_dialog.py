"""A whole visit at the door, driven like a worker does: keyboard and clicks, Chinese
typed through the input method; not-home callbacks; online answers; corrections, voids;
drafts that come back."""

from __future__ import annotations

from datetime import datetime

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QLineEdit, QWidget
from pytestqt.qtbot import QtBot

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.ui.field.online_answer import OnlineAnswerDialog
from gridapp.ui.field.visit_dialog import VisitDialog
from tests.gui.helpers import click, type_chinese

pytestmark = pytest.mark.gui


@pytest.fixture
def household(demo_services: Services, clock: FixedClock) -> str:
    clock.set(datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ))  # after the demo's week
    return demo_services.read.household_ids()[7]


def _dialog(qtbot: QtBot, services: Services, household: str) -> VisitDialog:
    dialog = VisitDialog(services, Catalog("zh_CN"), household, "W0101")
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_a_whole_visit_typed_in_chinese(
    qtbot: QtBot, demo_services: Services, household: str
) -> None:
    before = demo_services.read.counts()
    dialog = _dialog(qtbot, demo_services, household)
    click(qtbot, dialog, "outcome_met")
    form = dialog.form
    assert form is not None and form.isEnabled()
    for name in (
        "choice_owner_present_True",
        "choice_stance_oppose",
        "choice_reasons_history",
        "choice_satisfaction_2",
    ):
        click(qtbot, form, name)
    comment = form.findChild(QLineEdit, "edit_comment")
    assert comment is not None
    type_chinese(comment, "希望先把楼道灯修好")
    _item, check, reaction = dialog.policies[0]
    check.setChecked(True)
    reaction.setCurrentIndex(reaction.findData("doubts"))
    row = dialog.add_suggestion("facility")
    type_chinese(row.text, "电梯经常坏")
    type_chinese(dialog.notes, "老人独居，儿子周末回来")
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == VisitDialog.DialogCode.Accepted
    after = demo_services.read.counts()
    assert after.visits == before.visits + 1
    assert after.consultations == before.consultations + 1
    assert after.policy_explanations == before.policy_explanations + 1
    assert after.suggestions == before.suggestions + 1
    detail = demo_services.read.household(household)
    assert detail is not None
    last = detail.timeline[-2] if detail.timeline[-1].kind == "suggestion" else detail.timeline[-1]
    assert last.summary["notes"] == "老人独居，儿子周末回来"
    answers = {r["question"]: r["value"] for r in demo_services.read.visit_answers(last.record_id)}
    assert answers["comment"] == "希望先把楼道灯修好"
    assert answers["reasons"] == ["history"]
    assert demo_services.drafts.all() == []


def test_saving_waits_for_required_answers(
    qtbot: QtBot, demo_services: Services, household: str
) -> None:
    dialog = _dialog(qtbot, demo_services, household)
    click(qtbot, dialog, "outcome_met")
    assert dialog.form is not None
    click(qtbot, dialog.form, "choice_stance_agree")
    assert dialog.save() is None
    assert "必答题" in dialog.message.text()
    assert dialog.isVisible()


def test_nobody_home_schedules_an_editable_evening_callback(
    qtbot: QtBot, demo_services: Services, household: str
) -> None:
    dialog = _dialog(qtbot, demo_services, household)
    assert not dialog.callback.isEnabled()
    click(qtbot, dialog, "outcome_not_home")
    assert dialog.callback.isEnabled()
    assert dialog.callback.dateTime().toString("yyyy-MM-dd HH:mm") == "2023-12-20 19:00"
    assert dialog.form is not None and not dialog.form.isEnabled()
    assert dialog.people.value() == 0 and not dialog.people.isEnabled()  # nobody was met
    dialog.callback.setDateTime(dialog.callback.dateTime().addDays(3))  # Saturday instead
    visit_id = dialog.save()
    assert visit_id is not None
    detail = demo_services.read.household(household)
    assert detail is not None and detail.open_callbacks == ["2023-12-23T19:00:00+08:00"]
    assert demo_services.store.db.table("visit").get(visit_id)["people_met"] == 0


def test_met_means_somebody_was_met(qtbot: QtBot, demo_services: Services, household: str) -> None:
    dialog = _dialog(qtbot, demo_services, household)
    click(qtbot, dialog, "outcome_not_home")
    click(qtbot, dialog, "outcome_met")
    assert dialog.people.isEnabled() and dialog.people.value() == 1


def test_an_online_answer(qtbot: QtBot, demo_services: Services, household: str) -> None:
    before = demo_services.read.counts()
    dialog = OnlineAnswerDialog(demo_services, Catalog("zh_CN"), "W0101", household)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.channel.setCurrentIndex(dialog.channel.findData("wechat"))
    type_chinese(dialog.question, "业主大会在哪里开？")
    type_chinese(dialog.answer, "在居委会活动室，周六上午九点。")
    assert dialog.save() is not None
    after = demo_services.read.counts()
    assert after.online_answers == before.online_answers + 1
    assert after.visits == before.visits


def test_correct_then_void(
    qtbot: QtBot, demo_services: Services, household: str, clock: FixedClock
) -> None:
    from gridapp.settings import Settings
    from gridapp.ui.field.actions import FieldActions

    first = _dialog(qtbot, demo_services, household)
    click(qtbot, first, "outcome_met")
    assert first.form is not None
    for name in ("choice_owner_present_True", "choice_stance_agree", "choice_satisfaction_4"):
        click(qtbot, first.form, name)
    visit_id = first.save()
    assert visit_id is not None
    base = demo_services.read.counts()
    host = QWidget()
    qtbot.addWidget(host)
    actions = FieldActions(
        demo_services,
        Catalog("zh_CN"),
        Settings(),
        pytest.importorskip("pathlib").Path("/tmp"),
        host,
        lambda: household,
        lambda: None,
        lambda _e: None,
    )
    clock.advance(minutes=5)
    correction = actions.correct(visit_id)
    assert correction is not None
    assert correction.form is not None and correction.form.answers()["stance"] == "agree"
    click(qtbot, correction.form, "choice_stance_oppose")
    click(qtbot, correction.form, "choice_reasons_fee_too_high")
    new_id = correction.save()
    assert new_id is not None and new_id != visit_id
    after = demo_services.read.counts()
    assert after.visits == base.visits and after.consultations == base.consultations
    answers = {r["question"]: r["value"] for r in demo_services.read.visit_answers(new_id)}
    assert answers["stance"] == "oppose"
    assert actions.void(new_id, "录错住户")
    voided = demo_services.read.counts()
    # the correction is void, so the original stands again
    assert voided.visits == base.visits and voided.consultations == base.consultations


def test_a_draft_comes_back_whole(qtbot: QtBot, demo_services: Services, household: str) -> None:
    dialog = _dialog(qtbot, demo_services, household)
    click(qtbot, dialog, "outcome_met")
    assert dialog.form is not None
    click(qtbot, dialog.form, "choice_stance_oppose")
    type_chinese(dialog.notes, "说到一半，居民去接电话了")
    dialog.add_suggestion("safety", "楼道堆物")
    qtbot.waitUntil(lambda: bool(demo_services.drafts.all()), timeout=3000)
    dialog.close()
    again = _dialog(qtbot, demo_services, household)
    assert again.restored
    assert again.notes.toPlainText() == "说到一半，居民去接电话了"
    assert again.form is not None and again.form.state.answers["stance"] == "oppose"
    assert [(r.category.currentData(), r.text.text()) for r in again.suggestions] == [
        ("safety", "楼道堆物")
    ]


def test_esc_on_an_untouched_visit_leaves_no_draft(
    qtbot: QtBot, demo_services: Services, household: str
) -> None:
    dialog = _dialog(qtbot, demo_services, household)
    qtbot.wait(50)  # the form's own set-up changes start the autosave timer
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()
    assert demo_services.drafts.all() == []
    # Typed, then undone: nothing kept either, even after an autosave in between.
    again = _dialog(qtbot, demo_services, household)
    type_chinese(again.notes, "楼道")
    again.save_draft()
    assert len(demo_services.drafts.all()) == 1
    again.notes.clear()
    qtbot.keyClick(again, Qt.Key.Key_Escape)
    assert demo_services.drafts.all() == []
    # Something typed and left: kept.
    third = _dialog(qtbot, demo_services, household)
    click(qtbot, third, "outcome_not_home")
    qtbot.keyClick(third, Qt.Key.Key_Escape)
    [draft] = demo_services.drafts.all()
    assert draft["household_id"] == household


def test_a_callback_in_the_past_is_refused_and_nothing_is_lost(
    qtbot: QtBot, demo_services: Services, household: str
) -> None:
    before = demo_services.read.counts()
    dialog = _dialog(qtbot, demo_services, household)
    click(qtbot, dialog, "outcome_not_home")
    type_chinese(dialog.notes, "敲门三次无人应答")
    dialog.callback.setDateTime(dialog.callback.dateTime().addDays(-3))
    assert dialog.save() is None
    assert "已经过去" in dialog.message.text()
    assert dialog.isVisible() and dialog.notes.toPlainText() == "敲门三次无人应答"
    assert demo_services.read.counts().visits == before.visits
