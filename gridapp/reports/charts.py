"""The daily report's charts, drawn by reportlab.graphics (vector, in the PDF's own
embedded font): progress per day, coverage per team, the day's outcomes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from gridapp.clock import day_labels
from gridapp.codes import Outcome
from gridapp.i18n import Catalog
from gridapp.paper.fonts import FONT
from gridapp.reports.data import DayLine, TeamLine

SERIES = (colors.HexColor("#2f6fb3"), colors.HexColor("#e08a2e"), colors.HexColor("#3c9a5f"))
OUTCOME_COLOURS = {
    Outcome.MET: colors.HexColor("#3c9a5f"),
    Outcome.NOT_HOME: colors.HexColor("#9aa5b1"),
    Outcome.REFUSED: colors.HexColor("#c0392b"),
    Outcome.VACANT: colors.HexColor("#d7c27a"),
    Outcome.MOVED: colors.HexColor("#7f5aa2"),
    Outcome.APPOINTMENT: colors.HexColor("#2f6fb3"),
}


def _drawing(width: float, height: float) -> Drawing:
    # Without it the renderer starts each drawing in Helvetica, a font the PDF would
    # then name without embedding.
    return Drawing(width, height, initialFontName=FONT)


def _axes(chart: VerticalBarChart, size: float = 7) -> None:
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = FONT
        axis.labels.fontSize = size
    chart.valueAxis.valueMin = 0
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#dddddd")


def daily_chart(
    days: Sequence[DayLine], catalog: Catalog, width: float, height: float, today: date
) -> Drawing:
    """Bars per day: visits, consultations, households visited for the first time; a
    day's label names its year unless every day is in `today`'s year."""
    tr = catalog.tr
    drawing = _drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 28
    chart.width, chart.height = width - 40, height - 50
    chart.data = [
        [d.visits for d in days] or [0],
        [d.consultations for d in days] or [0],
        [d.newly_visited for d in days] or [0],
    ]
    labels = day_labels([d.day for d in days], today)
    chart.categoryAxis.categoryNames = labels or ["—"]
    _axes(chart)
    if len(days) > 10 or any(len(label) > 5 for label in labels):
        chart.categoryAxis.labels.angle = 35  # slanted: long or many labels never overlap
        chart.categoryAxis.labels.boxAnchor = "ne"
    chart.barSpacing = 0.5
    chart.groupSpacing = 6
    for n, colour in enumerate(SERIES):
        chart.bars[n].fillColor = colour
        chart.bars[n].strokeColor = None
    drawing.add(chart)
    legend = Legend()
    legend.x, legend.y = 30, height - 6
    legend.fontName, legend.fontSize = FONT, 7
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.deltax = 80
    legend.colorNamePairs = list(
        zip(
            SERIES,
            [
                tr("ui.report.pdf.daily.visits"),
                tr("ui.report.pdf.daily.consultations"),
                tr("ui.report.pdf.daily.newly"),
            ],
            strict=True,
        )
    )
    drawing.add(legend)
    return drawing


def team_chart(teams: Sequence[TeamLine], catalog: Catalog, width: float, height: float) -> Drawing:
    """Coverage per team in percent, with the percentage over each bar."""
    drawing = _drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 22
    chart.width, chart.height = width - 40, height - 34
    chart.data = [[round(t.coverage * 100, 1) for t in teams] or [0]]
    chart.categoryAxis.categoryNames = [
        catalog.tr("ui.report.pdf.team_label", number=t.number) for t in teams
    ] or ["—"]
    _axes(chart, 6.5)
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 20
    chart.valueAxis.labelTextFormat = "%d%%"
    chart.bars[0].fillColor = SERIES[0]
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = "%.0f%%"
    chart.barLabels.fontName = FONT
    chart.barLabels.fontSize = 6
    chart.barLabels.nudge = 5
    drawing.add(chart)
    return drawing


def outcome_chart(
    outcomes: dict[str, int], catalog: Catalog, width: float, height: float
) -> Drawing:
    """The day's visits by outcome: a pie with each share labelled."""
    drawing = _drawing(width, height)
    total = sum(outcomes.values())
    if not total:
        drawing.add(
            String(
                width / 2,
                height / 2,
                catalog.tr("ui.report.pdf.no_visits"),
                fontName=FONT,
                fontSize=10,
                textAnchor="middle",
            )
        )
        return drawing
    codes = [o.value for o in Outcome if outcomes.get(o.value)]
    pie = Pie()
    size = min(height - 20, width / 2 - 20)
    pie.x, pie.y = width / 2 - size / 2, (height - size) / 2
    pie.width = pie.height = size
    pie.data = [outcomes[c] for c in codes]
    pie.labels = [
        f"{catalog.code('outcome', c)} {outcomes[c]}（{outcomes[c] * 100 / total:.0f}%）"
        for c in codes
    ]
    pie.sideLabels = True
    pie.slices.fontName = FONT
    pie.slices.fontSize = 7.5
    pie.slices.strokeColor = colors.white
    for n, code in enumerate(codes):
        pie.slices[n].fillColor = OUTCOME_COLOURS[Outcome(code)]
    drawing.add(pie)
    return drawing
