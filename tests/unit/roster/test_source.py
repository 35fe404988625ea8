"""Reading rosters in the encodings and forms offices send: found without asking,
mojibake refused, rows numbered as Excel shows them."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from gridapp.errors import InvalidInput
from gridapp.roster.source import open_roster, sheet_names
from tests.unit.roster.helpers import GOOD, HEADER, csv_bytes, write_csv, write_xlsx

DATA = Path(__file__).parent / "data"
#: 𠮷 (U+20BB7) and 䶮 (U+4DAE) are in GB18030 but not in GBK.
RARE_NAME = "𠮷䶮"


def _values(path: Path, **kw: str) -> list[tuple[int, tuple[str, ...]]]:
    return [(r.line, r.values) for r in open_roster(path, **kw).rows()]


@pytest.mark.parametrize(
    ("encoding", "named"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gb18030"), ("utf-16", "utf-16")],
)
def test_csv_encodings_are_found(tmp_path: Path, encoding: str, named: str) -> None:
    path = write_csv(tmp_path / "r.csv", encoding=encoding)
    if encoding == "utf-8-sig":
        assert path.read_bytes().startswith(codecs.BOM_UTF8)
    roster = open_roster(path)
    assert roster.encoding == named
    assert roster.headers == HEADER
    rows = list(roster.rows())
    assert [r.line for r in rows] == [2, 3, 4, 5, 6, 7]
    assert rows[0].values[:5] == ("建业新村", "12号楼", "2单元", "301室", "张三丰")


def test_gb18030_only_characters(tmp_path: Path) -> None:
    with pytest.raises(UnicodeEncodeError):
        RARE_NAME.encode("gbk")
    rows = [(*GOOD[0][:4], RARE_NAME, *GOOD[0][5:])]
    roster = open_roster(write_csv(tmp_path / "r.csv", rows, encoding="gb18030"))
    assert roster.encoding == "gb18030"
    assert next(roster.rows()).values[4] == RARE_NAME


@pytest.mark.parametrize("encoding", ["big5", "shift_jis"])
def test_a_file_that_would_be_mojibake_is_refused(tmp_path: Path, encoding: str) -> None:
    header = ("社區", "樓號", "室號") if encoding == "big5" else ("団地", "棟", "部屋")
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes([("建業新村", "12", "301")], encoding, header=header))
    with pytest.raises(InvalidInput) as caught:
        open_roster(path)
    assert caught.value.key == "error.roster.encoding"
    assert caught.value.params == {"file": "r.csv"}


def test_broken_bytes_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_bytes(csv_bytes(GOOD) + b"\x81\x20\xff\xfe\xfd\n")
    with pytest.raises(InvalidInput) as caught:
        open_roster(path)
    assert caught.value.key == "error.roster.encoding"


def test_title_rows_blank_rows_tabs_and_quoted_line_breaks(tmp_path: Path) -> None:
    rows = [GOOD[0], ("",) * 9, ("", "", ""), (*GOOD[1][:8], "两行\n备注"), GOOD[2]]
    path = write_csv(
        tmp_path / "r.txt",
        rows,
        delimiter="\t",
        above=[("建业新村住户花名册",), ()],
    )
    roster = open_roster(path)
    assert roster.delimiter == "\t"
    assert roster.header_line == 3
    found = _values(path)
    # a blank row is skipped, the numbering stays Excel's (a record per row)
    assert [line for line, _ in found] == [4, 7, 8]
    assert found[1][1][8] == "两行\n备注"


def test_short_rows_are_padded(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text("小区,楼号,室号,电话\n建业新村,1,101\n", encoding="utf-8")
    assert _values(path) == [(2, ("建业新村", "1", "101", ""))]


def test_empty_and_old_excel_files(tmp_path: Path) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"\n\n")
    with pytest.raises(InvalidInput) as caught:
        open_roster(empty)
    assert caught.value.key == "error.roster.empty"
    old = tmp_path / "old.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100)
    with pytest.raises(InvalidInput) as caught:
        open_roster(old)
    assert caught.value.key == "error.roster.old_excel"
    with pytest.raises(InvalidInput) as caught:
        open_roster(tmp_path / "missing.csv")
    assert caught.value.key == "error.roster.no_file"
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04" + b"\0" * 50)
    with pytest.raises(InvalidInput) as caught:
        open_roster(broken)
    assert caught.value.key == "error.roster.bad_xlsx"


def test_xlsx_numbers_come_back_as_typed(tmp_path: Path) -> None:
    rows = [("建业新村", 12, 2, 301, "张三丰", 13812345678, 85.5, 3, None)]
    path = write_xlsx(tmp_path / "r.xlsx", rows)
    assert _values(path) == [
        (2, ("建业新村", "12", "2", "301", "张三丰", "13812345678", "85.5", "3", ""))
    ]


def test_xlsx_merged_cells_are_carried_into_their_block_only(tmp_path: Path) -> None:
    rows = [
        ("建业新村", 1, "", 101, "甲"),
        (None, None, "", 102, "乙"),
        (None, 2, "", 101, "丙"),
        (None, None, "", 102, "丁"),  # building not merged here: stays empty
    ]
    path = write_xlsx(
        tmp_path / "r.xlsx",
        rows,
        header=("小区", "楼号", "单元", "室号", "户主"),
        above=[("建业新村住户花名册",)],
        merges=["A1:E1", "A3:A6", "B3:B4"],
    )
    found = _values(path)
    assert [line for line, _ in found] == [3, 4, 5, 6]
    assert [v[:2] for _, v in found] == [
        ("建业新村", "1"),
        ("建业新村", "1"),
        ("建业新村", "2"),
        ("建业新村", ""),
    ]


def test_xlsx_sheets(tmp_path: Path) -> None:
    path = write_xlsx(tmp_path / "r.xlsx", sheet="二期", extra_sheets=["说明"])
    assert sheet_names(path) == ["二期", "说明"]
    assert open_roster(path).sheet == "二期"
    with pytest.raises(InvalidInput) as caught:
        open_roster(path, sheet="一期")
    assert caught.value.key == "error.roster.no_sheet"
    assert caught.value.params["sheets"] == "二期、说明"
    # without a name, the first sheet whose header we know
    from openpyxl import load_workbook

    wb = load_workbook(path)
    wb.move_sheet("说明", offset=-1)
    wb.save(path)
    assert open_roster(path).sheet == "二期"


def test_an_xlsx_saved_by_libreoffice() -> None:
    """Made by data/make_libreoffice_fixture.py: openpyxl, then soffice --convert-to."""
    roster = open_roster(DATA / "libreoffice_roster.xlsx")
    assert roster.header_line == 2  # below the merged title row
    found = _values(DATA / "libreoffice_roster.xlsx")
    assert [line for line, _ in found] == [3, 4, 5, 6, 7]
    assert [v[:4] for _, v in found] == [
        ("临沂二村", "7", "1", "101"),
        ("临沂二村", "7", "1", "102"),
        ("临沂二村", "7", "1", "201"),
        ("临沂二村", "7", "2", "601"),
        ("临沂二村", "8", "1", "101"),
    ]
    assert found[0][1][5] == "13912345601"
    assert found[3][1][5] == "1.39E+10"
