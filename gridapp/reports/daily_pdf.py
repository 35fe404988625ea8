"""The daily report (走访日报): A4, the embedded CJK font, the day's figures beside the
totals, three charts, and the vote forecast per compound with its disclaimer."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import (
    KeepTogether,
    PageBreak,
    Paragraph,
    SimpleDocTemplate,
    Spacer,
    Table,
    TableStyle,
)

from gridapp.clock import display_time
from gridapp.files import atomic_output
from gridapp.forecast import words
from gridapp.i18n import Catalog
from gridapp.paper.fonts import FONT, register_font
from gridapp.reports.charts import daily_chart, outcome_chart, team_chart
from gridapp.reports.data import ReportData
from gridapp.reports.sheets import DAY_KEYS

Progress = Callable[[int, int], None]
_MARGIN = 15 * mm
_WIDTH = A4[0] - 2 * _MARGIN
_GREEN, _RED = colors.HexColor("#067647"), colors.HexColor("#b42318")


def _styles() -> dict[str, ParagraphStyle]:
    base = ParagraphStyle("base", fontName=FONT, fontSize=9.5, leading=14, wordWrap="CJK")
    return {
        "base": base,
        "title": ParagraphStyle("title", base, fontSize=18, leading=24),
        "small": ParagraphStyle("small", base, fontSize=8, leading=11, textColor=colors.grey),
        "h2": ParagraphStyle("h2", base, fontSize=12.5, leading=18, spaceBefore=6, spaceAfter=3),
        "h3": ParagraphStyle("h3", base, fontSize=11, leading=16, spaceBefore=8),
        "warn": ParagraphStyle(
            "warn",
            base,
            fontSize=10.5,
            leading=15,
            textColor=_RED,
            borderColor=_RED,
            borderWidth=0.8,
            borderPadding=5,
            spaceBefore=4,
            spaceAfter=8,
        ),
    }


def _table(rows: list[list[Any]], widths: list[float], header: bool = True) -> Table:
    table = Table(rows, colWidths=widths, hAlign="LEFT")
    style = [
        ("FONTNAME", (0, 0), (-1, -1), FONT),
        ("FONTSIZE", (0, 0), (-1, -1), 9),
        ("GRID", (0, 0), (-1, -1), 0.4, colors.HexColor("#b8c2cc")),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("ALIGN", (1, 0), (-1, -1), "CENTER"),
    ]
    if header:
        style.append(("BACKGROUND", (0, 0), (-1, 0), colors.HexColor("#dde7f3")))
    table.setStyle(TableStyle(style))
    return table


def _figures(data: ReportData, catalog: Catalog, st: dict[str, ParagraphStyle]) -> list[Any]:
    tr = catalog.tr
    rows: list[list[Any]] = [
        [
            "",
            tr("ui.report.summary.day", day=data.day),
            tr("ui.report.pdf.col.total"),
        ]
    ]
    rows += [[tr(f"count.{k}"), data.today[k], getattr(data.counts, k)] for k in DAY_KEYS]
    counts = data.counts
    coverage = counts.households_visited / counts.households if counts.households else 0.0
    return [
        Paragraph(tr("ui.report.pdf.figures"), st["h2"]),
        _table(rows, [60 * mm, 35 * mm, 35 * mm]),
        Spacer(1, 3),
        Paragraph(
            tr(
                "ui.report.pdf.coverage",
                visited=counts.households_visited,
                households=counts.households,
                percent=words.percent(coverage * 100),
            ),
            st["base"],
        ),
    ]


def _forecasts(data: ReportData, catalog: Catalog, st: dict[str, ParagraphStyle]) -> list[Any]:
    tr = catalog.tr
    story: list[Any] = [
        Paragraph(tr("ui.report.pdf.forecast"), st["h2"]),
        Paragraph(tr("ui.forecast.title"), st["base"]),
        Paragraph(words.disclaimer(catalog), st["warn"]),
    ]
    header = [tr(f"ui.forecast.col.{c}") for c in ("condition", "value", "threshold", "verdict")]
    for cf in data.forecasts:
        result = cf.forecast
        colour = _GREEN if result.passes else _RED
        title = ParagraphStyle("verdict", st["h3"], textColor=colour)
        lines = words.condition_lines(result, catalog)
        table = _table(
            [header] + [[line.label, line.value, line.threshold, line.verdict] for line in lines],
            [42 * mm, 62 * mm, 38 * mm, 18 * mm],
        )
        table.setStyle(
            TableStyle(
                [
                    ("TEXTCOLOR", (3, n), (3, n), _GREEN if line.share.passed else _RED)
                    for n, line in enumerate(lines, start=1)
                ]
            )
        )
        block = [
            Paragraph(f"{cf.compound}　{words.verdict(result, catalog)}", title),
            Paragraph(words.stances(result, catalog), st["base"]),
            table,
            Spacer(1, 2),
            Paragraph(words.swing(result, catalog), st["base"]),
        ]
        block += [Paragraph(note, st["small"]) for note in words.notes(result, catalog)]
        story.append(KeepTogether(block))
    story.append(Spacer(1, 6))
    story.append(Paragraph(words.disclaimer(catalog), st["warn"]))
    return story


def render_daily(
    data: ReportData, out: Path, catalog: Catalog, progress: Progress | None = None
) -> int:
    """The daily report into `out`, atomically; returns the page count."""
    register_font()
    tr = catalog.tr
    st = _styles()
    pages = [0]

    def footer(canvas: Any, doc: Any) -> None:
        pages[0] = doc.page
        canvas.saveState()
        canvas.setFont(FONT, 8)
        canvas.setFillColor(colors.grey)
        canvas.drawRightString(A4[0] - _MARGIN, 9 * mm, tr("ui.report.pdf.page", page=doc.page))
        if data.forecasts:
            canvas.drawString(_MARGIN, 9 * mm, words.disclaimer(catalog))
        canvas.restoreState()
        if progress is not None:
            progress(doc.page, max(doc.page, 2))

    story: list[Any] = [
        Paragraph(tr("ui.report.pdf.title"), st["title"]),
        Paragraph(
            tr(
                "ui.report.pdf.subtitle",
                campaign=data.campaign or "—",
                day=data.day,
                generated=display_time(data.generated_at),
            ),
            st["small"],
        ),
        *_figures(data, catalog, st),
        KeepTogether(
            [
                Paragraph(tr("ui.report.pdf.daily"), st["h2"]),
                daily_chart(data.daily, catalog, _WIDTH, 54 * mm, date.fromisoformat(data.day)),
            ]
        ),
        KeepTogether(
            [
                Paragraph(tr("ui.report.pdf.teams"), st["h2"]),
                team_chart(data.teams, catalog, _WIDTH, 44 * mm),
            ]
        ),
        KeepTogether(
            [
                Paragraph(tr("ui.report.pdf.outcomes"), st["h2"]),
                outcome_chart(data.outcomes, catalog, _WIDTH, 44 * mm),
            ]
        ),
    ]
    story += [Paragraph(tr(note), st["small"]) for note in data.notes]
    if data.forecasts:
        story += [PageBreak(), *_forecasts(data, catalog, st)]
    with atomic_output(out) as handle:
        doc = SimpleDocTemplate(
            handle,
            pagesize=A4,
            leftMargin=_MARGIN,
            rightMargin=_MARGIN,
            topMargin=_MARGIN,
            bottomMargin=_MARGIN + 4 * mm,
            title=tr("ui.report.pdf.title"),
            pageCompression=1,
            initialFontName=FONT,  # no Helvetica reference: every glyph is embedded
        )
        doc.build(story, onFirstPage=footer, onLaterPages=footer)
    if progress is not None:
        progress(pages[0], pages[0])
    return pages[0]
