"""Loading definitions: every question type, and every broken definition refused whole
with each problem named."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from gridapp.forms.definition import DefinitionInvalid, load_definition
from gridapp.resources import load_json


def _base() -> dict[str, Any]:
    return {
        "format": "gridapp-questionnaire",
        "format_version": 1,
        "id": "t",
        "version": 1,
        "title": "测试问卷",
        "choice_lists": {"abc": [{"value": "a", "label": "甲"}, {"value": "b", "label": "乙"}]},
        "items": [
            {"name": "one", "type": "select_one", "choices": "abc", "label": "单选"},
            {
                "name": "many",
                "type": "select_multiple",
                "choices": "abc",
                "other": True,
                "label": "多选",
            },
            {"name": "words", "type": "text", "label": "文字"},
            {"name": "count", "type": "integer", "min": 0, "max": 9, "label": "整数"},
            {"name": "share", "type": "decimal", "label": "小数"},
            {"name": "when", "type": "date", "label": "日期"},
            {"name": "yes", "type": "yes_no", "label": "是否", "required": True},
            {"name": "stars", "type": "rating", "label": "评分"},
            {"name": "info", "type": "note", "label": "说明"},
            {"name": "double", "type": "calculate", "calculation": "${count} * 2"},
            {
                "name": "grp",
                "type": "group",
                "label": "分组",
                "relevant": "${yes} = true()",
                "items": [{"name": "inner", "type": "text", "label": "组内"}],
            },
        ],
    }


def _problems(doc: dict[str, Any]) -> list[tuple[str, str, str]]:
    with pytest.raises(DefinitionInvalid) as info:
        load_definition(doc)
    return [(p.where, p.part, p.key) for p in info.value.problems]


def test_every_question_type_loads() -> None:
    form = load_definition(_base())
    assert [q.type for q in form.questions] == [
        "select_one",
        "select_multiple",
        "text",
        "integer",
        "decimal",
        "date",
        "yes_no",
        "rating",
        "note",
        "calculate",
        "text",
    ]
    assert form.question("inner") is not None and form.question("inner").groups == ("grp",)  # type: ignore[union-attr]
    assert form.question("many").other  # type: ignore[union-attr]
    assert form.question("one").choice_values == {"a", "b"}  # type: ignore[union-attr]
    assert form.title == {"zh_CN": "测试问卷"}


def test_the_shipped_fee_consultation_loads() -> None:
    form = load_definition(load_json("content", "fee_consultation.v1.json"))
    assert form.id == "fee_consultation"
    assert form.question("reasons").relevant is not None  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["items"][2].update(type="essay"),
            ("words", "type", "error.form.unknown_type"),
        ),
        (lambda d: d["items"][3].update(name="one"), ("one", "name", "error.form.duplicate_name")),
        (
            lambda d: d["items"][0].update(relevant="${ghost} = 1"),
            ("one", "relevant", "error.form.unknown_reference"),
        ),
        (
            lambda d: d["items"][0].update(choices="nolist"),
            ("one", "choices", "error.form.no_choice_list"),
        ),
        (lambda d: d["items"][3].update(min=10, max=1), ("count", "min", "error.form.bad_range")),
        (lambda d: d["items"][2].update(label=""), ("words", "label", "error.form.missing")),
        (
            lambda d: d["items"][2].update(name="bad name"),
            ("items[3]", "name", "error.form.bad_name"),
        ),
        (
            lambda d: d["items"][0].update(constraint="(. = 1"),
            ("one", "constraint", "error.form.bad_expression"),
        ),
        (
            lambda d: d["items"][2].update(required="sometimes"),
            ("words", "required", "error.form.bad_boolean"),
        ),
        (lambda d: d.update(version=0), ("", "version", "error.form.bad_version")),
        (lambda d: d.update(format_version=9), ("", "format_version", "error.form.version_future")),
        (
            lambda d: d["choice_lists"]["abc"].append({"value": "a"}),
            ("one", "choices[3]", "error.form.duplicate_choice"),
        ),
    ],
)
def test_broken_definitions_name_the_problem(change: Any, expected: tuple[str, str, str]) -> None:
    doc = copy.deepcopy(_base())
    change(doc)
    assert expected in _problems(doc)


def test_a_cycle_in_calculations_is_refused() -> None:
    doc = _base()
    doc["items"] += [
        {"name": "x", "type": "calculate", "calculation": "${y} + 1"},
        {"name": "y", "type": "calculate", "calculation": "${z} + 1"},
        {"name": "z", "type": "calculate", "calculation": "${x} + 1"},
    ]
    found = _problems(doc)
    assert any(key == "error.form.cycle" for _, _, key in found)


def test_every_problem_is_listed_at_once() -> None:
    doc = _base()
    doc["items"][2]["type"] = "essay"
    doc["items"][3]["name"] = "one"
    doc["items"][0]["relevant"] = "${ghost}"
    assert len(_problems(doc)) >= 3


def _chain(length: int, closed: bool) -> dict[str, Any]:
    """c0000 ← c0001 ← … each calculation reads the next; names sort along the chain,
    so a walk from the first goes `length` deep."""
    doc = _base()
    doc["items"] += [
        {"name": f"c{i:04d}", "type": "calculate", "calculation": f"${{c{i + 1:04d}}} + 1"}
        for i in range(length)
    ]
    end = "${c0000}" if closed else "${count}"
    doc["items"].append({"name": f"c{length:04d}", "type": "calculate", "calculation": end})
    return doc


def test_a_long_chain_of_calculations_loads_and_a_long_cycle_is_named() -> None:
    form = load_definition(_chain(3000, closed=False))  # no recursion to run out of
    assert sum(q.name[1:].isdigit() for q in form.questions) == 3001
    found = _problems(_chain(3000, closed=True))
    assert [(where, key) for where, _, key in found] == [("c3000", "error.form.cycle")]
