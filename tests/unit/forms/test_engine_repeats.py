"""The engine with repeats: paths, instances added, removed, moved and counted by the
form, defaults, choice filters, meta values, results and problems by path, speed."""

from __future__ import annotations

import time
from typing import Any

import pytest

from gridapp.forms.definition import load_definition
from gridapp.forms.engine import FormState, answer_rows, check_answers, repeat_rows
from gridapp.forms.scope import as_path, path_text

TODAY = "2024-05-01"


def _form(*items: dict[str, Any]) -> Any:
    return load_definition(
        {
            "format": "gridapp-questionnaire",
            "format_version": 2,
            "id": "r",
            "version": 1,
            "title": "户情",
            "choice_lists": {
                "rel": [{"value": "head", "label": "户主"}, {"value": "kid", "label": "子女"}],
                "city": [{"value": "sh", "label": "上海"}, {"value": "bj", "label": "北京"}],
                "district": [
                    {"value": "pd", "label": "浦东", "columns": {"city": "sh"}},
                    {"value": "xh", "label": "徐汇", "columns": {"city": "sh"}},
                    {"value": "hd", "label": "海淀", "columns": {"city": "bj"}},
                ],
            },
            "items": list(items),
        }
    )


HOUSEHOLD = _form(
    {"name": "started", "type": "meta", "meta": "start"},
    {"name": "device", "type": "meta", "meta": "deviceid"},
    {"name": "city", "type": "select_one", "choices": "city", "label": "城市", "default": "sh"},
    {
        "name": "district",
        "type": "select_one",
        "choices": "district",
        "label": "区",
        "choice_filter": "city = ${city}",
    },
    {
        "name": "members",
        "type": "repeat",
        "label": "成员",
        "items": [
            {"name": "who", "type": "text", "label": "姓名", "required": True,
             "required_message": {"zh_CN": "请填姓名"}},
            {"name": "rel", "type": "select_one", "choices": "rel", "label": "关系"},
            {"name": "age", "type": "integer", "label": "年龄", "min": 0, "max": 120,
             "default": 30},
            {"name": "adult", "type": "calculate", "calculation": "${age} >= 18"},
            {"name": "job", "type": "text", "label": "工作", "relevant": "${age} >= 18"},
            {"name": "nth", "type": "calculate", "calculation": "position(..)"},
            {
                "name": "phones",
                "type": "repeat",
                "repeat_count": "if(${age} >= 18, 2, 0)",
                "items": [{"name": "phone", "type": "text", "label": "电话"}],
            },
        ],
    },
    {"name": "people", "type": "calculate", "calculation": "count(${members})"},
    {"name": "total_age", "type": "calculate", "calculation": "sum(${age})"},
    {"name": "oldest", "type": "calculate", "calculation": "max(${age})"},
    {"name": "second", "type": "calculate",
     "calculation": "indexed-repeat(${who}, ${members}, 2)"},
    {"name": "phones_all", "type": "calculate", "calculation": "count(${phones})"},
)  # fmt: skip


def _state(answers: dict[str, Any] | None = None) -> FormState:
    meta = {"start": "2024-05-01T09:00", "deviceid": "laptop-7"}
    return FormState(HOUSEHOLD, answers, TODAY, meta=meta)


def test_paths_read_and_print() -> None:
    assert as_path("age") == ("age",)
    assert as_path("members[2]/age") == ("members", 1, "age")
    assert as_path(("members", 0, "who")) == ("members", 0, "who")
    assert path_text(("members", 1, "phones", 0, "phone")) == "members[2]/phones[1]/phone"


def test_a_new_form_has_its_defaults_and_meta() -> None:
    state = _state()
    assert state.value("city") == "sh" and state.value("started") == "2024-05-01T09:00"
    assert state.value("device") == "laptop-7"
    assert _state({}).value("city") is None  # answers given: not a new form
    assert FormState(HOUSEHOLD, {}, TODAY).value("started") is None  # nor the moment
    assert _state({}).value("device") == "laptop-7"  # given: filled in
    fresh = FormState(HOUSEHOLD, None, TODAY)
    assert fresh.value("started") == fresh.now and fresh.value("device") is None


def test_a_repeat_answer_that_is_no_list_of_instances_is_a_problem() -> None:
    problems = check_answers(HOUSEHOLD, {"members": "张三"}, TODAY)
    assert [(p.where, p.key) for p in problems] == [("members", "error.answer.not_a_repeat")]


def test_instances_are_added_removed_and_moved_and_sums_follow() -> None:
    state = _state()
    assert state.instance_count("members") == 0 and state.value("people") == 0
    assert state.add_instance("members") == 0
    assert state.value(("members", 0, "age")) == 30  # the instance's default
    state.set(("members", 0, "who"), "张三")
    state.add_instance("members")
    state.set("members[2]/who", "李四")
    state.set(("members", 1, "age"), 8)
    assert state.value("people") == 2 and state.value("total_age") == 38
    assert state.value("oldest") == 30 and state.value("second") == "李四"
    assert state.value("members[2]/nth") == 2 and state.value("members[2]/adult") is False
    state.move_instance("members", 1, 0)
    assert state.value("second") == "张三" and state.value("members[1]/nth") == 1
    state.remove_instance("members", 0)
    assert state.value("people") == 1 and state.value("second") is None


