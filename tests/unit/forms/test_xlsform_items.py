"""A survey row's cells as an item: defaults in the question's own type."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gridapp.forms.definition import DefinitionInvalid
from gridapp.forms.xlsform import read_xlsform
from gridapp.forms.xlsform_items import boolean, typed_default
from tests.unit.forms.workbooks import xlsform


@pytest.mark.parametrize(
    ("kind", "text", "answer"),
    [
        ("text", "abc", "abc"),
        ("integer", "3", 3),
        ("integer", "3.0", 3),
        ("integer", "3.5", None),
        ("decimal", "2.5", 2.5),
        ("date", "2024-03-01", "2024-03-01"),
        ("date", "2024-02-30", None),
        ("time", "07:30", "07:30"),
        ("time", "07:30:15", "07:30"),
        ("datetime", "2024-03-01 09:30", "2024-03-01T09:30"),
        ("select_multiple", "a  b", ["a", "b"]),
        ("yes_no", "yes", True),
        ("yes_no", "FALSE", False),
        ("rating", "4", 4),
        ("rating", "6", None),
        ("acknowledge", "OK", "OK"),
        ("note", "x", None),
    ],
)
def test_typed_default(kind: str, text: str, answer: Any) -> None:
    assert typed_default(kind, text) == answer


@pytest.mark.parametrize("text", ["yes", "Yes", "TRUE", "true()", "1", "是"])
def test_required_yes(text: str) -> None:
    assert boolean(text) is True


def test_defaults_that_are_not_answers(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label", "default"],
            ["integer", "a", "甲", "many"],
            ["date", "b", "乙", "today()"],
            ["text", "c", "丙", "${a}"],
            ["text", "d", "丁", "hello"],
        ],
    )
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    assert {(p.where, p.key) for p in info.value.problems} == {
        ("survey!2:default", "error.xlsform.bad_default"),
        ("survey!3:default", "error.xlsform.dynamic_default"),
        ("survey!4:default", "error.xlsform.dynamic_default"),
    }
