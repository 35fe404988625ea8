"""The answer sheets as ODK exports them: a row per answered visit with the repeat as
its count, a sheet per repeat with a row per entry, its key and its parent's key, in
words, numbers masked; each visit in the words of the version it answered."""

from __future__ import annotations

import copy
from typing import Any

from gridapp.forms.definition import load_definition
from gridapp.i18n import Catalog
from gridapp.model import Counts
from gridapp.reports.answer_sheets import answer_sheets
from gridapp.reports.data import ReportData
from gridapp.reports.sheets import DAY_KEYS, build_sheets
from gridapp.storage.answer_queries import AnsweredVisit
from tests.unit.forms.members_form import THREE, members_form


def data(visits: list[AnsweredVisit], forms: dict[str, Any], current: str) -> ReportData:
    return ReportData(
        campaign="c",
        starts_on="2023-12-04",
        ends_on="2023-12-10",
        day="2023-12-08",
        generated_at="2023-12-08T09:00:00+08:00",
        counts=Counts(),
        today=dict.fromkeys(DAY_KEYS, 0),
        buildings=[],
        teams=[],
        daily=[],
        outcomes={},
        forecasts=[],
        visit_total=len(visits),
        visits=lambda: iter(()),
        suggestion_total=0,
        suggestions=lambda: iter(()),
        questionnaire=forms[current],
        forms=forms,
        answered_total=len(visits),
        answered=lambda: iter(visits),
    )


def visit(n: int, answers: dict[str, Any], questionnaire: str = "q1") -> AnsweredVisit:
    return AnsweredVisit(
        f"v{n}", "2023-12-08T10:00:00+08:00", "锦园", "3", "1", f"{n}01", f"JY-3-1-{n}01",
        questionnaire, answers,
    )  # fmt: skip


def test_a_sheet_per_repeat_with_a_row_per_entry() -> None:
    form = load_definition(members_form())
    phone = {**THREE[0], "mobile": "13800138000"}
    visits = [
        visit(1, {"stance": "agree", "members": [phone, *THREE[1:]]}),
        visit(2, {"stance": "oppose"}),
        visit(3, {"members": THREE[:1]}),
    ]
    sheets = answer_sheets(data(visits, {"q1": form}, "q1"), Catalog("zh_CN"), ["走访"])
    assert [s.key for s in sheets] == ["answers", "repeat:members"]
    assert [s.title for s in sheets] == ["问卷答案", "家庭成员"]
    answers, members = sheets
    assert [c.header for c in answers.columns][4:] == ["您的态度", "家庭成员"]
    rows = [tuple(r) for r in answers.rows]
    assert [r[0] for r in rows] == ["v1", "v2", "v3"]
    assert [r[4:] for r in rows] == [("同意", "3 条"), ("反对", ""), ("", "1 条")]
    assert rows[0][3] == "锦园3号1单元101室"
    assert [c.header for c in members.columns] == [
        "走访编号", "户编码", "地址", "序号", "本条编号", "上级编号",
        "姓名", "与户主关系", "年龄", "是否在职", "职业", "联系电话",
    ]  # fmt: skip
    entries = [tuple(r) for r in members.rows]
    assert len(entries) == 4
    assert entries[0] == (
        "v1", "JY-3-1-101", "锦园3号1单元101室", 1, "v1/members[1]", "v1",
        "张三", "户主", 52, "是", "", "138****8000",
    )  # fmt: skip
    assert entries[2][3:10] == (3, "v1/members[3]", "v1", "张小五", "子女", 19, "否")
    assert entries[3][:6] == ("v3", "JY-3-1-301", "锦园3号1单元301室", 1, "v3/members[1]", "v3")


def test_an_older_version_keeps_its_words() -> None:
    old_doc = members_form()
    new_doc = copy.deepcopy(old_doc)
    new_doc["version"] = 2
    new_doc["choice_lists"]["relation"][0]["label"] = {"zh_CN": "本人", "en": "Self"}
    forms = {"q1": load_definition(old_doc), "q2": load_definition(new_doc)}
    visits = [visit(1, {"members": THREE[:1]}, "q1"), visit(2, {"members": THREE[:1]}, "q2")]
    members = answer_sheets(data(visits, forms, "q2"), Catalog("zh_CN"))[1]
    assert [r[7] for r in members.rows] == ["户主", "本人"]


def test_questions_only_an_older_version_asked_keep_their_column() -> None:
    old_doc = members_form()
    old_doc["items"].insert(0, {"name": "floor_ok", "type": "yes_no", "label": "楼道整洁"})
    new_doc = members_form(version=2)
    forms = {"q1": load_definition(old_doc), "q2": load_definition(new_doc)}
    visits = [visit(1, {"floor_ok": True, "stance": "agree"}, "q1"), visit(2, {}, "q2")]
    answers = answer_sheets(data(visits, forms, "q2"), Catalog("zh_CN"))[0]
    assert [c.header for c in answers.columns][4:] == ["您的态度", "家庭成员", "楼道整洁"]
    assert [tuple(r)[4:] for r in answers.rows] == [("同意", "", "是"), ("", "", "")]


def test_in_english_and_in_the_workbook_order() -> None:
    form = load_definition(members_form())
    report = data([visit(1, {"members": THREE})], {"q1": form}, "q1")
    sheets = build_sheets(report, Catalog("en"))
    assert [s.title for s in sheets] == [
        "Summary", "Buildings", "Visits", "Suggestions", "Answers", "Household members",
    ]  # fmt: skip
    rows = [tuple(r) for r in sheets[-1].rows]
    assert [r[6:10] for r in rows] == [
        ("张三", "Head", 52, "yes"),
        ("李四", "Spouse", 49, "no"),
        ("张小五", "Child", 19, "no"),
    ]


def test_sheet_titles_are_what_excel_takes() -> None:
    doc = members_form()
    doc["items"][1]["label"] = {"zh_CN": "问卷答案", "en": "x"}  # the answers sheet's own
    form = load_definition(doc)
    titles = [s.title for s in answer_sheets(data([], {"q1": form}, "q1"), Catalog("zh_CN"))]
    assert titles == ["问卷答案", "问卷答案 (2)"]
    doc["items"][1]["label"] = {"zh_CN": "成员[本户]/同住?" + "长" * 40}
    form = load_definition(doc)
    title = answer_sheets(data([], {"q1": form}, "q1"), Catalog("zh_CN"))[1].title
    assert len(title) <= 31 and not set("[]:*?/\\") & set(title)


def test_no_questionnaire_no_answer_sheets() -> None:
    form = load_definition(members_form())
    report = data([], {"q1": form}, "q1")
    assert answer_sheets(ReportData(**{**report.__dict__, "questionnaire": None}), Catalog()) == []
