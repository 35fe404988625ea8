"""A visit with a household-members repeat: saved as one answer row holding the list of
entries, counted as one answered question, read back in words, on the receipt a line per
entry; an answer the wire would refuse is refused when it is saved."""

from __future__ import annotations

import json
import shutil
import subprocess
from datetime import datetime
from pathlib import Path

import pytest

from gridapp.clock import CHINA_TZ, FixedClock
from gridapp.errors import InvalidInput
from gridapp.forms.limits import MAX_ANSWER_CHARS
from gridapp.i18n import Catalog
from gridapp.services import Services
from gridapp.services.visits import VisitInput
from gridapp.storage import answer_queries, stats
from tests.unit.forms.members_form import THREE, household_of, use_members_form


@pytest.fixture
def office(demo_services: Services, clock: FixedClock) -> Services:
    clock.set(datetime(2023, 12, 20, 10, tzinfo=CHINA_TZ))  # after the demo's week
    use_members_form(demo_services)
    demo_services.act_as("B0001", "office")
    return demo_services


def record(s: Services, members: object, index: int = 5) -> str:
    household = s.read.household_ids()[index]
    answers = {"stance": "agree", "members": members}
    return s.visits.record(VisitInput(household, "W0101", "met", answers=answers)).visit_id


def test_a_repeat_is_one_answer_row_and_one_answered_question(office: Services) -> None:
    before = stats.counts(office.store.db)
    visit_id = record(office, THREE)
    rows = office.store.db.execute(
        "SELECT question, value FROM answer WHERE visit_id = ? ORDER BY question", [visit_id]
    ).fetchall()
    assert [q for q, _ in rows] == ["members", "stance"]
    assert json.loads(dict(rows)["members"]) == THREE
    after = stats.counts(office.store.db)
    assert after.visits == before.visits + 1
    assert after.consultations == before.consultations + 1
    [event] = [
        e
        for e in office.read.household(office.read.household_ids()[5]).timeline  # type: ignore[union-attr]
        if e.record_id == visit_id
    ]
    assert event.summary["answers"] == 2  # the repeat counts as one answered question
    [mine] = [
        v for v in answer_queries.answered_visits(office.store.db, None) if v.visit_id == visit_id
    ]
    assert mine.answers == {"stance": "agree", "members": THREE}


def test_the_history_reads_the_entries_in_words(office: Services) -> None:
    visit_id = record(office, [{**THREE[0], "mobile": "13800138000"}, *THREE[1:]])
    rows = {r["question"]: r for r in office.read.visit_answers(visit_id)}
    assert rows["members"]["text"] == "3 条"
    assert rows["members"]["entries"] == [
        "1. 张三 · 户主 · 年龄 52 · 是否在职 是 · 13800138000",
        "2. 李四 · 配偶 · 年龄 49 · 是否在职 否",
        "3. 张小五 · 子女 · 年龄 19 · 是否在职 否",
    ]
    assert rows["stance"]["text"] == "同意"


def test_an_answer_longer_than_the_wire_takes_is_refused(office: Services) -> None:
    people = household_of(10)
    for person in people:
        person["occupation"] = "长" * 7000
    with pytest.raises(InvalidInput) as refused:
        record(office, people)
    assert refused.value.key == "error.answer.too_long"
    assert refused.value.params["limit"] == MAX_ANSWER_CHARS
    assert refused.value.params["question"] == "members"
    record(office, household_of(10))  # a big household is no problem


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="needs pdftotext (poppler)")
def test_the_receipt_lists_each_member_on_a_line_with_numbers_masked(
    office: Services, tmp_path: Path
) -> None:
    from gridapp.paper.receipt_pdf import render_receipts

    visit_id = record(office, [{**THREE[0], "mobile": "13800138000"}, *THREE[1:]])
    doc = office.paper.receipt_document(office.paper.issue_receipt(visit_id))
    out = tmp_path / "receipt.pdf"
    render_receipts([doc], out, "a5", Catalog("zh_CN"))
    text = subprocess.run(
        ["pdftotext", "-layout", str(out), "-"], capture_output=True, text=True, check=True
    ).stdout
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert "家庭成员：" in lines, text
    assert "1. 张三 · 户主 · 年龄 52 · 是否在职 是 · 138****8000" in lines
    assert "2. 李四 · 配偶 · 年龄 49 · 是否在职 否" in lines
    assert "3. 张小五 · 子女 · 年龄 19 · 是否在职 否" in lines
    assert "13800138000" not in text and "head" not in text and "spouse" not in text


def test_the_answers_sheet_as_csv(office: Services, tmp_path: Path) -> None:
    import csv

    visit_id = record(office, THREE)
    out = tmp_path / "answers.csv"
    office.reports.write(out, Catalog("zh_CN"), sheet="answers")
    rows = list(csv.reader(out.read_text(encoding="utf-8-sig").splitlines()))
    assert rows[0][:6] == ["走访编号", "时间", "户编码", "地址", "您的态度", "家庭成员"]
    [mine] = [r for r in rows if r[0] == visit_id]
    assert mine[4:6] == ["同意", "3 条"]


def test_no_questionnaire_no_answers_csv(services: Services, tmp_path: Path) -> None:
    with pytest.raises(InvalidInput) as refused:
        services.reports.write(tmp_path / "a.csv", Catalog("zh_CN"), sheet="answers")
    assert refused.value.key == "error.report.no_questionnaire"
    assert list(tmp_path.iterdir()) == []
