"""Visit sheets (走访登记表): A4 pages a worker carries up the stairs.

Households in walking order, one row each: room, head of household (masked on
request), outcome boxes to tick, space for notes, and a QR of the household code — a
USB scanner types it into the app's search box, and Enter opens the household. Each
building starts a new page, so a sheet never mixes two stairwells."""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from gridapp.codes import Outcome
from gridapp.files import atomic_output
from gridapp.i18n import Catalog
from gridapp.paper.documents import SheetDoc, SheetGroup, SheetRow
from gridapp.paper.fonts import FONT, register_font, wrap
from gridapp.paper.output import qr_image

Progress = Callable[[int, int], None]

ROWS_PER_PAGE = 10
_MARGIN = 12 * mm
_ROW = 22 * mm
_HEAD = 8 * mm  # the column titles
_QR = 18 * mm
#: (catalog key, width); the widths add up to the 186 mm between the margins.
_COLUMNS = (
    ("paper.sheet.col.no", 10 * mm),
    ("paper.sheet.col.room", 22 * mm),
    ("paper.sheet.col.head", 22 * mm),
    ("paper.sheet.col.outcome", 66 * mm),
    ("paper.sheet.col.notes", 44 * mm),
    ("paper.sheet.col.qr", 22 * mm),
)


def page_count(sheet: SheetDoc) -> int:
    return sum(math.ceil(len(g.rows) / ROWS_PER_PAGE) for g in sheet.groups)


def _room(row: SheetRow) -> str:
    return f"{row.unit}-{row.room}" if row.unit else row.room


def _header(canvas: Canvas, sheet: SheetDoc, group: SheetGroup, catalog: Catalog) -> float:
    """Title, campaign/team/date, the column titles; returns where the rows start."""
    tr = catalog.tr
    width, height = A4
    y = height - _MARGIN - 16
    canvas.setFont(FONT, 16)
    canvas.drawString(_MARGIN, y, f"{tr('paper.sheet.title')}　{group.compound}{group.building}号")
    y -= 16
    canvas.setFont(FONT, 9)
    facts = [
        f"{tr('paper.sheet.campaign')}：{sheet.campaign or '—'}",
        f"{tr('paper.sheet.team')}：{sheet.team or '—'}",
        f"{tr('paper.sheet.date')}：{sheet.date}",
    ]
    canvas.drawString(_MARGIN, y, "　　".join(facts))
    y -= 10
    canvas.setLineWidth(0.8)
    canvas.rect(_MARGIN, y - _HEAD, width - 2 * _MARGIN, _HEAD, stroke=1, fill=0)
    x = _MARGIN
    canvas.setFont(FONT, 9)
    for key, column in _COLUMNS:
        canvas.drawCentredString(x + column / 2, y - _HEAD + 2.8 * mm, tr(key))
        x += column
    return float(y - _HEAD)


def _draw_row(
    canvas: Canvas, row: SheetRow, number: int, top: float, catalog: Catalog, outcomes: list[str]
) -> None:
    width = A4[0] - 2 * _MARGIN
    canvas.setLineWidth(0.5)
    canvas.rect(_MARGIN, top - _ROW, width, _ROW, stroke=1, fill=0)
    x = _MARGIN
    edges = []
    for _, column in _COLUMNS:
        x += column
        edges.append(x)
    for edge in edges[:-1]:
        canvas.line(edge, top, edge, top - _ROW)
    middle = top - _ROW / 2 - 3
    cols = [_MARGIN, *edges]
    canvas.setFont(FONT, 10)
    canvas.drawCentredString((cols[0] + cols[1]) / 2, middle, str(number))
    canvas.setFont(FONT, 11)
    canvas.drawCentredString((cols[1] + cols[2]) / 2, middle, _room(row))
    canvas.setFont(FONT, 10)
    head = wrap(row.head_name, 10, cols[3] - cols[2] - 4)[0]
    canvas.drawCentredString((cols[2] + cols[3]) / 2, middle + 4, head)
    canvas.setFont(FONT, 7)
    status = catalog.code("household_status", row.status)
    canvas.drawCentredString((cols[2] + cols[3]) / 2, middle - 7, status)
    # Outcome boxes, three to a line, in the order of the app's Alt+1…6 keys.
    canvas.setFont(FONT, 8)
    box = 3.2 * mm
    for n, label in enumerate(outcomes):
        bx = cols[3] + 2.5 * mm + (n % 3) * 21 * mm
        by = top - 7 * mm - (n // 3) * 9 * mm
        canvas.rect(bx, by, box, box, stroke=1, fill=0)
        canvas.drawString(bx + box + 1.2 * mm, by + 0.6 * mm, label)
    qr_x = cols[5] + (cols[6] - cols[5] - _QR) / 2
    canvas.drawImage(qr_image(row.code), qr_x, top - _ROW + 3 * mm, _QR, _QR)
    canvas.setFont(FONT, 5.5)
    canvas.drawCentredString((cols[5] + cols[6]) / 2, top - _ROW + 1.3 * mm, row.code)


def render_sheets(
    sheet: SheetDoc, out: Path, catalog: Catalog | None = None, progress: Progress | None = None
) -> int:
    """The whole sheet into one PDF, atomically; returns the page count."""
    register_font()
    catalog = catalog or Catalog()
    total = page_count(sheet)
    outcomes = [catalog.code("outcome", o.value) for o in Outcome]
    page = 0
    with atomic_output(out) as handle:
        canvas = Canvas(handle, pagesize=A4, pageCompression=1, initialFontName=FONT)
        canvas.setTitle(catalog.tr("paper.sheet.title"))
        for group in sheet.groups:
            for start in range(0, len(group.rows), ROWS_PER_PAGE):
                page += 1
                top = _header(canvas, sheet, group, catalog)
                for n, row in enumerate(group.rows[start : start + ROWS_PER_PAGE]):
                    _draw_row(canvas, row, start + n + 1, top - n * _ROW, catalog, outcomes)
                canvas.setFont(FONT, 9)
                footer = catalog.tr("paper.sheet.page", page=page, pages=total)
                canvas.drawCentredString(A4[0] / 2, _MARGIN / 2 + 4, footer)
                canvas.showPage()
                if progress is not None:
                    progress(page, total)
        canvas.save()
    return total
