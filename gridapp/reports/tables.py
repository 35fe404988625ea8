"""The workbook (openpyxl, write-only: rows stream from the database to the file, so a
100,000-visit campaign never sits in memory) and one sheet as CSV (UTF-8 with a BOM:
Excel reads Chinese right only with it). Both write atomically."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from gridapp.files import atomic_output
from gridapp.reports.sheets import INT, PERCENT, TIME, Sheet

Progress = Callable[[int, int], None]
_STEP = 500  # rows between progress reports


class _Counter:
    def __init__(self, total: int, progress: Progress | None) -> None:
        self.done, self.total, self.progress = 0, max(total, 1), progress

    def tick(self) -> None:
        self.done += 1
        if self.progress is not None and self.done % _STEP == 0:
            self.progress(min(self.done, self.total), self.total)

    def finish(self) -> None:
        if self.progress is not None:
            self.progress(self.total, self.total)


def write_xlsx(sheets: Sequence[Sheet], out: Path, progress: Progress | None = None) -> int:
    """Every sheet into one workbook; returns the number of data rows written."""
    from openpyxl import Workbook  # heavy: load when a report is made
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    counter = _Counter(sum(s.total for s in sheets), progress)
    book = Workbook(write_only=True)
    bold = Font(bold=True)
    fill = PatternFill("solid", fgColor="DDE7F3")
    wrap = Alignment(wrap_text=True, vertical="top")
    formats = {PERCENT: "0.0%", TIME: "yyyy-mm-dd hh:mm", INT: "0"}
    for sheet in sheets:
        ws = book.create_sheet(sheet.title)
        for n, column in enumerate(sheet.columns, start=1):
            ws.column_dimensions[get_column_letter(n)].width = column.width
        ws.freeze_panes = "A2"
        header = []
        for column in sheet.columns:
            cell = WriteOnlyCell(ws, column.header)
            cell.font, cell.fill = bold, fill
            header.append(cell)
        ws.append(header)
        kinds = [c.kind for c in sheet.columns]
        long_text = [c.width >= 40 for c in sheet.columns]
        for row in sheet.rows:
            cells: list[Any] = []
            for value, kind, wide in zip(row, kinds, long_text, strict=True):
                if isinstance(value, datetime) or kind == PERCENT or wide:
                    cell = WriteOnlyCell(ws, value)
                    if kind in formats and isinstance(value, int | float | datetime):
                        cell.number_format = formats[kind]
                    elif isinstance(value, datetime):
                        cell.number_format = formats[TIME]
                    if wide:
                        cell.alignment = wrap
                    cells.append(cell)
                else:
                    cells.append(value)
            ws.append(cells)
            counter.tick()
    with atomic_output(out) as handle:
        book.save(handle)
    counter.finish()
    return counter.done


def csv_text(value: Any, kind: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    if kind == PERCENT and isinstance(value, int | float):
        return f"{value * 100:.1f}%"
    return str(value)


def write_csv(sheet: Sheet, out: Path, progress: Progress | None = None) -> int:
    """One sheet as CSV, UTF-8 with a BOM, CRLF lines; returns the data rows written."""
    counter = _Counter(sheet.total, progress)
    # csv writes text, numbers and None ("") itself: only times and shares need words.
    special = [(n, c.kind) for n, c in enumerate(sheet.columns) if c.kind in (TIME, PERCENT)]
    with atomic_output(out) as handle:
        text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
        writer = csv.writer(text)
        writer.writerow([c.header for c in sheet.columns])
        for row in sheet.rows:
            if special or any(isinstance(v, datetime) for v in row):
                cells = list(row)
                for n, value in enumerate(cells):
                    if isinstance(value, datetime):
                        cells[n] = csv_text(value, TIME)
                for n, kind in special:
                    cells[n] = csv_text(cells[n], kind)
                writer.writerow(cells)
            else:
                writer.writerow(row)
            counter.tick()
        text.flush()
        text.detach()  # the atomic writer closes the file itself
    counter.finish()
    return counter.done
