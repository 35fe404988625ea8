"""The dashboard's three charts (QtCharts): the week day by day, coverage per team,
outcome shares.

Imported only when the dashboard first shows figures, so the desktop starts without
loading QtCharts. Every text item gets the application's font explicitly: a chart
otherwise picks its own default and draws Chinese as boxes where the system has no
CJK font (the app registers WenQuanYi, gridapp/ui/shell/fonts.py).
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QPieSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, Qt
from PySide6.QtGui import QColor, QFont, QPainter, QPen
from PySide6.QtWidgets import QApplication, QWidget

from gridapp.clock import day_labels, parse_iso
from gridapp.i18n import Catalog
from gridapp.services.dashboard import Dashboard

BAR = QColor("#5b8ff9")
LINE = QColor("#e8684a")
TEAM = QColor("#5ad8a6")
#: One colour per outcome, in codes.Outcome order (met … appointment).
OUTCOME_COLOURS = ("#5ad8a6", "#f6bd16", "#e8684a", "#9ca3af", "#6dc8ec", "#5b8ff9")


def _fonts() -> tuple[QFont, QFont]:
    """The application's font (WenQuanYi once registered), for labels and titles."""
    base = QApplication.font()
    small, title = QFont(base), QFont(base)
    small.setPointSizeF(max(base.pointSizeF() - 1, 7))
    title.setPointSizeF(base.pointSizeF() + 1)
    title.setBold(True)
    return small, title


def _chart(name: str, parent: QWidget | None) -> tuple[QChart, QChartView]:
    chart = QChart()
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    chart.setBackgroundRoundness(0)
    chart.setMargins(QMargins(4, 4, 4, 4))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    view = QChartView(chart, parent)
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    view.setMinimumHeight(220)
    return chart, view


def _clear(chart: QChart) -> None:
    chart.removeAllSeries()
    for axis in chart.axes():
        chart.removeAxis(axis)


def _axis_fonts(axis: QValueAxis | QBarCategoryAxis, font: QFont) -> None:
    axis.setLabelsFont(font)
    axis.setTitleFont(font)