def test_repeat_count_fixes_the_instances_on_recalculation() -> None:
    state = _state()
    state.add_instance("members")
    assert state.instance_count(("members", 0, "phones")) == 2  # age 30 by default
    assert state.value("phones_all") == 2
    state.set(("members", 0, "phones", 1, "phone"), "138")
    state.set(("members", 0, "age"), 10)
    assert state.instance_count(("members", 0, "phones")) == 0
    with pytest.raises(ValueError):
        state.add_instance(("members", 0, "phones"))
    with pytest.raises(ValueError):
        state.remove_instance(("members", 0, "phones"), 0)


def test_relevance_inside_an_instance_uses_its_own_answers() -> None:
    state = _state({"members": [{"who": "甲", "age": 40}, {"who": "乙", "age": 5}]})
    job = HOUSEHOLD.find("job")
    assert job is not None
    assert state.relevant(job, ("members", 0)) and not state.relevant(job, ("members", 1))
    assert [q.name for q in state.visible(("members", 1))] == ["who", "rel", "age", "phones"]
    assert "members" in [q.name for q in state.visible()]


def test_choice_filter_keeps_the_choices_of_the_city() -> None:
    state = _state()
    district = HOUSEHOLD.question("district")
    assert district is not None
    assert [c.value for c in state.choices(district)] == ["pd", "xh"]
    state.set("city", "bj")
    assert [c.value for c in state.choices(district)] == ["hd"]
    state.set("district", "pd")
    assert state.problems()["district"].key == "error.answer.not_a_choice"


def test_result_missing_and_problems_by_path() -> None:
    state = _state(
        {
            "members": [
                {"who": "甲", "age": 40, "job": "司机", "rel": "head"},
                {"age": 5, "job": "不该留下"},
                {"who": "丙", "age": 200},
            ]
        }
    )
    assert state.missing() == ["members[2]/who"]
    assert state.problems()["members[3]/age"].key == "error.answer.out_of_range"
    result = state.result()
    assert result["members"][1] == {"age": 5, "adult": False, "nth": 2}
    assert result["members"][0]["phones"] == [{}, {}]
    assert result["people"] == 3
    problems = check_answers(HOUSEHOLD, {"members": [{"age": 5, "ghost": 1}]}, TODAY)
    found = {(p.where, p.key) for p in problems}
    assert ("members[1]/ghost", "error.answer.unknown_question") in found
    required = next(p for p in problems if p.key == "error.answer.required")
    assert required.where == "members[1]/who"
    assert required.params["message"] == {"zh_CN": "请填姓名"}


def test_answers_of_a_repeat_in_words_and_per_instance() -> None:
    answers = {"members": [{"who": "张三", "rel": "head", "age": 45}, {"who": "小明", "age": 9}]}
    rows = {r["question"]: r["text"] for r in answer_rows(HOUSEHOLD, answers)}
    assert rows["members"] == "2 条：张三（户主，45）；小明（9）"
    english = {r["question"]: r["text"] for r in answer_rows(HOUSEHOLD, answers, "en")}
    assert english["members"] == "2 entries: 张三 (户主, 45); 小明 (9)"
    per = repeat_rows(HOUSEHOLD, answers)
    assert list(per) == ["members", "members/phones"]
    assert [[r["question"] for r in rows] for rows in per["members"]] == [
        ["who", "rel", "age"],
        ["who", "age"],
    ]


def test_new_types_coerce() -> None:
    form = _form(
        {"name": "at", "type": "time", "label": "时"},
        {"name": "when", "type": "datetime", "label": "刻"},
        {"name": "ok", "type": "acknowledge", "label": "确认", "required": True},
    )
    state = FormState(form, {"at": "9:05", "when": "2024-05-01 09:05:33", "ok": True}, TODAY)
    assert state.result() == {"at": "09:05", "when": "2024-05-01T09:05", "ok": "OK"}
    state.set("ok", False)
    assert state.missing() == ["ok"]
    state.set("at", "25:00")
    assert state.problems()["at"].key == "error.answer.not_time"


def test_a_big_form_with_repeats_evaluates_fast() -> None:
    inner = [
        {"name": f"m{i}", "type": "integer", "label": "数", "relevant": f"${{m{i - 1}}} > 0"}
        for i in range(1, 50)
    ]
    form = _form(
        *[
            {"name": f"q{i}", "type": "integer", "label": "题", "relevant": f"${{q{i - 1}}} >= 0"}
            for i in range(1, 2000)
        ],
        {"name": "q0", "type": "integer", "label": "首"},
        {"name": "rows", "type": "repeat", "items": [{"name": "m0", "type": "integer",
                                                      "label": "首"}, *inner]},
        {"name": "total", "type": "calculate", "calculation": "sum(${m1})"},
    )  # fmt: skip
    answers: dict[str, Any] = {f"q{i}": i for i in range(2000)}
    answers["rows"] = [{f"m{i}": 1 for i in range(50)} for _ in range(40)]
    started = time.perf_counter()
    state = FormState(form, answers, TODAY)
    state.set("q5", 7)
    assert state.value("total") == 40 and not state.problems() and not state.missing()
    assert len(state.result()["rows"]) == 40
    assert time.perf_counter() - started < 1.0
