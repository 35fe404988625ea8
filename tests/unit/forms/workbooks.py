"""Workbooks as spreadsheet programs leave them when whole rows or columns are formatted:
a sheet that declares `A1:AMJ1048576` (1,048,576 rows × 1,024 columns) and writes an
empty, formatted `<row>` element for every one of those rows, as LibreOffice does. Built
from an openpyxl workbook whose first sheet's XML is rewritten, streamed into the zip
(about 42 MB of XML, 2.5 MB compressed, half a second)."""

from __future__ import annotations

import re
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook

LAST_ROW = 1_048_576
LAST_COLUMN = "AMJ"  # 1,024


def declared_range_workbook(
    path: Path,
    survey: Sequence[Sequence[Any]],
    *,
    rows: int = LAST_ROW,
    stray: str | None = None,
) -> Path:
    """`survey` (header first) as the survey sheet, declared down to `rows` with an empty
    formatted row element for each row below the data; `stray`, if given, is a value
    left in the last row's last column."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "survey"
    for values in survey:
        sheet.append(list(values))
    plain = path.with_name(path.stem + ".plain.xlsx")
    book.save(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename != "xl/worksheets/sheet1.xml":
                out.writestr(item, data)
                continue
            text = re.sub(
                r'<dimension ref="[^"]*" ?/>',
                f'<dimension ref="A1:{LAST_COLUMN}{rows}"/>',
                data.decode(),
            )
            head, tail = text.split("</sheetData>")
            with out.open(item.filename, "w") as xml:
                xml.write(head.encode())
                last = rows if stray is None else rows - 1
                for start in range(len(survey) + 1, last + 1, 10_000):
                    xml.write(
                        "".join(
                            f'<row r="{n}" customFormat="1" s="0" ht="12.8"/>'
                            for n in range(start, min(start + 10_000, last + 1))
                        ).encode()
                    )
                if stray is not None:
                    xml.write(
                        f'<row r="{rows}"><c r="{LAST_COLUMN}{rows}" t="inlineStr">'
                        f"<is><t>{stray}</t></is></c></row>".encode()
                    )
                xml.write(("</sheetData>" + tail).encode())
    plain.unlink()
    return path


def xlsform(
    path: Path,
    survey: Sequence[Sequence[Any]],
    choices: Sequence[Sequence[Any]] | None = None,
    settings: Sequence[Sequence[Any]] | None = None,
    *,
    names: tuple[str, str, str] = ("survey", "choices", "settings"),
) -> Path:
    """A workbook with the given sheets (header row first), named `names`."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = names[0]
    for values in survey:
        sheet.append(list(values))
    for name, rows in ((names[1], choices), (names[2], settings)):
        if rows is not None:
            other = book.create_sheet(name)
            for values in rows:
                other.append(list(values))
    book.save(path)
    return path


def replace_text(path: Path, placeholder: str, text: str) -> Path:
    """`placeholder` in the workbook's strings replaced by `text`, which may be longer
    than the 32,767 characters Excel (and openpyxl) write in a cell."""
    plain = path.with_name(path.stem + ".plain.xlsx")
    path.rename(plain)
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename.endswith(".xml"):
                data = data.replace(placeholder.encode(), text.encode())
            out.writestr(item, data)
    plain.unlink()
    return path