class DashboardCharts:
    """Owns the three chart views; `show` redraws them from a snapshot."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self.day_chart, self.day_view = _chart("dayChart", parent)
        self.team_chart, self.team_view = _chart("teamChart", parent)
        self.outcome_chart, self.outcome_view = _chart("outcomeChart", parent)
        # What tests and the bench read back: the series shown now.
        self.day_bars = QBarSet("")
        self.day_line = QLineSeries()
        self.team_bars = QBarSet("")
        self.outcome_pie = QPieSeries()
        self.day_categories: list[str] = []
        self.team_categories: list[str] = []

    def views(self) -> tuple[QChartView, QChartView, QChartView]:
        return self.day_view, self.team_view, self.outcome_view

    def show(self, snapshot: Dashboard, catalog: Catalog) -> None:
        small, title = _fonts()
        for chart in (self.day_chart, self.team_chart, self.outcome_chart):
            chart.setTitleFont(title)
            chart.legend().setFont(small)
        self._days(snapshot, catalog.tr, small)
        self._teams(snapshot, catalog.tr, small)
        self._outcomes(snapshot, catalog, small)

    def _days(self, snapshot: Dashboard, t: Callable[..., str], small: QFont) -> None:
        chart = self.day_chart
        _clear(chart)
        chart.setTitle(t("ui.dashboard.chart.days"))
        days = snapshot.days
        today = parse_iso(snapshot.taken_at).date()
        self.day_categories = day_labels([d.day for d in days], today)
        bars = QBarSet(t("ui.dashboard.chart.visits_per_day"))
        bars.setColor(BAR)
        bars.setLabelFont(small)
        bars.append([float(d.visits) for d in days])
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsInsideEnd)
        if max((d.visits for d in days), default=0) >= 1000:
            series.setLabelsAngle(-90)  # five digits never fit across a day's bar
        line = QLineSeries()
        line.setName(t("ui.dashboard.chart.cumulative"))
        line.setPen(QPen(LINE, 2.5))
        line.setPointsVisible(True)
        for i, d in enumerate(days):
            if d.cumulative is not None:
                line.append(float(i), float(d.cumulative))
        chart.addSeries(series)
        chart.addSeries(line)
        x = QBarCategoryAxis()
        x.append(self.day_categories or [""])
        if len(days) > 10 or any(len(label) > 5 for label in self.day_categories):
            x.setLabelsAngle(-60)  # upright labels would elide to "…" side by side
        left, right = QValueAxis(), QValueAxis()
        left.setTitleText(t("ui.dashboard.axis.visits"))
        right.setTitleText(t("ui.dashboard.axis.households"))
        left.setRange(0, _nice(max((d.visits for d in days), default=0)))
        right.setRange(
            0,
            _nice(max((d.cumulative or 0 for d in days), default=0) or snapshot.counts.households),
        )
        for axis in (left, right):
            axis.setLabelFormat("%d")
            axis.setTickCount(5)
        right.setLinePenColor(LINE)
        right.setLabelsColor(LINE)
        for any_axis in (x, left, right):
            _axis_fonts(any_axis, small)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(left, Qt.AlignmentFlag.AlignLeft)
        chart.addAxis(right, Qt.AlignmentFlag.AlignRight)
        series.attachAxis(x)
        series.attachAxis(left)
        line.attachAxis(x)
        line.attachAxis(right)
        chart.legend().setAlignment(Qt.AlignmentFlag.AlignBottom)
        self.day_bars, self.day_line = bars, line

    def _teams(self, snapshot: Dashboard, t: Callable[..., str], small: QFont) -> None:
        chart = self.team_chart
        _clear(chart)
        chart.setTitle(t("ui.dashboard.chart.teams"))
        teams = snapshot.teams
        self.team_categories = [str(team.team) for team in teams]
        bars = QBarSet(t("ui.dashboard.chart.coverage"))
        bars.setColor(TEAM)
        bars.setLabelFont(small)
        bars.setLabelColor(QColor("#1f2937"))
        # Whole percents: sixteen labels of "59.7" run into each other; the building
        # and compound tables carry the exact shares.
        bars.append([float(round(team.share * 100)) for team in teams])
        series = QBarSeries()
        series.append(bars)
        series.setLabelsVisible(True)
        series.setLabelsPrecision(3)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        series.setBarWidth(0.7)
        chart.addSeries(series)
        x = QBarCategoryAxis()
        x.append(self.team_categories or [""])
        x.setTitleText(t("ui.dashboard.axis.team"))
        y = QValueAxis()
        y.setRange(0, 110)  # room above 100 % for the labels
        y.setTickCount(12)
        y.setTickInterval(10)
        y.setTickType(QValueAxis.TickType.TicksDynamic)
        y.setLabelFormat("%d%%")
        for any_axis in (x, y):
            _axis_fonts(any_axis, small)
        chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(x)
        series.attachAxis(y)
        chart.legend().setVisible(False)
        self.team_bars = bars

    def _outcomes(self, snapshot: Dashboard, catalog: Catalog, small: QFont) -> None:
        chart = self.outcome_chart
        _clear(chart)
        chart.setTitle(catalog.tr("ui.dashboard.chart.outcomes"))
        total = sum(n for _code, n in snapshot.outcomes)
        pie = QPieSeries()
        pie.setHoleSize(0.45)
        pie.setPieSize(0.9)
        for (code, n), colour in zip(snapshot.outcomes, OUTCOME_COLOURS, strict=True):
            share = n / total * 100 if total else 0.0
            label = catalog.tr(
                "ui.dashboard.outcome_label", outcome=catalog.code("outcome", code), count=f"{n:,}"
            )
            piece = pie.append(f"{label} · {share:.0f}%", float(n))
            piece.setColor(QColor(colour))
            piece.setLabelFont(small)
        chart.addSeries(pie)
        legend = chart.legend()
        legend.setVisible(True)
        legend.setAlignment(Qt.AlignmentFlag.AlignRight)
        legend.setFont(small)
        self.outcome_pie = pie


def _nice(top: int) -> int:
    """An axis maximum a little above `top`, on a round number."""
    if top <= 0:
        return 10
    step = 10 ** max(len(str(top)) - 1, 0)
    for factor in (1, 2, 2.5, 5, 10):
        nice = int(step * factor)
        if nice >= top * 1.1:
            return nice
    return int(step * 10)
