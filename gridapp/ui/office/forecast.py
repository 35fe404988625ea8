"""The owners'-vote forecast per compound: stances by building, the two majorities as
bars with their legal thresholds marked, pass/fail per condition, the swing, and —
always on screen — the reminder that this is projected from consultations, not a vote.
The rules and words come from the core (gridapp/forecast/); this screen only shows them.
"""

from __future__ import annotations

from fractions import Fraction
from typing import TYPE_CHECKING

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from gridapp.errors import GridappError
from gridapp.forecast import words
from gridapp.forecast.vote import Forecast, Share, fraction_text
from gridapp.i18n import Catalog
from gridapp.services.reading import ReadingService

if TYPE_CHECKING:
    from gridapp.services.consultation import ConsultationService

_GREEN, _RED, _GREY = QColor("#067647"), QColor("#b42318"), QColor("#e4e7ec")
_STANCE_COLUMNS = ("building", "households", "agree", "undecided", "oppose", "unknown")


class ThresholdBar(QWidget):
    """A share as a bar: filled to its ratio, a marker at the threshold, green when
    the condition is met."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.ratio: Fraction | None = None
        self.threshold = Fraction(1, 2)
        self.passed = False
        self.setMinimumHeight(26)

    def show_share(self, share: Share) -> None:
        self.ratio, self.threshold, self.passed = share.ratio, share.threshold, share.passed
        self.setToolTip(f"{words.percent(share.percent)} / {fraction_text(share.threshold)}")
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(320, 26)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        bar = QRectF(self.rect()).adjusted(1, 4, -1, -4)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(_GREY)
        painter.drawRoundedRect(bar, 3, 3)
        ratio = float(self.ratio) if self.ratio is not None else 0.0
        filled = QRectF(
            bar.left(), bar.top(), bar.width() * min(max(ratio, 0.0), 1.0), bar.height()
        )
        painter.setBrush(_GREEN if self.passed else _RED)
        painter.drawRoundedRect(filled, 3, 3)
        x = bar.left() + bar.width() * float(self.threshold)
        painter.setPen(QPen(QColor("#101828"), 2))
        painter.drawLine(int(x), int(bar.top()) - 4, int(x), int(bar.bottom()) + 4)
        painter.setPen(QColor("#ffffff") if ratio > 0.12 else QColor("#101828"))
        text = words.percent(ratio * 100) if self.ratio is not None else "—"
        painter.drawText(
            bar.adjusted(6, 0, 0, 0),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            text,
        )
        painter.end()


class _Condition:
    """One condition's row: its name, the bar, the value, the threshold, the verdict."""

    def __init__(self, grid: QGridLayout, row: int, parent: QWidget, key: str) -> None:
        self.name = QLabel(parent)
        self.bar = ThresholdBar(parent)
        self.bar.setObjectName(f"bar_{key}")
        self.value = QLabel(parent)
        self.threshold = QLabel(parent)
        self.verdict = QLabel(parent)
        self.verdict.setObjectName(f"verdict_{key}")
        for column, widget in enumerate(
            (self.name, self.bar, self.value, self.threshold, self.verdict)
        ):
            grid.addWidget(widget, row, column)

    def show(self, line: words.ConditionLine) -> None:
        self.name.setText(line.label)
        self.bar.show_share(line.share)
        self.value.setText(line.value)
        self.threshold.setText(line.threshold)
        self.verdict.setText(line.verdict)
        colour = _GREEN if line.share.passed else _RED
        self.verdict.setStyleSheet(f"color: {colour.name()}; font-weight: bold;")


