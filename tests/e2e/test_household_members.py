"""A household-members repeat end to end (issue 16): the office publishes a questionnaire
with a members repeat (relation, age, working or not) to its campaign; the roster takes
it to a laptop; there a worker opens the real visit dialog and types three people into
the form by keyboard and clicks; the visit goes to the office in the laptop's bundle and
merges unchanged (the receipt printed at the door verifies there); the office's workbook
lists the three people, a row each, in words.

On the way, the same bundle with one answer made malformed and signed again with the
laptop's own key is refused, naming the repeat's entry: a signature proves who sent a
bundle, never that its answers answer the form."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit
from pytestqt.qtbot import QtBot

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.demo import DemoOptions, build_demo
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.sync.container import BundleReader, write_bundle
from gridapp.sync.crypto import DeviceKeys
from gridapp.ui.field.form_widget import FormWidget
from gridapp.ui.field.visit_dialog import VisitDialog
from tests.conftest import make_services
from tests.gui.helpers import click, type_chinese
from tests.unit.forms.members_form import members_form

pytestmark = [
    pytest.mark.slow,
    pytest.mark.gui,
    # the malformed bundle's refusal is logged, as every refusal is
    pytest.mark.expected_log(r"^refused \S+: error\.bundle\.authority\.answer\."),
]

CTRL_SHIFT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier
#: (name, relation code, age, working): what the worker types and clicks.
PEOPLE = (
    ("张建国", "head", "52", True),
    ("李秀英", "spouse", "49", False),
    ("张磊", "child", "19", False),
)
#: The same three as the report must show them: in words, never codes.
IN_WORDS = [
    ("张建国", "户主", 52, "是"),
    ("李秀英", "配偶", 49, "否"),
    ("张磊", "子女", 19, "否"),
]


def _keys(services: Services) -> DeviceKeys:
    return DeviceKeys.of(services.store.require_device())


def _edit(form: FormWidget, path: tuple[str | int, ...]) -> QLineEdit:
    target = form.row(path).focus_target
    assert isinstance(target, QLineEdit)
    return target


def _click(qtbot: QtBot, form: FormWidget, name: str) -> None:
    """A choice clicked where the worker sees it: scrolled into view first."""
    button = form.findChild(QAbstractButton, name)
    assert button is not None, name
    form.ensureWidgetVisible(button)
    QApplication.processEvents()
    click(qtbot, form, name)


def _fill_three(qtbot: QtBot, form: FormWidget) -> None:
    """Three people typed in as a worker does: the add button for the first, then
    Ctrl+Shift+Enter from inside the last entry for each next one."""
    click(qtbot, form, "choice_stance_agree")
    block = form.repeat("members")
    assert block.frames == []
    qtbot.mouseClick(block.add_button, Qt.MouseButton.LeftButton)
    for n, (name, relation, age, working) in enumerate(PEOPLE):
        if n:
            focused = QApplication.focusWidget()
            assert focused is not None
            qtbot.keyClick(focused, Qt.Key.Key_Return, CTRL_SHIFT)
        edit = _edit(form, ("members", n, "member_name"))
        assert edit.hasFocus()  # a new entry opens at its first question
        type_chinese(edit, name)
        _click(qtbot, form, f"choice_members_{n + 1}_relation_{relation}")
        qtbot.keyClicks(_edit(form, ("members", n, "age")), age)
        _click(qtbot, form, f"choice_members_{n + 1}_working_{working}")
    assert len(block.frames) == 3


def _tampered(bundle: Path, out: Path, office: DeviceKeys, laptop: DeviceKeys) -> None:
    """The laptop's bundle with its members answer made a list of names (no entries),
    signed again with the laptop's own key."""
    with BundleReader(bundle) as reader:
        _, manifest = reader.verify([laptop.public])
        records: list[dict[str, Any]] = list(reader.records(manifest, office))
    for record in records:
        fields = record.get("fields") or {}
        if record.get("entity") == "answer" and fields.get("question") == "members":
            fields["value"] = json.dumps([p[0] for p in PEOPLE], ensure_ascii=False)
    raw = {**manifest.raw, "bundle_id": str(uuid.uuid4())}
    write_bundle(out, raw, records, laptop, [office.public])


def _report_rows(path: Path, title: str) -> list[tuple[Any, ...]]:
    from openpyxl import load_workbook

    book = load_workbook(path, read_only=True)
    try:
        return [tuple(row) for row in book[title].iter_rows(values_only=True)]
    finally:
        book.close()


