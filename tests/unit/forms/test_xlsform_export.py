"""Definitions written back as XLSForm workbooks: import(export(definition)) gives the
definition back, every new feature included (languages, repeats, choice columns,
defaults, choice filters, appearances, metadata)."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from gridapp.forms.definition import FORMAT, FORMAT_VERSION, load_definition
from gridapp.forms.xlsform import read_xlsform
from gridapp.forms.xlsform_export import write_xlsform
from gridapp.forms.xlsform_types import PHONE_CONSTRAINT
from tests.unit.forms.workbooks import xlsform


def _l(en: str, fr: str, zh: str) -> dict[str, str]:
    return {"en": en, "fr": fr, "zh_CN": zh}


RICH: dict[str, Any] = {
    "format": FORMAT,
    "format_version": FORMAT_VERSION,
    "id": "household_census",
    "version": 2024010101,
    "title": _l("Census", "Recensement", "人口普查"),
    "default_language": "fr",
    "languages": ["en", "fr", "zh_CN"],
    "choice_lists": {
        "region": [
            {"value": "n", "label": _l("North", "Nord", "北")},
            {"value": "s", "label": _l("South", "Sud", "南")},
        ],
        "city": [
            {"value": "a", "label": _l("A", "A", "甲"), "columns": {"region": "n", "size": "3"}},
            {"value": "b", "label": _l("B", "B", "乙"), "columns": {"region": "s"}},
        ],
        "rel": [
            {"value": "head", "label": _l("Head", "Chef", "户主")},
            {"value": "kid", "label": _l("Child", "Enfant", "子女")},
        ],
    },
    "items": [
        {"name": "start", "type": "meta", "meta": "start"},
        {"name": "dev", "type": "meta", "meta": "deviceid"},
        {
            "name": "hh",
            "type": "group",
            "label": _l("Household", "Ménage", "住户"),
            "appearance": "field-list",
            "relevant": "${start} != ''",
            "items": [
                {
                    "name": "hh_size",
                    "type": "integer",
                    "label": _l("Size", "Taille", "人数"),
                    "hint": {"en": "People", "default": "人"},
                    "required": True,
                    "required_message": _l("Needed", "Requis", "必填"),
                    "constraint": ". > 0",
                    "constraint_message": _l("Positive", "Positif", "须为正"),
                    "default": 1,
                    "min": 1,
                    "max": 30,
                },
                {
                    "name": "region",
                    "type": "select_one",
                    "choices": "region",
                    "label": _l("Region", "Région", "区"),
                    "appearance": "minimal",
                    "default": "n",
                },
                {
                    "name": "city",
                    "type": "select_one",
                    "choices": "city",
                    "label": _l("City", "Ville", "市"),
                    "choice_filter": "region = ${region}",
                },
            ],
        },
        {
            "name": "members",
            "type": "repeat",
            "label": _l("Members", "Membres", "成员"),
            "repeat_count": "${hh_size}",
            "items": [
                {"name": "pname", "type": "text", "label": _l("Name", "Nom", "姓名")},
                {
                    "name": "relation",
                    "type": "select_one",
                    "choices": "rel",
                    "other": True,
                    "label": _l("Relation", "Lien", "关系"),
                },
                {
                    "name": "phone",
                    "type": "text",
                    "appearance": "numbers",
                    "constraint": PHONE_CONSTRAINT,
                    "label": _l("Phone", "Tél", "电话"),
                },
                {
                    "name": "visits",
                    "type": "repeat",
                    "label": _l("Visits", "Visites", "走访"),
                    "repeat_count": 2,
                    "items": [
                        {
                            "name": "on",
                            "type": "date",
                            "label": _l("On", "Le", "日期"),
                            "default": "2024-03-01",
                        },
                        {
                            "name": "at",
                            "type": "time",
                            "label": _l("At", "À", "时间"),
                            "default": "09:30",
                        },
                    ],
                },
            ],
        },
        {
            "name": "seen",
            "type": "datetime",
            "label": _l("Seen", "Vu", "见"),
            "default": "2024-03-01T09:30",
        },
        {"name": "weight", "type": "decimal", "label": _l("Kg", "Kg", "公斤"), "default": 2.5},
        {
            "name": "agree",
            "type": "yes_no",
            "label": _l("Agree", "D'accord", "同意"),
            "default": False,
        },
        {"name": "ok", "type": "acknowledge", "label": _l("OK", "OK", "好"), "required": True},
        {"name": "score", "type": "rating", "label": _l("Score", "Note", "评分"), "default": 4},
        {
            "name": "which",
            "type": "select_multiple",
            "choices": "rel",
            "label": _l("Which", "Lesquels", "哪些"),
            "default": ["head", "kid"],
        },
        {"name": "n", "type": "calculate", "calculation": "count(${members})"},
        {"name": "bye", "type": "note", "label": _l("=Thanks", "Merci", "谢谢")},
    ],
}


def _round_trip(doc: dict[str, Any], tmp_path: Path) -> dict[str, Any]:
    out = tmp_path / "exported.xlsx"
    write_xlsform(load_definition(doc), out)
    return read_xlsform(out)


def test_a_rich_definition_round_trips(tmp_path: Path) -> None:
    assert _round_trip(RICH, tmp_path) == RICH


def test_the_workbook_is_written_as_xlsform(tmp_path: Path) -> None:
    out = tmp_path / "exported.xlsx"
    write_xlsform(load_definition(RICH), out)
    book = load_workbook(out, read_only=True)
    survey = [r for r in book["survey"].iter_rows(values_only=True)]
    header = list(survey[0])
    assert header[:5] == [
        "type",
        "name",
        "label::English (en)",
        "label::French (fr)",
        "label::Chinese (zh)",
    ]
    assert {"choice_filter", "appearance", "default", "repeat_count"} <= set(header)
    types = [r[0] for r in survey[1:]]
    assert types[:4] == ["start", "deviceid", "begin group", "integer"]
    assert types.count("begin repeat") == types.count("end repeat") == 2
    choices = [r for r in book["choices"].iter_rows(values_only=True)]
    assert choices[0][-2:] == ("region", "size")
    settings = [r for r in book["settings"].iter_rows(values_only=True)]
    assert dict(zip(settings[0], settings[1], strict=True))["default_language"] == "French (fr)"
    book.close()


@pytest.mark.parametrize("language", ["Kirundi", "sw", "pt-BR", "default"])
def test_any_language_round_trips(tmp_path: Path, language: str) -> None:
    doc = copy.deepcopy(RICH)
    doc["items"][-1]["label"] = {language: "x", "en": "Thanks"}
    doc["languages"] = ["en", "fr", "zh_CN"] + ([language] if language != "default" else [])
    again = _round_trip(doc, tmp_path)
    assert again["items"][-1]["label"] == {language: "x", "en": "Thanks"}
    assert load_definition(again).languages == load_definition(doc).languages


def test_a_world_workbook_round_trips(tmp_path: Path) -> None:
    """A workbook as others write it: read, written back, read again: the same."""
    path = xlsform(
        tmp_path / "world.xlsx",
        [
            [
                "Type",
                "Name",
                "Label:English",
                "label::Español (es)",
                "Relevance",
                "Choice Filter",
                "jr:count",
                "Default",
            ],
            ["begin_repeat", "kids", "Kids", "Niños", None, None, "3"],
            ["select one region", "r", "Region", "Región"],
            ["select_one city", "c", "City", "Ciudad", "${r} != ''", "region=${r}"],
            ["end_repeat"],
            ["dateTime", "when", "When", "Cuándo", None, None, None, "2024-01-02 08:00"],
        ],
        [
            ["List Name", "Name", "Label:English", "label::Español (es)", "region"],
            ["region", "n", "North", "Norte"],
            ["city", "a", "A", "A", "n"],
        ],
        [["Form_Title", "Form_ID", "Version"], ["World", "world", "7"]],
        names=("Survey", "Choices", "SETTINGS"),
    )
    doc = read_xlsform(path)
    assert doc["languages"] == ["en", "es"]
    assert doc["items"][1]["default"] == "2024-01-02T08:00"
    assert _round_trip(doc, tmp_path) == doc


def test_allow_choice_duplicates_is_kept(tmp_path: Path) -> None:
    """pyxform's setting for cascades that repeat a code; the loader decides on it."""
    path = xlsform(
        tmp_path / "cascade.xlsx",
        [["type", "name", "label"], ["text", "a", "甲"]],
        settings=[["form_id", "allow_choice_duplicates"], ["f", "yes"]],
    )
    doc = read_xlsform(path, check=False)
    assert doc["allow_choice_duplicates"] is True
    assert _round_trip(doc, tmp_path)["allow_choice_duplicates"] is True


def test_inline_choices_get_a_list_of_their_own(tmp_path: Path) -> None:
    doc = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "id": "f",
        "version": 1,
        "title": {"zh_CN": "表"},
        "items": [
            {
                "name": "q",
                "type": "select_one",
                "label": "问",
                "choices": [{"value": "1", "label": "一"}, {"value": "2", "label": "二"}],
            }
        ],
    }
    again = _round_trip(doc, tmp_path)
    assert again["choice_lists"] == {
        "q": [{"value": "1", "label": {"zh_CN": "一"}}, {"value": "2", "label": {"zh_CN": "二"}}]
    }
    before, after = load_definition(doc), load_definition(again)
    assert before.questions == after.questions and before.title == after.title
