"""Repeats in workbooks (`begin repeat` … `end repeat`, `repeat_count`), and the issue's
bad input: each refused by sheet, row and column (timed in bench/bench_xlsform_import.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gridapp.forms.definition import DefinitionInvalid, load_definition
from gridapp.forms.limits import MAX_REPEAT_DEPTH
from gridapp.forms.xlsform import read_xlsform
from gridapp.forms.xlsform_sheet import MAX_CELL
from tests.unit.forms.workbooks import declared_range_workbook, replace_text, xlsform

HEADER = ["type", "name", "label", "repeat_count", "calculation", "choice_filter"]
CHOICES = [
    ["list_name", "name", "label", "region"],
    ["rel", "head", "户主"],
    ["rel", "kid", "子女"],
]


def _problems(path: Path) -> set[tuple[str, str]]:
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    return {(p.where, p.key) for p in info.value.problems}


def test_a_household_roster(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "roster.xlsx",
        [
            HEADER,
            ["integer", "hh_size", "人数"],
            ["begin_repeat", "members", "成员", "${hh_size}"],
            ["text", "pname", "姓名"],
            ["select_one rel", "relation", "关系"],
            ["begin repeat", "phones", "电话"],
            ["phone number", "phone", "号码"],
            ["end repeat"],
            ["end_repeat"],
            ["begin repeat", "visits", "走访", 3],
            ["date", "on", "日期"],
            ["end repeat"],
            ["calculate", "n", None, None, "count(${members})"],
        ],
        CHOICES,
    )
    doc = read_xlsform(path)
    members = doc["items"][1]
    assert (members["type"], members["repeat_count"]) == ("repeat", "${hh_size}")
    assert [i["name"] for i in members["items"]] == ["pname", "relation", "phones"]
    assert members["items"][2]["items"][0]["name"] == "phone"
    assert doc["items"][2]["repeat_count"] == 3
    form = load_definition(doc)
    assert [q.name for q in form.questions] == ["hh_size", "members", "visits", "n"]
    assert [("/".join(prefix), q.name) for prefix, q in form.walk() if prefix] == [
        ("members", "pname"),
        ("members", "relation"),
        ("members", "phones"),
        ("members/phones", "phone"),
        ("visits", "on"),
    ]


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        ([["end repeat"]], ("survey!2:type", "error.xlsform.end_without_begin")),
        (
            [["begin group", "g", "组"], ["text", "a", "甲"], ["end repeat"], ["end group"]],
            ("survey!4:type", "error.xlsform.end_mismatch"),
        ),
        (
            [["begin repeat", "r", "组"], ["text", "a", "甲"]],
            ("survey!2:type", "error.xlsform.unclosed"),
        ),
    ],
)
def test_unmatched_begin_and_end(
    tmp_path: Path, rows: list[list[Any]], expected: tuple[str, str]
) -> None:
    path = xlsform(tmp_path / "f.xlsx", [HEADER, *rows])
    assert expected in _problems(path)


def test_duplicate_names_inside_and_outside_a_repeat(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [
            HEADER,
            ["text", "name", "姓名"],
            ["begin repeat", "members", "成员"],
            ["text", "name", "姓名"],
            ["end repeat"],
        ],
    )
    assert ("survey!4:name", "error.form.duplicate_name") in _problems(path)


def test_a_choice_list_used_but_missing(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [HEADER, ["select_one rel", "a", "甲"], ["select_one nope", "b", "乙"]],
        CHOICES,
    )
    assert _problems(path) == {("survey!3:type", "error.form.no_choice_list")}


def test_a_cycle_through_choice_filter(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [
            HEADER,
            ["select_one rel", "a", "甲", None, None, "name != ${b}"],
            ["select_one rel", "b", "乙", None, None, "name != ${a}"],
        ],
        CHOICES,
    )
    found = _problems(path)
    assert {k for _, k in found} == {"error.xlsform.choice_cycle"}
    assert {w for w, _ in found} <= {"survey!2:choice_filter", "survey!3:choice_filter"}


def test_a_cycle_through_calculations(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [
            HEADER,
            ["text", "t", "甲"],
            ["calculate", "x", None, None, "${y} + 1"],
            ["calculate", "y", None, None, "${x} + 1"],
        ],
    )
    found = _problems(path)
    assert {k for _, k in found} == {"error.form.cycle"}
    assert {w for w, _ in found} <= {"survey!3:calculation", "survey!4:calculation"}


@pytest.mark.parametrize("count", ["lots", "hh_size", "-1", "3.5", "${", "100000"])
def test_repeat_count_not_a_number_or_expression(tmp_path: Path, count: str) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [
            HEADER,
            ["integer", "hh_size", "人数"],
            ["begin repeat", "r", "成员", count],
            ["text", "a", "甲"],
            ["end repeat"],
        ],
    )
    assert _problems(path) == {("survey!3:repeat_count", "error.xlsform.bad_repeat_count")}


def test_a_repeat_nested_twenty_deep(tmp_path: Path) -> None:
    rows: list[list[Any]] = [HEADER, ["text", "top", "甲"]]
    rows += [["begin repeat", f"r{n}", f"第{n}层"] for n in range(20)]
    rows += [["text", "deep", "最深"]] + [["end repeat"]] * 20
    path = xlsform(tmp_path / "f.xlsx", rows)
    found = _problems(path)
    first_refused = 3 + MAX_REPEAT_DEPTH  # header, "top", then the allowed depth
    assert (f"survey!{first_refused}:type", "error.xlsform.repeats_too_deep") in found
    # said once, at the outermost refused; the repeat around it is left with no questions
    assert found == {
        (f"survey!{first_refused}:type", "error.xlsform.repeats_too_deep"),
        (f"survey!{first_refused - 1}:type", "error.form.no_questions"),
    }


def test_a_label_of_a_hundred_thousand_characters(tmp_path: Path) -> None:
    path = xlsform(tmp_path / "f.xlsx", [HEADER, ["text", "a", "LONG_LABEL"]])
    replace_text(path, "LONG_LABEL", "长" * 100_000)
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    [problem] = info.value.problems
    assert (problem.where, problem.key) == ("survey!2:label", "error.xlsform.cell_too_long")
    assert problem.params == {"length": 100_000, "limit": MAX_CELL}


def test_a_sheet_declared_a_million_rows_by_1024_columns(tmp_path: Path) -> None:
    survey = [HEADER[:3], ["text", "a", "甲"]]
    path = declared_range_workbook(tmp_path / "huge.xlsx", survey, stray="x")
    assert _problems(path) == {("survey!1048576:AMJ", "error.xlsform.content_after_gap")}
    clean = declared_range_workbook(tmp_path / "clean.xlsx", survey)
    assert [i["name"] for i in read_xlsform(clean)["items"]] == ["a"]


def test_names_pyxform_takes_but_expressions_cannot(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [
            HEADER,
            ["text", "hh-size", "人数"],
            ["begin group", "2nd", "组"],
            ["text", "ok", "甲"],
            ["end group"],
            ["text", "fine", "乙"],
            ["integer", None, "无名"],
        ],
    )
    assert _problems(path) == {
        ("survey!2:name", "error.form.bad_name"),
        ("survey!3:name", "error.form.bad_name"),
        ("survey!7:name", "error.xlsform.no_name"),
    }


def test_each_duplicate_is_named_at_its_own_row(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [
            HEADER,
            ["text", "a", "甲"],
            ["text", "a", "乙"],
            ["integer", "b", "丙"],
            ["text", "a", "丁"],
        ],
    )
    assert _problems(path) == {
        ("survey!3:name", "error.form.duplicate_name"),
        ("survey!5:name", "error.form.duplicate_name"),
    }


def test_a_wrong_calculation_is_not_also_missing(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx", [HEADER, ["text", "a", "甲"], ["calculate", "c", None, None, "1 +"]]
    )
    assert _problems(path) == {("survey!3:calculation", "error.form.bad_expression")}
