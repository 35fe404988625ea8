"""Rosters as offices send them, written by the tests in every encoding and form."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import Any

HEADER = (
    "小区名称",
    "楼号",
    "单元",
    "室号",
    "户主姓名",
    "联系电话",
    "建筑面积",
    "户籍人数",
    "备注",
)

#: Six clean rows in the forms offices write (full-width digits, 号楼, 室, units, ㎡).
GOOD: tuple[tuple[Any, ...], ...] = (
    ("建业新村", "12号楼", "2单元", "301室", "张三丰", "13812345678", "85.5㎡", "3", ""),
    ("建业新村", "12幢", "2", "302", "李四", "138 1234 5679", "60平方米", "2", "独居老人"),
    ("建业新村", "１２", "2", "1201", "王 五", "13812345680.0", "72 m2", "1", ""),
    ("建业新村", "3号", "", "101", "赵六", "021-58881234", "48", "4人", ""),
    ("光鸿苑", "5栋", "1单元", "1802", "钱七", "1.3812345681E+10", "120.25", "", ""),
    ("光鸿苑", "5", "1", "1803", "孙八", "", "", "2", ""),
)


def csv_bytes(
    rows: Sequence[Sequence[Any]],
    encoding: str = "utf-8",
    header: Sequence[str] = HEADER,
    delimiter: str = ",",
    above: Sequence[Sequence[Any]] = (),
) -> bytes:
    text = io.StringIO(newline="")
    writer = csv.writer(text, delimiter=delimiter, lineterminator="\r\n")
    for row in (*above, header, *rows):
        writer.writerow(row)
    return text.getvalue().encode(encoding)


def write_csv(path: Path, rows: Sequence[Sequence[Any]] = GOOD, **options: Any) -> Path:
    path.write_bytes(csv_bytes(rows, **options))
    return path


def write_xlsx(
    path: Path,
    rows: Sequence[Sequence[Any]] = GOOD,
    header: Sequence[str] = HEADER,
    sheet: str = "花名册",
    above: Sequence[Sequence[Any]] = (),
    merges: Sequence[str] = (),
    extra_sheets: Sequence[str] = (),
) -> Path:
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = sheet
    for row in (*above, header, *rows):
        ws.append(list(row))
    for ref in merges:
        ws.merge_cells(ref)
    for name in extra_sheets:
        wb.create_sheet(name).append(["说明", "本表仅供参考"])
    wb.save(path)
    return path
