"""XLSX sheets read up to their real data: a sheet that declares 1,048,576 rows × 1,024
columns is read in a few thousand rows at most, and anything below the gap that ends
the reading is found and refused, never dropped silently."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.worksheet._read_only import ReadOnlyWorksheet

from gridapp.forms import sheet_rows as sheet_rows_module
from gridapp.forms import xlsform
from gridapp.forms.definition import DefinitionInvalid
from gridapp.forms.sheet_rows import EMPTY_RUN, last_value_cell, last_value_row, sheet_rows
from gridapp.forms.xlsform import read_xlsform
from gridapp.i18n import Catalog
from tests.unit.forms.workbooks import LAST_ROW, declared_range_workbook

SURVEY = [["type", "name", "label"], ["text", "a", "甲"], ["integer", "b", "乙"]]


@pytest.fixture
def parsed(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many rows openpyxl has handed out, per sheet read."""
    counts: list[int] = []
    real = ReadOnlyWorksheet._cells_by_row

    def counted(self: Any, *args: Any, **kwargs: Any) -> Iterator[Any]:
        counts.append(0)
        for row in real(self, *args, **kwargs):
            counts[-1] += 1
            yield row

    monkeypatch.setattr(ReadOnlyWorksheet, "_cells_by_row", counted)
    return counts


def _names(doc: dict[str, Any]) -> list[str]:
    return [item["name"] for item in doc["items"]]


def test_a_sheet_declaring_a_million_rows_is_read_to_its_data(
    tmp_path: Path, parsed: list[int]
) -> None:
    path = declared_range_workbook(tmp_path / "formatted.xlsx", SURVEY)
    with zipfile.ZipFile(path) as archive:  # the sheet really is that large
        assert archive.getinfo("xl/worksheets/sheet1.xml").file_size > 40_000_000
    book = load_workbook(path, read_only=True)
    assert (book["survey"].max_row, book["survey"].max_column) == (LAST_ROW, 1024)
    book.close()
    assert _names(read_xlsform(path)) == ["a", "b"]
    assert parsed == [len(SURVEY) + EMPTY_RUN]  # not 1,048,576 rows of 1,024 cells


def test_a_value_below_the_gap_refuses_the_workbook_naming_its_row(tmp_path: Path) -> None:
    path = declared_range_workbook(tmp_path / "stray.xlsx", SURVEY, stray="备注")
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(path)
    [problem] = info.value.problems
    assert (problem.where, problem.key) == (
        f"survey!{LAST_ROW}:AMJ",
        "error.xlsform.content_after_gap",
    )
    assert Catalog("zh_CN").tr(problem.key, **problem.params) == (
        f"工作表「survey」第 3 行之后隔了 {EMPTY_RUN} 多个空行，第 {LAST_ROW} 行还有内容："
        "请删去中间的空行或多余的内容。"
    )


def _workbook(path: Path, rows: list[list[Any]], far: tuple[int, int] | None = None) -> Path:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for values in rows:
        sheet.append(values)
    if far is not None:  # a formatted, empty cell far away: Excel declares the range to it
        sheet.cell(*far).font = Font(bold=True)
    book.save(path)
    return path


def test_a_formatted_empty_cell_far_away_is_no_data(tmp_path: Path, parsed: list[int]) -> None:
    path = _workbook(tmp_path / "far.xlsx", SURVEY, far=(LAST_ROW, 1024))
    assert _names(read_xlsform(path)) == ["a", "b"]
    assert parsed == [len(SURVEY) + EMPTY_RUN]


def test_trailing_empty_columns_are_dropped(tmp_path: Path) -> None:
    header = [*SURVEY[0], *[None] * 1500]
    path = _workbook(tmp_path / "wide.xlsx", [header, SURVEY[1], SURVEY[2]], far=(1, 1600))
    book = load_workbook(path, read_only=True)
    rows = list(sheet_rows(book["survey"], max_columns=10))
    book.close()
    assert rows == [
        (1, ("type", "name", "label")),
        (2, ("text", "a", "甲")),
        (3, ("integer", "b", "乙")),
    ]


def test_a_gap_shorter_than_the_run_is_read_through(tmp_path: Path) -> None:
    rows: list[list[Any]] = [*SURVEY, *[[None]] * (EMPTY_RUN - 1), ["text", "c", "丙"]]
    path = _workbook(tmp_path / "gap.xlsx", rows)
    assert _names(read_xlsform(path)) == ["a", "b", "c"]