class ForecastView(QWidget):
    failed = Signal(object)  # a GridappError for the window's error presenter

    def __init__(
        self,
        consultation: ConsultationService,
        read: ReadingService,
        catalog: Catalog,
        question: str = "stance",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("forecastView")
        self._consultation, self._read = consultation, read
        self._catalog, self._question = catalog, question
        self.forecast: Forecast | None = None
        tr = catalog.tr
        self.title = QLabel(tr("ui.forecast.title"), self)
        title_font = QFont(self.title.font())
        title_font.setPointSize(title_font.pointSize() + 4)
        self.title.setFont(title_font)
        self.disclaimer = QLabel(words.disclaimer(catalog), self)
        self.disclaimer.setObjectName("disclaimer")
        self.disclaimer.setWordWrap(True)
        self.disclaimer.setStyleSheet(
            f"color: {_RED.name()}; font-weight: bold; border: 1px solid {_RED.name()};"
            " padding: 6px;"
        )
        self.compounds = QComboBox(self)
        self.compounds.setObjectName("compoundBox")
        self.attendance = QCheckBox(tr("ui.forecast.require_attendance"), self)
        self.attendance.setObjectName("requireAttendance")
        self.refresh_button = QPushButton(tr("ui.forecast.refresh"), self)
        top = QHBoxLayout()
        top.addWidget(QLabel(tr("ui.forecast.compound"), self))
        top.addWidget(self.compounds, 1)
        top.addWidget(self.attendance)
        top.addWidget(self.refresh_button)

        self.verdict = QLabel(self)
        self.verdict.setObjectName("verdict")
        big = QFont(self.verdict.font())
        big.setPointSize(big.pointSize() + 6)
        big.setBold(True)
        self.verdict.setFont(big)
        self.stances = QLabel(self)
        self.conditions: dict[str, _Condition] = {}
        panel = QWidget(self)
        side = QVBoxLayout(panel)
        side.setContentsMargins(0, 0, 0, 0)
        side.addWidget(self.verdict)
        side.addWidget(self.stances)
        for box_key, keys in (
            ("ui.forecast.participation", ("participation_area", "participation_owners")),
            ("ui.forecast.approval", ("approval_area", "approval_owners")),
        ):
            box = QGroupBox(tr(box_key), panel)
            grid = QGridLayout(box)
            grid.setColumnStretch(1, 1)
            for row, key in enumerate(keys):
                self.conditions[key] = _Condition(grid, row, box, key)
            side.addWidget(box)
        self.swing = QLabel(panel)
        self.swing.setObjectName("swing")
        self.swing.setWordWrap(True)
        self.notes = QLabel(panel)
        self.notes.setWordWrap(True)
        self.notes.setStyleSheet("color: #475467;")
        side.addWidget(self.swing)
        side.addWidget(self.notes)
        side.addStretch(1)

        self.table = QTableWidget(0, len(_STANCE_COLUMNS), self)
        self.table.setObjectName("stanceTable")
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.table.setHorizontalHeaderLabels([tr(f"ui.forecast.col.{c}") for c in _STANCE_COLUMNS])
        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(panel)
        splitter.addWidget(self.table)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)

        layout = QVBoxLayout(self)
        layout.addWidget(self.title)
        layout.addWidget(self.disclaimer)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)

        for name in self._read.compound_names():
            self.compounds.addItem(name[1], name[0])
        if not self.compounds.count():
            self.verdict.setText(tr("ui.forecast.empty"))
        self.compounds.currentIndexChanged.connect(lambda _: self.reload())
        self.attendance.toggled.connect(lambda _: self.reload())
        self.refresh_button.clicked.connect(self.reload)
        self.reload()

    def select_compound(self, compound_id: str) -> None:
        index = self.compounds.findData(compound_id)
        if index >= 0:
            self.compounds.setCurrentIndex(index)

    def reload(self) -> None:
        compound_id = self.compounds.currentData()
        if compound_id is None:
            return
        consultation = self._consultation
        try:
            result = consultation.forecast(
                compound_id, self._question, self.attendance.isChecked()
            ).forecast
            buildings = consultation.stances_by_building(compound_id, self._question)
        except GridappError as exc:
            self.forecast = None
            self.verdict.setText(self._catalog.error(exc))
            self.verdict.setStyleSheet(f"color: {_RED.name()};")
            self.failed.emit(exc)
            return
        self.forecast = result
        catalog = self._catalog
        self.verdict.setText(words.verdict(result, catalog))
        self.verdict.setStyleSheet(f"color: {(_GREEN if result.passes else _RED).name()};")
        self.stances.setText(words.stances(result, catalog))
        for line in words.condition_lines(result, catalog):
            self.conditions[line.key].show(line)
        # One name column across both boxes, so the four bars line up.
        widest = max(c.name.sizeHint().width() for c in self.conditions.values())
        for condition in self.conditions.values():
            condition.name.setMinimumWidth(widest)
        self.swing.setText(words.swing(result, catalog))
        self.notes.setText("\n".join(words.notes(result, catalog)))
        self.table.setRowCount(len(buildings))
        for r, row in enumerate(buildings):
            c = row.counts
            values = (row.building, c.households, c.agree, c.undecided, c.oppose, c.unknown)
            for column, value in enumerate(values):
                item = QTableWidgetItem(str(value))
                if column:
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(r, column, item)
