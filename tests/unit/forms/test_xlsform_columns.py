"""XLSForm headers as pyxform reads them: any case, spaces for underscores, single- and
double-colon language columns with or without a code, pyxform's aliases."""

from __future__ import annotations

import datetime as dt

import pytest

from gridapp.forms.xlsform_columns import (
    CHOICE_ALIASES,
    SURVEY_ALIASES,
    Column,
    cell_text,
    language_column,
    language_key,
    parse_header,
)


@pytest.mark.parametrize(
    ("written", "key"),
    [
        ("English (en)", "en"),
        ("English(en)", "en"),
        ("Chinese (zh)", "zh_CN"),
        ("中文", "zh_CN"),
        ("简体中文", "zh_CN"),
        ("zh_CN", "zh_CN"),
        ("Français", "fr"),
        ("French (fr)", "fr"),
        ("Español", "es"),
        ("Kiswahili (sw)", "sw"),
        ("Kirundi", "Kirundi"),
        ("  Kirundi   Ikirundi ", "Kirundi Ikirundi"),
        ("Portuguese (pt-BR)", "pt-BR"),
        ("en", "en"),
    ],
)
def test_language_key(written: str, key: str) -> None:
    assert language_key(written) == key


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("label", Column("label", "label", "default")),
        ("Label", Column("Label", "label", "default")),
        ("label:English", Column("label:English", "label", "en")),
        ("label::English (en)", Column("label::English (en)", "label", "en")),
        ("LABEL::en", Column("LABEL::en", "label", "en")),
        ("label::Français", Column("label::Français", "label", "fr")),
        ("hint::Kirundi", Column("hint::Kirundi", "hint", "Kirundi")),
        (
            "constraint_message::English (en)",
            Column("constraint_message::English (en)", "constraint_message", "en"),
        ),
        ("jr:constraintMsg", Column("jr:constraintMsg", "constraint_message", "default")),
        ("required_message:中文", Column("required_message:中文", "required_message", "zh_CN")),
        ("Caption", Column("Caption", "label", "default")),
        ("image::English (en)", Column("image::English (en)", "image", "en")),
        ("Repeat Count", Column("Repeat Count", "repeat_count", None)),
        ("jr:count", Column("jr:count", "repeat_count", None)),
        ("Choice Filter", Column("Choice Filter", "choice_filter", None)),
        ("relevance", Column("relevance", "relevant", None)),
        ("calculate", Column("calculate", "calculation", None)),
        ("bind::oc:itemgroup", Column("bind::oc:itemgroup", "bind::oc:itemgroup", None)),
        ("bind:relevant", Column("bind:relevant", "relevant", None)),
        ("bind::calculate", Column("bind::calculate", "calculation", None)),
        ("bind:jr:constraintMsg", Column("bind:jr:constraintMsg", "constraint_message", "default")),
        (
            "bind::jr:requiredMsg::English (en)",
            Column("bind::jr:requiredMsg::English (en)", "required_message", "en"),
        ),
        ("control:appearance", Column("control:appearance", "appearance", None)),
        ("control::jr:count", Column("control::jr:count", "repeat_count", None)),
    ],
)
def test_survey_headers(header: str, column: Column) -> None:
    assert parse_header(header, SURVEY_ALIASES) == column


@pytest.mark.parametrize("header", ["list name", "list_name", "List Name", "LIST_NAME"])
def test_list_name_in_any_spelling(header: str) -> None:
    assert parse_header(header, CHOICE_ALIASES).base == "list_name"


def test_export_columns_read_back_as_their_language() -> None:
    for key in ("zh_CN", "en", "fr", "es", "sw", "Kirundi", "pt-BR"):
        column = parse_header(language_column("label", key), SURVEY_ALIASES)
        assert (column.base, column.language) == ("label", key)
    assert language_column("label", "default") == "label"


def test_cells_as_text() -> None:
    assert cell_text(2024010101.0, "version") == "2024010101"
    assert cell_text(1.5, "default") == "1.5"
    assert cell_text(True, "required") == "TRUE"
    assert cell_text(dt.datetime(2024, 3, 1), "default") == "2024-03-01"
    assert cell_text(dt.datetime(2024, 3, 1, 9, 30), "default") == "2024-03-01T09:30"
    assert cell_text(dt.time(7, 5), "default") == "07:05"
    assert cell_text("${ａ}　＝　‘是’", "relevant") == "${a} = '是'"
    assert cell_text("（注意）", "label") == "（注意）"  # labels keep their punctuation
