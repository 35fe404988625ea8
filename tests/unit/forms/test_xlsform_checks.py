"""Workbook-wide checks pyxform makes: codes with spaces in a multiple choice's list,
or_other with choice_filter, the reserved name `meta`, circles through choice_filter."""

from __future__ import annotations

from pathlib import Path

import pytest

from gridapp.forms.definition import DefinitionInvalid
from gridapp.forms.xlsform import read_xlsform
from gridapp.forms.xlsform_checks import filter_cycles
from tests.unit.forms.workbooks import xlsform

HEADER = ["type", "name", "label", "choice_filter"]
CHOICES = [["list_name", "name", "label", "k"], ["l", "a b", "甲"], ["l", "c", "乙", "x"]]


def _problems(path: Path) -> set[tuple[str, str]]:
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    return {(p.where, p.key) for p in info.value.problems}


def test_a_code_with_a_space_in_a_multiple_choice_list(tmp_path: Path) -> None:
    ok = xlsform(tmp_path / "one.xlsx", [HEADER, ["select_one l", "q", "问"]], CHOICES)
    assert read_xlsform(ok)["choice_lists"]["l"][0]["value"] == "a b"
    bad = xlsform(tmp_path / "many.xlsx", [HEADER, ["select_multiple l", "q", "问"]], CHOICES)
    assert _problems(bad) == {("choices!2:name", "error.xlsform.choice_space")}


def test_or_other_with_a_choice_filter(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx", [HEADER, ["select_one l or_other", "q", "问", "k = 'x'"]], CHOICES
    )
    assert _problems(path) == {("survey!2:choice_filter", "error.xlsform.or_other_filter")}


def test_the_reserved_name_meta(tmp_path: Path) -> None:
    path = xlsform(tmp_path / "f.xlsx", [HEADER, ["text", "meta", "问"], ["text", "a", "甲"]])
    assert _problems(path) == {("survey!2:name", "error.xlsform.reserved_name")}


def test_filter_cycles_go_through_a_filter() -> None:
    items = [
        {"name": "a", "choice_filter": "k = ${b}"},
        {"name": "b", "calculation": "${a}"},
        {"name": "c", "calculation": "${d}"},
        {"name": "d", "calculation": "${c}"},  # the loader's to report
        {"name": "e", "choice_filter": "k = ${e}"},
    ]
    assert filter_cycles(items) == [("b", "a → b → a"), ("e", "e → e")]
