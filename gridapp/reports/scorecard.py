"""The property-firm scorecard as words, as a workbook (排名, 按小区, 按维度; numbers as
numbers) and as an A4 PDF with the embedded CJK font (docs/scorecard.md)."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from gridapp.forms.definition import text_of
from gridapp.i18n import Catalog
from gridapp.reports.sheets import INT, Column, Sheet
from gridapp.services.scorecard import Line, Scorecard

NUMBER = "number"


def number(value: float | None, places: int = 2) -> float | None:
    return None if value is None else round(value, places)


def shown(value: float | None, places: int = 2) -> str:
    return "—" if value is None else f"{value:.{places}f}"


def change_text(value: float | None) -> str:
    return "—" if value is None else f"{value:+.2f}"


def dimension_labels(card: Scorecard, catalog: Catalog) -> list[str]:
    return [text_of(d.label, catalog.lang) or d.name for d in card.dimensions]


def standing(line: Line, card: Scorecard, catalog: Catalog) -> str:
    """The rank, or why there is none, in words."""
    if not line.firm:
        return catalog.tr("scorecard.self_managed")
    if line.ranked and line.rank is not None:
        return catalog.tr("scorecard.rank", rank=line.rank)
    return catalog.tr("scorecard.too_few", n=line.answered, min=card.min_answers)


def summary(card: Scorecard, catalog: Catalog) -> str:
    ranked = sum(1 for x in card.firms if x.ranked)
    text = catalog.tr(
        "scorecard.summary",
        households=card.households_answered,
        firms=len(card.firms),
        ranked=ranked,
        min=card.min_answers,
    )
    previous = card.previous_campaign or catalog.tr("scorecard.no_previous")
    return f"{text} {catalog.tr('scorecard.previous', name=previous)}"


def _line_columns(card: Scorecard, catalog: Catalog, compound: bool) -> list[Column]:
    tr = catalog.tr
    first = [Column(tr("scorecard.col.standing"), width=30)]
    first.append(
        Column(tr("scorecard.col.compound" if compound else "scorecard.col.firm"), width=24)
    )
    first.append(
        Column(tr("scorecard.col.firm" if compound else "scorecard.col.compounds"), width=30)
    )
    rest = [
        Column(tr("scorecard.col.households"), INT, 10),
        Column(tr("scorecard.col.answered"), INT, 10),
        Column(tr("scorecard.col.overall"), NUMBER, 10),
        Column(tr("scorecard.col.previous"), NUMBER, 10),
        Column(tr("scorecard.col.change"), NUMBER, 10),
    ]
    dims = [Column(label, NUMBER, 10) for label in dimension_labels(card, catalog)]
    return [*first, *rest, *dims]


def _line_row(line: Line, card: Scorecard, catalog: Catalog, compound: bool) -> list[Any]:
    other = (
        line.firm or catalog.tr("scorecard.self_managed") if compound else "、".join(line.compounds)
    )
    return [
        standing(line, card, catalog),
        line.name,
        other,
        line.households,
        line.answered,
        number(line.overall),
        number(line.previous),
        number(line.change),
        *(number(line.figures[d.name].mean) for d in card.dimensions),
    ]


def build_sheets(card: Scorecard, catalog: Catalog) -> list[Sheet]:
    tr = catalog.tr
    firms = [_line_row(x, card, catalog, False) for x in card.firms]
    compounds = [_line_row(x, card, catalog, True) for x in (*card.compounds, *card.self_managed)]
    by_dimension: list[list[Any]] = []
    labels = dimension_labels(card, catalog)
    kinds = [(tr("scorecard.kind.firm"), x) for x in card.firms]
    kinds += [(tr("scorecard.kind.compound"), x) for x in (*card.compounds, *card.self_managed)]
    for kind, line in kinds:
        for dim, label in zip(card.dimensions, labels, strict=True):
            f = line.figures[dim.name]
            by_dimension.append(
                [
                    kind,
                    line.name,
                    label,
                    f.n,
                    number(f.mean),
                    number(f.sd),
                    f.low,
                    f.high,
                    number(line.previous_figures.get(dim.name)),
                ]
            )
    dimension_columns = [
        Column(tr("scorecard.col.kind"), width=8),
        Column(tr("scorecard.col.name"), width=24),
        Column(tr("scorecard.col.dimension"), width=16),
        Column(tr("scorecard.col.n"), INT, 8),
        Column(tr("scorecard.col.mean"), NUMBER, 10),
        Column(tr("scorecard.col.sd"), NUMBER, 10),
        Column(tr("scorecard.col.min"), INT, 8),
        Column(tr("scorecard.col.max"), INT, 8),
        Column(tr("scorecard.col.previous"), NUMBER, 10),
    ]
    return [
        Sheet(
            "ranking",
            tr("scorecard.sheet.ranking"),
            _line_columns(card, catalog, False),
            firms,
            len(firms),
        ),
        Sheet(
            "compounds",
            tr("scorecard.sheet.compounds"),
            _line_columns(card, catalog, True),
            compounds,
            len(compounds),
        ),
        Sheet(
            "dimensions",
            tr("scorecard.sheet.dimensions"),
            dimension_columns,
            by_dimension,
            len(by_dimension),
        ),
    ]


def write_xlsx(card: Scorecard, out: Path, catalog: Catalog) -> int:
    from gridapp.reports.tables import write_xlsx as write_book

    return write_book(build_sheets(card, catalog), out)


def _table_rows(
    card: Scorecard, catalog: Catalog, lines: Sequence[Line], compound: bool
) -> list[list[str]]:
    rows = []
    for line in lines:
        values = _line_row(line, card, catalog, compound)
        rows.append(
            [
                values[0],
                line.name,
                str(line.answered),
                shown(line.overall),
                change_text(line.change),
                *(shown(line.figures[d.name].mean, 1) for d in card.dimensions),
            ]
        )
    return rows


def write_pdf(card: Scorecard, out: Path, catalog: Catalog) -> int:
    """The scorecard on A4 landscape; returns the page count."""
    from reportlab.lib import colors
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.lib.units import mm
    from reportlab.platypus import Paragraph, SimpleDocTemplate, Spacer, Table, TableStyle

    from gridapp.files import atomic_output
    from gridapp.paper.fonts import FONT, register_font

    register_font()
    tr = catalog.tr
    base = ParagraphStyle("base", fontName=FONT, fontSize=9, leading=13, wordWrap="CJK")
    title = ParagraphStyle("title", base, fontSize=16, leading=22)
    h2 = ParagraphStyle("h2", base, fontSize=12, leading=17, spaceBefore=8, spaceAfter=3)
    cell = ParagraphStyle("cell", base, fontSize=8, leading=10)
    labels = dimension_labels(card, catalog)
    head = [
        tr("scorecard.col.standing"),
        tr("scorecard.col.name"),
        tr("scorecard.col.answered"),
        tr("scorecard.col.overall"),
        tr("scorecard.col.change"),
        *labels,
    ]

    def table(rows: list[list[str]]) -> Table:
        data = [[Paragraph(str(v), cell) for v in head]]
        data += [[Paragraph(v, cell) for v in row] for row in rows]
        dims = len(labels)
        width = landscape(A4)[0] - 30 * mm
        fixed = [60 * mm, 45 * mm, 16 * mm, 14 * mm, 14 * mm]
        rest = (width - sum(fixed)) / max(dims, 1)
        t = Table(data, colWidths=[*fixed, *([rest] * dims)], repeatRows=1)
        t.setStyle(
            TableStyle(
                [
                    ("GRID", (0, 0), (-1, -1), 0.4, colors.grey),
                    ("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde7f3")),
                    ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ]
            )
        )
        return t

    story: list[Any] = [
        Paragraph(tr("scorecard.title", campaign=card.campaign), title),
        Paragraph(f"{card.starts_on} – {card.ends_on}", base),
        Paragraph(summary(card, catalog), base),
        Paragraph(tr("scorecard.sheet.ranking"), h2),
        table(_table_rows(card, catalog, card.firms, False)),
        Paragraph(tr("scorecard.sheet.compounds"), h2),
        table(_table_rows(card, catalog, card.compounds, True)),
    ]
    if card.self_managed:
        story += [
            Paragraph(tr("scorecard.self_managed_title"), h2),
            table(_table_rows(card, catalog, card.self_managed, True)),
        ]
    if card.flagged:
        story.append(Paragraph(tr("scorecard.flagged_title", count=len(card.flagged)), h2))
        for f in card.flagged:
            story.append(
                Paragraph(
                    tr(
                        "scorecard.flagged",
                        compound=f.compound,
                        household=f.household,
                        question=f.question,
                        value=f.value[:40],
                    ),
                    base,
                )
            )
    story += [Spacer(1, 6), Paragraph(tr("scorecard.rule", min=card.min_answers), base)]
    pages = [0]

    def footer(canvas: Any, doc: Any) -> None:
        pages[0] = doc.page
        canvas.setFont(FONT, 7.5)
        canvas.drawRightString(landscape(A4)[0] - 15 * mm, 8 * mm, f"{card.campaign} · {doc.page}")

    with atomic_output(out) as handle:
        doc = SimpleDocTemplate(
            handle,
            pagesize=landscape(A4),
            leftMargin=15 * mm,
            rightMargin=15 * mm,
            topMargin=14 * mm,
            bottomMargin=14 * mm,
            title=tr("scorecard.title", campaign=card.campaign),
        )
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    return pages[0]