def test_too_many_rows_or_columns_refuse_where_they_are_found(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, parsed: list[int]
) -> None:
    monkeypatch.setattr(xlsform, "MAX_ROWS", 40)
    rows: list[list[Any]] = [SURVEY[0], *[["text", f"q{n}", "题"] for n in range(100)]]
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(_workbook(tmp_path / "long.xlsx", rows))
    [problem] = info.value.problems
    assert (problem.where, problem.key, problem.params["limit"]) == (
        "survey!41:A",
        "error.xlsform.too_many_rows",
        40,
    )
    assert parsed == [41]  # nothing read past the first row too many

    monkeypatch.setattr(xlsform, "MAX_COLUMNS", 5)
    with pytest.raises(DefinitionInvalid) as info:
        read_xlsform(
            _workbook(tmp_path / "wide.xlsx", [*SURVEY, ["text", "c", "丙", *[""] * 5, "x"]])
        )
    [problem] = info.value.problems
    assert (problem.where, problem.part, problem.key) == (
        "survey!4:I",
        "I",
        "error.xlsform.too_many_columns",
    )


def _sheet_xml(tmp_path: Path, body: str) -> tuple[zipfile.ZipFile, str]:
    path = tmp_path / "sheet.zip"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("sheet.xml", body)
    return zipfile.ZipFile(path), "sheet.xml"


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<sheetData><row r="1"><c r="A1"><v>1</v></c></row><row r="9"/></sheetData>', 1),
        ('<sheetData><row r="2"><c r="A2" s="1"/></row></sheetData>', 0),  # no value
        ('<sheetData><row r="7" spans="1:2"><c t="inlineStr"><is><t>x</t></is></c></row>', 7),
        ('<x:sheetData><x:row r="5"><x:c><x:v>2</x:v></x:c></x:row></x:sheetData>', 5),
        ("<sheetData><row><c><v>1</v></c></row><row/><row><c><v>3</v></c></row>", 3),  # no r
        ('<row r="3"><c t="inlineStr"><is><t>arrow row</t></is></c></row><row r="4"/>', 3),
        ('<row r="1"><c><v>1</v></c></row><rowBreaks/><row r="12"><c><v/></c></row>', 12),
    ],
)
def test_last_value_row(tmp_path: Path, body: str, expected: int) -> None:
    archive, member = _sheet_xml(tmp_path, body)
    with archive:
        assert last_value_row(archive, member) == expected


def test_last_value_row_across_chunks(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sheet_rows_module, "_CHUNK", 7)  # every tag cut somewhere
    body = "".join(f'<row r="{n}" ht="12"><c r="A{n}"><v>{n}</v></c></row>' for n in range(1, 30))
    archive, member = _sheet_xml(tmp_path, body + '<row r="30"/><row r="31" ht="1"/>')
    with archive:
        assert last_value_row(archive, member) == 29


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ('<row r="1"><c r="A1"><v>1</v></c><c r="C1" s="2"><v>3</v></c></row><row r="2"/>', "C"),
        ('<x:row r="4"><x:c r="AB4" t="inlineStr"><x:is><x:t>y</x:t></x:is></x:c></x:row>', "AB"),
        ('<row r="5"><c><v>1</v></c></row>', ""),  # no r="…" on the cell
    ],
)
def test_last_value_cell_names_its_column(tmp_path: Path, body: str, expected: str) -> None:
    archive, member = _sheet_xml(tmp_path, body)
    with archive:
        assert last_value_cell(archive, member)[1] == expected


def test_a_declared_range_smaller_than_the_data_drops_nothing(tmp_path: Path) -> None:
    """A writer may declare `A1:B2` and still write cells past it: all of them are read."""
    rows: list[list[Any]] = [[*SURVEY[0], "hint"], *SURVEY, ["text", "c", "丙", "提示"]]
    path = _workbook(tmp_path / "low.xlsx", rows[:1] + rows[2:])
    lied = tmp_path / "lied.xlsx"
    with zipfile.ZipFile(path) as source, zipfile.ZipFile(lied, "w") as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', data)
            out.writestr(item, data)
    book = load_workbook(lied, read_only=True)
    assert (book["survey"].max_row, book["survey"].max_column) == (2, 2)
    found = list(sheet_rows(book["survey"]))
    book.close()
    assert found[-1] == (4, ("text", "c", "丙", "提示"))
    assert [i.get("hint") for i in read_xlsform(lied)["items"]] == [None, None, {"default": "提示"}]