def test_three_members_typed_on_a_laptop_reach_the_offices_report(
    qtbot: QtBot, tmp_path: Path, clock: FixedClock
) -> None:
    # The office: a campaign whose questionnaire asks for the household's members.
    office = make_services(tmp_path / "office" / "gridapp.db", clock)
    build_demo(office, DemoOptions(households=80, seed=4))
    campaign = office.campaigns.campaign()
    assert campaign is not None
    published = office.campaigns.publish_to_campaign(members_form(), campaign["id"])

    # A laptop of team 1 enrols; its roster carries the questionnaire.
    lap = make_services(tmp_path / "lap" / "gridapp.db", clock, role="field")
    lap.sync.request(tmp_path / "lap.json")
    office.sync.enroll(tmp_path / "lap.json", 1, tmp_path / "roster.gsb")
    assert [r.status for r in lap.sync.import_files([tmp_path / "roster.gsb"])] == ["applied"]
    lap.act_as("W0101", "field")
    active = lap.read.active_questionnaire()
    assert active is not None and active[0] == published.id

    # At the door: the real visit dialog, the form filled through the widget.
    clock.set(datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ))
    household = lap.read.household_ids(team_number=1)[0]
    dialog = VisitDialog(lap, Catalog("zh_CN"), household, "W0101")
    qtbot.addWidget(dialog)
    with qtbot.waitActive(dialog):
        dialog.show()
        dialog.activateWindow()
    click(qtbot, dialog, "outcome_met")
    form = dialog.form
    assert form is not None and form.isEnabled()
    dialog.tabs.setCurrentWidget(form)
    _fill_three(qtbot, form)
    qtbot.keyClick(dialog, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert dialog.result() == VisitDialog.DialogCode.Accepted

    # Saved on the laptop: one answer row, the list of three entries, in codes.
    stored = lap.store.db.execute(
        "SELECT a.visit_id, a.value FROM answer a JOIN visit v ON v.id = a.visit_id"
        " WHERE v.household_id = ? AND a.question = 'members'",
        [household],
    ).fetchall()
    assert len(stored) == 1
    visit_id, value = stored[0]
    assert json.loads(value) == [
        {"member_name": n, "relation": r, "age": int(a), "working": w} for n, r, a, w in PEOPLE
    ]

    # The worker hands the household a receipt: it signs the answers as saved.
    receipt = lap.paper.issue_receipt(visit_id)

    # The laptop's bundle; first a tampered copy signed with the laptop's own key.
    clock.advance(hours=1)
    lap.sync.export(tmp_path / "day.gsb")
    _tampered(tmp_path / "day.gsb", tmp_path / "forged.gsb", _keys(office), _keys(lap))
    forged, honest = office.sync.import_files([tmp_path / "forged.gsb", tmp_path / "day.gsb"])
    assert forged.status == "refused"
    assert forged.reason == "error.bundle.authority.answer.not_an_instance"
    assert forged.params is not None and forged.params["field"] == "members[1]"
    said = Catalog("zh_CN").tr(forged.reason, **forged.params)
    assert "members[1]" in said and "整个文件未导入" in said, said
    assert honest.status == "applied", honest
    assert office.sync.quarantined() == []
    merged = office.store.db.execute(
        "SELECT value FROM answer WHERE visit_id = ? AND question = 'members'", [visit_id]
    ).fetchone()
    assert merged is not None and merged[0] == value  # merged unchanged
    assert office.paper.verify(receipt.payload).status == "valid"  # byte for byte

    # The office's workbook: the repeat's sheet, three rows for this visit, in words.
    office.act_as("B0001", "office")
    report = tmp_path / "报表.xlsx"
    office.reports.write(report, Catalog("zh_CN"))
    rows = _report_rows(report, "家庭成员")
    header, body = rows[0], rows[1:]
    assert header[:6] == ("走访编号", "户编码", "地址", "序号", "本条编号", "上级编号")
    assert header[6:10] == ("姓名", "与户主关系", "年龄", "是否在职")
    mine = [r for r in body if r[0] == visit_id]
    assert len(mine) == 3 and len(body) == 3
    assert [r[6:10] for r in mine] == IN_WORDS
    assert [r[3] for r in mine] == [1, 2, 3]
    assert [r[4] for r in mine] == [f"{visit_id}/members[{n}]" for n in (1, 2, 3)]
    assert {r[5] for r in mine} == {visit_id}
    answers = _report_rows(report, "问卷答案")
    [line] = [r for r in answers if r[0] == visit_id]
    assert answers[0][4:6] == ("您的态度", "家庭成员") and line[4:6] == ("同意", "3 条")
