"""Receipts (回执) as PDF: A5 pages, or 80 mm thermal-roll slips, many to one file.

Lay-out in two passes: the text becomes a list of wrapped lines first, so the thermal
slip knows its length before anything is drawn and an overlong A5 receipt takes smaller
type or continues on a second page instead of running into the QR."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from gridapp.clock import display_time
from gridapp.files import atomic_output
from gridapp.i18n import Catalog
from gridapp.model import format_address
from gridapp.paper.documents import ReceiptDoc
from gridapp.paper.fonts import FONT, register_font, text_width, wrap
from gridapp.paper.output import qr_image

LAYOUTS = ("a5", "thermal80")
Progress = Callable[[int, int], None]


@dataclass(frozen=True)
class _Line:
    text: str
    size: float
    indent: float = 0.0
    gap: float = 0.0  # extra space above, in points


@dataclass(frozen=True)
class _Geometry:
    width: float
    margin: float
    qr: float  # QR side
    title: float  # title font size
    body: float  # body font size
    code: float  # short code font size


_A5 = _Geometry(width=A5[0], margin=12 * mm, qr=46 * mm, title=18, body=10, code=22)
# 80 mm paper prints about 72 mm wide; the QR stays ≥ 0.5 mm per module at version 15.
_THERMAL = _Geometry(width=80 * mm, margin=4 * mm, qr=50 * mm, title=15, body=9, code=20)


def _lines(doc: ReceiptDoc, catalog: Catalog, geo: _Geometry) -> list[_Line]:
    tr, code = catalog.tr, catalog.code
    width = geo.width - 2 * geo.margin
    size = geo.body
    out: list[_Line] = []

    def add(text: str, indent: float = 0.0, gap: float = 0.0, font: float = size) -> None:
        for n, line in enumerate(wrap(text, font, width - indent)):
            out.append(_Line(line, font, indent, gap if n == 0 else 0.0))

    def section(title: str, items: list[str]) -> None:
        add(title, gap=size * 0.6, font=size + 1)
        for item in items or [tr("paper.receipt.none")]:
            # A repeat's entries, one to a line under their question (documents.py).
            first, *entries = item.split("\n")
            add(first, indent=size)
            for entry in entries:
                add(entry, indent=size * 2)

    # Punctuation is the language's: 地址：… （有疑虑） in Chinese, Address: … (has doubts).
    def field(key: str, value: str) -> str:
        return tr("ui.fmt.field", label=tr(key), value=value)

    def aside(text: str, note: str) -> str:
        return tr("ui.fmt.aside", text=text, aside=note)

    gap = tr("ui.fmt.gap")
    address = format_address(doc.compound, doc.building, doc.unit, doc.room)
    add(field("paper.receipt.address", address))
    add(field("paper.receipt.time", display_time(doc.started_at)))
    add(
        field("paper.receipt.mode", code("mode", doc.mode))
        + gap
        + field("paper.receipt.outcome", code("outcome", doc.outcome))
    )
    worker = field("paper.receipt.worker", doc.worker)
    add(f"{worker}{gap}{doc.team}" if doc.team else worker)
    if doc.phone_masked:
        add(field("paper.receipt.phone", doc.phone_masked))
    consulted = tr("paper.receipt.consulted")
    if doc.questionnaire_title:
        consulted = aside(consulted, doc.questionnaire_title)
    section(consulted, [_qa(q, a, tr) for q, a in doc.answers if q])
    section(
        tr("paper.receipt.explained"),
        [f"· {aside(t, code('reaction', r))}" if r else f"· {t}" for t, r in doc.explained],
    )
    section(
        tr("paper.receipt.suggestions"),
        [f"· [{code('category', c)}] {t}" for c, t in doc.suggestions],
    )
    return out


def _qa(question: str, answer: str, tr: Callable[..., str]) -> str:
    if "\n" in answer:  # a repeat: the question, then its entries a line each
        return tr("ui.fmt.field", label=question, value="").rstrip() + "\n" + answer
    # Questions mostly end in "？"; a colon after it reads as a typo.
    if question[-1] in "？?：:":
        return f"{question} {answer}"
    return tr("ui.fmt.field", label=question, value=answer)


def _leading(line: _Line) -> float:
    return line.size * 1.45 + line.gap


def _hint(catalog: Catalog, geo: _Geometry) -> list[str]:
    return wrap(catalog.tr("paper.receipt.hint"), geo.body - 1, geo.width - 2 * geo.margin)


def _footer_height(catalog: Catalog, geo: _Geometry) -> float:
    """The block under the text: the hint, the short code, the QR (see `_draw_footer`)."""
    hint = len(_hint(catalog, geo))
    return geo.body * 3 + (hint - 1) * (geo.body + 1) + geo.code * 1.1 + geo.qr + geo.body


def _head_height(doc: ReceiptDoc, geo: _Geometry) -> float:
    return geo.title * 1.6 + (geo.body * 1.8 if doc.campaign else 0) + geo.body


#: On A5 a long receipt first takes smaller type, down to this size; what still does not
#: fit continues on another page (with its own QR), never "… more not shown".
_A5_SMALLEST_BODY = 8.0


def _pages(doc: ReceiptDoc, catalog: Catalog, geo: _Geometry, a5: bool) -> list[_Page]:
    """The receipt laid out: one slip of its own length on thermal paper; on A5 one page
    if the text fits at some size down to `_A5_SMALLEST_BODY`, else as many pages as it
    takes, each with the short code and QR (any page alone can be checked)."""
    if not a5:
        lines = _lines(doc, catalog, geo)
        text = sum(_leading(line) for line in lines)
        height = 2 * geo.margin + _head_height(doc, geo) + text + _footer_height(catalog, geo)
        return [_Page(geo, lines, height)]
    size = geo.body
    while True:
        sized = replace(geo, body=size)
        lines = _lines(doc, catalog, sized)
        room = A5[1] - 2 * sized.margin - _head_height(doc, sized) - _footer_height(catalog, sized)
        if sum(_leading(line) for line in lines) <= room or size <= _A5_SMALLEST_BODY:
            break
        size -= 1
    pages: list[_Page] = []
    used, chunk = 0.0, list[_Line]()
    for line in lines:
        if chunk and used + _leading(line) > room:
            pages.append(_Page(sized, chunk, A5[1]))
            used, chunk = 0.0, []
            line = replace(line, gap=0.0)  # no gap at the top of a page
        used += _leading(line)
        chunk.append(line)
    pages.append(_Page(sized, chunk, A5[1]))
    return pages


@dataclass(frozen=True)
class _Page:
    geo: _Geometry
    lines: list[_Line]
    height: float


def _draw(
    canvas: Canvas, doc: ReceiptDoc, catalog: Catalog, page: _Page, part: tuple[int, int]
) -> None:
    geo, height = page.geo, page.height
    canvas.setPageSize((geo.width, height))
    centre = geo.width / 2
    y = height - geo.margin - geo.title
    canvas.setFont(FONT, geo.title)
    title = catalog.tr("paper.receipt.title")
    if part[1] > 1:
        title += catalog.tr("paper.receipt.part", n=part[0], of=part[1])
    canvas.drawCentredString(centre, y, title)
    if doc.campaign:
        y -= geo.body * 1.8
        canvas.setFont(FONT, geo.body)
        canvas.drawCentredString(centre, y, doc.campaign)
    y -= geo.body * 1.4
    canvas.setLineWidth(0.6)
    canvas.line(geo.margin, y, geo.width - geo.margin, y)
    y -= geo.body * 0.4
    for line in page.lines:
        y -= _leading(line)
        canvas.setFont(FONT, line.size)
        canvas.drawString(geo.margin + line.indent, y, line.text)
    _draw_footer(canvas, doc, catalog, geo)


def _draw_footer(canvas: Canvas, doc: ReceiptDoc, catalog: Catalog, geo: _Geometry) -> None:
    """QR centred at the bottom, the short code large under it, a line on how to check."""
    centre = geo.width / 2
    y = geo.margin + geo.body * 1.2
    canvas.setFont(FONT, geo.body - 1)
    hint = _hint(catalog, geo)
    for n, line in enumerate(reversed(hint)):
        canvas.drawCentredString(centre, y + n * (geo.body + 1), line)
    y += (len(hint) - 1) * (geo.body + 1) + geo.body * 1.8
    label = catalog.tr("paper.receipt.code")
    canvas.setFont(FONT, geo.body)
    label_width = text_width(label, geo.body) + geo.body * 0.5
    code_width = text_width(doc.short_code, geo.code)
    left = centre - (label_width + code_width) / 2
    canvas.drawString(left, y + (geo.code - geo.body) / 3, label)
    canvas.setFont(FONT, geo.code)
    canvas.drawString(left + label_width, y, doc.short_code)
    y += geo.code * 1.1
    canvas.drawImage(qr_image(doc.payload), centre - geo.qr / 2, y, geo.qr, geo.qr)


def render_receipts(
    receipts: Sequence[ReceiptDoc],
    out: Path,
    layout: str = "a5",
    catalog: Catalog | None = None,
    progress: Progress | None = None,
) -> int:
    """Every receipt into one PDF, a slip or A5 page each (a long one on A5 continues on
    more pages); returns the page count.
    The file appears whole or not at all (`atomic_output`)."""
    if layout not in LAYOUTS:
        raise ValueError(f"layout {layout!r} not in {LAYOUTS}")
    register_font()
    catalog = catalog or Catalog()
    geo = _A5 if layout == "a5" else _THERMAL
    with atomic_output(out) as handle:
        # initialFontName: else every page names Helvetica, an unembedded font.
        canvas = Canvas(handle, pagesize=A5, pageCompression=1, initialFontName=FONT)
        canvas.setTitle(catalog.tr("paper.receipt.title"))
        count = 0
        for n, doc in enumerate(receipts, 1):
            pages = _pages(doc, catalog, geo, a5=layout == "a5")
            for number, page in enumerate(pages, 1):
                _draw(canvas, doc, catalog, page, (number, len(pages)))
                canvas.showPage()
            count += len(pages)
            if progress is not None:
                progress(n, len(receipts))
        canvas.save()
    return count
