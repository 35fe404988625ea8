"""XLSForm types with pyxform's aliases: mapped to ours, or refused by sheet, row and
column with a reason that names the feature."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gridapp.forms.definition import DefinitionInvalid, load_definition
from gridapp.forms.xlsform import read_xlsform
from gridapp.forms.xlsform_types import PHONE_CONSTRAINT, parse_type
from gridapp.i18n import Catalog
from tests.unit.forms.workbooks import xlsform

HEADER = ["type", "name", "label"]


@pytest.mark.parametrize(
    ("written", "fields"),
    [
        ("text", {"type": "text"}),
        ("string", {"type": "text"}),
        ("int", {"type": "integer"}),
        ("time", {"type": "time"}),
        ("dateTime", {"type": "datetime"}),
        ("date time", {"type": "datetime"}),
        ("acknowledge", {"type": "acknowledge"}),
        ("trigger", {"type": "acknowledge"}),
        ("start", {"type": "meta", "meta": "start"}),
        ("end", {"type": "meta", "meta": "end"}),
        ("today", {"type": "meta", "meta": "today"}),
        ("deviceid", {"type": "meta", "meta": "deviceid"}),
        ("imei", {"type": "meta", "meta": "deviceid"}),
        ("username", {"type": "meta", "meta": "username"}),
        ("audit", {"type": "meta", "meta": "audit"}),
        (
            "phone number",
            {"type": "text", "appearance": "numbers", "constraint": PHONE_CONSTRAINT},
        ),
        ("select_one yes_no", {"type": "select_one", "choices": "yes_no"}),
        ("select one Cities", {"type": "select_one", "choices": "Cities"}),
        ("select_one  yn   or_other", {"type": "select_one", "choices": "yn", "other": True}),
        (
            "select_multiple why or specify other",
            {"type": "select_multiple", "choices": "why", "other": True},
        ),
        ("select all that apply why", {"type": "select_multiple", "choices": "why"}),
        ("percentage", {"type": "integer", "min": 0, "max": 100}),
        ("hidden", {"type": "calculate"}),
    ],
)
def test_types_we_have(written: str, fields: dict[str, Any]) -> None:
    assert parse_type(written).fields == fields


def test_begin_and_end() -> None:
    assert parse_type("begin group").begin == "group"
    assert parse_type("begin_repeat").begin == "repeat"
    assert parse_type("Begin Repeat").begin == "repeat"
    assert parse_type("end_repeat").end == "repeat"
    assert parse_type("end group").end == "group"
    assert parse_type("begin loop over rooms").refusal == "error.xlsform.legacy"


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("simserial", "error.xlsform.needs_device"),
        ("subscriberid", "error.xlsform.needs_device"),
        ("phonenumber", "error.xlsform.needs_device"),
        ("email", "error.xlsform.needs_device"),
        ("background-audio", "error.xlsform.needs_device"),
        ("select_one_from_file cities.csv", "error.xlsform.needs_server"),
        ("select_one_external cities", "error.xlsform.needs_server"),
        ("select_one cities.csv", "error.xlsform.needs_server"),
        ("csv-external", "error.xlsform.needs_server"),
        ("xml-external", "error.xlsform.needs_server"),
        ("geopoint", "error.xlsform.media_answer"),
        ("image", "error.xlsform.media_answer"),
        ("audio", "error.xlsform.media_answer"),
        ("video", "error.xlsform.media_answer"),
        ("file", "error.xlsform.media_answer"),
        ("barcode", "error.xlsform.media_answer"),
        ("rank fruits", "error.xlsform.unsupported_type"),
        ("include other.xlsx", "error.xlsform.legacy"),
        ("texte", "error.form.unknown_type"),
    ],
)
def test_what_needs_a_server_or_device_is_refused_naming_it(
    tmp_path: Path, written: str, key: str
) -> None:
    path = xlsform(tmp_path / "f.xlsx", [HEADER, ["text", "a", "甲"], [written, "x", "乙"]])
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    found = [(p.where, p.key) for p in info.value.problems]
    assert ("survey!3:type", key) in found
    problem = next(p for p in info.value.problems if p.key == key)
    for lang in ("en", "zh_CN"):
        assert written in Catalog(lang).tr(problem.key, **problem.params)


def test_server_functions_and_columns_are_refused_where_written(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [
            [*HEADER, "calculation", "save_to", "readonly", "trigger", "notes", "appearance"],
            ["calculate", "c", None, "pulldata('hh', 'size', 'id', '1')"],
            ["text", "a", "甲", None, "hh_name"],
            ["text", "b", "乙", None, None, "yes"],
            ["text", "d", "丁", None, None, "no", "${a}", "a comment pyxform ignores"],
            ["select_one x", "e", "戊", *[None] * 5, "search('towns.csv')"],
        ],
    )
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    found = {(p.where, p.key) for p in info.value.problems}
    assert found == {
        ("survey!2:calculation", "error.xlsform.needs_server"),
        ("survey!3:save_to", "error.xlsform.needs_server"),
        ("survey!4:readonly", "error.xlsform.unsupported_column"),
        ("survey!5:trigger", "error.xlsform.unsupported_column"),
        ("survey!6:appearance", "error.xlsform.needs_server"),
        ("survey!6:type", "error.form.no_choice_list"),  # its choices are in towns.csv
    }


@pytest.mark.parametrize(
    ("parameters", "fields"),
    [
        ("start=1 end=5", {"type": "rating"}),
        ("start=1;end=5;step=1", {"type": "rating"}),
        ("", {"type": "integer", "min": 1, "max": 10}),
        (
            "start=0 end=40 step=2",
            {"type": "integer", "min": 0, "max": 40, "constraint": "(. - 0) mod 2 = 0"},
        ),
        ("start=1.5;end=5.5;step=0.5", {"type": "decimal", "min": 1.5, "max": 5.5}),
    ],
)
def test_a_range_is_a_number_between_its_ends(parameters: str, fields: dict[str, Any]) -> None:
    assert parse_type("range", parameters).fields == fields


def test_a_range_that_cannot_be(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [
            [*HEADER, "parameters", "constraint"],
            ["range", "r", "评分", "start=1 end=5"],
            ["range", "s", "温度", "start=0 end=40 step=2", ". != 4"],
            ["range", "t", "倒", "start=5 end=1"],
            ["range", "u", "零", "step=0"],
        ],
    )
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    assert [(p.where, p.key) for p in info.value.problems] == [
        ("survey!4:type", "error.xlsform.unsupported_type"),
        ("survey!5:type", "error.xlsform.unsupported_type"),
    ]
    path = xlsform(
        tmp_path / "g.xlsx",
        [[*HEADER, "parameters", "constraint"], ["range", "s", "温度", "step=2", ". != 4"]],
    )
    assert read_xlsform(path)["items"][0]["constraint"] == "(. != 4) and (. - 1) mod 2 = 0"


def test_read_only_where_nothing_is_typed(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [
            [*HEADER, "calculation", "read_only"],
            ["text", "a", "甲"],
            ["calculate", "c", "算", "${a}", "yes"],
            ["note", "n", "注", None, "TRUE"],
        ],
    )
    assert [i["type"] for i in read_xlsform(path)["items"]] == ["text", "calculate", "note"]


def test_media_beside_a_label_is_ignored_media_alone_refused(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [
            ["type", "name", "label::English (en)", "image::English (en)", "audio"],
            ["note", "intro", "Welcome", "logo.png"],
            ["note", "pic", None, "map.png"],
            ["text", "a", "Name", None, "name.mp3"],
        ],
    )
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    assert [(p.where, p.key) for p in info.value.problems] == [
        ("survey!3:image::English (en)", "error.xlsform.media_only")
    ]


def test_metadata_is_kept_and_loads(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [HEADER, ["start", "start"], ["end", "end"], ["deviceid", "dev"], ["text", "a", "甲"]],
    )
    doc = read_xlsform(path)
    form = load_definition(doc)
    assert [(q.name, q.type, q.meta) for q in form.questions] == [
        ("start", "meta", "start"),
        ("end", "meta", "end"),
        ("dev", "meta", "deviceid"),
        ("a", "text", ""),
    ]


def test_an_entities_sheet_is_refused_by_its_first_cell(tmp_path: Path) -> None:
    path = xlsform(
        tmp_path / "f.xlsx",
        [HEADER, ["text", "a", "甲"]],
        [["dataset", "label"], ["trees", "${a}"]],
        names=("SURVEY", "ENTITIES", "settings"),
    )
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    assert [(p.where, p.key) for p in info.value.problems] == [
        ("ENTITIES!2:dataset", "error.xlsform.needs_server")
    ]
